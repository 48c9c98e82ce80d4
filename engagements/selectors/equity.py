"""The equity dashboard's figures: who we heard from, by breakdown option, per quarter
and per place, against the census baseline — with small cells suppressed.

Who each engagement reached, per breakdown option, is counted in SQL into a
materialized summary (``engagements_engagementreach``, migration 0015) that Celery
refreshes every ten minutes; the dashboard adds up the summary rows of the chosen
engagements in one query (per quarter and option, and per place and option), then
only adds up a few thousand grouped rows. Two sources count:

- the anonymous counts of each session (``AttendanceBreakdown``);
- named attendees whose demographics consent is recorded, counted under the option
  that matches them (their preferred language, their neighborhood, their age band),
  but only in a category the session did not count anonymously: those counts already
  include everyone who came, named or not.

A cell is a count of people; a count from 1 to ``minimum_cell - 1`` is suppressed
(shown as "fewer than N"), and where a row of cells has a total, one suppressed cell
is never left alone: the next smallest is suppressed with it, so that no hidden cell
can be worked out by subtracting the others from the total.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from stakeholders.models import Neighborhood, User

from ..models import BaselineRow, BreakdownCategory, BreakdownOption, Engagement, EquitySettings

# The geography of a figure: ("city", ""), ("council_district", "District 3") or
# ("neighborhood", "Eastside").
Geography = tuple[str, str]
CITY: Geography = (BaselineRow.GeographyKind.CITY, "")


def dashboard_engagements(user: User) -> QuerySet[Engagement]:
    """The logged engagements whose attendance the dashboard may add up for ``user``.

    The dashboard shows aggregates only, so it counts every logged engagement for
    whoever may see every engagement and read equity figures; anyone else counts nothing.
    """
    if not (user.has_perm("engagements.view_all_engagements") and user.has_perm("engagements.view_equityassessment")):
        return Engagement.objects.none()
    return Engagement.objects.filter(status=Engagement.Status.LOGGED)


# The chosen engagements' reach, from the summary view (migration 0015): one set of rows
# per quarter and option (the trend; summed, the reach), one per engagement neighborhood
# and option (the places). The refresh time comes along on every row.
_REACH_SQL = """
SELECT r.quarter, r.neighborhood_id, r.option_id, sum(r.anonymous), sum(r.named), max(r.refreshed_at),
       GROUPING(r.neighborhood_id) = 1 AS by_quarter
