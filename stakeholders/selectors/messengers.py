"""Who could reach a person: language-matched messengers within two steps (reads start from the user).

The rules, as :func:`messengers_for` applies them:

Target and language
    The target T is a person the viewer may see (``people_visible_to``), else 404. Their
    language L is ``Person.preferred_language``. When T has none, nobody is suggested and
    no query runs beyond the one that reads T.

Edges (undirected, current only: ``end_date`` empty or after today)
    - A relationship between two people, with its strength (1–5).
    - Two people linked to the same organization are connected through it. A person is
      linked to an organization by a relationship (its strength) or an affiliation (a fixed
      strength of 2, ``AFFILIATION_STRENGTH``); where both exist the stronger counts. The
      edge through the organization has the strength of the weaker of the two links, so
      "both at Y" is only as strong as the looser member's tie to Y.

Candidates
    People one or two edges from T, T excluded, who speak L: L is their preferred
    language or one of ``Person.languages``; or who are a liaison serving L (an active
    ``LiaisonProfile``, ``active_from`` on or before today and ``active_to`` empty or
    today or later, with L among its ``languages``). Every active liaison gets the
    "Liaison" badge.

Ranking
    A path's strength is the strength of its weakest edge (one edge: that edge). Each
    candidate is shown once, by their strongest path; among equally strong paths the
    shorter one, then a direct relationship before a shared organization, then the
    lowest ids (so the choice is stable). Candidates are ranked by path strength
    (strongest first; one step is not preferred over two), then by their last contact
    (``Person.last_contact_on``, most recent first, never contacted last), then by name
    (last name, first name, id). At most ``LIMIT`` (10) are returned, with the number of
    all candidates.

Access
    Every person on a path, the one in between as well as the candidate, is someone the
    viewer may see (``people_visible_to``), and every relationship used is one the viewer
    may read (``relationships_visible_to``): a liaison's panel walks only the part of the
    graph a liaison may see, and never names a person or a relationship kept from them.
    Affiliations of visible people are shown on their pages to every role, so they count.

Cost
    One SQL statement (CTEs and LATERAL joins on the relationship and affiliation indexes),
    after the one that reads T (and, for a liaison, the one that finds their own person
    record). It reads T's edges, then the relationships of T's neighbours and the members of
    their organizations, each organization once however many neighbours belong to it. Its
    work grows with the two-step neighbourhood of T, never with the size of the tables: about
    3 ms of SQL for the best-connected people of the large generated city (50,000 people),
    about 80 ms for a member of a 3,000-member organization.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ..models import Person, User
from ..rows import person_name
from .people import people_visible_to
from .relationships import relationships_visible_to

LIMIT = 10
AFFILIATION_STRENGTH = 2


@dataclass(frozen=True)
class PersonRef:
    id: int
    name: str


@dataclass(frozen=True)
class OrganizationRef:
    id: int
    name: str


@dataclass(frozen=True)
class Hop:
    """One edge of a path.

    For a relationship, ``source`` and ``target`` are its two people in the relationship's
    own direction (``Relationship.person`` → ``other_person``) and ``kind`` its
    ``Relationship.Kind`` value; for a shared organization, ``organization`` is set, ``kind``
    is None, ``source`` is the end nearer the candidate and ``target`` the other.
    ``strength`` is the edge's strength.
    """

    source: PersonRef
    target: PersonRef
    strength: int
    kind: str | None = None
    organization: OrganizationRef | None = None


@dataclass(frozen=True)
class Messenger:
    """A candidate: who, how far (``steps``, 1 or 2), the path's strength, when last contacted.

    ``path`` runs from the candidate toward the target: one hop, or the hop from the
    candidate to ``via`` and the hop from ``via`` to the target.
    """

    person: PersonRef
    steps: int
    strength: int
    last_contact_on: datetime.date | None
    is_liaison: bool
    path: tuple[Hop, ...]
    via: PersonRef | None = None


@dataclass(frozen=True)
class Reach:
    """What the panel shows for ``target``: their language and the best messengers.

    ``language`` is None when the target has no preferred language (then ``messengers`` is
    empty and nothing was searched); ``total`` counts every candidate, not only those shown.
    """

    target: Person
    language: object  # stakeholders.Language or None
    messengers: list[Messenger]
    total: int


def messengers_for(user: User, pk: int, *, today: datetime.date | None = None) -> Reach:
    """Who could reach person ``pk`` in their preferred language, as ``user`` may see it (404 when
    ``user`` may not see the person). The rules are in this module's docstring."""
    visible_people = people_visible_to(user)
    target = get_object_or_404(visible_people.select_related("preferred_language"), pk=pk)
    if target.preferred_language_id is None:
        return Reach(target=target, language=None, messengers=[], total=0)
    today = today or timezone.localdate()
    rows = _candidate_rows(user, visible_people, target, today)
    messengers = [_messenger(row, target) for row in rows]
    total = rows[0]["total"] if rows else 0
    return Reach(target=target, language=target.preferred_language, messengers=messengers, total=total)


