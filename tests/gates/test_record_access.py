"""Every detail, edit, delete and export view refuses a user who may not see its record.

The views are found from the URL resolver by their name (``*_detail``, ``*_edit``,
``*_delete``, exports and CSVs, statements, panels, ``.ics`` files, documents), so a new
one cannot be forgotten: it fails here until OUTSIDERS says who may not see its record
and which text identifies the record. Each outsider must get 403 or 404 (anonymous
users: the sign-in redirect), and the record's identifying text must not be in the body.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.gates.test_permission_matrix import PROJECT_PATTERNS, _route_kwargs
from tests.gates.world import build_world
from tests.two_step import Client  # force_login passes an admin's second step too

RECORD_VIEW = re.compile(
    r"(^|_)(detail|edit|delete|export|csv|statement|panel|ics|document|download)$|\.csv$|^(detail|edit|ics|resume)$"
)

# Who may not see the record of each view: "anonymous", a role (world.users) or
# "other <role>" (world.others), and the text that identifies the record.
ENGAGEMENT = "Quillfeather"
PERSON = "Pemberquist"
ORGANIZATION = "Harrowgate"
COALITION = "Vesperholm"
STIPEND_LIAISON = "Rookwarden"
STIPEND_ADMIN_OUTSIDERS = ("anonymous", "staff", "coordinator", "liaison", "other liaison")
COALITION_OUTSIDERS = ("anonymous", "liaison", "other coordinator")
COALITION_EDIT_OUTSIDERS = ("anonymous", "staff", "liaison", "other coordinator")

OUTSIDERS: dict[str, tuple[tuple[str, ...], str]] = {
    # --- Accounts, people and organizations --------------------------------------------
    "stakeholders:user_edit": (("anonymous", "staff", "coordinator", "liaison"), "target_user"),
    # A liaison's export lists only the people they work with: 200, without this person.
    "stakeholders:person_export": (("anonymous",), PERSON),
    "stakeholders:person_detail": (("anonymous", "liaison"), PERSON),
    "stakeholders:person_edit": (("anonymous", "liaison", "other staff"), PERSON),
    "stakeholders:organization_export": (("anonymous", "liaison"), ORGANIZATION),
    "stakeholders:erasure_detail": (("anonymous", "staff", "coordinator", "liaison"), "Thistlewood"),
    "stakeholders:organization_detail": (("anonymous", "liaison"), ORGANIZATION),
    "stakeholders:organization_edit": (("anonymous", "liaison", "other staff"), ORGANIZATION),
    "stakeholders:neighborhood_edit": (("anonymous", "staff", "coordinator", "liaison"), "neighborhood"),
    # --- Boards and the fellows pipeline (issue 17): not for liaisons ----------------------
    "boards:board_detail": (("anonymous", "liaison"), "Larkspurne"),
    "boards:board_edit": (("anonymous", "staff", "liaison"), "Larkspurne"),
    "boards:cohort_detail": (("anonymous", "liaison"), "Fennimore"),
    "boards:cohort_edit": (("anonymous", "staff", "liaison", "other coordinator"), "Fennimore"),
    "boards:fellow_detail": (("anonymous", "liaison"), PERSON),
    "boards:fellow_edit": (("anonymous", "staff", "liaison", "other coordinator"), PERSON),
    # --- Government: read by every role, changed by coordinators and admins ---------------
    "stakeholders:department_detail": (("anonymous",), "department"),
    "stakeholders:department_edit": (("anonymous", "staff", "liaison"), "department"),
    "stakeholders:department_csv": (("anonymous",), "department"),
    "stakeholders:position_detail": (("anonymous",), "position"),
    "stakeholders:position_edit": (("anonymous", "staff", "liaison"), "position"),
    "stakeholders:election_csv": (("anonymous",), "election"),
    "stakeholders:election_detail": (("anonymous",), "election"),
    "stakeholders:election_edit": (("anonymous", "staff", "liaison"), "election"),
    # Office holders are public record: the positions panel is readable by every role.
    "stakeholders:person_positions_panel": (("anonymous",), "position"),
    "stakeholders:relationship_detail": (("anonymous", "liaison"), PERSON),
    "stakeholders:relationship_edit": (("anonymous", "staff", "liaison"), PERSON),
    # Lists only the relationships the viewer may read: a liaison gets it without these.
    "stakeholders:person_relationships_panel": (("anonymous",), PERSON),
    # Who could reach a person: a 404 for a liaison who does not work with them.
    "stakeholders:person_messengers_panel": (("anonymous", "liaison"), PERSON),
    # --- Stipends: admins, and a liaison for their own ----------------------------------------
    "stakeholders:funding_source_detail": (STIPEND_ADMIN_OUTSIDERS, "Saltmarsh"),
    "stakeholders:funding_source_edit": (STIPEND_ADMIN_OUTSIDERS, "Saltmarsh"),
    "stakeholders:liaison_detail": (STIPEND_ADMIN_OUTSIDERS, STIPEND_LIAISON),
    "stakeholders:liaison_edit": (STIPEND_ADMIN_OUTSIDERS, STIPEND_LIAISON),
    "stakeholders:statement": (STIPEND_ADMIN_OUTSIDERS, STIPEND_LIAISON),
    "stakeholders:agreement_detail": (STIPEND_ADMIN_OUTSIDERS, STIPEND_LIAISON),
    "stakeholders:agreement_edit": (STIPEND_ADMIN_OUTSIDERS, STIPEND_LIAISON),
    "stakeholders:payment_export": (STIPEND_ADMIN_OUTSIDERS, STIPEND_LIAISON),
    "stakeholders:payment_detail": (STIPEND_ADMIN_OUTSIDERS, STIPEND_LIAISON),
    "stakeholders:payment_edit": (STIPEND_ADMIN_OUTSIDERS, STIPEND_LIAISON),
    # Engagements paid for / facilitated, served by engagements on the stipend pages.
    "engagements:payment_engagements_panel": (STIPEND_ADMIN_OUTSIDERS, STIPEND_LIAISON),
    "engagements:liaison_engagements_panel": (STIPEND_ADMIN_OUTSIDERS, STIPEND_LIAISON),
    # --- Engagements: the world's was logged by staff and facilitated by no liaison ----------
    "engagements:detail": (("anonymous", "liaison", "other liaison"), ENGAGEMENT),
    "engagements:edit": (("anonymous", "liaison", "other staff"), ENGAGEMENT),
    "engagements:ics": (("anonymous", "liaison", "other liaison"), ENGAGEMENT),
    "engagements:resume": (("anonymous", "other staff", "coordinator", "admin", "liaison"), "Marrowbeck"),
    "engagements:commitment_detail": (("anonymous", "liaison"), "Tallowmere"),
    "engagements:person_panel": (("anonymous", "liaison"), ENGAGEMENT),
    "engagements:organization_panel": (("anonymous", "liaison"), ENGAGEMENT),
    # --- Equity impact assessments: read by staff, written by coordinators and admins -------
    "equity:assessment_detail": (("anonymous", "liaison", "other liaison"), "Brackenholt"),
    "equity:assessment_edit": (("anonymous", "staff", "liaison"), "Brackenholt"),
    # The equity figures add up every logged engagement: not for liaisons (nor visitors).
    "equity:dashboard_csv": (("anonymous", "liaison"), "Age band"),
    # --- Coalitions: coordinated by users["coordinator"]; no liaison is a member -------------
    "coalition:detail": (COALITION_OUTSIDERS, COALITION),
    "coalition:edit": (COALITION_EDIT_OUTSIDERS, COALITION),
    "coalition:goal_detail": (COALITION_OUTSIDERS, "Ossifrage"),
    "coalition:agreement_document": (COALITION_OUTSIDERS, "Cobblethorn"),
    "coalition:ally_detail": (COALITION_OUTSIDERS, PERSON),
    "coalition:person_panel": (("anonymous", "liaison"), COALITION),
    "coalition:organization_panel": (("anonymous", "liaison"), COALITION),
}

# Views that answer 200 to an outsider by design, listing only what that user may see;
# the record's text must still be absent.
FILTERED = {
    ("stakeholders:person_export", "liaison"),
    ("stakeholders:person_relationships_panel", "liaison"),
}

RECORD_VIEWS = [(name, route) for name, route in PROJECT_PATTERNS if RECORD_VIEW.search(name.split(":")[-1])]


@pytest.fixture(autouse=True)
def _uploads_in_memory(settings):
    """The world's uploaded agreement document stays out of MEDIA_ROOT."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}


