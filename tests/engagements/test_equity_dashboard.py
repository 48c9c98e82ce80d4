"""The equity dashboard (issue 14): reach from anonymous counts and consenting named
attendees, suppression of small cells, the quarterly trend, and the share heard against
the census baseline — through the selector and over HTTP for every role."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from engagements.models import (
    AttendanceBreakdown,
    BaselineRow,
    BreakdownOption,
    CensusBaseline,
    Engagement,
    EquitySettings,
)
from engagements.selectors.equity import Cell, dashboard_engagements, equity_dashboard, suppress
from engagements.services.equity import equity_reach_refresh
from stakeholders.models import PersonDemographics
from tests.engagements.factories import DepartmentFactory, EngagementFactory, NeighborhoodFactory, PersonFactory
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def option(kind: str, **match) -> BreakdownOption:
    return BreakdownOption.objects.get(category__kind=kind, **match)


def attend(engagement, *, language="es", age_band="25_34", consent=True, neighborhood=None):
    person = PersonFactory(preferred_language_id=language, neighborhood=neighborhood)
    PersonDemographics.objects.create(
        person=person,
        consent_recorded_at=timezone.now() if consent else None,
        age_band=age_band if consent else "",
    )
    engagement.attendees.add(person)
    return person


def reach_of(dashboard, kind: str) -> dict[str, Cell]:
    category = next(c for c in dashboard.categories if c.category.kind == kind)
    return {item.option.label: item.cell for item in category.options}


def everything():
    equity_reach_refresh()
    return equity_dashboard(Engagement.objects.filter(status=Engagement.Status.LOGGED))


# --- Suppression -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        ([10, 3, 8], [False, True, True]),  # a lone small cell takes the next smallest with it
        ([10, 3, 2], [False, True, True]),  # two small cells protect each other
        ([12, 0, 3], [True, False, True]),  # zero is not a small group; the next smallest goes
        ([0, 3], [False, True]),  # nothing else to hide
        ([10, 0, 7], [False, False, False]),
        ([5, 6], [False, False]),  # the minimum itself is shown
    ],
)
def test_counts_under_the_minimum_are_hidden_and_never_alone(counts, hidden):
    """Counts from 1 to minimum-1 are hidden; where only one would be, the next smallest non-zero is hidden too."""
    cells = suppress(counts, 5)
    assert [cell.suppressed for cell in cells] == hidden
    assert [cell.shown for cell in cells] == [None if h else c for c, h in zip(counts, hidden, strict=True)]


def test_the_page_hides_small_groups_with_the_admins_minimum():
    """A group of 3 is hidden at the default minimum of 5 and shown when an admin lowers it to 3."""
    engagement = EngagementFactory(attendance_total=40)
    spanish, english, somali = (option("language", language_id=code) for code in ("es", "en", "so"))
    for opt, count in ((spanish, 20), (english, 12), (somali, 3)):
        AttendanceBreakdown.objects.create(engagement=engagement, option=opt, count=count)

    language = reach_of(everything(), "language")
    assert language["Somali"].suppressed and language["Somali"].shown is None
    assert language["English"].suppressed  # the next smallest goes with it
    assert language["Spanish"].shown == 20

    EquitySettings.objects.create(pk=1, minimum_cell=3)
    language = reach_of(everything(), "language")
    assert language["Somali"].shown == 3 and language["English"].shown == 12


# --- What counts -----------------------------------------------------------------------------


def test_named_attendees_count_only_with_consent_and_only_where_the_session_did_not_count():
    """Anonymous counts stand for everyone who came; consenting named attendees add to the
    categories a session did not count, and attendees without consent never count."""
    # given a session counted by language only, with two consenting named attendees
    here = NeighborhoodFactory(name="Eastside", council_district="3")
    counted_session = EngagementFactory(attendance_total=30, neighborhood=here)
    AttendanceBreakdown.objects.create(
        engagement=counted_session, option=option("language", language_id="es"), count=25
    )
    attend(counted_session, language="vi", age_band="18_24", neighborhood=here)
    attend(counted_session, language="vi", age_band="18_24", neighborhood=here)
    # and a session with no counts: three consenting attendees and one who did not consent
    uncounted = EngagementFactory(attendance_total=10, neighborhood=here)
    for _ in range(3):
        attend(uncounted, language="vi", age_band="18_24", neighborhood=here)
    attend(uncounted, language="so", consent=False, neighborhood=here)
    EquitySettings.objects.create(pk=1, minimum_cell=1)

    dashboard = everything()

    language = reach_of(dashboard, "language")
    assert language["Spanish"].count == 25
    assert language["Vietnamese"].count == 3  # only the uncounted session's named attendees
    assert language["Somali"].count == 0  # no consent, not counted
    assert reach_of(dashboard, "age_band")["18–24"].count == 5  # no age counts anywhere: all five named
    assert dashboard.engagement_count == 2 and dashboard.attendance_total == 40


def test_drafts_and_engagements_outside_the_period_or_filters_do_not_count(client, coordinator_user):
    """The period, coalition, department and kind narrow what is added up; drafts never count."""
    spanish = option("language", language_id="es")
    department = DepartmentFactory(name="Parks")
    in_range = EngagementFactory(starts_at=NOW - datetime.timedelta(days=10), attendance_total=30)
    in_range.departments.add(department)
    AttendanceBreakdown.objects.create(engagement=in_range, option=spanish, count=11)
    old = EngagementFactory(starts_at=NOW - datetime.timedelta(days=500), attendance_total=30)
    AttendanceBreakdown.objects.create(engagement=old, option=spanish, count=7)
    hearing = EngagementFactory(
        starts_at=NOW - datetime.timedelta(days=5), attendance_total=30, kind=Engagement.Kind.PUBLIC_HEARING
    )
    AttendanceBreakdown.objects.create(engagement=hearing, option=spanish, count=13)
    draft = EngagementFactory(status=Engagement.Status.DRAFT, attendance_total=30)
    AttendanceBreakdown.objects.create(engagement=draft, option=spanish, count=17)
    client.force_login(coordinator_user)
    equity_reach_refresh()

    def spanish_heard(query=""):
        response = client.get(f"/equity/export/reach.csv{query}")
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        return next(int(row[2]) for row in rows if row[1] == "Spanish")

    assert spanish_heard() == 24  # the last year by default: not the old one, not the draft
    assert spanish_heard("?date_from=2024-01-01&date_to=2026-12-31") == 31
    assert spanish_heard(f"?department={department.pk}") == 11
    assert spanish_heard("?kind=public_hearing") == 13


def test_the_trend_adds_up_each_quarter():
    """Each quarter's row holds that quarter's people per group and their total."""
    spanish, english = option("language", language_id="es"), option("language", language_id="en")
    for starts, es, en in ((datetime.datetime(2026, 2, 1, 18, tzinfo=datetime.UTC), 10, 20), (NOW, 6, 9)):
        engagement = EngagementFactory(starts_at=starts, attendance_total=40)
        AttendanceBreakdown.objects.create(engagement=engagement, option=spanish, count=es)
        AttendanceBreakdown.objects.create(engagement=engagement, option=english, count=en)
    equity_reach_refresh()
    trend = equity_dashboard(Engagement.objects.all(), trend_category=spanish.category).trend
    labels = [o.label for o in trend.options]
    rows = {
        row.label: (row.cells[labels.index("Spanish")].shown, row.cells[labels.index("English")].shown, row.total.shown)
        for row in trend.rows
    }
    assert rows == {"2026 Q1": (10, 20, 30), "2026 Q4": (6, 9, 15)}


# --- Against the census baseline ----------------------------------------------------------------


def _baseline(rows):
    baseline = CensusBaseline.objects.create(name="ACS 2024")
    for kind, name, opt, population in rows:
        BaselineRow.objects.create(
            baseline=baseline, geography_kind=kind, geography=name, option=opt, population=population
        )
    return baseline


def test_share_heard_is_compared_with_share_living_worst_first():
    """Spanish speakers are 30% of residents but 10% of those heard: ratio 0.33, flagged and listed first."""
    spanish, english = option("language", language_id="es"), option("language", language_id="en")
    engagement = EngagementFactory(attendance_total=100, neighborhood=NeighborhoodFactory(council_district="3"))
    AttendanceBreakdown.objects.create(engagement=engagement, option=spanish, count=10)
    AttendanceBreakdown.objects.create(engagement=engagement, option=english, count=90)
    _baseline([("city", "", spanish, 30_000), ("city", "", english, 70_000)])

    first, second = everything().representation
    assert (first.option, first.ratio, first.under_heard) == (spanish, Decimal("0.33"), True)
    assert (first.share_heard, first.share_living, first.heard_total) == (Decimal("10.0"), Decimal("30.0"), 100)
    assert (second.option, second.ratio, second.under_heard) == (english, Decimal("1.29"), False)


def test_a_hidden_count_is_still_flagged_when_even_the_largest_it_could_be_is_too_few():
    """Three Somali speakers heard of 200, against 10% of residents: hidden, no ratio shown, still under-heard."""
    somali, english, spanish = (option("language", language_id=code) for code in ("so", "en", "es"))
    engagement = EngagementFactory(attendance_total=200, neighborhood=NeighborhoodFactory(council_district="4"))
    for opt, count in ((somali, 3), (english, 150), (spanish, 47)):
        AttendanceBreakdown.objects.create(engagement=engagement, option=opt, count=count)
    _baseline(
        [
            ("council_district", "4", somali, 1_000),
            ("council_district", "4", english, 6_000),
            ("council_district", "4", spanish, 3_000),
        ]
    )

    rows = {row.option.label: row for row in everything().representation}
    assert rows["Somali"].heard.suppressed and rows["Somali"].ratio is None and rows["Somali"].share_heard is None
    assert rows["Somali"].under_heard  # at most 4 of 200 = 2% against 10%
    assert rows["Spanish"].heard.suppressed  # paired with the hidden one
    assert rows["English"].ratio == Decimal("1.25")


def test_places_where_no_one_was_heard_are_named():
    """A district in the baseline with no engagement held there is listed as unheard, not compared."""
    spanish = option("language", language_id="es")
    engagement = EngagementFactory(attendance_total=50, neighborhood=NeighborhoodFactory(council_district="1"))
    AttendanceBreakdown.objects.create(engagement=engagement, option=spanish, count=50)
    _baseline([("council_district", "1", spanish, 500), ("council_district", "9", spanish, 800)])
    dashboard = everything()
    assert dashboard.unheard_places == ["Council district: 9"]
    assert [row.geography for row in dashboard.representation] == [("council_district", "1")]


# --- Over HTTP ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "status"),
    [(["Staff"], 200), (["Coordinator"], 200), (["Admin"], 200), (["Liaison"], 403)],
)
def test_who_may_open_the_dashboard_and_its_downloads(client, roles, status):
    """Staff, coordinators and admins read the dashboard and its CSVs; liaisons may not; visitors sign in first."""
    assert client.get("/equity/").status_code == 302
    client.force_login(UserFactory(roles=roles, is_staff="Admin" in roles))
    assert client.get("/equity/").status_code == status
    for section in ("reach", "trend", "representation"):
        assert client.get(f"/equity/export/{section}.csv").status_code == status


def test_the_dashboard_adds_up_nothing_for_those_who_may_not_see_every_engagement():
    """The selector starts from the user: a liaison's dashboard counts no engagement."""
    EngagementFactory()
    assert not dashboard_engagements(UserFactory(roles=["Liaison"])).exists()
    assert dashboard_engagements(UserFactory(roles=["Staff"])).exists()


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("?date_from=2026-02-30", "date_from", "Enter a valid date."),
        ("?date_from=2026-06-01&date_to=2026-01-01", "date_to", "cannot be before its start"),
        ("?kind=parade", "kind", "Select a valid choice."),
        ("?trend=99999", "trend", "Select a valid choice."),
    ],
)
def test_bad_choices_get_a_message_on_the_field(client, staff_user, query, field, message):
    """A choice the dashboard cannot use answers 422 with the reason next to the field, and no figures."""
    client.force_login(staff_user)
    response = client.get(f"/equity/{query}")
    assert response.status_code == 422
    assert message in response.content.decode()
    assert f'id="id_{field}-error"' in response.content.decode()
    assert f'aria-describedby="id_{field}-error"' in response.content.decode()
    assert client.get(f"/equity/export/reach.csv{query}").status_code == 422