# The SQL pieces below read the current edges of one person or organization by index. Each refers
# to its source through a fixed alias, given by the LATERAL join it is placed in.

# Relationships between ``src.id`` and other people, either way: ``dest``, strength, relationship.
_RELATIONSHIP_EDGES = """
    SELECT r.other_person_id AS dest, r.strength, r.id AS relationship_id, NULL::bigint AS organization_id
      FROM stakeholders_relationship r
     WHERE r.person_id = src.id AND r.other_person_id IS NOT NULL
       AND (r.end_date IS NULL OR r.end_date > %(today)s) {readable}
    UNION ALL
    SELECT r.person_id, r.strength, r.id, NULL
      FROM stakeholders_relationship r
     WHERE r.other_person_id = src.id
       AND (r.end_date IS NULL OR r.end_date > %(today)s) {readable}
"""

# The organizations ``src.id`` is linked to, by an affiliation or a relationship, with the link's strength.
_ORGANIZATION_LINKS = """
    SELECT a.organization_id, %(affiliation_strength)s AS strength
      FROM stakeholders_affiliation a
     WHERE a.person_id = src.id AND (a.end_date IS NULL OR a.end_date > %(today)s)
    UNION ALL
    SELECT r.organization_id, r.strength
      FROM stakeholders_relationship r
     WHERE r.person_id = src.id AND r.organization_id IS NOT NULL
       AND (r.end_date IS NULL OR r.end_date > %(today)s) {readable}
"""

# The people linked to organization ``org.id``, but ``org.excluded``, with their link's strength.
_ORGANIZATION_MEMBERS = """
    SELECT a.person_id, %(affiliation_strength)s AS strength
      FROM stakeholders_affiliation a
     WHERE a.organization_id = org.id AND a.person_id <> org.excluded
       AND (a.end_date IS NULL OR a.end_date > %(today)s)
    UNION ALL
    SELECT r.person_id, r.strength
      FROM stakeholders_relationship r
     WHERE r.organization_id = org.id AND r.person_id <> org.excluded
       AND (r.end_date IS NULL OR r.end_date > %(today)s) {readable}
"""

