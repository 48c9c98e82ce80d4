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
}

# Rows owned by their creator: status for a second user of the owner's role (GET, POST).
OTHER: dict[str, tuple[str, int, int]] = {}

# Django's admin (the back office) has its own permission checks. For every one
# of its patterns: anyone who is not an admin is sent to its sign-in page
# (which is itself open to all, and signs in only staff accounts).
ADMIN_NAMESPACE_NON_ADMIN_STATUS = 302
ADMIN_OPEN_PAGES = {"admin:login", "admin:logout"}
