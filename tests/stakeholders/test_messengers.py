"""Who could reach them: language-matched messengers within two steps of a person.

The rules are in ``stakeholders/selectors/messengers.py``; these tests hold them on a small
hand-built graph, then check access, the fixed query count and the pages that show the panel.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stakeholders.models import Language, Relationship, User
from stakeholders.selectors.messengers import messengers_for
from tests.coalition.factories import AllyStanceFactory, CoalitionFactory
from tests.stakeholders.factories import AffiliationFactory, OrganizationFactory, PersonFactory, UserFactory
from tests.stakeholders.government_factories import RelationshipFactory
from tests.stakeholders.stipend_factories import LiaisonProfileFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
PAST = datetime.date(2026, 5, 1)
FUTURE = datetime.date(2026, 9, 1)


@pytest.fixture
def spanish():
    return Language.objects.get(code="es")


@pytest.fixture
def english():
    return Language.objects.get(code="en")


def _person(name: str, *, prefers=None, speaks=(), last_contact_on=None):
    first, last = name.split()
    return PersonFactory(
        first_name=first,
        last_name=last,
        preferred_language=prefers,
        languages=list(speaks),
        last_contact_on=last_contact_on,
    )


def _link(a, b, strength=3, kind=Relationship.Kind.WORKS_WITH, end_date=None):
    return RelationshipFactory(person=a, other_person=b, strength=strength, kind=kind, end_date=end_date)


def _names(reach) -> list[str]:
    return [messenger.person.name for messenger in reach.messengers]


def _by_name(reach) -> dict:
    return {messenger.person.name: messenger for messenger in reach.messengers}


@pytest.fixture
def graph(spanish, english):
    """Tess Target prefers Spanish. Around her (strength, last contact):

    - Ana Alder: works with Tess (5), prefers Spanish, 2026-01-01.
    - Cruz Cole: works with Ana (4) and, weakly, with Tess (1); prefers Spanish: two steps at 4.
    - Bea Birch: reports to Tess (3); prefers English but speaks Spanish, 2026-02-01.
    - Dan Dorn: advises Bea (5), speaks Spanish, 2026-03-01: two steps at 3 (Bea's link).
    - Eve Elm: works with Tess (3), prefers Spanish, never contacted.
    - Kim Kerr: works with Tess (3) until a future date, prefers Spanish, 2025-12-01.
    - Hal Hart: at Tess's organization Casa Unida (both affiliated: 2), prefers Spanish, 2026-01-15.
    - Jo Jain: a liaison serving Spanish (prefers English), affiliated with Northside Network, which
      Tess has a relationship with (4): the weaker affiliation makes it 2.
    - Not suggested: Fay Fern (works with Tess at 5, English only), Gil Gray (relationship ended),
      Ivy Ives (affiliation with Casa Unida ended).
    """
    tess = _person("Tess Target", prefers=spanish)
    ana = _person("Ana Alder", prefers=spanish, last_contact_on=datetime.date(2026, 1, 1))
    cruz = _person("Cruz Cole", prefers=spanish, last_contact_on=datetime.date(2026, 4, 1))
    bea = _person("Bea Birch", prefers=english, speaks=[english, spanish], last_contact_on=datetime.date(2026, 2, 1))
    dan = _person("Dan Dorn", speaks=[spanish], last_contact_on=datetime.date(2026, 3, 1))
    eve = _person("Eve Elm", prefers=spanish)
    kim = _person("Kim Kerr", prefers=spanish, last_contact_on=datetime.date(2025, 12, 1))
    hal = _person("Hal Hart", prefers=spanish, last_contact_on=datetime.date(2026, 1, 15))
    jo = _person("Jo Jain", prefers=english, speaks=[english])
    fay = _person("Fay Fern", prefers=english, speaks=[english], last_contact_on=datetime.date(2026, 5, 1))
    gil = _person("Gil Gray", prefers=spanish, last_contact_on=datetime.date(2026, 5, 1))
    ivy = _person("Ivy Ives", prefers=spanish, last_contact_on=datetime.date(2026, 5, 1))

    _link(tess, ana, 5)
    _link(ana, cruz, 4)
    _link(cruz, tess, 1)
    _link(bea, tess, 3, kind=Relationship.Kind.REPORTS_TO)
    _link(dan, bea, 5, kind=Relationship.Kind.ADVISES)
    _link(tess, eve, 3)
    _link(tess, kim, 3, end_date=FUTURE)
    _link(tess, fay, 5)
    _link(tess, gil, 5, end_date=PAST)
    casa = OrganizationFactory(name="Casa Unida")
    AffiliationFactory(person=tess, organization=casa)
    AffiliationFactory(person=hal, organization=casa)
    AffiliationFactory(person=ivy, organization=casa, end_date=PAST)
    northside = OrganizationFactory(name="Northside Network")
    RelationshipFactory(person=tess, other_person=None, organization=northside, strength=4)
    AffiliationFactory(person=jo, organization=northside)
    LiaisonProfileFactory(person=jo).languages.set([spanish])
    return {
        "tess": tess,
        "ana": ana,
        "cruz": cruz,
        "bea": bea,
        "dan": dan,
        "eve": eve,
        "kim": kim,
        "hal": hal,
        "jo": jo,
        "casa": casa,
        "northside": northside,
    }


@pytest.fixture
def staff(db):
    return UserFactory(roles=["Staff"])


# --- Ranking -----------------------------------------------------------------------------


def test_candidates_are_ranked_by_path_strength_then_last_contact_then_name(graph, staff):
    """Strongest path first, one step or two; equal strength by the most recent contact,
    never contacted last."""
    reach = messengers_for(staff, graph["tess"].pk, today=TODAY)
    assert _names(reach) == [
        "Ana Alder",  # 5, one step
        "Cruz Cole",  # 4, two steps: ahead of every one-step candidate at 3
        "Dan Dorn",  # 3, two steps, contacted 2026-03-01
        "Bea Birch",  # 3, one step, 2026-02-01
        "Kim Kerr",  # 3, 2025-12-01
        "Eve Elm",  # 3, never contacted
        "Hal Hart",  # 2, 2026-01-15
        "Jo Jain",  # 2, never contacted
    ]
    assert reach.total == 8
    assert reach.language.code == "es"


def test_a_stronger_link_ranks_above_a_weaker_one(graph, staff):
    """A stronger link ranks above a weaker one, and each candidate shows their strongest path:
    Cruz's two-step path (4 and 5) beats the direct but weak link (1)."""
    cruz = _by_name(messengers_for(staff, graph["tess"].pk, today=TODAY))["Cruz Cole"]
    assert (cruz.steps, cruz.strength) == (2, 4)
    assert cruz.via.name == "Ana Alder"
    first, second = cruz.path
    assert (first.source.name, first.target.name, first.kind, first.strength) == (
        "Ana Alder",
        "Cruz Cole",
        "works_with",
        4,
    )
    assert (second.source.name, second.target.name, second.strength) == ("Tess Target", "Ana Alder", 5)


def test_a_two_step_path_is_as_strong_as_its_weaker_link(graph, staff):
    """Dan advises Bea at 5, Bea reports to Tess at 3: Dan is two steps away at strength 3, and the
    path keeps each relationship's own direction."""
    dan = _by_name(messengers_for(staff, graph["tess"].pk, today=TODAY))["Dan Dorn"]
    assert (dan.steps, dan.strength, dan.via.name) == (2, 3, "Bea Birch")
    advises, reports = dan.path
    assert (advises.source.name, advises.kind, advises.target.name) == ("Dan Dorn", "advises", "Bea Birch")
    assert (reports.source.name, reports.kind, reports.target.name) == ("Bea Birch", "reports_to", "Tess Target")


def test_equal_strength_and_contact_are_ordered_by_name(spanish, staff):
    """With the same strength and last contact, candidates are in name order (last name, first name)."""
    tess = _person("Tess Target", prefers=spanish)
    for name in ("Zoe Baker", "Amy Carter", "Bob Able"):
        _link(tess, _person(name, prefers=spanish, last_contact_on=datetime.date(2026, 1, 1)), 3)
    assert _names(messengers_for(staff, tess.pk, today=TODAY)) == ["Bob Able", "Zoe Baker", "Amy Carter"]


def test_only_people_who_speak_the_language_are_suggested(graph, staff):
    """Preferred or spoken language matches; someone who speaks only English is left out however
    strong the link."""
    by_name = _by_name(messengers_for(staff, graph["tess"].pk, today=TODAY))
    assert "Fay Fern" not in by_name
    assert "Ana Alder" in by_name  # prefers Spanish
    assert "Bea Birch" in by_name  # prefers English, speaks Spanish
    assert "Dan Dorn" in by_name  # no preferred language, speaks Spanish


def test_ended_relationships_and_affiliations_are_no_path(graph, staff):
    """A relationship or an affiliation that has ended connects nobody; one ending in the future does."""
    by_name = _by_name(messengers_for(staff, graph["tess"].pk, today=TODAY))
    assert "Gil Gray" not in by_name
    assert "Ivy Ives" not in by_name
    assert by_name["Kim Kerr"].strength == 3
    # On the day after the future end date, Kim is gone too.
    assert "Kim Kerr" not in _names(messengers_for(staff, graph["tess"].pk, today=FUTURE))


def test_the_person_is_never_their_own_messenger(graph, staff):
    """The target is excluded, though two-step paths lead back to her (Tess–Ana–Cruz–Tess)."""
    assert "Tess Target" not in _names(messengers_for(staff, graph["tess"].pk, today=TODAY))


def test_a_shared_organization_connects_two_people(graph, staff):
    """Two people at the same organization are one step apart through it, at the weaker link's
    strength (an affiliation counts 2)."""
    hal = _by_name(messengers_for(staff, graph["tess"].pk, today=TODAY))["Hal Hart"]
    assert (hal.steps, hal.strength, hal.via) == (1, 2, None)
    (hop,) = hal.path
    assert hop.organization.name == "Casa Unida" and hop.kind is None
    assert (hop.source.name, hop.target.name) == ("Hal Hart", "Tess Target")


def test_two_steps_through_a_neighbours_organization(spanish, staff):
    """A neighbour's organization leads to its other members, two steps away: Tess works with Zed
    (4), Zed belongs to Bethel (a relationship at 5) where Olga is affiliated (2): Olga at 2, via Zed,
    and Zed is not his own messenger."""
    tess = _person("Tess Target", prefers=spanish)
    zed = _person("Zed Zorn", prefers=spanish)
    olga = _person("Olga Ortiz", prefers=spanish)
    _link(tess, zed, 4)
    bethel = OrganizationFactory(name="Bethel Church")
    RelationshipFactory(person=zed, other_person=None, organization=bethel, strength=5)
    AffiliationFactory(person=olga, organization=bethel)
    reach = messengers_for(staff, tess.pk, today=TODAY)
    assert _names(reach) == ["Zed Zorn", "Olga Ortiz"]
    olga_row = _by_name(reach)["Olga Ortiz"]
    assert (olga_row.steps, olga_row.strength, olga_row.via.name) == (2, 2, "Zed Zorn")
    near, far = olga_row.path
    assert (near.source.name, near.target.name, near.organization.name, near.strength) == (
        "Olga Ortiz",
        "Zed Zorn",
        "Bethel Church",
        2,
    )
    assert (far.source.name, far.target.name, far.kind, far.strength) == ("Tess Target", "Zed Zorn", "works_with", 4)


def test_a_liaison_serving_the_language_is_suggested_with_a_badge(graph, staff):
    """A liaison who serves the language counts even if they do not speak it themselves, and carries the badge;
    nobody else does."""
    reach = messengers_for(staff, graph["tess"].pk, today=TODAY)
    jo = _by_name(reach)["Jo Jain"]
    assert jo.is_liaison and (jo.steps, jo.strength) == (1, 2)
    assert jo.path[0].organization.name == "Northside Network"
    assert [m.person.name for m in reach.messengers if m.is_liaison] == ["Jo Jain"]


def test_a_liaison_whose_profile_has_ended_is_not_a_liaison_any_more(graph, staff):
    """An ended liaison profile no longer serves: Jo, who does not speak Spanish, drops out."""
    graph["jo"].liaison_profile.active_to = PAST
    graph["jo"].liaison_profile.save(update_fields=["active_to"])
    assert "Jo Jain" not in _names(messengers_for(staff, graph["tess"].pk, today=TODAY))


def test_at_most_ten_are_shown(spanish, staff):
    """Ten messengers at most; the total counts every candidate."""
    tess = _person("Tess Target", prefers=spanish)
    for index in range(13):
        _link(tess, _person(f"Helper Number{index:02d}", prefers=spanish), 3)
    reach = messengers_for(staff, tess.pk, today=TODAY)
    assert len(reach.messengers) == 10 and reach.total == 13


def test_no_preferred_language_suggests_nobody(graph, staff, django_assert_num_queries):
    """Without a preferred language the panel says so and suggests nobody, reading only the person."""
    tess = graph["tess"]
    tess.preferred_language = None
    tess.save(update_fields=["preferred_language"])
    staff.has_perm("stakeholders.view_person")  # roles come with the user on a request
    with django_assert_num_queries(1):
        reach = messengers_for(staff, tess.pk, today=TODAY)
    assert reach.language is None and reach.messengers == [] and reach.total == 0


# --- Access ----------------------------------------------------------------------------------


@pytest.fixture
def liaison_world(spanish):
    """A liaison user whose person record Lia works with Tess and with Ana; Tess also knows Bob,
    whom Lia does not work with; Ana works with Cara, and Bob with Dee."""
    user = UserFactory(roles=["Liaison"])
    lia = PersonFactory(first_name="Lia", last_name="Liaison", user=user)
    tess = _person("Tess Target", prefers=spanish)
    ana = _person("Ana Alder", prefers=spanish)
    bob = _person("Bob Birch", prefers=spanish)
    cara = _person("Cara Cole", prefers=spanish)
    dee = _person("Dee Dorn", prefers=spanish)
    _link(lia, tess, 2)
    _link(lia, ana, 2)
    _link(tess, ana, 5)
    _link(tess, bob, 5)
    _link(ana, cara, 5)
    _link(bob, dee, 5)
    return {"user": user, "lia": lia, "tess": tess, "bob": bob}


def test_a_liaison_sees_only_the_people_and_relationships_they_may(liaison_world, staff):
    """A liaison's panel names only people they work with, through relationships they may read:
    Ana (Tess–Ana is not theirs to read) and Bob, Cara and Dee (not people they work with) are left out."""
    tess = liaison_world["tess"]
    assert set(_names(messengers_for(staff, tess.pk, today=TODAY))) == {
        "Ana Alder",
        "Bob Birch",
        "Cara Cole",
        "Dee Dorn",
    }
    reach = messengers_for(liaison_world["user"], tess.pk, today=TODAY)
    # Lia herself speaks no Spanish; the only path to Ana runs through Lia's own relationships.
    assert _names(reach) == ["Ana Alder"]
    (ana,) = reach.messengers
    assert ana.via.name == "Lia Liaison" and ana.strength == 2


def test_a_liaison_gets_404_for_a_person_they_may_not_see(liaison_world, client):
    """The panel answers 404, without the name, for a person the liaison does not work with."""
    client.force_login(liaison_world["user"])
    response = client.get(reverse("stakeholders:person_messengers_panel", args=[liaison_world["bob"].pk]))
    assert response.status_code == 404
    assert b"Birch" not in response.content
    ok = client.get(reverse("stakeholders:person_messengers_panel", args=[liaison_world["tess"].pk]))
    assert ok.status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(graph, client):
    """Signed-out visitors are redirected to the sign-in page."""
    response = client.get(reverse("stakeholders:person_messengers_panel", args=[graph["tess"].pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# --- Speed: a fixed number of queries ------------------------------------------------------------


def _hub_graph(size: int, spanish):
    """A target with ``size`` people around her: half linked to her, half one step further, a few
    sharing her organization; every third speaks Spanish."""
    tess = _person("Tess Target", prefers=spanish)
    organization = OrganizationFactory()
    AffiliationFactory(person=tess, organization=organization)
    near = []
    for index in range(size):
        person = _person(f"Person Number{index:03d}", prefers=spanish if index % 3 == 0 else None)
        if index % 2 == 0:
            _link(tess, person, 1 + index % 5)
            near.append(person)
        elif index % 7 == 1:
            AffiliationFactory(person=person, organization=organization)
        else:
            _link(near[-1], person, 1 + index % 5)
    return tess


@pytest.mark.parametrize("role", ["Staff", "Liaison"])
def test_query_count_does_not_grow_with_the_graph(spanish, role, django_assert_max_num_queries):
    """The panel runs the same few queries around 5 people and around 200: the person, then one statement."""
    me = PersonFactory(user=UserFactory(roles=[role]), preferred_language=spanish)
    counts = []
    for size in (5, 200):
        tess = _hub_graph(size, spanish)
        _link(me, tess, 3)  # so that a liaison may see her (and suggest themselves)
        user = User.objects.get(pk=me.user_id)  # as a request gets it: roles loaded, nothing else cached
        user.has_perm("stakeholders.view_person")
        with CaptureQueriesContext(connection) as captured:
            reach = messengers_for(user, tess.pk, today=TODAY)
        assert reach.messengers
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
    user = User.objects.get(pk=me.user_id)
    user.has_perm("stakeholders.view_person")
    with django_assert_max_num_queries(3):  # the target, the statement and, for a liaison, their person record
        messengers_for(user, tess.pk, today=TODAY)


def test_the_panel_request_runs_the_same_queries_for_5_and_200_people(spanish, staff, client):
    """Over HTTP, the fragment's query count (session and user included) is the same for both graphs."""
    client.force_login(staff)
    client.get(reverse("stakeholders:person_list"))  # the first request after sign-in also refreshes the session
    counts = []
    for size in (5, 200):
        tess = _hub_graph(size, spanish)
        url = reverse("stakeholders:person_messengers_panel", args=[tess.pk])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1] <= 5


# --- Pages ------------------------------------------------------------------------------------


def test_the_fragment_renders_the_messengers(graph, staff, client, time_machine):
    """The fragment lists the messengers in order with links, how they are connected, steps, strength,
    last contact and the liaison badge."""
    time_machine.move_to(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC), tick=False)
    client.force_login(staff)
    response = client.get(reverse("stakeholders:person_messengers_panel", args=[graph["tess"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Ana Alder") < html.index("Cruz Cole") < html.index("Jo Jain")
    assert f'href="{graph["ana"].get_absolute_url()}"' in html
    assert "Tess Target works with Ana Alder." in html
    assert "Bea Birch reports to Tess Target." in html
    assert "Hal Hart and Tess Target are both at Casa Unida." in html
    assert "Via <a" in html and "Steps: 2" in html and "Strength: 4/5" in html
    assert "Last contact: never" in html
    assert html.count(">Liaison</span>") == 1
    assert "Fay Fern" not in html


def test_the_fragment_says_when_there_is_no_preferred_language(graph, staff, client):
    """No preferred language: a plain sentence, no list."""
    graph["tess"].preferred_language = None
    graph["tess"].save(update_fields=["preferred_language"])
    client.force_login(staff)
    html = client.get(reverse("stakeholders:person_messengers_panel", args=[graph["tess"].pk])).content.decode()
    assert "has no preferred language on record, so nobody is suggested" in html
    assert "<ol" not in html


def test_the_person_page_loads_the_panel(graph, staff, client):
    """The person page has a "Who could reach them" panel loaded with htmx."""
    client.force_login(staff)
    html = client.get(graph["tess"].get_absolute_url()).content.decode()
    url = reverse("stakeholders:person_messengers_panel", args=[graph["tess"].pk])
    assert "Who could reach them" in html
    assert f'hx-get="{url}"' in html


def test_the_ally_record_loads_the_panel(graph, client):
    """The coalition's ally record loads the same fragment for the ally, after the ally's details."""
    coordinator = UserFactory(roles=["Coordinator"])
    coalition = CoalitionFactory(coordinators=[coordinator])
    ally = AllyStanceFactory(coalition=coalition, person=graph["tess"])
    client.force_login(coordinator)
    html = client.get(reverse("coalition:ally_detail", args=[coalition.pk, ally.pk])).content.decode()
    url = reverse("stakeholders:person_messengers_panel", args=[graph["tess"].pk])
    assert f'hx-get="{url}"' in html and 'hx-trigger="load"' in html
    assert html.index("</dl>") < html.index(f'hx-get="{url}"')