_TEMPLATE = """
WITH {readable_cte}
step1_found AS MATERIALIZED (
    -- T's neighbours, each by their strongest edge (a relationship before an organization).
    SELECT DISTINCT ON (e.dest) e.dest AS person_id, e.strength, e.relationship_id, e.organization_id
      FROM (SELECT %(target)s::bigint AS id) src
     CROSS JOIN LATERAL (
           {relationship_edges}
           UNION ALL
           SELECT member.person_id, least(mine.strength, member.strength), NULL, mine.organization_id
             FROM ({organization_links}) mine
            CROSS JOIN LATERAL (SELECT mine.organization_id AS id, src.id AS excluded) org
            CROSS JOIN LATERAL ({organization_members}) member
          ) e
     ORDER BY e.dest, e.strength DESC, e.relationship_id NULLS LAST, e.organization_id
),
{visible_step1_cte}
step1 AS MATERIALIZED (
    SELECT person_id AS id, * FROM step1_found WHERE true {visible_step1}
),
step2_organizations AS MATERIALIZED (
    -- The organizations of T's neighbours, each once, with the neighbour who reaches it best: a
    -- big organization is read once, not once per neighbour who belongs to it.
    SELECT DISTINCT ON (link.organization_id)
           link.organization_id AS id, src.id AS excluded, least(src.strength, link.strength) AS strength,
           link.strength AS via_strength, src.id AS via_id, src.relationship_id AS far_relationship_id,
           src.organization_id AS far_organization_id, src.strength AS far_strength
      FROM step1 src
     CROSS JOIN LATERAL ({organization_links}) link
     ORDER BY link.organization_id, least(src.strength, link.strength) DESC, src.id
),
paths AS (
    SELECT id AS person_id, strength, 1 AS steps, NULL::bigint AS via_id,
           relationship_id AS near_relationship_id, organization_id AS near_organization_id, strength AS near_strength,
           NULL::bigint AS far_relationship_id, NULL::bigint AS far_organization_id, NULL::integer AS far_strength
      FROM step1
    UNION ALL
    -- Two steps: a relationship of a neighbour.
    SELECT e.dest, least(src.strength, e.strength), 2, src.id, e.relationship_id, NULL, e.strength,
           src.relationship_id, src.organization_id, src.strength
      FROM step1 src
     CROSS JOIN LATERAL ({relationship_edges}) e
     WHERE e.dest <> %(target)s
    UNION ALL
    -- Two steps: an organization of a neighbour.
    SELECT member.person_id, least(org.strength, member.strength), 2, org.via_id, NULL, org.id,
           least(org.via_strength, member.strength), org.far_relationship_id, org.far_organization_id, org.far_strength
      FROM step2_organizations org
     CROSS JOIN LATERAL ({organization_members}) member
     WHERE member.person_id <> %(target)s
),
best AS MATERIALIZED (
    -- Each candidate once, by the strongest path; then the shorter, a relationship first, lowest ids.
    SELECT DISTINCT ON (person_id) *
      FROM paths
     ORDER BY person_id, strength DESC, steps, via_id NULLS FIRST, near_relationship_id NULLS LAST,
              near_organization_id, far_relationship_id NULLS LAST, far_organization_id
),
{visible_best_cte}
ranked AS (
    SELECT b.*, p.first_name, p.preferred_name, p.last_name, p.last_contact_on, lp.id AS liaison_id,
           count(*) OVER () AS total
      FROM best b
      JOIN stakeholders_person p ON p.id = b.person_id
      LEFT JOIN stakeholders_liaisonprofile lp
        ON lp.person_id = p.id AND lp.active_from <= %(today)s AND (lp.active_to IS NULL OR lp.active_to >= %(today)s)
     -- ARRAY() subqueries probe each candidate's few rows by index; an EXISTS under OR may be
     -- planned as a hash of every speaker of the language (tens of thousands for English).
     WHERE (p.preferred_language_id = %(language)s
            OR %(language)s = ANY (ARRAY(SELECT pl.language_id FROM stakeholders_person_languages pl
                                          WHERE pl.person_id = p.id))
            OR %(language)s = ANY (ARRAY(SELECT ll.language_id FROM stakeholders_liaisonprofile_languages ll
                                          WHERE ll.liaisonprofile_id = lp.id)))
           {visible_best}
     ORDER BY b.strength DESC, p.last_contact_on DESC NULLS LAST, p.last_name, p.first_name, p.id
     LIMIT %(limit)s
)
SELECT t.person_id, t.first_name, t.preferred_name, t.last_name, t.last_contact_on, t.strength, t.steps,
       t.liaison_id IS NOT NULL AS is_liaison, t.total,
       t.via_id, v.first_name AS via_first_name, v.preferred_name AS via_preferred_name, v.last_name AS via_last_name,
       t.near_relationship_id, nrel.kind AS near_kind, nrel.person_id AS near_from_id,
       t.near_organization_id, norg.name AS near_organization_name, t.near_strength,
       t.far_relationship_id, frel.kind AS far_kind, frel.person_id AS far_from_id,
       t.far_organization_id, forg.name AS far_organization_name, t.far_strength
  FROM ranked t
  LEFT JOIN stakeholders_person v ON v.id = t.via_id
  LEFT JOIN stakeholders_relationship nrel ON nrel.id = t.near_relationship_id
  LEFT JOIN stakeholders_organization norg ON norg.id = t.near_organization_id
  LEFT JOIN stakeholders_relationship frel ON frel.id = t.far_relationship_id
  LEFT JOIN stakeholders_organization forg ON forg.id = t.far_organization_id
 ORDER BY t.strength DESC, t.last_contact_on DESC NULLS LAST, t.last_name, t.first_name, t.person_id
"""
_CANDIDATES = (
    _TEMPLATE.replace("{relationship_edges}", _RELATIONSHIP_EDGES)
    .replace("{organization_links}", _ORGANIZATION_LINKS)
    .replace("{organization_members}", _ORGANIZATION_MEMBERS)
)

# Named parameters (%(name)s) and access fragments ({name}) of the statement above.
_TOKEN = re.compile(r"%\((\w+)\)s|\{(\w+)\}")


