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

# Equity: staff read the dashboard and the assessments; coordinators and admins write
# assessments and review and publish them; admins import the census baseline and set
# the dashboard's suppression and under-heard thresholds.
_EQUITY_READ = ["engagements.view_equityassessment", "engagements.view_censusbaseline"]
_EQUITY_WRITE = [
    "engagements.add_equityassessment",
    "engagements.change_equityassessment",
    "engagements.publish_equityassessment",
]
_EQUITY_ADMIN = ["engagements.add_censusbaseline", "engagements.change_equitysettings"]

# The boards pipeline: staff read cohorts and their pipelines; coordinators run the
# cohorts they coordinate (fellows, applications, stages); admins run every cohort.
_PIPELINE_READ = ["engagements.view_cohort"]
_PIPELINE_WRITE = [
    "engagements.add_cohort",
    "engagements.change_cohort",
    "engagements.add_fellow",
    "engagements.change_fellow",
    "engagements.add_boardapplication",
    "engagements.change_boardapplication",
]

ROLE_PERMISSIONS = {
    Role.STAFF: [*_LOG, *_SEE_ALL, *_EQUITY_READ, *_PIPELINE_READ],
    Role.COORDINATOR: [*_LOG, *_SEE_ALL, *_MANAGE, *_EQUITY_READ, *_EQUITY_WRITE, *_PIPELINE_READ, *_PIPELINE_WRITE],
    Role.ADMIN: [
        *_LOG,
        *_SEE_ALL,
        *_MANAGE,
        *_LISTS,
        *_REMINDERS_ADMIN,
        "engagements.delete_engagement",
        *_EQUITY_READ,
        *_EQUITY_WRITE,
        *_EQUITY_ADMIN,
        *_PIPELINE_READ,
        *_PIPELINE_WRITE,
        "engagements.manage_all_cohorts",
    ],
    Role.LIAISON: [*_LOG],
}