FROM engagements_engagementreach r
WHERE r.starts_at >= %(start)s AND r.starts_at < %(end)s AND r.engagement_id IN ({engagements})
GROUP BY GROUPING SETS ((r.quarter, r.option_id), (r.neighborhood_id, r.option_id))
"""
_EARLIEST = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
_LATEST = datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Cell:
    """A count of people, possibly suppressed; ``shown`` is what a reader may see."""

    count: int
    suppressed: bool = False

    @property
    def shown(self) -> int | None:
        return None if self.suppressed else self.count


def suppress(counts: list[int], minimum: int) -> list[Cell]:
    """Cells for one row of counts that has a total: counts from 1 to ``minimum - 1`` are
    hidden, and a lone hidden cell takes the next smallest non-zero count with it."""
    hidden = [0 < count < minimum for count in counts]
    if hidden.count(True) == 1:
        others = [(count, index) for index, count in enumerate(counts) if count > 0 and not hidden[index]]
        if others:
            hidden[min(others)[1]] = True
    return [Cell(count, is_hidden) for count, is_hidden in zip(counts, hidden, strict=True)]


@dataclass
class OptionReach:
    option: BreakdownOption
    cell: Cell
    anonymous: int  # of which from anonymous counts (before suppression)
    named: int


@dataclass
class CategoryReach:
    category: BreakdownCategory
    options: list[OptionReach]
    total: Cell  # how many people this category's figures rest on

    @property
    def chart(self) -> dict:
        return {
            "labels": [item.option.label for item in self.options],
            "values": [item.cell.shown for item in self.options],
        }


@dataclass
class TrendRow:
    quarter: datetime.date
    cells: list[Cell]
    total: Cell

    @property
    def label(self) -> str:
        return quarter_label(self.quarter)


@dataclass
class Trend:
    category: BreakdownCategory | None
    options: list[BreakdownOption]
    rows: list[TrendRow]

    @property
    def chart(self) -> dict:
        return {
            "labels": [row.label for row in self.rows],
            "series": [
                {"label": option.label, "values": [row.cells[index].shown for row in self.rows]}
                for index, option in enumerate(self.options)
            ],
        }


@dataclass
class Representation:
    """One group in one place: its share of those heard against its share of residents.

    A suppressed heard count shows no share and no ratio. It is still judged: a count
    hidden for being small is judged with the largest it could be (``minimum_cell - 1``),
    so a group heard from only twice is flagged when even that would be too few.
    """

    geography: Geography
    option: BreakdownOption
    heard: Cell
    heard_total: int  # people the place's figures for this category rest on
    population: int
    population_total: int
    under_heard: bool
    ratio: Decimal | None  # None when the heard count is suppressed
    judged_ratio: Decimal  # what the flag and the order go by

    @property
    def share_heard(self) -> Decimal | None:
        return None if self.heard.suppressed else _percent(self.heard.count, self.heard_total)

    @property
    def share_living(self) -> Decimal:
        return _percent(self.population, self.population_total)

    @property
    def geography_label(self) -> str:
        return geography_label(self.geography)

    @property
    def sort_key(self) -> tuple:
        return (self.judged_ratio, self.geography, self.option.category.position, self.option.position)


@dataclass
class Dashboard:
    settings: EquitySettings
    engagement_count: int
    attendance_total: int
    categories: list[CategoryReach]
    trend: Trend
    representation: list[Representation] = field(default_factory=list)
    refreshed_at: datetime.datetime | None = None  # when the summary was last brought up to date
    unheard_places: list[str] = field(default_factory=list)  # in the baseline, but no one heard there
    baseline_name: str = ""

    @property
    def under_heard_count(self) -> int:
        return sum(1 for row in self.representation if row.under_heard)


def geography_label(geography: Geography) -> str:
    """ "Whole city", "Council district: 3", "Neighborhood: Eastside"."""
    kind, name = geography
    label = BaselineRow.GeographyKind(kind).label
    return f"{label}: {name}" if name else str(label)


def quarter_label(quarter: datetime.date) -> str:
    return _("%(year)s Q%(quarter)s") % {"year": quarter.year, "quarter": (quarter.month - 1) // 3 + 1}


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _ratio(heard: int, heard_total: int, population: int, population_total: int) -> Decimal:
    share_heard = Decimal(heard) / heard_total
    share_living = Decimal(population) / population_total
    return (share_heard / share_living).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _reach_rows(engagements: QuerySet[Engagement], period: tuple) -> list[tuple]:
    sql, params = engagements.order_by().values("id").query.sql_with_params()
    # The engagement filter's own placeholders, renamed to sit beside the period's.
    names = [f"p{index}" for index in range(len(params))]
    sql = sql.replace("%s", "{}").format(*(f"%({name})s" for name in names))
    start, end = period
    with connection.cursor() as cursor:
        cursor.execute(
            _REACH_SQL.format(engagements=sql),
            {**dict(zip(names, params, strict=True)), "start": start or _EARLIEST, "end": end or _LATEST},
        )
        return cursor.fetchall()


def equity_dashboard(
    engagements: QuerySet[Engagement],
    *,
    period: tuple[datetime.datetime | None, datetime.datetime | None] = (None, None),
    trend_category: BreakdownCategory | None = None,
    geography_kind: str = "",
) -> Dashboard:
    """The dashboard's figures for ``engagements`` (already filtered by the user's choices,
    the period included; ``period`` repeats it, [start, end), so the summary's period
    index narrows the rows before the engagement filter is applied).

    A constant number of queries: the settings, the categories and options, the
    neighborhoods, the summary, the one aggregate and the current baseline's rows.
    """
    settings = EquitySettings.current()
    minimum = settings.minimum_cell
    options = list(BreakdownOption.objects.select_related("category").order_by(*BreakdownOption._meta.ordering))
    option_by_pk = {option.pk: option for option in options}
    categories = list(BreakdownCategory.objects.order_by(*BreakdownCategory._meta.ordering))
    summary = engagements.aggregate(count=Count("pk"), people=Sum("attendance_total"))
    rows = _reach_rows(engagements, period)

    # Add up: per option (all time in range), per quarter and option, per place and option.
    by_option: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # [anonymous, named]
    by_quarter: dict[datetime.date, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    by_place: dict[int | None, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    refreshed_at = None
    for quarter, neighborhood_id, option_id, anonymous, named, refreshed, by_quarter_row in rows:
        if by_quarter_row:
            by_option[option_id][0] += anonymous
            by_option[option_id][1] += named
            by_quarter[quarter][option_id] += anonymous + named
        else:
            by_place[neighborhood_id][option_id] += anonymous + named
        refreshed_at = refreshed

    reach = []
    for category in categories:
        members = [option for option in options if option.category_id == category.pk]
        shown = [option for option in members if option.is_active or sum(by_option[option.pk])]
        if not shown:
            continue
        counts = [sum(by_option[option.pk]) for option in shown]
        cells = suppress(counts, minimum)
        total = sum(counts)
        reach.append(
            CategoryReach(
                category=category,
                options=[
                    OptionReach(option, cell, by_option[option.pk][0], by_option[option.pk][1])
                    for option, cell in zip(shown, cells, strict=True)
                ],
                total=Cell(total, 0 < total < minimum),
            )
        )

    trend_category = trend_category or (reach[0].category if reach else None)
    trend_options = next((c.options for c in reach if trend_category and c.category.pk == trend_category.pk), [])
    trend_rows = []
    for quarter in sorted(by_quarter):
        counts = [by_quarter[quarter][item.option.pk] for item in trend_options]
        total = sum(counts)
        trend_rows.append(TrendRow(quarter, suppress(counts, minimum), Cell(total, 0 < total < minimum)))
    trend = Trend(trend_category, [item.option for item in trend_options], trend_rows)

    dashboard = Dashboard(
        settings=settings,
        engagement_count=summary["count"],
        attendance_total=summary["people"] or 0,
        categories=reach,
        trend=trend,
        refreshed_at=refreshed_at,
    )
    _add_representation(dashboard, by_place, option_by_pk, geography_kind)
    return dashboard


def _add_representation(dashboard: Dashboard, by_place, option_by_pk, geography_kind: str) -> None:
    """Compare the heard counts with the current baseline, per place and category, worst first."""
    baseline_rows = BaselineRow.objects.filter(baseline__is_current=True)
    if geography_kind:
        baseline_rows = baseline_rows.filter(geography_kind=geography_kind)
    columns = ("baseline__name", "geography_kind", "geography", "option_id", "population")
    baseline_rows = list(baseline_rows.values_list(*columns))
    if not baseline_rows:
        return
    dashboard.baseline_name = baseline_rows[0][0]
    districts = {}
    names = {}
    for pk, name, district in Neighborhood.objects.values_list("pk", "name", "council_district"):
        names[pk], districts[pk] = name, district

    # Heard counts per geography and option, from the per-neighborhood sums.
    heard: dict[Geography, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for neighborhood_id, counts in by_place.items():
        places = [CITY]
        if neighborhood_id is not None:
            places.append((BaselineRow.GeographyKind.NEIGHBORHOOD, names[neighborhood_id]))
            if districts[neighborhood_id]:
                places.append((BaselineRow.GeographyKind.COUNCIL_DISTRICT, districts[neighborhood_id]))
        for place in places:
            for option_id, people in counts.items():
                heard[place][option_id] += people

    # Population per geography and category, and heard totals per geography and category,
    # over the options the baseline lists (shares compare like with like).
    population: dict[tuple[Geography, int], dict[int, int]] = defaultdict(dict)
    for _name, kind, geography, option_id, people in baseline_rows:
        population[((kind, geography), option_by_pk[option_id].category_id)][option_id] = people

    minimum = dashboard.settings.minimum_cell
    threshold = dashboard.settings.under_heard_ratio
    results = []
    unheard = set()
    for (place, _category_id), populations in population.items():
        option_ids = [option_id for option_id, people in populations.items() if people]
        counts = [heard[place].get(option_id, 0) for option_id in option_ids]
        heard_total = sum(counts)
        population_total = sum(populations.values())
        if not heard_total:
            unheard.add(place)
            continue
        for option_id, cell in zip(option_ids, suppress(counts, minimum), strict=True):
            people = populations[option_id]
            ceiling = minimum - 1 if cell.count < minimum else cell.count
            judged = _ratio(ceiling if cell.suppressed else cell.count, heard_total, people, population_total)
            results.append(
                Representation(
                    geography=place,
                    option=option_by_pk[option_id],
                    heard=cell,
                    heard_total=heard_total,
                    population=people,
                    population_total=population_total,
                    under_heard=judged < threshold,
                    ratio=None if cell.suppressed else judged,
                    judged_ratio=judged,
                )
            )
    results.sort(key=lambda row: row.sort_key)
    dashboard.representation = results
    dashboard.unheard_places = [geography_label(place) for place in sorted(unheard)]
