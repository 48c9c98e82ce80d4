"""Which coalition permissions each role holds (merged by stakeholders.roles).

Coordinators manage the coalitions they coordinate (``coordinate_coalition``);
staff view every coalition; admins manage everything; liaisons view the
coalitions they are members of but not the ally map's stances.
"""

from stakeholders.roles import Role

ROLE_PERMISSIONS = {
    Role.STAFF: [
        "coalition.view_coalition",
        "coalition.view_all_coalitions",
        "coalition.view_allystance",
    ],
    Role.COORDINATOR: [
        "coalition.view_coalition",
        "coalition.add_coalition",
        "coalition.coordinate_coalition",
        "coalition.view_allystance",
    ],
    Role.ADMIN: [
        "coalition.view_coalition",
        "coalition.add_coalition",
        "coalition.change_coalition",
        "coalition.view_all_coalitions",
        "coalition.manage_all_coalitions",
        "coalition.view_allystance",
        "coalition.view_risksettings",
        "coalition.change_risksettings",
    ],
    Role.LIAISON: [
        "coalition.view_coalition",
    ],
}
