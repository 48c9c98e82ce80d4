"""The page table the benchmark harness measures: one ``Page`` row per page.

The harness (benchmarks/harness.py) knows nothing about any page; everything it
needs is here. To benchmark a new page, append one ``Page(...)`` to ``PAGES``:

``name``
    Unique short name, used in ``--pages``, the output table, the JSON file and
    budgets.py (e.g. ``"people_list"``).
``kind``
    Which latency budget applies (see ``benchmarks/budgets.py``): ``"list"``,
    ``"detail"``, ``"page"`` (other HTML pages) — all 60 ms; ``"search"`` 100 ms;
    ``"map"`` 150 ms; ``"submit"`` (a form POST) 200 ms; ``"json"`` 300 ms and
    under 1 MB. The page/floor ratio budget (10x) applies to list, detail and search.
``path``
    The URL path with query string. ``{name}`` placeholders are filled from the
    columns of the ``lookup`` row, e.g. ``"/people/{id}/"``.
``lookup``
    Optional SQL returning one row whose column names fill the ``path``
    placeholders and the floor/data parameters (e.g. ``"SELECT id FROM
    stakeholders_person ORDER BY id LIMIT 1"``). When it returns no row the page
    is reported as skipped ("no data"), which ``--check-budgets`` counts as a breach.
``floor``
    SQL fetching the same rows the page shows (same filter, order and page
    size), run through psycopg2 and escaped into minimal HTML to give the floor
    the page is compared with. Parameters use psycopg2's ``%(name)s`` style and
    come from ``params``, the lookup row, and ``username`` (the signed-in user);
    because parameters are always passed, a literal ``%`` must be written ``%%``.
``params``
    Constant parameters for ``floor`` and ``data`` (e.g. a search pattern).
``method``
    ``"GET"`` (default) or ``"POST"``. POST pages send ``data`` as a form; the
    harness adds the CSRF token. Values in ``data`` may hold ``{name}``
    placeholders filled like ``path``.
``role``
    Whose session to use: a demo username (``"admin"``, ``"staff"``,
    ``"coordinator"``, ``"liaison"``; the demo password is ``coalition-demo``) or
    ``None`` for an anonymous visitor. ``--username``/``--password`` replace the
    credentials of every ``"admin"`` row.
``expect``
    The HTTP status every measured request must return (200, or 302 for a form
    that redirects after a successful POST). Anything else counts as an error.
``load``
    True for the pages the concurrent load phase runs by default (``--load-pages``
    overrides). The issue's load budget is on ``people_list`` at 4 clients.

Example for the people list, once the people pages are merged::

    Page(
        name="people_list",
        kind="list",
        path="/people/",
        role="staff",
        floor="SELECT id, first_name, last_name, email FROM stakeholders_person "
        "ORDER BY last_name, first_name LIMIT 50",
        load=True,
    ),

and a detail page with a looked-up id::

    Page(
        name="person_detail",
        kind="detail",
        path="/people/{id}/",
        role="staff",
        lookup="SELECT id FROM stakeholders_person ORDER BY id LIMIT 1",
        floor="SELECT id, first_name, last_name, email FROM stakeholders_person WHERE id = %(id)s",
    ),

A test (tests/benchmarks/test_harness.py) runs every ``lookup`` and ``floor``
against the demo city, so a typo in a new row fails the suite.

Standard library only: the harness imports this module without Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("list", "detail", "page", "search", "map", "submit", "json")


@dataclass(frozen=True)
class Page:
    name: str
    kind: str
    path: str
    floor: str
    role: str | None = "admin"
    lookup: str | None = None
    params: dict = field(default_factory=dict)
    method: str = "GET"
    data: dict = field(default_factory=dict)
    expect: int = 200
    load: bool = False

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Page {self.name!r}: kind must be one of {KINDS}, not {self.kind!r}.")
        if self.method not in ("GET", "POST"):
            raise ValueError(f"Page {self.name!r}: method must be GET or POST, not {self.method!r}.")


# The rows of the user list and its search: users with their roles, in the list's order.
_USER_ROWS = (
    "SELECT u.id, u.first_name, u.last_name, u.username, u.email, u.is_active,"
    " string_agg(g.name, ', ' ORDER BY g.name) AS roles, count(*) OVER () AS total"
    " FROM stakeholders_user u"
    " LEFT JOIN stakeholders_user_groups ug ON ug.user_id = u.id"
    " LEFT JOIN auth_group g ON g.id = ug.group_id"
)
_USER_ORDER = " GROUP BY u.id ORDER BY u.last_name, u.first_name, u.username LIMIT 50"

PAGES: list[Page] = [
    Page(
        name="home",
        kind="page",
        path="/",
        floor=(
            "SELECT u.first_name, u.username, g.name FROM stakeholders_user u"
            " LEFT JOIN stakeholders_user_groups ug ON ug.user_id = u.id"
            " LEFT JOIN auth_group g ON g.id = ug.group_id"
            " WHERE u.username = %(username)s ORDER BY g.name"
        ),
    ),
    Page(
        name="user_list",
        kind="list",
        path="/users/",
        floor=_USER_ROWS + _USER_ORDER,
        load=True,
    ),
    Page(
        name="user_search",
        kind="search",
        path="/users/?q=ad",
        params={"pattern": "%ad%"},
        floor=(
            _USER_ROWS + " WHERE u.username ILIKE %(pattern)s OR u.first_name ILIKE %(pattern)s"
            " OR u.last_name ILIKE %(pattern)s OR u.email ILIKE %(pattern)s" + _USER_ORDER
        ),
    ),
    Page(
        name="security_log",
        kind="list",
        path="/security-log/",
        floor=(
            "SELECT occurred_at, actor_username, action, object_type, object_id, path, ip_address"
            " FROM stakeholders_securityevent ORDER BY occurred_at DESC, id DESC LIMIT 100"
        ),
    ),
    Page(
        name="login_page",
        kind="page",
        path="/accounts/login/",
        role=None,
        # The sign-in form shows no rows: the floor is one round trip to the database.
        floor="SELECT 1",
    ),
]


def by_name() -> dict[str, Page]:
    """The table keyed by page name; a duplicate name is an error."""
    table: dict[str, Page] = {}
    for page in PAGES:
        if page.name in table:
            raise ValueError(f"Two rows in benchmarks/pages.py are named {page.name!r}.")
        table[page.name] = page
    return table
