"""Panels that higher apps show on this app's pages.

A person's page lists their engagements; an organization's page its coalitions.
Those records live in apps above this one, which this app never imports. So a
higher app registers a panel here (from its ``AppConfig.ready``): a URL name
that takes the record's pk and returns an HTML fragment. The page loads each
panel with htmx (``templates/includes/panels.html``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class Panel:
    title: str | Promise
    url_name: str  # reversed with the record's pk
    permission: str | None = None  # hide the panel from users without it

    def url_for(self, pk: int) -> str:
        return reverse(self.url_name, args=[pk])


_PANELS: dict[str, list[Panel]] = {"person": [], "organization": [], "department": []}
_PANELS.update({"liaison": [], "stipend_payment": []})  # the stipend pages (e.g. engagements paid for)


def register(page: str, panel: Panel) -> None:
    """Show ``panel`` on every ``page`` ("person", "organization", "department")."""
    if panel not in _PANELS[page]:
        _PANELS[page].append(panel)


def panels_for(page: str, user, pk: int) -> list[dict]:
    """The panels of ``page`` that ``user`` may see, with their URLs for record ``pk``."""
    return [
        {"title": panel.title, "url": panel.url_for(pk), "slug": panel.url_name.replace(":", "-")}
        for panel in _PANELS[page]
        if panel.permission is None or user.has_perm(panel.permission)
    ]
