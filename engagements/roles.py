"""Which engagement permissions each role holds (merged by stakeholders.roles).

Staff log sessions, edit their own and see all; coordinators edit all, manage
commitments and publish; liaisons log and see the sessions they facilitated
(no ``view_all_engagements``); admins hold everything, including the theme and
breakdown lists, handing over a departed user's work and tuning the reminders.
"""

from stakeholders.roles import Role

_LOG = ["engagements.add_engagement", "engagements.view_engagement", "engagements.view_commitment"]
_SEE_ALL = ["engagements.view_all_engagements"]
_MANAGE = [
    "engagements.change_engagement",
    "engagements.publish_engagement",
    "engagements.add_commitment",
    "engagements.change_commitment",
    "engagements.add_loopback",
]
_LISTS = [
    f"engagements.{action}_{model}"
    for model in ("theme", "breakdowncategory", "breakdownoption")
    for action in ("view", "add", "change", "delete")
]
_REMINDERS_ADMIN = [
    "engagements.add_handover",
    "engagements.view_handover",
    "engagements.change_remindersettings",
]

ROLE_PERMISSIONS = {
    Role.STAFF: [*_LOG, *_SEE_ALL],
    Role.COORDINATOR: [*_LOG, *_SEE_ALL, *_MANAGE],
    Role.ADMIN: [*_LOG, *_SEE_ALL, *_MANAGE, *_LISTS, *_REMINDERS_ADMIN, "engagements.delete_engagement"],
    Role.LIAISON: [*_LOG],
}