def test_an_unknown_download_is_not_found(client, staff_user):
    client.force_login(staff_user)
    assert client.get("/equity/export/people.csv").status_code == 404


def test_the_csv_has_the_pages_numbers_and_hides_the_same_cells(client, staff_user):
    """The reach CSV shows each count the page shows, and "suppressed" where the page hides one."""
    engagement = EngagementFactory(attendance_total=60)
    for code, count in (("es", 30), ("en", 20), ("so", 2)):
        AttendanceBreakdown.objects.create(
            engagement=engagement, option=option("language", language_id=code), count=count
        )
    client.force_login(staff_user)
    equity_reach_refresh()
    page = client.get("/equity/").content.decode()
    rows = list(
        csv.reader(io.StringIO(b"".join(client.get("/equity/export/reach.csv").streaming_content).decode("utf-8-sig")))
    )
    language = {row[1]: row[2] for row in rows if row[0] == "Language"}
    assert language["Spanish"] == "30" and language["English"] == "suppressed" and language["Somali"] == "suppressed"
    assert ">30<" in page and ">20<" not in page


def test_the_dashboard_runs_a_constant_number_of_queries(client, staff_user, django_assert_num_queries):
    """Three engagements or thirty, with counts, named attendees and a baseline: the same queries."""
    spanish = option("language", language_id="es")
    _baseline([("city", "", spanish, 1000)])
    client.force_login(staff_user)

    def make(n):
        for _ in range(n):
            engagement = EngagementFactory(attendance_total=20, neighborhood=NeighborhoodFactory(council_district="2"))
            AttendanceBreakdown.objects.create(engagement=engagement, option=spanish, count=6)
            attend(engagement)

    make(3)
    equity_reach_refresh()
    client.get("/equity/")  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        assert client.get("/equity/").status_code == 200
    make(27)
    equity_reach_refresh()
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get("/equity/").status_code == 200


def test_the_summary_refresh_is_idempotent_and_follows_consent():
    """Refreshing twice gives the same figures; a withdrawn consent leaves the figures at the next refresh."""
    engagement = EngagementFactory(attendance_total=10)
    people = [attend(engagement, language="vi") for _ in range(6)]
    first = reach_of(everything(), "language")["Vietnamese"].count
    assert first == reach_of(everything(), "language")["Vietnamese"].count == 6
    PersonDemographics.objects.filter(person=people[0]).update(consent_recorded_at=None, age_band="")
    assert reach_of(everything(), "language")["Vietnamese"].count == 5


def test_the_refresh_task_runs_the_refresh(settings):
    """The beat task (every ten minutes) brings the summary up to date."""
    from engagements.tasks import equity_reach_refresh as task

    engagement = EngagementFactory(attendance_total=10)
    AttendanceBreakdown.objects.create(engagement=engagement, option=option("language", language_id="es"), count=9)
    task.apply()
    dashboard = equity_dashboard(Engagement.objects.all())
    assert reach_of(dashboard, "language")["Spanish"].count == 9
    assert dashboard.refreshed_at is not None
