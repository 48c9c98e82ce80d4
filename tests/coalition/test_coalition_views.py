"""Coalition pages over HTTP: who sees and manages what, the forms, the stance editor and the panels."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coalition.models import AllyStance, Coalition, Goal, MemberResource, Membership, RiskSettings, StanceChange
from coalition.selectors import coalitions_visible_to
from tests.coalition.factories import (
    AllyStanceFactory,
    CoalitionFactory,
    GoalFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
)
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coalitions(coordinator_user, liaison_user):
    """Three coalitions: one the coordinator runs, one the liaison is a member of, one neither touches."""
    mine = CoalitionFactory(name="Mine", coordinators=[coordinator_user])
    liaison_person = PersonFactory(user=liaison_user)
    joined = CoalitionFactory(name="Joined")
    MembershipFactory(coalition=joined, organization=None, person=liaison_person)
    other = CoalitionFactory(name="Other")
    return mine, joined, other


@pytest.mark.parametrize(
    ("role_fixture", "expected"),
    [
        ("admin_user", ["Joined", "Mine", "Other"]),
        ("staff_user", ["Joined", "Mine", "Other"]),
        ("coordinator_user", ["Mine"]),
        ("liaison_user", ["Joined"]),
    ],
)
def test_each_role_sees_its_coalitions(request, client, coalitions, role_fixture, expected):
    """Admins and staff see every coalition, coordinators those they coordinate, liaisons those they belong to."""
    user = request.getfixturevalue(role_fixture)
    assert [c.name for c in coalitions_visible_to(user)] == expected
    client.force_login(user)
    content = client.get(reverse("coalition:list")).content.decode()
    for coalition in coalitions:
        assert (f">{coalition.name}</a>" in content) is (coalition.name in expected)


def test_liaison_who_left_no_longer_sees_the_coalition(liaison_user, coalitions):
    """Membership ending removes a liaison's access."""
    _mine, joined, _other = coalitions
    Membership.objects.filter(coalition=joined).update(left_on=datetime.date(2026, 1, 1))
    assert list(coalitions_visible_to(liaison_user)) == []


def test_users_without_a_role_see_no_coalitions(client):
    """A signed-in user with no role gets 403 on the list."""
    client.force_login(UserFactory())
    assert client.get(reverse("coalition:list")).status_code == 403


@pytest.mark.parametrize(
    ("role_fixture", "target", "status"),
    [
        ("coordinator_user", 0, 200),  # coordinates it
        ("coordinator_user", 2, 404),  # cannot see it
        ("staff_user", 0, 403),  # sees it, may not change it
        ("admin_user", 2, 200),  # manages everything
        ("liaison_user", 1, 403),
    ],
)
def test_who_may_edit_the_charter(request, client, coalitions, role_fixture, target, status):
    """Only a coalition's coordinators and admins may open its charter form."""
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(reverse("coalition:edit", args=[coalitions[target].pk])).status_code == status


def test_liaisons_see_the_charter_but_not_the_ally_map(client, liaison_user, coalitions):
    """Stances are for city staff: a liaison member reads the charter but gets 403 on the ally map."""
    _mine, joined, _other = coalitions
    client.force_login(liaison_user)
    assert client.get(reverse("coalition:detail", args=[joined.pk])).status_code == 200
    assert client.get(reverse("coalition:ally_map", args=[joined.pk])).status_code == 403


def test_coordinator_creates_a_coalition_they_then_coordinate(client, coordinator_user):
    """Creating a coalition makes its creator a coordinator, so they can manage it."""
    client.force_login(coordinator_user)
    response = client.post(
        reverse("coalition:create"),
        {"name": "Riverton Heat Relief", "status": "forming", "mission_what": "Cooling centers", "coordinators": []},
    )
    coalition = Coalition.objects.get(name="Riverton Heat Relief")
    assert response.status_code == 302
    assert list(coalition.coordinators.all()) == [coordinator_user]
    assert client.get(reverse("coalition:edit", args=[coalition.pk])).status_code == 200


def test_staff_cannot_create_coalitions(client, staff_user):
    """Staff view coalitions but do not create them."""
    client.force_login(staff_user)
    assert client.get(reverse("coalition:create")).status_code == 403


def test_coalition_list_counts_current_members_and_allies(client, admin_user):
    """Members who left are not counted; each ally counts once, however many members there are."""
    transit = CoalitionFactory(name="Transit riders")
    MembershipFactory.create_batch(3, coalition=transit)
    MembershipFactory(coalition=transit, joined_on=datetime.date(2024, 1, 1), left_on=datetime.date(2025, 1, 1))
    AllyStanceFactory.create_batch(2, coalition=transit)
    CoalitionFactory(name="Quiet coalition")
    client.force_login(admin_user)
    response = client.get(reverse("coalition:list"))
    counts = {
        coalition.name: (coalition.member_count, coalition.ally_count) for coalition in response.context["coalitions"]
    }
    assert counts == {"Transit riders": (3, 2), "Quiet coalition": (0, 0)}


