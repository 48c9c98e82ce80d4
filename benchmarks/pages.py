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
    under 1 MB; ``"api"`` (a REST API page) 60 ms (``budgets.P95_MS_BY_PAGE`` holds
    some pages to less); ``"dashboard"`` (a page adding up a year of the city) 150 ms.
    The page/floor ratio budget (10x) applies to every kind but ``"submit"``.
``path``
    The URL path with query string. ``{name}`` placeholders are filled from the
    columns of the ``lookup`` row, e.g. ``"/people/{id}/"``.
``lookup``
    Optional SQL returning one row whose column names fill the ``path``
    placeholders and the floor/data parameters (e.g. ``"SELECT id FROM
    stakeholders_person ORDER BY id LIMIT 1"``). When it returns no row the page
    is reported as skipped ("no data"), which ``--check-budgets`` counts as a breach.
``floor``
    SQL fetching what the page shows of the records it lists (same filter, order and
    page size): each row's shown fields and related names, and the total the page
    reports ("50,000 people"), not the page's menus or filter choices. The harness
    runs it through psycopg2, escapes the rows into minimal HTML and serves that over
    the same HTTP stack (benchmarks/floor_app.py): the floor the page is compared with.
    Parameters use psycopg2's ``%(name)s`` style and
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

KINDS = ("list", "detail", "panel", "page", "search", "map", "submit", "json", "api", "dashboard")


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

# The rows of the relationship list and its search: both ends, the owner and the total.
_RELATIONSHIP_ROWS = (
    "SELECT r.id, r.kind, r.strength, r.end_date, p.first_name, p.last_name, q.first_name, q.last_name,"
    " o.name, u.first_name, u.last_name, u.username, (SELECT count(*) FROM stakeholders_relationship) AS total"
    " FROM stakeholders_relationship r JOIN stakeholders_person p ON p.id = r.person_id"
    " LEFT JOIN stakeholders_person q ON q.id = r.other_person_id"
    " LEFT JOIN stakeholders_organization o ON o.id = r.organization_id"
    " LEFT JOIN stakeholders_user u ON u.id = r.owner_id"
)

# The messenger panel's floor: the people one edge from ``src.id`` (relationships either way, and
# people sharing an organization), current only, read along the same indexes as the panel.
_MESSENGER_EDGES = (
    "SELECT r.other_person_id AS dest, r.strength, r.id AS rel, NULL::bigint AS org FROM stakeholders_relationship r"
    " WHERE r.person_id = src.id AND r.other_person_id IS NOT NULL"
    " AND (r.end_date IS NULL OR r.end_date > current_date)"
    " UNION ALL SELECT r.person_id, r.strength, r.id, NULL FROM stakeholders_relationship r"
    " WHERE r.other_person_id = src.id AND (r.end_date IS NULL OR r.end_date > current_date)"
    " UNION ALL SELECT m.person_id, least(o.strength, m.strength), NULL, o.organization_id FROM ("
    "SELECT organization_id, 2 AS strength FROM stakeholders_affiliation"
    " WHERE person_id = src.id AND (end_date IS NULL OR end_date > current_date)"
    " UNION ALL SELECT organization_id, strength FROM stakeholders_relationship"
    " WHERE person_id = src.id AND organization_id IS NOT NULL AND (end_date IS NULL OR end_date > current_date)) o"
    " JOIN LATERAL (SELECT person_id, 2 AS strength FROM stakeholders_affiliation"
    " WHERE organization_id = o.organization_id"
    " AND person_id <> src.id AND (end_date IS NULL OR end_date > current_date)"
    " UNION ALL SELECT person_id, strength FROM stakeholders_relationship WHERE organization_id = o.organization_id"
    " AND person_id <> src.id AND (end_date IS NULL OR end_date > current_date)) m ON true"
)
# The ten messengers the panel shows: name, steps, strength, last contact, liaison or not, and the
# people, relationship kinds and organizations of their path.
_MESSENGER_ROWS = (
    "WITH s1 AS MATERIALIZED (SELECT DISTINCT ON (e.dest) e.dest AS id, e.strength, e.rel, e.org"
    " FROM (SELECT %(id)s::bigint AS id) src CROSS JOIN LATERAL (EDGES) e ORDER BY e.dest, e.strength DESC, e.rel),"
    " paths AS (SELECT id, strength, 1 AS steps, NULL::bigint AS via, rel, org, NULL::bigint AS far_rel,"
    " NULL::bigint AS far_org FROM s1"
    " UNION ALL SELECT e.dest, least(src.strength, e.strength), 2, src.id, e.rel, e.org, src.rel, src.org"
    " FROM s1 src CROSS JOIN LATERAL (EDGES) e WHERE e.dest <> %(id)s),"
    " best AS (SELECT DISTINCT ON (id) * FROM paths ORDER BY id, strength DESC, steps)"
    " SELECT p.id, p.first_name, p.last_name, p.last_contact_on, b.steps, b.strength, l.id IS NOT NULL AS liaison,"
    " v.first_name, v.last_name, r.kind, r.person_id, o.name, fr.kind, fr.person_id, fo.name"
    " FROM best b JOIN stakeholders_person p ON p.id = b.id JOIN stakeholders_person t ON t.id = %(id)s"
    " LEFT JOIN stakeholders_liaisonprofile l ON l.person_id = p.id"
    " LEFT JOIN stakeholders_person v ON v.id = b.via"
    " LEFT JOIN stakeholders_relationship r ON r.id = b.rel LEFT JOIN stakeholders_organization o ON o.id = b.org"
    " LEFT JOIN stakeholders_relationship fr ON fr.id = b.far_rel"
    " LEFT JOIN stakeholders_organization fo ON fo.id = b.far_org"
    " WHERE p.preferred_language_id = t.preferred_language_id"
    " OR t.preferred_language_id = ANY (ARRAY(SELECT language_id FROM stakeholders_person_languages"
    " WHERE person_id = p.id))"
    " OR t.preferred_language_id = ANY (ARRAY(SELECT language_id FROM stakeholders_liaisonprofile_languages"
    " WHERE liaisonprofile_id = l.id))"
    " ORDER BY b.strength DESC, p.last_contact_on DESC NULLS LAST, p.last_name, p.first_name, p.id LIMIT 10"
).replace("EDGES", _MESSENGER_EDGES)

PAGES: list[Page] = [
    Page(
        name="home",
        kind="page",
        path="/",
        # What the home page shows: the first ten open follow-ups, the commitments due by the
        # end of the month, and the term ends and elections of the next 180 days that touch
        # the people the user has relationships with (the admin's home; home_staff below is a
        # staff user's, who has fewer of them).
        floor=(
            "WITH me AS (SELECT id FROM stakeholders_user WHERE username = %(username)s)"
            " (SELECT f.id, f.title AS text, f.due_on AS day FROM engagements_followup f, me"
            " WHERE f.user_id = me.id AND f.status IN ('open', 'snoozed') ORDER BY f.due_on, f.id LIMIT 10)"
            " UNION ALL (SELECT c.id, c.description, c.due_on FROM engagements_commitment c, me"
            " WHERE c.owner_id = me.id AND c.status NOT IN ('done', 'declined')"
            " AND c.due_on < date_trunc('month', current_date) + interval '1 month' ORDER BY c.due_on, c.id LIMIT 50)"
            " UNION ALL (SELECT t.id, pe.last_name || ', ' || po.title, t.planned_end_date"
            " FROM stakeholders_tenure t JOIN stakeholders_person pe ON pe.id = t.person_id"
            " JOIN stakeholders_position po ON po.id = t.position_id"
            " WHERE t.actual_end_date IS NULL AND t.planned_end_date BETWEEN current_date AND current_date + 180"
            " AND (EXISTS (SELECT 1 FROM stakeholders_relationship r, me WHERE r.owner_id = me.id"
            " AND (r.end_date IS NULL OR r.end_date >= current_date) AND r.person_id = t.person_id)"
            " OR EXISTS (SELECT 1 FROM stakeholders_relationship r, me WHERE r.owner_id = me.id"
            " AND (r.end_date IS NULL OR r.end_date >= current_date) AND r.other_person_id = t.person_id))"
            " ORDER BY t.planned_end_date, t.id LIMIT 50)"
            " UNION ALL (SELECT e.id, e.name || ': ' || po.title, e.date FROM stakeholders_election e"
            " JOIN stakeholders_election_positions ep ON ep.election_id = e.id"
            " JOIN stakeholders_position po ON po.id = ep.position_id"
            " JOIN stakeholders_tenure t ON t.position_id = po.id AND t.actual_end_date IS NULL"
            " WHERE e.date BETWEEN current_date AND current_date + 180"
            " AND (EXISTS (SELECT 1 FROM stakeholders_relationship r, me WHERE r.owner_id = me.id"
            " AND (r.end_date IS NULL OR r.end_date >= current_date) AND r.person_id = t.person_id)"
            " OR EXISTS (SELECT 1 FROM stakeholders_relationship r, me WHERE r.owner_id = me.id"
            " AND (r.end_date IS NULL OR r.end_date >= current_date) AND r.other_person_id = t.person_id))"
            " ORDER BY e.date)"
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
    # --- The main pages of issue 9 -------------------------------------------------
    Page(
        name="people_list",
        kind="list",
        path="/people/",
        role="staff",
        # What each row shows (name, pronouns, email, current organizations, neighborhood,
        # languages, tags) and the total the page reports.
        floor=(
            "SELECT p.id, p.first_name, p.last_name, p.preferred_name, p.pronouns, p.email, n.name AS neighborhood,"
            " ARRAY(SELECT o.name FROM stakeholders_affiliation a JOIN stakeholders_organization o"
            " ON o.id = a.organization_id WHERE a.person_id = p.id AND a.end_date IS NULL) AS organizations,"
            " ARRAY(SELECT l.name FROM stakeholders_person_languages x JOIN stakeholders_language l"
            " ON l.code = x.language_id WHERE x.person_id = p.id) AS languages,"
            " ARRAY(SELECT t.name FROM stakeholders_person_tags x JOIN stakeholders_tag t"
            " ON t.id = x.tag_id WHERE x.person_id = p.id) AS tags,"
            " (SELECT count(*) FROM stakeholders_person) AS total"
            " FROM stakeholders_person p LEFT JOIN stakeholders_neighborhood n ON n.id = p.neighborhood_id"
            " ORDER BY p.last_name, p.first_name, p.id LIMIT 50"
        ),
        load=True,
    ),
    Page(
        name="person_detail",
        kind="detail",
        path="/people/{id}/",
        role="staff",
        # A person who attended engagements and has relationships, so every panel has rows.
        lookup=(
            "SELECT p.id FROM stakeholders_person p ORDER BY"
            " EXISTS (SELECT 1 FROM engagements_attendance a WHERE a.person_id = p.id) DESC, p.id LIMIT 1"
        ),
        floor=(
            "SELECT p.id, p.first_name, p.last_name, p.email, p.phone, e.title, e.starts_at"
            " FROM stakeholders_person p"
            " LEFT JOIN engagements_attendance a ON a.person_id = p.id"
            " LEFT JOIN engagements_engagement e ON e.id = a.engagement_id"
            " WHERE p.id = %(id)s ORDER BY e.starts_at DESC LIMIT 20"
        ),
    ),
    Page(
        name="people_search",
        kind="search",
        # A last name that also occurs in email addresses and organization names.
        path="/people/?q=okafor",
        role="staff",
        params={"pattern": "%okafor%"},
        floor=(
            # The first page of matches by plain LIKE on the search entries (no typo tolerance),
            # with the number of all matches, then those 50 people's names and emails.
            "SELECT p.id, p.first_name, p.last_name, p.email, m.total FROM ("
            "SELECT e.person_id, e.last_name, e.first_name, count(*) OVER () AS total"
            " FROM stakeholders_personsearchentry e WHERE e.document LIKE %(pattern)s"
            " ORDER BY e.last_name, e.first_name, e.person_id LIMIT 50) m"
            " JOIN stakeholders_person p ON p.id = m.person_id ORDER BY m.last_name, m.first_name, m.person_id"
        ),
    ),
    Page(
        name="organizations_list",
        kind="list",
        path="/organizations/",
        role="staff",
        # What each row shows (name, sector, partner, neighborhoods, languages, tags) and the total.
        floor=(
            "SELECT g.id, g.name, g.kind, g.is_partner,"
            " ARRAY(SELECT n.name FROM stakeholders_organization_neighborhoods x JOIN stakeholders_neighborhood n"
            " ON n.id = x.neighborhood_id WHERE x.organization_id = g.id) AS neighborhoods,"
            " ARRAY(SELECT l.name FROM stakeholders_organization_languages x JOIN stakeholders_language l"
            " ON l.code = x.language_id WHERE x.organization_id = g.id) AS languages,"
            " ARRAY(SELECT t.name FROM stakeholders_organization_tags x JOIN stakeholders_tag t"
            " ON t.id = x.tag_id WHERE x.organization_id = g.id) AS tags,"
            " (SELECT count(*) FROM stakeholders_organization) AS total"
            " FROM stakeholders_organization g ORDER BY g.name, g.id LIMIT 50"
        ),
    ),
    Page(
        name="engagements_list",
        kind="list",
        path="/engagements/",
        role="staff",
        floor=(
            # What each row shows (date, title, kind, neighborhood, languages, hosts, attendance,
            # commitments) and the total the page reports.
            "SELECT e.id, e.title, e.kind, e.starts_at, e.attendance_total, n.name AS neighborhood,"
            " ARRAY(SELECT l.name FROM engagements_engagement_languages x JOIN stakeholders_language l"
            " ON l.code = x.language_id WHERE x.engagement_id = e.id) AS languages,"
            " ARRAY(SELECT o.name FROM engagements_engagement_host_organizations x JOIN stakeholders_organization o"
            " ON o.id = x.organization_id WHERE x.engagement_id = e.id) AS hosts,"
            " (SELECT count(*) FROM engagements_commitment c WHERE c.engagement_id = e.id) AS commitments,"
            " (SELECT count(*) FROM engagements_engagement WHERE status = 'logged') AS total"
            " FROM engagements_engagement e LEFT JOIN stakeholders_neighborhood n ON n.id = e.neighborhood_id"
            " WHERE e.status = 'logged' ORDER BY e.starts_at DESC NULLS LAST, e.id DESC LIMIT 50"
        ),
        load=True,
    ),
    Page(
        name="engagement_detail",
        kind="detail",
        path="/engagements/{id}/",
        role="staff",
        lookup=(
            "SELECT e.id FROM engagements_engagement e WHERE e.status = 'logged'"
            " AND e.id IN (SELECT engagement_id FROM engagements_attendance)"
            " ORDER BY e.starts_at DESC NULLS LAST, e.id DESC LIMIT 1"
        ),
        # Everything the page shows: the engagement with its place, coalition and author; the
        # names of its languages, interpretation, hosts, facilitators and departments; the
        # attendance breakdowns and named attendees; the input with themes; the commitments
        # with owner, department, due date, status and loop-back count.
        floor=(
            "SELECT e.title, e.kind, e.starts_at, e.ends_at, e.location, e.accessibility, e.summary,"
            " e.attendance_total, n.name, c.name, u.first_name, u.last_name,"
            " ARRAY(SELECT l.name FROM engagements_engagement_languages x JOIN stakeholders_language l"
            " ON l.code = x.language_id WHERE x.engagement_id = e.id),"
            " ARRAY(SELECT l.name FROM engagements_engagement_interpretation_languages x JOIN stakeholders_language l"
            " ON l.code = x.language_id WHERE x.engagement_id = e.id),"
            " ARRAY(SELECT o.name FROM engagements_engagement_host_organizations x JOIN stakeholders_organization o"
            " ON o.id = x.organization_id WHERE x.engagement_id = e.id),"
            " ARRAY(SELECT p.first_name || ' ' || p.last_name FROM engagements_engagement_facilitator_people x"
            " JOIN stakeholders_person p ON p.id = x.person_id WHERE x.engagement_id = e.id),"
            " ARRAY(SELECT f.first_name || ' ' || f.last_name FROM engagements_engagement_facilitator_users x"
            " JOIN stakeholders_user f ON f.id = x.user_id WHERE x.engagement_id = e.id),"
            " ARRAY(SELECT d.name FROM engagements_engagement_departments x JOIN stakeholders_department d"
            " ON d.id = x.department_id WHERE x.engagement_id = e.id),"
            " ARRAY(SELECT k.name || ' · ' || o.label || ': ' || b.count FROM engagements_attendancebreakdown b"
            " JOIN engagements_breakdownoption o ON o.id = b.option_id"
            " JOIN engagements_breakdowncategory k ON k.id = o.category_id WHERE b.engagement_id = e.id),"
            " ARRAY(SELECT p.first_name || ' ' || p.last_name FROM engagements_attendance a"
            " JOIN stakeholders_person p ON p.id = a.person_id WHERE a.engagement_id = e.id),"
            " ARRAY(SELECT i.text || ' x' || i.count_raised || ' ' || coalesce((SELECT string_agg(t.name, ', ')"
            " FROM engagements_inputitem_themes it JOIN engagements_theme t ON t.id = it.theme_id"
            " WHERE it.inputitem_id = i.id), '') FROM engagements_inputitem i WHERE i.engagement_id = e.id"
            " ORDER BY i.id),"
            " ARRAY(SELECT m.description || ' ' || coalesce(w.first_name || ' ' || w.last_name, '')"
            " || ' ' || coalesce(d.name, '') || ' ' || coalesce(m.due_on::text, '') || ' ' || m.status"
            " || ' ' || (SELECT count(*) FROM engagements_loopback b WHERE b.commitment_id = m.id)"
            " FROM engagements_commitment m LEFT JOIN stakeholders_user w ON w.id = m.owner_id"
            " LEFT JOIN stakeholders_department d ON d.id = m.department_id WHERE m.engagement_id = e.id"
            " ORDER BY m.id)"
            " FROM engagements_engagement e LEFT JOIN stakeholders_neighborhood n ON n.id = e.neighborhood_id"
            " LEFT JOIN coalition_coalition c ON c.id = e.coalition_id"
            " LEFT JOIN stakeholders_user u ON u.id = e.created_by_id"
            " WHERE e.id = %(id)s"
        ),
    ),
    Page(
        name="quick_log_submit",
        kind="submit",
        method="POST",
        path="/engagements/log/",
        role="staff",
        expect=302,
        # 20 named attendees, and the staff user as the owner of the commitments.
        lookup=(
            "SELECT (SELECT array_agg(id) FROM (SELECT id FROM stakeholders_person ORDER BY id LIMIT 20) p)"
            " AS attendees, (SELECT id FROM stakeholders_user WHERE username = 'staff') AS owner"
        ),
        data={
            "kind": "listening_session",
            "title": "Benchmark listening session",
            "date": "2026-01-15",
            "start_time": "18:00",
            "end_time": "19:30",
            "location": "Northside Library",
            "attendance_total": "40",
            "summary": "Residents talked about the bus line and the library hours.",
            "action": "log",
            "attendees": "{attendees}",
            "breakdown-TOTAL_FORMS": "0",
            "breakdown-INITIAL_FORMS": "0",
            "input-TOTAL_FORMS": "10",
            "input-INITIAL_FORMS": "0",
            **{f"input-{n}-text": f"Residents raised point {n + 1} about the bus line" for n in range(10)},
            **{f"input-{n}-count_raised": str(n + 1) for n in range(10)},
            "commitment-TOTAL_FORMS": "3",
            "commitment-INITIAL_FORMS": "0",
            **{f"commitment-{n}-description": f"Report back on point {n + 1}" for n in range(3)},
            **{f"commitment-{n}-owner": "{owner}" for n in range(3)},
            **{f"commitment-{n}-answers": str(n + 1) for n in range(3)},
        },
        # What a submit writes: the engagement, 10 items, 20 attendances, 3 commitments.
        floor=(
            "SELECT e.id, (SELECT count(*) FROM engagements_inputitem i WHERE i.engagement_id = e.id),"
            " (SELECT count(*) FROM engagements_attendance a WHERE a.engagement_id = e.id)"
            " FROM engagements_engagement e ORDER BY e.id DESC LIMIT 1"
        ),
    ),
    Page(
        name="commitments_list",
        kind="list",
        path="/engagements/commitments/",
        role="staff",
        floor=(
            "SELECT c.id, c.description, c.status, c.due_on, e.title, u.first_name, u.last_name, d.name,"
            " (SELECT count(*) FROM engagements_loopback b WHERE b.commitment_id = c.id) AS loop_backs,"
            " (SELECT count(*) FROM engagements_commitment) AS total"
            " FROM engagements_commitment c JOIN engagements_engagement e ON e.id = c.engagement_id"
            " LEFT JOIN stakeholders_user u ON u.id = c.owner_id"
            " LEFT JOIN stakeholders_department d ON d.id = c.department_id"
            " ORDER BY c.due_on ASC NULLS LAST, c.id LIMIT 50"
        ),
    ),
    Page(
        name="ally_map",
        kind="map",
        path="/coalitions/{id}/allies/",
        role="staff",
        lookup=(
            "SELECT coalition_id AS id FROM coalition_allystance"
            " GROUP BY coalition_id ORDER BY count(*) DESC, coalition_id LIMIT 1"
        ),
        floor=(
            "SELECT s.id, s.stance, s.influence, p.first_name, p.last_name, u.username"
            " FROM coalition_allystance s JOIN stakeholders_person p ON p.id = s.person_id"
            " LEFT JOIN stakeholders_user u ON u.id = s.owner_id"
            " WHERE s.coalition_id = %(id)s ORDER BY p.last_name, p.first_name"
        ),
    ),
    Page(
        name="ally_graph_json",
        kind="json",
        path="/coalitions/{id}/allies/graph.json",
        role="staff",
        lookup=(
            "SELECT coalition_id AS id FROM coalition_allystance"
            " GROUP BY coalition_id ORDER BY count(*) DESC, coalition_id LIMIT 1"
        ),
        floor=(
            "SELECT s.person_id, p.first_name, p.last_name, s.stance, s.influence, s.owner_id"
            " FROM coalition_allystance s JOIN stakeholders_person p ON p.id = s.person_id"
            " WHERE s.coalition_id = %(id)s"
            " UNION ALL SELECT r.person_id, '', '', '', '', r.other_person_id FROM stakeholders_relationship r"
            " JOIN coalition_allystance a ON a.person_id = r.person_id AND a.coalition_id = %(id)s"
            " JOIN coalition_allystance b ON b.person_id = r.other_person_id AND b.coalition_id = %(id)s"
        ),
    ),
    Page(
        name="followup_inbox",
        kind="list",
        path="/engagements/followups/",
        role="staff",
        floor=(
            "SELECT f.id, f.title, f.reason, f.due_on, f.status,"
            " (SELECT count(*) FROM engagements_followup t JOIN stakeholders_user v ON v.id = t.user_id"
            " WHERE v.username = %(username)s) AS total"
            " FROM engagements_followup f"
            " JOIN stakeholders_user u ON u.id = f.user_id WHERE u.username = %(username)s"
            " ORDER BY CASE WHEN f.status = 'open' THEN 0 WHEN f.status = 'snoozed' THEN 1 ELSE 2 END,"
            " f.due_on, f.id LIMIT 50"
        ),
    ),
    Page(
        name="payments_ledger",
        kind="list",
        path="/stipends/payments/",
        role="admin",
        floor=(
            "SELECT y.id, y.period_start, y.period_end, y.amount, y.status, p.first_name, p.last_name,"
            " sum(y.amount) OVER () AS total"
            " FROM stakeholders_stipendpayment y"
            " JOIN stakeholders_stipendagreement a ON a.id = y.agreement_id"
            " JOIN stakeholders_liaisonprofile l ON l.id = a.liaison_id"
            " JOIN stakeholders_person p ON p.id = l.person_id"
            " ORDER BY y.period_start DESC, y.id DESC LIMIT 50"
        ),
    ),
    # --- Lists found slow by benchmarks/list_filters.py (joins that grew with the city) ---
    Page(
        name="relationship_list",
        kind="list",
        path="/relationships/",
        role="staff",
        # Both people (or the organization), kind, strength, owner and status, and the total.
        floor=_RELATIONSHIP_ROWS + " ORDER BY r.strength DESC, r.id LIMIT 50",
    ),
    Page(
        name="relationship_search",
        kind="search",
        path="/relationships/?q=okafor",
        role="staff",
        params={"pattern": "%okafor%"},
        # Either person's search entry or the organization's name, by plain LIKE (no typo tolerance).
        floor=(
            "SELECT r.id, r.kind, r.strength, r.end_date, p.first_name, p.last_name, q.first_name, q.last_name,"
            " o.name, u.first_name, u.last_name, u.username, count(*) OVER () AS total"
            " FROM stakeholders_relationship r JOIN stakeholders_person p ON p.id = r.person_id"
            " LEFT JOIN stakeholders_person q ON q.id = r.other_person_id"
            " LEFT JOIN stakeholders_organization o ON o.id = r.organization_id"
            " LEFT JOIN stakeholders_user u ON u.id = r.owner_id"
            " WHERE r.person_id IN"
            " (SELECT person_id FROM stakeholders_personsearchentry WHERE document LIKE %(pattern)s)"
            " OR r.other_person_id IN"
            " (SELECT person_id FROM stakeholders_personsearchentry WHERE document LIKE %(pattern)s)"
            " OR r.organization_id IN (SELECT id FROM stakeholders_organization WHERE name ILIKE %(pattern)s)"
            " ORDER BY r.strength DESC, r.id LIMIT 50"
        ),
    ),
    Page(
        name="department_list",
        kind="list",
        path="/departments/",
        role="staff",
        # Every department (the page is their tree) with its positions and vacancies.
        floor=(
            "SELECT d.id, d.name, d.abbreviation, d.parent_id,"
            " (SELECT count(*) FROM stakeholders_position p WHERE p.department_id = d.id) AS positions,"
            " (SELECT count(*) FROM stakeholders_position p WHERE p.department_id = d.id AND NOT EXISTS"
            " (SELECT 1 FROM stakeholders_tenure t WHERE t.position_id = p.id AND t.actual_end_date IS NULL))"
            " AS vacancies FROM stakeholders_department d ORDER BY d.name"
        ),
    ),
    Page(
        name="coalition_list",
        kind="list",
        path="/coalitions/",
        role="staff",
        # Every coalition with its coordinators, current members and allies.
        floor=(
            "SELECT c.id, c.name, c.status,"
            " ARRAY(SELECT u.username FROM coalition_coalition_coordinators x JOIN stakeholders_user u"
            " ON u.id = x.user_id WHERE x.coalition_id = c.id) AS coordinators,"
            " (SELECT count(*) FROM coalition_membership m WHERE m.coalition_id = c.id AND m.left_on IS NULL)"
            " AS members,"
            " (SELECT count(*) FROM coalition_allystance a WHERE a.coalition_id = c.id) AS allies"
            " FROM coalition_coalition c ORDER BY c.name"
        ),
    ),
    # --- Panels ------------------------------------------------------------------------
    Page(
        # "Who could reach them" (stakeholders/selectors/messengers.py): 50 ms p95, 10x its floor.
        name="person_messengers",
        kind="panel",
        path="/people/{id}/messengers/",
        role="staff",
        # The person with a preferred language and the most relationships with other people.
        lookup=(
            "SELECT p.id FROM (SELECT person_id AS id FROM stakeholders_relationship WHERE other_person_id IS NOT NULL"
            " UNION ALL SELECT other_person_id FROM stakeholders_relationship WHERE other_person_id IS NOT NULL) r"
            " JOIN stakeholders_person p ON p.id = r.id WHERE p.preferred_language_id IS NOT NULL"
            " GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT 1"
        ),
        floor=_MESSENGER_ROWS,
    ),
    Page(
        name="home_staff",
        kind="page",
        path="/",
        role="staff",
        floor=(
            "SELECT f.id, f.title, f.due_on FROM engagements_followup f JOIN stakeholders_user u ON u.id = f.user_id"
            " WHERE u.username = %(username)s AND f.status = 'open' ORDER BY f.due_on, f.id LIMIT 10"
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
    # --- REST API (issue 15): JSON pages, signed in with the session like the pages ---
    Page(
        name="api_people_list",
        kind="api",
        path="/api/v1/people/?page_size=100",
        role="staff",
        # Every field of a person the API shows, 100 to a page in id order (a cursor page counts nothing).
        floor=(
            "SELECT p.id, p.first_name, p.last_name, p.preferred_name, p.pronouns, p.email, p.phone,"
            " p.preferred_language_id, p.neighborhood_id, p.may_contact, p.may_share, p.notes, p.last_contact_on,"
            " p.created_at, p.updated_at,"
            " ARRAY(SELECT x.language_id FROM stakeholders_person_languages x WHERE x.person_id = p.id) AS languages,"
            " ARRAY(SELECT t.name FROM stakeholders_person_tags x JOIN stakeholders_tag t ON t.id = x.tag_id"
            " WHERE x.person_id = p.id) AS tags"
            " FROM stakeholders_person p ORDER BY p.id LIMIT 100"
        ),
    ),
    Page(
        name="equity_dashboard",
        kind="dashboard",
        # A full year (the default period): reach of about 6,000 engagements, 60,000 named
        # attendances and 15,000 anonymous counts, compared with the census baseline.
        path="/equity/",
        role="coordinator",
        # The core of the page: a year's anonymous counts added up per option.
        floor=(
            "SELECT b.option_id, sum(b.count) FROM engagements_attendancebreakdown b"
            " JOIN engagements_engagement e ON e.id = b.engagement_id"
            " WHERE e.status = 'logged' AND e.starts_at >= now() - interval '365 days'"
            " GROUP BY b.option_id ORDER BY b.option_id"
        ),
    ),
    Page(
        name="api_engagements_list",
        kind="api",
        path="/api/v1/engagements/",
        role="staff",
        # A page of 50 logged engagements with their linked ids, attendees, breakdowns and input items.
        floor=(
            "SELECT e.id, e.kind, e.title, e.starts_at, e.ends_at, e.neighborhood_id, e.location, e.summary,"
            " e.attendance_total, e.coalition_id, e.created_at, e.updated_at,"
            " ARRAY(SELECT x.language_id FROM engagements_engagement_languages x WHERE x.engagement_id = e.id),"
            " ARRAY(SELECT x.organization_id FROM engagements_engagement_host_organizations x"
            " WHERE x.engagement_id = e.id),"
            " ARRAY(SELECT x.person_id FROM engagements_attendance x WHERE x.engagement_id = e.id),"
            " ARRAY(SELECT c.id FROM engagements_commitment c WHERE c.engagement_id = e.id),"
            " ARRAY(SELECT i.text FROM engagements_inputitem i WHERE i.engagement_id = e.id)"
            " FROM engagements_engagement e WHERE e.status = 'logged' ORDER BY e.id LIMIT 50"
        ),
    ),
    # Boards and the fellows pipeline (issue 17)
    Page(
        name="board_list",
        kind="list",
        # Every board with its seat counts, every open vacancy and every term ending in 180 days.
        path="/boards/",
        role="coordinator",
        # The three tables it shows: boards with seats and filled seats, open vacancies, terms ending.
        floor=(
            "(SELECT 'board' AS part, b.id, b.name, b.appointed_by AS detail, b.term_length_months AS n,"
            " count(DISTINCT p.id) AS seats, count(DISTINCT t.position_id) AS filled"
            " FROM stakeholders_board b LEFT JOIN stakeholders_position p ON p.board_id = b.id"
            " LEFT JOIN stakeholders_tenure t ON t.position_id = p.id AND t.actual_end_date IS NULL"
            " GROUP BY b.id ORDER BY b.name)"
            " UNION ALL (SELECT 'vacancy', v.id, p.title, b.name, 0, 0, 0 FROM stakeholders_vacancy v"
            " JOIN stakeholders_position p ON p.id = v.seat_id JOIN stakeholders_board b ON b.id = p.board_id"
            " WHERE v.status = 'open' ORDER BY v.deadline, v.id)"
            " UNION ALL (SELECT 'ending', t.id, p.title, pe.first_name || ' ' || pe.last_name, 0, 0, 0"
            " FROM stakeholders_tenure t JOIN stakeholders_position p ON p.id = t.position_id"
            " JOIN stakeholders_person pe ON pe.id = t.person_id"
            " WHERE t.actual_end_date IS NULL AND p.board_id IS NOT NULL"
            " AND t.planned_end_date <= current_date + 180 ORDER BY t.planned_end_date, t.id)"
        ),
    ),
    Page(
        name="board_detail",
        kind="detail",
        path="/boards/{id}/",
        role="coordinator",
        lookup="SELECT id FROM stakeholders_board ORDER BY id LIMIT 1",
        # The board, its seats with their current holders and the seats' vacancies.
        floor=(
            "SELECT s.id, s.title, t.start_date, t.planned_end_date, p.first_name, p.last_name, b.name,"
            " b.residency_requirement, b.meeting_cadence,"
            " ARRAY(SELECT v.status || ' ' || v.deadline FROM stakeholders_vacancy v WHERE v.seat_id = s.id)"
            " FROM stakeholders_position s JOIN stakeholders_board b ON b.id = s.board_id"
            " LEFT JOIN stakeholders_tenure t ON t.position_id = s.id AND t.actual_end_date IS NULL"
            " LEFT JOIN stakeholders_person p ON p.id = t.person_id"
            " WHERE s.board_id = %(id)s ORDER BY s.id"
        ),
    ),
    Page(
        name="cohort_list",
        kind="list",
        path="/boards/cohorts/",
        role="coordinator",
        # A page of cohorts with their fellows, applied and placed counts.
        floor=(
            "SELECT c.id, c.name, c.program, c.starts_on, count(DISTINCT f.id),"
            " count(DISTINCT a.fellow_id) FILTER (WHERE a.applied_on IS NOT NULL),"
            " count(DISTINCT a.fellow_id) FILTER (WHERE a.stage = 'appointed')"
            " FROM engagements_cohort c LEFT JOIN engagements_fellow f ON f.cohort_id = c.id"
            " LEFT JOIN engagements_boardapplication a ON a.fellow_id = f.id"
            " GROUP BY c.id ORDER BY c.starts_on DESC, c.name LIMIT 50"
        ),
    ),
    Page(
        name="cohort_detail",
        kind="detail",
        path="/boards/cohorts/{id}/",
        role="coordinator",
        lookup="SELECT id FROM engagements_cohort ORDER BY id LIMIT 1",
        # The cohort's fellows with their boards of interest and applications, and the
        # consented demographics the equity tables count (fellows, then every board member).
        floor=(
            "(SELECT f.id, p.first_name || ' ' || p.last_name AS name,"
            " ARRAY(SELECT b.name FROM engagements_fellow_interests i JOIN stakeholders_board b ON b.id = i.board_id"
            " WHERE i.fellow_id = f.id) AS interests,"
            " ARRAY(SELECT b.name || ': ' || a.stage FROM engagements_boardapplication a"
            " JOIN stakeholders_board b ON b.id = a.board_id WHERE a.fellow_id = f.id) AS applications"
            " FROM engagements_fellow f JOIN stakeholders_person p ON p.id = f.person_id"
            " WHERE f.cohort_id = %(id)s ORDER BY p.last_name, p.first_name)"
            " UNION ALL (SELECT d.person_id, d.age_band, ARRAY[d.race_ethnicity, d.gender_identity],"
            " ARRAY[pe.preferred_language_id::text, pe.neighborhood_id::text]"
            " FROM stakeholders_persondemographics d JOIN stakeholders_person pe ON pe.id = d.person_id"
            " WHERE d.consent_recorded_at IS NOT NULL AND (d.person_id IN (SELECT person_id FROM engagements_fellow"
            " WHERE cohort_id = %(id)s) OR d.person_id IN (SELECT t.person_id FROM stakeholders_tenure t"
            " JOIN stakeholders_position s ON s.id = t.position_id"
            " WHERE t.actual_end_date IS NULL AND s.board_id IS NOT NULL)))"
        ),
    ),
    Page(
        name="cohort_pipeline",
        kind="list",
        path="/boards/cohorts/{id}/pipeline/",
        role="coordinator",
        lookup="SELECT id FROM engagements_cohort ORDER BY id LIMIT 1",
        # Every application of the cohort with its fellow, board, vacancy and appointment.
        floor=(
            "SELECT a.id, a.stage, a.stage_changed_on, b.name, p.first_name, p.last_name,"
            " v.deadline, v.status, s.title, t.planned_end_date"
            " FROM engagements_boardapplication a JOIN engagements_fellow f ON f.id = a.fellow_id"
            " JOIN stakeholders_person p ON p.id = f.person_id JOIN stakeholders_board b ON b.id = a.board_id"
            " LEFT JOIN stakeholders_vacancy v ON v.id = a.vacancy_id"
            " LEFT JOIN stakeholders_tenure t ON t.id = a.tenure_id"
            " LEFT JOIN stakeholders_position s ON s.id = t.position_id"
            " WHERE f.cohort_id = %(id)s ORDER BY a.stage_changed_on, a.id"
        ),
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