def _identifying_text(world, text: str) -> str:
    """A literal, or the name of a World attribute whose record's str() identifies it."""
    record = getattr(world, text, None)
    if record is None:
        return text
    return getattr(record, "username", None) or str(record)


def _user(world, who: str):
    if who.startswith("other "):
        return world.others[who.removeprefix("other ")]
    return world.users[who]


def test_every_record_view_names_its_outsiders():
    """A new detail, edit, export or panel view fails until OUTSIDERS covers it."""
    names = {name for name, _route in RECORD_VIEWS}
    assert names, "the resolver walk found no record views"
    assert not sorted(names - OUTSIDERS.keys()), f"Add to OUTSIDERS: {sorted(names - OUTSIDERS.keys())}"
    assert not sorted(OUTSIDERS.keys() - names), f"Stale in OUTSIDERS: {sorted(OUTSIDERS.keys() - names)}"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), RECORD_VIEWS, ids=[name for name, _ in RECORD_VIEWS])
def test_outsiders_never_get_the_record(name, route):
    """403 or 404 (sign-in for anonymous users) and no trace of the record in the body."""
    world = build_world()
    outsiders, text = OUTSIDERS[name]
    text = _identifying_text(world, text)
    url = reverse(name, kwargs=world.kwargs_for(name, _route_kwargs(route)))
    wrong = {}
    for who in outsiders:
        client = Client()
        user = _user(world, who)
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        expected = {302} if who == "anonymous" else ({200} if (name, who) in FILTERED else {403, 404})
        if who == "anonymous" and response.status_code == 302:
            assert reverse("login") in response["Location"], (name, response["Location"])
        if response.status_code not in expected or text.encode() in body:
            wrong[who] = (response.status_code, text.encode() in body)
    assert not wrong, f"{name}: outsiders (status, record text in body): {wrong}"