@pytest.mark.parametrize("rows", [1, 50])
def test_coalition_list_query_count_is_fixed(client, admin_user, django_assert_max_num_queries, rows):
    """The list page runs the same number of queries for 1 and for 50 coalitions."""
    for _ in range(rows):
        coalition = CoalitionFactory(coordinators=[UserFactory()])
        MembershipFactory(coalition=coalition)
        AllyStanceFactory(coalition=coalition)
    client.force_login(admin_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("coalition:list"))
    assert response.content.decode().count("/coalitions/") >= rows


def test_resource_map_shows_kinds_by_member_missing_kinds_and_sector_mix(client, coordinator_user, coalitions):
    """The members page lists resources by kind and member, the kinds nobody brings and members by sector."""
    mine = coalitions[0]
    client.force_login(coordinator_user)
    church = OrganizationFactory(name="Grace Church", kind="faith")
    client.post(reverse("coalition:membership_add", args=[mine.pk]), {"organization": church.pk, "role": "steering"})
    membership = Membership.objects.get(coalition=mine, organization=church)
    client.post(
        reverse("coalition:resource_add", args=[mine.pk]),
        {"membership": membership.pk, "kind": MemberResource.Kind.MEETING_SPACE, "note": "Fellowship hall"},
    )
    MembershipFactory(coalition=mine, organization__kind="faith")
    MembershipFactory(coalition=mine, organization__kind="business")

    content = client.get(reverse("coalition:members", args=[mine.pk])).content.decode()

    resource_map = content.split('data-testid="resource-map"')[1].split("</table>")[0]
    assert "Meeting space" in resource_map and "Grace Church — Fellowship hall" in resource_map
    missing = content.split('data-testid="missing-kinds"')[1].split("</ul>")[0]
    assert "Funding" in missing and "Meeting space" not in missing
    assert '<td>Faith</td><td class="text-end">2</td>' in content
    assert '<td>Business</td><td class="text-end">1</td>' in content


def test_goal_page_has_chart_data_and_the_same_numbers_in_a_table(client, coordinator_user, coalitions):
    """Recording progress adds a dated value; the goal page carries it in the chart's JSON and in the table."""
    goal = GoalFactory(coalition=coalitions[0], metric="Cooling centers open", baseline=2, target=12)
    client.force_login(coordinator_user)
    url = reverse("coalition:goal_detail", args=[coalitions[0].pk, goal.pk])
    response = client.post(url, {"recorded_on": "2026-06-01", "value": "5.5", "note": "Two libraries joined"})
    assert response.status_code == 302

    response = client.get(url)
    assert response.context["chart"]["labels"] == ["2026-06-01"]
    assert response.context["chart"]["values"] == [5.5]
    content = response.content.decode()
    assert 'id="goal-chart-data"' in content and "chart.umd.min.js" in content
    assert '<td>2026-06-01</td><td class="text-end">5.50</td>' in content


def test_staff_cannot_post_goals(client, staff_user, coalitions):
    """Viewing staff get 403 when posting a goal."""
    client.force_login(staff_user)
    response = client.post(reverse("coalition:goals", args=[coalitions[0].pk]), {"metric": "x", "target": "1"})
    assert response.status_code == 403
    assert not Goal.objects.exists()


