"""The permission matrix: every URL pattern of the project, and the status each
role gets for GET and for POST.

A test walks the URL resolver and fails on any pattern without a row here, so
a new page cannot ship without saying who may open it. Each row is then checked
against live requests with real records (see test_permission_matrix.py).

Columns, in order: anonymous, staff, coordinator, admin, liaison.
``OTHER`` lists rows whose record belongs to the user who created it: the
status a second user of the same role gets (GET, POST).
A POST carries no form data: a form view answers 200 with its errors and
changes nothing.
"""

ROLES = ("anonymous", "staff", "coordinator", "admin", "liaison")

# url name (or route for unnamed patterns): (GET statuses, POST statuses)
MATRIX: dict[str, tuple[str, str]] = {
    # --- Project -----------------------------------------------------------------
    "home": ("302 200 200 200 200", "405 405 405 405 405"),
    "healthz": ("200 200 200 200 200", "405 405 405 405 405"),
    "favicon.ico": ("301 301 301 301 301", "301 301 301 301 301"),
    # --- Accounts ----------------------------------------------------------------
    "login": ("200 302 302 302 302", "200 302 302 302 302"),
    "logout": ("405 405 405 405 405", "302 302 302 302 302"),
    "password_change": ("302 200 200 200 200", "302 200 200 200 200"),
    "password_change_done": ("302 200 200 200 200", "302 405 405 405 405"),
    "password_reset": ("200 200 200 200 200", "200 200 200 200 200"),
    "password_reset_done": ("200 200 200 200 200", "405 405 405 405 405"),
    "password_reset_confirm": ("302 302 302 302 302", "302 302 302 302 302"),
    "password_reset_complete": ("200 200 200 200 200", "405 405 405 405 405"),
    # --- User management and security log (admins) ---------------------------------
    "stakeholders:user_list": ("302 403 403 200 403", "405 405 405 405 405"),
    "stakeholders:user_create": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:user_edit": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:security_log": ("302 403 403 200 403", "405 405 405 405 405"),
    # --- People and organizations (issue 3) -----------------------------------------
    "stakeholders:person_list": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:person_export": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:person_create": ("302 200 200 200 403", "302 200 200 200 403"),
    "stakeholders:person_quick_add": ("302 200 200 200 403", "302 200 200 200 403"),
    "stakeholders:person_search": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:person_detail": ("302 200 200 200 404", "302 200 200 200 404"),
    "stakeholders:person_edit": ("302 200 200 200 404", "302 200 200 200 404"),
    "stakeholders:person_demographics": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:person_merge": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:affiliation_add": ("302 200 200 200 404", "302 200 200 200 404"),
    "stakeholders:affiliation_end": ("302 405 405 405 405", "302 302 302 302 404"),
    "stakeholders:organization_list": ("302 200 200 200 403", "302 200 200 200 403"),
    "stakeholders:organization_export": ("302 200 200 200 403", "302 200 200 200 403"),
    "stakeholders:organization_create": ("302 200 200 200 403", "302 200 200 200 403"),
    "stakeholders:organization_detail": ("302 200 200 200 403", "302 200 200 200 403"),
    "stakeholders:organization_edit": ("302 200 200 200 403", "302 200 200 200 403"),
    "stakeholders:organization_member_add": ("302 200 200 200 403", "302 200 200 200 403"),
    "stakeholders:neighborhood_list": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:neighborhood_create": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:neighborhood_edit": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:import_upload": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:import_template": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:import_preview": ("302 403 403 302 403", "302 403 403 302 403"),
    # --- Government structure and relationships (issue 3) ------------------------------
    "stakeholders:department_list": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:department_create": ("302 403 200 200 403", "302 403 200 200 403"),
    "stakeholders:department_detail": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:department_edit": ("302 403 200 200 403", "302 403 200 200 403"),
    "stakeholders:department_csv": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:position_create": ("302 403 200 200 403", "302 403 200 200 403"),
    "stakeholders:position_detail": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:position_edit": ("302 403 200 200 403", "302 403 200 200 403"),
    "stakeholders:position_change": ("302 403 200 200 403", "302 403 200 200 403"),
    "stakeholders:election_list": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:election_csv": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:election_create": ("302 403 200 200 403", "302 403 200 200 403"),
    "stakeholders:election_detail": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:election_edit": ("302 403 200 200 403", "302 403 200 200 403"),
    "stakeholders:person_positions_panel": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:relationship_list": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:relationship_create": ("302 403 200 200 403", "302 403 200 200 403"),
    "stakeholders:relationship_detail": ("302 200 200 200 404", "302 200 200 200 404"),
    "stakeholders:relationship_edit": ("302 403 200 200 403", "302 403 200 200 403"),
    "stakeholders:relationship_end": ("302 403 200 200 403", "302 403 200 200 403"),
    "stakeholders:person_relationships_panel": ("302 200 200 200 200", "302 200 200 200 200"),
}

# Rows owned by their creator: status for a second user of the owner's role (GET, POST).
OTHER: dict[str, tuple[str, int, int]] = {
    # Staff edit the people and organizations they created, not a colleague's.
    "stakeholders:person_edit": ("staff", 403, 403),
    "stakeholders:affiliation_add": ("staff", 403, 403),
    "stakeholders:affiliation_end": ("staff", 405, 403),
    "stakeholders:organization_edit": ("staff", 403, 403),
    "stakeholders:organization_member_add": ("staff", 403, 403),
}

# Django's admin (the back office) has its own permission checks. For every one
# of its patterns: anyone who is not an admin is sent to its sign-in page
# (which is itself open to all, and signs in only staff accounts).
ADMIN_NAMESPACE_NON_ADMIN_STATUS = 302
ADMIN_OPEN_PAGES = {"admin:login", "admin:logout"}