@pytest.mark.django_db
def test_record_text_is_served_to_an_insider():
    """The identifying texts are real: an admin (or the owner) does get them, so the
    absence checks above can fail."""
    world = build_world()
    client = Client()
    client.force_login(world.users["admin"])
    for name, kwargs, text in [
        ("stakeholders:payment_detail", {"pk": world.payment.pk}, STIPEND_LIAISON),
        ("stakeholders:person_detail", {"pk": world.person.pk}, PERSON),
        ("engagements:detail", {"pk": world.engagement.pk}, ENGAGEMENT),
        ("coalition:detail", {"pk": world.coalition.pk}, COALITION),
        ("coalition:goal_detail", {"pk": world.coalition.pk, "goal_pk": world.goal.pk}, "Ossifrage"),
        ("engagements:person_panel", {"pk": world.person.pk}, ENGAGEMENT),
    ]:
        assert text in client.get(reverse(name, kwargs=kwargs)).content.decode(), name
    client.force_login(world.users["staff"])
    assert "Marrowbeck" in client.get(reverse("engagements:resume", args=[world.engagement_draft.pk])).content.decode()
    document = client.get(
        reverse(
            "coalition:agreement_document",
            kwargs={"pk": world.coalition.pk, "agreement_pk": world.coalition_agreement.pk},
        )
    )
    assert b"Cobblethorn" in b"".join(document.streaming_content)


@pytest.mark.django_db
def test_public_page_is_open_only_while_published():
    """Anyone may read a published "You said, we did" page; unpublished, its address is a 404."""
    world = build_world()
    url = reverse("engagements:public", args=[world.engagement.public_token])
    assert Client().get(url).status_code == 200
    world.engagement.is_published = False
    world.engagement.save(update_fields=["is_published"])
    response = Client().get(url)
    assert response.status_code == 404
    assert ENGAGEMENT.encode() not in response.content


@pytest.mark.django_db
def test_lists_do_not_show_a_liaison_records_they_may_not_see():
    """A liaison's engagement, commitment, coalition and follow-up lists leave out what is not theirs."""
    world = build_world()
    client = Client()
    client.force_login(world.users["liaison"])
    for name, text in [
        ("engagements:list", ENGAGEMENT),
        ("engagements:commitments", "Tallowmere"),
        ("coalition:list", COALITION),
        ("engagements:followup_list", "Brindlecombe"),
    ]:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert text not in response.content.decode(), name