def test_agreement_upload_and_download(client, coordinator_user, coalitions, settings, tmp_path):
    """An uploaded PDF is stored and downloadable by those who see the coalition; an .exe is refused."""
    settings.MEDIA_ROOT = tmp_path
    mine = coalitions[0]
    client.force_login(coordinator_user)
    url = reverse("coalition:agreements", args=[mine.pk])
    bad = client.post(url, {"title": "Bad", "kind": "mou", "document": SimpleUploadedFile("x.exe", b"MZ")})
    assert bad.status_code == 200 and "document" in bad.context["form"].errors
    response = client.post(
        url,
        {
            "title": "Shared data MOU",
            "kind": "data_sharing",
            "data_categories": "311 calls",
            "document": SimpleUploadedFile("mou.pdf", b"%PDF-1.4 mou", content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    agreement = mine.agreements.get()
    download = client.get(reverse("coalition:agreement_document", args=[mine.pk, agreement.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 mou"
    client.force_login(UserFactory(roles=["Coordinator"]))
    assert client.get(reverse("coalition:agreement_document", args=[mine.pk, agreement.pk])).status_code == 404


def test_stance_editor_on_the_map_saves_and_keeps_history(client, coordinator_user, coalitions):
    """The htmx stance editor saves a change, answers with the editor fragment and history, and tells the map."""
    mine = coalitions[0]
    ally = AllyStanceFactory(coalition=mine, stance="neutral", influence="low")
    client.force_login(coordinator_user)
    url = reverse("coalition:ally_detail", args=[mine.pk, ally.pk])

    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert 'data-testid="stance-editor"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()

    response = client.post(
        url,
        {"stance": "champion", "influence": "high", "owner": coordinator_user.pk, "note": "Spoke at council"},
        HTTP_HX_REQUEST="true",
    )

    assert response["HX-Trigger"] == "stanceSaved"
    content = response.content.decode()
    assert "Stance saved." in content and "Neutral → Champion" in content and "Spoke at council" in content
    ally.refresh_from_db()
    assert (ally.stance, ally.influence, ally.owner) == ("champion", "high", coordinator_user)
    change = StanceChange.objects.get(ally_stance=ally, from_stance="neutral")
    assert change.changed_by == coordinator_user


def test_staff_may_read_but_not_change_stances(client, staff_user, coalitions):
    """Staff see the ally record without a form; posting is refused."""
    ally = AllyStanceFactory(coalition=coalitions[0])
    client.force_login(staff_user)
    url = reverse("coalition:ally_detail", args=[coalitions[0].pk, ally.pk])
    assert client.get(url).context["form"] is None
    assert client.post(url, {"stance": "opponent", "influence": "high"}).status_code == 403


def test_ally_map_filters_to_allies_at_risk(client, coordinator_user, coalitions):
    """With the at-risk filter (htmx or not) only flagged allies are listed."""
    mine = coalitions[0]
    AllyStanceFactory(coalition=mine, person__last_name="Safe")
    AllyStanceFactory(coalition=mine, person__last_name="Silent", person__last_contact_on=None)
    client.force_login(coordinator_user)
    url = reverse("coalition:ally_map", args=[mine.pk])

    full = client.get(url).content.decode()
    partial = client.get(url, {"at_risk": "1"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="ally-matrix").content.decode()

    assert "Safe" in full and "Silent" in full and 'id="ally-graph"' in full
    assert "Silent" in partial and "Safe" not in partial and "No recent contact" in partial
    assert 'id="ally-graph"' not in partial
    listed = client.get(url, {"at_risk": "1", "department": "0", "stance": "neutral"}).content.decode()
    assert "Silent" in listed and "Safe" not in listed and "No contact on record." in listed


def test_ally_map_filters_to_one_owner(client, coordinator_user, coalitions):
    """The owner filter (where a staff node of the graph leads) lists only that owner's relationships."""
    mine = coalitions[0]
    AllyStanceFactory(coalition=mine, person__last_name="Owned", owner=coordinator_user)
    AllyStanceFactory(coalition=mine, person__last_name="Unowned")
    client.force_login(coordinator_user)
    response = client.get(reverse("coalition:ally_map", args=[mine.pk]), {"owner": coordinator_user.pk})
    matrix = response.content.decode().split('data-testid="ally-matrix"')[1].split("</table>")[0]
    assert "Owned" in matrix and "Unowned" not in matrix


def test_coordinator_adds_an_ally(client, coordinator_user, coalitions):
    """Adding an ally records their stance with a first history row."""
    person = PersonFactory()
    client.force_login(coordinator_user)
    response = client.post(
        reverse("coalition:ally_add", args=[coalitions[0].pk]),
        {"person": person.pk, "stance": "ally", "influence": "medium"},
    )
    assert response.status_code == 302
    ally = AllyStance.objects.get(person=person)
    assert ally.changes.get().to_stance == "ally"


def test_only_admins_change_risk_thresholds(client, admin_user, coordinator_user):
    """Admins set the thresholds; coordinators get 403."""
    client.force_login(coordinator_user)
    assert client.get(reverse("coalition:risk_settings")).status_code == 403
    client.force_login(admin_user)
    response = client.post(
        reverse("coalition:risk_settings"),
        {"term_end_window_days": 200, "ballot_window_days": 150, "no_contact_days": 60},
    )
    assert response.status_code == 302
    assert RiskSettings.load().no_contact_days == 60


def test_panels_list_coalitions_of_an_organization_and_a_person(client, staff_user, coalitions):
    """The organization and person panels list memberships and stances in coalitions the user can see."""
    mine = coalitions[0]
    membership = MembershipFactory(coalition=mine, organization__name="Eastside Tenants")
    ally = AllyStanceFactory(coalition=mine, stance="champion")
    client.force_login(staff_user)
    org_panel = client.get(reverse("coalition:organization_panel", args=[membership.organization_id]))
    assert "Mine" in org_panel.content.decode()
    person_panel = client.get(reverse("coalition:person_panel", args=[ally.person_id])).content.decode()
    assert "Champion" in person_panel


def test_panels_are_registered_on_stakeholder_pages(admin_user):
    """The coalition app adds its panels to organization and person pages."""
    from stakeholders.panels import panels_for

    assert "Coalitions" in [p["title"] for p in panels_for("organization", admin_user, 1)]
    assert "Coalitions and stances" in [p["title"] for p in panels_for("person", admin_user, 1)]


def test_navigation_has_coalitions_for_roles_that_view_them(client, staff_user):
    """Users who may view coalitions find them in the main navigation."""
    client.force_login(staff_user)
    assert 'href="/coalitions/"' in client.get(reverse("home")).content.decode()
