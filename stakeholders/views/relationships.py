"""Pages for relationships: who is connected to whom, who owns the connection, and who could
reach a person through them (the messenger panel)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..filters.relationships import RelationshipFilter
from ..forms.relationships import RelationshipEndForm, RelationshipForm
from ..models import Relationship
from ..rows import choice_labels, person_name, pk_url, short_dates, user_name
from ..selectors.government import record_history
from ..selectors.messengers import messengers_for
from ..selectors.relationships import (
    relationship_for_user,
    relationship_rows,
    relationships_of_person,
    relationships_visible_to,
)
from ..services import relationships as services
from .government import apply_form_errors

PAGE_SIZE = 50


@login_required
def relationship_list(request):
    """Relationships the user may read (a liaison: their own), filtered by kind, owner and strength."""
    relationship_filter = RelationshipFilter(request.GET, queryset=relationships_visible_to(request.user))
    page = Paginator(relationship_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _rows(relationship_rows(page.object_list))
    template = "stakeholders/relationship_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"filter": relationship_filter, "page": page})


def _rows(relationships) -> list[str]:
    """Each row's ``<tr>``, one ``format_html()`` from its columns (see ``stakeholders.rows``):
    a search can fill the page with 50 rows, and six cells of template tags a row had cost
    more than the rest of the page."""
    detail_url, person_url = pk_url("stakeholders:relationship_detail"), pk_url("stakeholders:person_detail")
    kind_labels = choice_labels(Relationship.Kind.choices)
    strength = format_html('<span class="visually-hidden">{} </span>', _("strength"))
    current = _("Current")
    ended = _("Ended %(date)s")
    dates = short_dates()

    def person_link(row, prefix):
        name = person_name(row[f"{prefix}_first_name"], row[f"{prefix}_preferred_name"], row[f"{prefix}_last_name"])
        return format_html('<a href="{}">{}</a>', person_url(row[f"{prefix}_id"]), name)

    return [
        format_html(
            '<tr><td>{}</td><td><a href="{}">{}</a></td><td>{}</td><td>{}{}/5</td><td>{}</td><td>{}</td></tr>',
            person_link(row, "person"),
            detail_url(row["pk"]),
            kind_labels.get(row["kind"], row["kind"]),
            person_link(row, "other_person")
            if row["other_person_id"] is not None
            else (row["organization_name"] or ""),
            strength,
            row["strength"],
            user_name(row["owner_first_name"], row["owner_last_name"], row["owner_username"]) or "—",
            current if row["end_date"] is None else ended % {"date": dates(row["end_date"])},
        )
        for row in relationships
    ]


@login_required
def relationship_detail(request, pk):
    relationship = relationship_for_user(request.user, pk)
    history = None
    if request.user.has_perm("stakeholders.view_relationshipevent"):
        history = record_history(Relationship, [relationship.pk])
    return render(request, "stakeholders/relationship_detail.html", {"relationship": relationship, "history": history})


def _service_fields(data: dict) -> dict:
    return {
        name: data[name]
        for name in ("other_person", "organization", "kind", "strength", "start_date", "end_date", "owner", "notes")
    }


@login_required
@permission_required("stakeholders.add_relationship", raise_exception=True)
def relationship_create(request):
    search = request.GET.get("q", "").strip()
    initial = {"person": request.GET.get("person"), "owner": request.user.pk}
    form = RelationshipForm(request.POST or None, initial=initial, search=search)
    if request.method == "POST" and form.is_valid():
        try:
            relationship = services.relationship_create(
                person=form.cleaned_data["person"], **_service_fields(form.cleaned_data), actor=request.user
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, _("Relationship %(name)s saved.") % {"name": relationship})
            return redirect(relationship)
    return render(
        request,
        "stakeholders/relationship_form.html",
        {"form": form, "title": _("New relationship"), "search": search},
    )


@login_required
@permission_required("stakeholders.change_relationship", raise_exception=True)
def relationship_edit(request, pk):
    relationship = relationship_for_user(request.user, pk)
    search = request.GET.get("q", "").strip()
    form = RelationshipForm(request.POST or None, instance=relationship, search=search)
    if request.method == "POST" and form.is_valid():
        try:
            services.relationship_update(
                relationship=relationship, **_service_fields(form.cleaned_data), actor=request.user
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, _("Changes to %(name)s saved.") % {"name": relationship})
            return redirect(relationship)
    title = _("Edit relationship %(name)s") % {"name": relationship}
    return render(
        request,
        "stakeholders/relationship_form.html",
        {"form": form, "title": title, "relationship": relationship, "search": search},
    )


@login_required
@permission_required("stakeholders.change_relationship", raise_exception=True)
def relationship_end(request, pk):
    relationship = relationship_for_user(request.user, pk)
    if not relationship.is_current:
        raise PermissionDenied
    form = RelationshipEndForm(request.POST or None, initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.relationship_end(
                relationship=relationship, end_date=form.cleaned_data["end_date"], actor=request.user
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, _("Relationship %(name)s ended.") % {"name": relationship})
            return redirect(relationship)
    title = _("End relationship %(name)s") % {"name": relationship}
    return render(
        request, "stakeholders/relationship_end.html", {"form": form, "title": title, "relationship": relationship}
    )


@login_required
def person_relationships_panel(request, pk):
    """Fragment for the person page: this person's relationships (that the user may read) and their owners."""
    relationships = relationships_of_person(request.user, pk).order_by(
        F("end_date").desc(nulls_first=True), "-strength", "pk"
    )
    return render(
        request, "stakeholders/relationship_panel.html", {"relationships": relationships, "person_id": int(pk)}
    )


@login_required
def person_messengers_panel(request, pk):
    """Fragment for the person page and the ally record: who could reach this person in their
    preferred language (``stakeholders.selectors.messengers``); 404 when the user may not see them."""
    reach = messengers_for(request.user, pk)
    person_url = pk_url("stakeholders:person_detail")
    rows = [
        {
            "messenger": messenger,
            "url": person_url(messenger.person.id),
            "via_url": person_url(messenger.via.id) if messenger.via else None,
        }
        for messenger in reach.messengers
    ]
    return render(request, "stakeholders/messenger_panel.html", {"reach": reach, "rows": rows})
