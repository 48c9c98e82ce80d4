"""Coalition services: charter, members, resources, goals, agreements and stance history."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from coalition import services
from coalition.models import MemberResource, Membership, RiskSettings, StanceChange
from tests.coalition.factories import (
    CoalitionFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
)
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_coalition_create_and_update_keep_the_charter(coordinator_user):
    """A coalition keeps its mission and coordinators; an update changes only what it is given."""
    coalition = services.coalition_create(
        name="Safe Routes Riverton",
        mission_what="Safe walks to school.",
        mission_why="Children are hurt at crossings.",
        mission_measure="Injuries near schools.",
        start_date=datetime.date(2026, 1, 15),
        coordinators=[coordinator_user],
    )
    services.coalition_update(coalition=coalition, status="paused")
    coalition.refresh_from_db()
    assert coalition.status == "paused"
    assert coalition.mission_why == "Children are hurt at crossings."
    assert list(coalition.coordinators.all()) == [coordinator_user]


def test_coalition_names_are_unique():
    """Two coalitions cannot share a name; the error is tied to the name field."""
    services.coalition_create(name="Housing First")
    with pytest.raises(ValidationError) as error:
        services.coalition_create(name="Housing First")
    assert "name" in error.value.message_dict


def test_membership_needs_exactly_one_member():
    """A membership names an organization or a person, never both and never neither, also in the database."""
    coalition = CoalitionFactory()
    with pytest.raises(ValidationError):
        services.membership_add(coalition=coalition, organization=OrganizationFactory(), person=PersonFactory())
    with pytest.raises(ValidationError):
        services.membership_add(coalition=coalition)
    with pytest.raises(IntegrityError):
        Membership.objects.create(coalition=coalition, organization=OrganizationFactory(), person=PersonFactory())


def test_member_can_leave_once_and_rejoin():
    """Ending a membership dates it; the organization may join again afterwards, but not twice at once."""
    membership = MembershipFactory()
    with pytest.raises(ValidationError):
        services.membership_add(coalition=membership.coalition, organization=membership.organization)
    services.membership_end(membership=membership, left_on=datetime.date(2026, 6, 1))
    with pytest.raises(ValidationError):
        services.membership_end(membership=membership)
    again = services.membership_add(coalition=membership.coalition, organization=membership.organization)
    assert again.is_active and not membership.is_active


def test_resources_belong_to_current_members():
    """A resource is recorded for a current member; a member who left cannot bring one."""
    membership = MembershipFactory()
    resource = services.resource_add(
        membership=membership, kind=MemberResource.Kind.MEETING_SPACE, note="Church hall, Tuesdays"
    )
    assert resource.get_kind_display() == "Meeting space"
    services.membership_end(membership=membership)
    with pytest.raises(ValidationError):
        services.resource_add(membership=membership, kind=MemberResource.Kind.FUNDING)


def test_goal_progress_is_dated_once_per_day_and_not_in_the_future(time_machine):
    """Progress values are decimals on past dates, one per goal and day."""
    time_machine.move_to(datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC))
    goal = services.goal_create(
        coalition=CoalitionFactory(),
        metric="Crossing guards",
        unit="guards",
        baseline=Decimal("4"),
        target=Decimal("20"),
    )
    services.goal_progress_record(goal=goal, value=Decimal("7.5"), recorded_on=datetime.date(2026, 4, 1))
    with pytest.raises(ValidationError) as duplicate:
        services.goal_progress_record(goal=goal, value=Decimal("8"), recorded_on=datetime.date(2026, 4, 1))
    assert duplicate.value.messages
    with pytest.raises(ValidationError) as future:
        services.goal_progress_record(goal=goal, value=Decimal("8"), recorded_on=datetime.date(2026, 5, 2))
    assert "recorded_on" in future.value.message_dict
    assert goal.latest_progress.value == Decimal("7.50")


def test_goal_target_is_required():
    """A goal without a target is rejected with the error on the target."""
    with pytest.raises(ValidationError) as error:
        services.goal_create(coalition=CoalitionFactory(), metric="Trees planted", target=None)
    assert "target" in error.value.message_dict


def test_working_group_spans_departments_and_people():
    """A working group keeps its purpose, departments and people."""
    from tests.coalition.factories import DepartmentFactory

    parks, transit = DepartmentFactory(), DepartmentFactory()
    person = PersonFactory()
    group = services.working_group_create(
        coalition=CoalitionFactory(),
        name="Green corridors",
        purpose="Shade",
        departments=[parks, transit],
        people=[person],
    )
    assert set(group.departments.all()) == {parks, transit}
    assert list(group.people.all()) == [person]


def test_agreement_stores_a_document_of_an_allowed_type(media_root):
    """An agreement keeps its parties, dates, categories and the uploaded PDF under MEDIA_ROOT."""
    org = OrganizationFactory()
    agreement = services.agreement_create(
        coalition=CoalitionFactory(),
        title="Data-sharing on crash reports",
        kind="data_sharing",
        parties=[org],
        signed_on=datetime.date(2026, 2, 1),
        expires_on=datetime.date(2028, 2, 1),
        data_categories="Crash reports\nSchool enrollment",
        document=SimpleUploadedFile("dsa.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    assert agreement.data_category_list == ["Crash reports", "School enrollment"]
    assert (media_root / agreement.document.name).read_bytes() == b"%PDF-1.4 test"
    assert list(agreement.parties.all()) == [org]


@pytest.mark.parametrize(
    ("name", "size"),
    [("script.exe", 10), ("big.pdf", 10 * 1024 * 1024 + 1)],
)
def test_agreement_rejects_wrong_type_or_oversized_documents(media_root, name, size):
    """Executables and files over 10 MB are refused with an error on the document."""
    with pytest.raises(ValidationError) as error:
        services.agreement_create(
            coalition=CoalitionFactory(), title="MOU", document=SimpleUploadedFile(name, b"x" * size)
        )
    assert "document" in error.value.message_dict


def test_agreement_cannot_expire_before_it_is_signed():
    """Expiry before signature is rejected."""
    with pytest.raises(ValidationError):
        services.agreement_create(
            coalition=CoalitionFactory(),
            title="MOU",
            signed_on=datetime.date(2026, 2, 1),
            expires_on=datetime.date(2026, 1, 1),
        )


def test_stance_set_records_who_changed_what_and_when(time_machine, coordinator_user):
    """Each change of stance, influence or owner adds a dated history row with from and to; no change adds none."""
    coalition, person, owner = CoalitionFactory(), PersonFactory(), UserFactory(roles=["Staff"])
    time_machine.move_to(datetime.datetime(2026, 1, 10, 15, tzinfo=datetime.UTC), tick=False)
    ally = services.stance_set(
        coalition=coalition, person=person, stance="skeptic", influence="high", changed_by=coordinator_user
    )
    time_machine.move_to(datetime.datetime(2026, 3, 2, 15, tzinfo=datetime.UTC), tick=False)
    services.stance_set(
        coalition=coalition,
        person=person,
        stance="ally",
        influence="high",
        owner=owner,
        changed_by=coordinator_user,
        note="Came round after the site visit.",
    )
    services.stance_set(
        coalition=coalition, person=person, stance="ally", influence="high", owner=owner, changed_by=coordinator_user
    )

    history = list(StanceChange.objects.filter(ally_stance=ally).order_by("changed_at"))
    assert [(h.from_stance, h.to_stance) for h in history] == [("", "skeptic"), ("skeptic", "ally")]
    assert history[1].changed_at == datetime.datetime(2026, 3, 2, 15, tzinfo=datetime.UTC)
    assert history[1].changed_by == coordinator_user
    assert (history[1].from_owner, history[1].to_owner) == (None, owner)
    assert history[1].note == "Came round after the site visit."
    ally.refresh_from_db()
    assert (ally.stance, ally.owner) == ("ally", owner)


def test_stance_set_rejects_unknown_values():
    """A stance outside the five choices is refused."""
    with pytest.raises(ValidationError) as error:
        services.stance_set(coalition=CoalitionFactory(), person=PersonFactory(), stance="friendly")
    assert "stance" in error.value.message_dict


def test_risk_settings_default_and_update():
    """The thresholds start at 180, 180 and 90 days and admins can change them."""
    defaults = RiskSettings.load()
    assert (defaults.term_end_window_days, defaults.ballot_window_days, defaults.no_contact_days) == (180, 180, 90)
    services.risk_settings_update(term_end_window_days=365, ballot_window_days=120, no_contact_days=30)
    assert RiskSettings.load().no_contact_days == 30
    assert RiskSettings.objects.count() == 1
    with pytest.raises(ValidationError):
        services.risk_settings_update(term_end_window_days=0, ballot_window_days=120, no_contact_days=30)
