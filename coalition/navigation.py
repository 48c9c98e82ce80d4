"""The main navigation: one list of entries, each shown only to users who may use it.

Each app's pages add their entries here; the project package may import every app.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    permission: str | None = None  # None: every signed-in user
    staff_only: bool = False  # Django's back office needs is_staff

    def visible_to(self, user) -> bool:
        if self.staff_only and not user.is_staff:
            return False
        return self.permission is None or user.has_perm(self.permission)


NAV_ITEMS: list[NavItem] = [
    # Everyday work first, then the directory, then administration.
    NavItem(_("Home"), "home"),
    NavItem(_("Log a session"), "engagements:log", "engagements.add_engagement"),
    NavItem(_("Engagements"), "engagements:list", "engagements.view_engagement"),
    NavItem(_("Commitments"), "engagements:commitments", "engagements.view_commitment"),
    NavItem(_("Equity"), "equity:dashboard", "engagements.view_equityassessment"),
    NavItem(_("Coalitions"), "coalition:list", "coalition.view_coalition"),
    NavItem(_("Boards"), "boards:board_list", "stakeholders.view_board"),
    NavItem(_("Fellows"), "boards:cohort_list", "engagements.view_cohort"),
    NavItem(_("People"), "stakeholders:person_list", "stakeholders.view_person"),
    NavItem(_("Organizations"), "stakeholders:organization_list", "stakeholders.view_organization"),
    NavItem(_("Departments"), "stakeholders:department_list", "stakeholders.view_department"),
    NavItem(_("Elections"), "stakeholders:election_list", "stakeholders.view_election"),
    NavItem(_("Relationships"), "stakeholders:relationship_list", "stakeholders.view_relationship"),
    NavItem(_("My stipend"), "stakeholders:my_stipend", "stakeholders.view_own_statement"),
    NavItem(_("Stipends"), "stakeholders:funding_source_list", "stakeholders.manage_stipends"),
    NavItem(_("Neighborhoods"), "stakeholders:neighborhood_list", "stakeholders.change_neighborhood"),
    NavItem(_("Handover"), "engagements:handover", "engagements.add_handover"),
    NavItem(_("Reminder settings"), "engagements:reminder_settings", "engagements.change_remindersettings"),
    NavItem(_("Retention"), "engagements:retention", "stakeholders.change_retentionsettings"),
    NavItem(_("Users"), "stakeholders:user_list", "stakeholders.view_user"),
    NavItem(_("Security log"), "stakeholders:security_log", "stakeholders.view_securityevent"),
    NavItem(_("Back office"), "admin:index", "stakeholders.change_user", staff_only=True),
]


@cache
def _url(url_name: str, script_prefix: str) -> str:
    # Reversed once per process (and mount point): every page shows the same navigation.
    return reverse(url_name)


def navigation(request):
    """Context processor: the navigation entries the current user may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    if getattr(request, "second_step_owed", None):
        # Signed in with the password only: nothing to offer but the step, signing out and the language.
        return {"nav_items": [], "second_step_owed": True}
    prefix = get_script_prefix()
    items = []
    for item in NAV_ITEMS:
        if item.visible_to(user):
            url = _url(item.url_name, prefix)
            items.append({"label": item.label, "url": url, "active": request.path == url})
    return {"nav_items": items}