def _compose(template: str, values: dict, fragments: dict[str, tuple[str, list]]) -> tuple[str, list]:
    """``template`` with each ``%(name)s`` made a positional placeholder for ``values[name]`` and
    each ``{name}`` replaced by the SQL of ``fragments[name]`` (with its own parameters), in order."""
    params: list = []

    def substitute(match: re.Match) -> str:
        value_name, fragment_name = match.groups()
        if value_name:
            params.append(values[value_name])
            return "%s"
        sql, fragment_params = fragments[fragment_name]
        params.extend(fragment_params)
        return sql

    return _TOKEN.sub(substitute, template), params


def _id_subquery(queryset: QuerySet) -> tuple[str, list]:
    """The SQL selecting the ids of ``queryset`` (an access helper's), or one that selects none."""
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return "SELECT NULL::bigint AS id WHERE false", []
    return sql, list(params)


def _access_fragments(user: User, visible_people: QuerySet[Person]) -> dict[str, tuple[str, list]]:
    """The access conditions of the statement for ``user``: none for those who see every person
    and read every relationship; else the relationships ``relationships_visible_to`` lets them
    read, and of T's neighbours and of the candidates, those in ``visible_people``
    (``people_visible_to``).

    Asking about the people found only, not about every person the viewer may see, keeps a
    restricted viewer's panel as cheap as the neighbourhood it walks.
    """
    none = ("", [])
    names = ("readable_cte", "readable", "visible_step1_cte", "visible_step1", "visible_best_cte", "visible_best")
    fragments = dict.fromkeys(names, none)
    if not user.has_perm("stakeholders.view_relationship"):
        sql, params = _id_subquery(relationships_visible_to(user))
        fragments["readable_cte"] = (f"readable (id) AS MATERIALIZED ({sql}),", params)
        fragments["readable"] = ("AND r.id IN (SELECT id FROM readable)", [])
    if not user.has_perm("stakeholders.view_all_people"):
        # The people of ``found``, a CTE each use below defines; as an unnested array PostgreSQL
        # expects few of them and probes the people by primary key.
        found = RawSQL("SELECT unnest(ARRAY(SELECT person_id FROM found))", [])
        sql, params = _id_subquery(visible_people.filter(pk__in=found))
        for name, found_cte in (
            ("visible_step1", "WITH found AS (SELECT person_id FROM step1_found)"),
            ("visible_best", "WITH found AS (SELECT person_id FROM best)"),
        ):
            fragments[f"{name}_cte"] = (f"{name} (id) AS MATERIALIZED ({found_cte} {sql}),", params)
        fragments["visible_step1"] = ("AND person_id IN (SELECT id FROM visible_step1)", [])
        fragments["visible_best"] = ("AND p.id IN (SELECT id FROM visible_best)", [])
    return fragments


def _candidate_rows(user: User, visible_people: QuerySet[Person], target: Person, today: datetime.date) -> list[dict]:
    values = {
        "target": target.pk,
        "language": target.preferred_language_id,
        "today": today,
        "limit": LIMIT,
        "affiliation_strength": AFFILIATION_STRENGTH,
    }
    sql, params = _compose(_CANDIDATES, values, _access_fragments(user, visible_people))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _hop(row: dict, prefix: str, near: PersonRef, far: PersonRef) -> Hop:
    """The ``near``–``far`` edge described by the ``<prefix>_*`` columns of ``row``."""
    strength = row[f"{prefix}_strength"]
    if row[f"{prefix}_relationship_id"] is not None:
        source, target = (near, far) if row[f"{prefix}_from_id"] == near.id else (far, near)
        return Hop(source=source, target=target, strength=strength, kind=row[f"{prefix}_kind"])
    organization = OrganizationRef(row[f"{prefix}_organization_id"], row[f"{prefix}_organization_name"])
    return Hop(source=near, target=far, strength=strength, organization=organization)


def _messenger(row: dict, target: Person) -> Messenger:
    person = PersonRef(row["person_id"], person_name(row["first_name"], row["preferred_name"], row["last_name"]))
    goal = PersonRef(target.pk, target.display_name)
    via = None
    if row["via_id"] is None:
        path = (_hop(row, "near", person, goal),)
    else:
        via = PersonRef(
            row["via_id"], person_name(row["via_first_name"], row["via_preferred_name"], row["via_last_name"])
        )
        path = (_hop(row, "near", person, via), _hop(row, "far", via, goal))
    return Messenger(
        person=person,
        steps=row["steps"],
        strength=row["strength"],
        last_contact_on=row["last_contact_on"],
        is_liaison=row["is_liaison"],
        path=path,
        via=via,
    )
