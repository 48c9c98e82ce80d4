"""Which engagements permissions each role holds (merged by ``stakeholders.roles``)."""

from stakeholders.roles import Role

ROLE_PERMISSIONS = {
    Role.STAFF: [],
    Role.COORDINATOR: [],
    Role.ADMIN: [
        # Reminders: hand over a departed user's work, and tune the rules.
        "engagements.add_handover",
        "engagements.view_handover",
        "engagements.change_remindersettings",
    ],
    Role.LIAISON: [],
}
