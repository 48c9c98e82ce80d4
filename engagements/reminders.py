"""The reminder rules. A scan asks each rule for candidate follow-ups and inserts them.

How a rule stays cheap and idempotent:

- it reads with a fixed number of set-based queries (joins and ``IN (subquery)``,
  never one query per row) and yields unsaved :class:`FollowUp` rows;
- :func:`insert_followups` writes them in batches with ``INSERT ... ON CONFLICT DO
  NOTHING`` (``bulk_create(ignore_conflicts=True)``); the unique key (user, reason,
  subject, cycle) drops every row that already exists, so running a scan twice, or two
  scans at once, creates each follow-up once.

Extension points (for the parts of the domain that live in other modules):

- ``RULES``: one function per rule, ``rule(*, today, config) -> Iterable[FollowUp]``
  (rules 1–7: elections, term ends, turnover, staff turnover, commitments due,
  coalition agreements expiring, champions and allies without contact) and 8–10 for the
  boards pipeline (a vacancy matching a fellow's interests, an application deadline near,
  a placed fellow's term ending).
- ``HOLDER_RECIPIENT_SOURCES``: who hears about an office holder (rules 1–3). Each is
  ``source(person_ids, today) -> QuerySet of (person_id, user_id)`` built on the subquery
  ``person_ids``: relationship owners and ally-stance owners.
- ``TURNOVER_EXTRA_RECIPIENT_SOURCES``: rule 3 only; the coordinators of coalitions where
  the person who left was a champion or an ally.
- ``HANDOVER_STEPS`` (in ``engagements.services.followups``): what moves when a user leaves.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from coalition.models import Agreement, AllyStance, Coalition, Stance
from stakeholders.models import Relationship, Tenure, User, Vacancy
from stakeholders.roles import Role

from .models import BoardApplication, Cohort, Commitment, Engagement, Fellow, FollowUp, ReminderSettings

BATCH_SIZE = 5000
TURNOVER_DUE_DAYS = 14
STAFF_TURNOVER_DUE_DAYS = 7
NO_CONTACT_DUE_DAYS = 14
#: Stances whose people the coalition cannot afford to lose touch with (rules 3 and 7).
SUPPORTIVE_STANCES = (Stance.CHAMPION, Stance.ALLY)

Rule = Callable[..., Iterable[FollowUp]]
RecipientSource = Callable[[QuerySet, datetime.date], QuerySet]


# --- titles in each recipient's language ----------------------------------------------


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per rule row
class Title:
    """A follow-up title not yet written out: the English message (marked for translation
    with ``gettext_noop``) and its values. :func:`insert_followups` writes it in each
    recipient's language, so one rule row gives a Spanish title to a Spanish-speaking user
    and an English one to the colleague beside them."""

    message: str
    values: dict = field(default_factory=dict)

    def write(self) -> str:
        """The title in the active language (values such as stance labels translate too)."""
        return (gettext(self.message) % {key: str(value) for key, value in self.values.items()})[:300]


class RecipientLanguages:
    """Each user's language for what is written to them: their own choice, else the site's.

    Read once, with one query, and only when a title has to be written."""

    def __init__(self) -> None:
        self._chosen: dict[int, str] | None = None
        self._written: dict[tuple[Title, str], str] = {}

    def of(self, user_id: int) -> str:
        if self._chosen is None:
            self._chosen = dict(User.objects.exclude(language="").values_list("id", "language"))
        return self._chosen.get(user_id) or settings.LANGUAGE_CODE

    def write(self, title: Title, user_id: int) -> str:
        language = self.of(user_id)
        key = (title, language)
        if key not in self._written:
            with translation.override(language):
                self._written[key] = title.write()
        return self._written[key]


# --- who hears about an office holder -------------------------------------------------


def relationship_owners(person_ids: QuerySet, today: datetime.date) -> QuerySet:
    """(person_id, owner_id) for every current relationship with those people, either direction."""
    current = Relationship.objects.filter(owner__is_active=True).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    outgoing = current.filter(person_id__in=person_ids).values_list("person_id", "owner_id")
    incoming = current.filter(other_person_id__in=person_ids).values_list("other_person_id", "owner_id")
    return outgoing.union(incoming)


def ally_stance_owners(person_ids: QuerySet, today: datetime.date) -> QuerySet:
    """(person_id, owner_id) for every coalition stance on those people that has an active owner."""
    return (
        AllyStance.objects.filter(person_id__in=person_ids, owner__is_active=True)
        .order_by()
        .values_list("person_id", "owner_id")
    )


def supportive_stance_coordinators(person_ids: QuerySet, today: datetime.date) -> QuerySet:
    """(person_id, coordinator_id) for the active coordinators of every coalition where
    one of those people is a champion or an ally."""
    rows = AllyStance.objects.filter(
        person_id__in=person_ids,
        stance__in=SUPPORTIVE_STANCES,
        coalition__coordinators__is_active=True,
    )
    # No ordering: the default one would join the person table for nothing.
    return rows.order_by().values_list("person_id", "coalition__coordinators")


#: Rules 1–3: who hears about an office holder.
HOLDER_RECIPIENT_SOURCES: list[RecipientSource] = [relationship_owners, ally_stance_owners]

#: Rule 3 only, on top of the above.
TURNOVER_EXTRA_RECIPIENT_SOURCES: list[RecipientSource] = [supportive_stance_coordinators]


def holder_recipients(
    person_ids: QuerySet, today: datetime.date, extra: Iterable[RecipientSource] = ()
) -> dict[int, set[int]]:
    """person id → the ids of the users who should hear about that person; one query per source."""
    recipients: dict[int, set[int]] = defaultdict(set)
    for source in [*HOLDER_RECIPIENT_SOURCES, *extra]:
        for person_id, user_id in source(person_ids, today):
            recipients[person_id].add(user_id)
    return recipients


def _person_name(row: dict, prefix: str = "person__") -> str:
    first = row[f"{prefix}preferred_name"] or row[f"{prefix}first_name"]
    return f"{first} {row[f'{prefix}last_name']}".strip()


PERSON_FIELDS = ("person_id", "person__first_name", "person__preferred_name", "person__last_name")


# --- rule 1: election approaching -----------------------------------------------------


def election_approaching(*, today: datetime.date, config: ReminderSettings) -> Iterator[FollowUp]:
    """For each position on the ballot of an election within a lead time, the people who
    know its current holder plan outreach to the incumbent and the candidates.

    One follow-up per lead time crossed: the cycle is ``"<lead>d:<election day>"``, with
    the smallest lead time that the days left fit under (a scan 20 days out creates the
    30-day one only). Due by the next lead time, or on election day.
    """
    leads = sorted(set(config.election_lead_days))
    if not leads:
        return
    holders = Tenure.objects.filter(
        actual_end_date__isnull=True,
        start_date__lte=today,
        position__elections__date__gte=today,
        position__elections__date__lte=today + datetime.timedelta(days=leads[-1]),
    )
    rows = list(
        holders.values("id", *PERSON_FIELDS, "position__title", "position__elections__date").order_by(
            "position__elections__date", "id"
        )
    )
    if not rows:
        return
    recipients = holder_recipients(holders.values("person_id"), today)
    tenure_type = ContentType.objects.get_for_model(Tenure)
    for row in rows:
        users = recipients.get(row["person_id"])
        if not users:
            continue
        election_day = row["position__elections__date"]
        days_left = (election_day - today).days
        index = next(i for i, lead in enumerate(leads) if days_left <= lead)
        due_on = election_day - datetime.timedelta(days=leads[index - 1]) if index else election_day
        title = Title(
            gettext_noop("Plan outreach: %(position)s (held by %(person)s) is on the ballot on %(date)s."),
            {"position": row["position__title"], "person": _person_name(row), "date": election_day.isoformat()},
        )
        for user_id in users:
            yield FollowUp(
                user_id=user_id,
                reason=FollowUp.Reason.ELECTION_APPROACHING,
                content_type=tenure_type,
                object_id=row["id"],
                cycle=f"{leads[index]}d:{election_day.isoformat()}",
                title=title,
                due_on=max(due_on, today),
            )


# --- rule 2: term ending --------------------------------------------------------------


def term_ending(*, today: datetime.date, config: ReminderSettings) -> Iterator[FollowUp]:
    """A current tenure whose planned end is within the lead time: the people who know the
    holder plan the transition. The cycle is the planned end date, so a new date is a new cycle."""
    ending = Tenure.objects.filter(
        actual_end_date__isnull=True,
        planned_end_date__gte=today,
        planned_end_date__lte=today + datetime.timedelta(days=config.term_end_lead_days),
    )
    rows = list(ending.values("id", *PERSON_FIELDS, "position__title", "planned_end_date").order_by("id"))
    if not rows:
        return
    recipients = holder_recipients(ending.values("person_id"), today)
    tenure_type = ContentType.objects.get_for_model(Tenure)
    for row in rows:
        title = Title(
            gettext_noop("%(person)s's term as %(position)s ends on %(date)s: plan for the transition."),
            {
                "person": _person_name(row),
                "position": row["position__title"],
                "date": row["planned_end_date"].isoformat(),
            },
        )
        for user_id in recipients.get(row["person_id"], ()):
            yield FollowUp(
                user_id=user_id,
                reason=FollowUp.Reason.TERM_ENDING,
                content_type=tenure_type,
                object_id=row["id"],
                cycle=f"term-end:{row['planned_end_date'].isoformat()}",
                title=title,
                due_on=row["planned_end_date"],
            )


# --- rule 3: turnover -----------------------------------------------------------------


def turnover(
    *, today: datetime.date, config: ReminderSettings, tenure_ids: Iterable[int] | None = None
) -> Iterator[FollowUp]:
    """Someone left a position: the people who knew them introduce the coalition to the
    successor (or the acting holder). The cycle is the tenure that ended.

    With ``tenure_ids`` (the prompt path, right after a tenure change commits) exactly
    those tenures; without (the daily scan) every tenure that ended within the look-back,
    so a change the prompt task missed is still caught.
    """
    if tenure_ids is not None:
        left = Tenure.objects.filter(pk__in=list(tenure_ids))
    else:
        left = Tenure.objects.filter(
            actual_end_date__gte=today - datetime.timedelta(days=config.turnover_lookback_days),
            actual_end_date__lte=today,
        )
    rows = list(left.values("id", *PERSON_FIELDS, "position_id", "position__title", "actual_end_date").order_by("id"))
    if not rows:
        return
    successors: dict[int, dict] = {}
    current = (
        Tenure.objects.filter(position_id__in=left.values("position_id"), actual_end_date__isnull=True)
        .values("id", "position_id", *PERSON_FIELDS)
        .order_by("position_id", "start_date", "id")
    )
    for row in current:  # the latest start wins
        successors[row["position_id"]] = row
    recipients = holder_recipients(left.values("person_id"), today, extra=TURNOVER_EXTRA_RECIPIENT_SOURCES)
    tenure_type = ContentType.objects.get_for_model(Tenure)
    for row in rows:
        successor = successors.get(row["position_id"])
        if successor is not None and successor["id"] != row["id"] and successor["person_id"] != row["person_id"]:
            title = Title(
                gettext_noop("Introduce the coalition to %(successor)s, now in %(position)s after %(person)s."),
                {
                    "successor": _person_name(successor),
                    "position": row["position__title"],
                    "person": _person_name(row),
                },
            )
        else:
            title = Title(
                gettext_noop(
                    "%(person)s left %(position)s: introduce the coalition to the successor or acting holder."
                ),
                {"person": _person_name(row), "position": row["position__title"]},
            )
        ended = row["actual_end_date"] or today
        for user_id in recipients.get(row["person_id"], ()):
            yield FollowUp(
                user_id=user_id,
                reason=FollowUp.Reason.TURNOVER,
                content_type=tenure_type,
                object_id=row["id"],
                cycle=f"tenure:{row['id']}",
                title=title,
                due_on=max(ended + datetime.timedelta(days=TURNOVER_DUE_DAYS), today),
            )


# --- rule 4: staff turnover -----------------------------------------------------------


def staff_turnover(
    *, today: datetime.date, config: ReminderSettings, user_ids: Iterable[int] | None = None
) -> Iterator[FollowUp]:
    """A city user was deactivated: every admin is asked to hand their work over.

    With ``user_ids`` (the prompt path) exactly those users when inactive; without (the
    scan) every inactive user who still holds open work. The cycle counts the handovers
    already done from that user, so a user who comes back and leaves again is handed over again.
    """
    from .services.followups import users_with_open_work

    departed = User.objects.filter(is_active=False)
    if user_ids is not None:
        departed = departed.filter(pk__in=list(user_ids))
    else:
        departed = departed.filter(pk__in=users_with_open_work())
    rows = list(
        departed.annotate(handovers=Count("handovers_from"))
        .values("id", "first_name", "last_name", "username", "handovers")
        .order_by("id")
    )
    if not rows:
        return
    admin_group = Group.objects.filter(name=Role.ADMIN)
    admins = list(User.objects.filter(is_active=True, groups__in=admin_group).values_list("id", flat=True))
    user_type = ContentType.objects.get_for_model(User)
    for row in rows:
        name = f"{row['first_name']} {row['last_name']}".strip() or row["username"]
        title = Title(
            gettext_noop("%(name)s has left: hand over their follow-ups and relationships to a successor."),
            {"name": name},
        )
        for admin_id in admins:
            if admin_id == row["id"]:
                continue
            yield FollowUp(
                user_id=admin_id,
                reason=FollowUp.Reason.STAFF_TURNOVER,
                content_type=user_type,
                object_id=row["id"],
                cycle=f"handover:{row['handovers']}",
                title=title,
                due_on=today + datetime.timedelta(days=STAFF_TURNOVER_DUE_DAYS),
            )


# --- rule 5: commitment due -----------------------------------------------------------


def commitments_due(*, today: datetime.date, config: ReminderSettings) -> Iterator[FollowUp]:
    """A commitment due within the lead time (or already overdue) and neither done nor
    declined: its owner gets one follow-up per due date (the cycle), due on that date.
    One query; a new due date is a new cycle."""
    rows = (
        Commitment.objects.filter(
            owner__is_active=True,
            engagement__status=Engagement.Status.LOGGED,
            due_on__lte=today + datetime.timedelta(days=config.commitment_due_days),
        )
        .exclude(status__in=[Commitment.Status.DONE, Commitment.Status.DECLINED])
        .values("id", "owner_id", "description", "due_on", "engagement__title")
        .order_by("due_on", "id")
    )
    rows = list(rows)
    if not rows:
        return
    commitment_type = ContentType.objects.get_for_model(Commitment)
    for row in rows:
        if row["due_on"] < today:
            message = gettext_noop("Overdue since %(date)s: %(commitment)s (promised at %(engagement)s).")
        else:
            message = gettext_noop("Due on %(date)s: %(commitment)s (promised at %(engagement)s).")
        title = Title(
            message,
            {
                "date": row["due_on"].isoformat(),
                "commitment": row["description"][:120],
                "engagement": row["engagement__title"],
            },
        )
        yield FollowUp(
            user_id=row["owner_id"],
            reason=FollowUp.Reason.COMMITMENT_DUE,
            content_type=commitment_type,
            object_id=row["id"],
            cycle=f"due:{row['due_on'].isoformat()}",
            title=title,
            due_on=row["due_on"],
        )


# --- rule 6: coalition agreement expiring ---------------------------------------------


def agreements_expiring(*, today: datetime.date, config: ReminderSettings) -> Iterator[FollowUp]:
    """A coalition agreement expiring within the lead time: each active coordinator of its
    coalition renews it or lets it lapse on purpose. The cycle is the expiry date.
    Two queries: the agreements, then the coordinators of their coalitions."""
    expiring = Agreement.objects.filter(
        expires_on__gte=today, expires_on__lte=today + datetime.timedelta(days=config.agreement_expiry_days)
    )
    rows = list(expiring.values("id", "coalition_id", "coalition__name", "title", "expires_on").order_by("id"))
    if not rows:
        return
    coordinators: dict[int, list[int]] = defaultdict(list)
    for coalition_id, user_id in Coalition.coordinators.through.objects.filter(
        coalition_id__in=expiring.values("coalition_id"), user__is_active=True
    ).values_list("coalition_id", "user_id"):
        coordinators[coalition_id].append(user_id)
    agreement_type = ContentType.objects.get_for_model(Agreement)
    for row in rows:
        title = Title(
            gettext_noop("%(agreement)s of %(coalition)s expires on %(date)s: renew it or plan its end."),
            {"agreement": row["title"], "coalition": row["coalition__name"], "date": row["expires_on"].isoformat()},
        )
        yield from _to_coordinators(
            coordinators.get(row["coalition_id"], ()),
            reason=FollowUp.Reason.AGREEMENT_EXPIRING,
            content_type=agreement_type,
            object_id=row["id"],
            cycle=f"expires:{row['expires_on'].isoformat()}",
            title=title,
            due_on=row["expires_on"],
        )


# --- rule 7: champion or ally without contact -----------------------------------------


def allies_no_contact(*, today: datetime.date, config: ReminderSettings) -> Iterator[FollowUp]:
    """A champion or ally nobody has been in contact with for the lead time (or ever):
    the owner of the stance gets in touch. One query. The cycle is the date of the last
    contact, so after a new contact the clock starts again."""
    cutoff = today - datetime.timedelta(days=config.no_contact_days)
    rows = (
        AllyStance.objects.filter(stance__in=SUPPORTIVE_STANCES, owner__is_active=True)
        .exclude(coalition__status=Coalition.Status.CLOSED)
        .filter(Q(person__last_contact_on__isnull=True) | Q(person__last_contact_on__lte=cutoff))
        .values("id", "owner_id", "stance", "coalition__name", "person__last_contact_on", *PERSON_FIELDS)
        .order_by("id")
    )
    rows = list(rows)
    if not rows:
        return
    stance_type = ContentType.objects.get_for_model(AllyStance)
    labels = dict(Stance.choices)
    for row in rows:
        last = row["person__last_contact_on"]
        values = {"person": _person_name(row), "stance": labels[row["stance"]], "coalition": row["coalition__name"]}
        if last is None:
            title = Title(
                gettext_noop("Get in touch with %(person)s (%(stance)s, %(coalition)s): no contact on record."),
                values,
            )
        else:
            title = Title(
                gettext_noop("Get in touch with %(person)s (%(stance)s, %(coalition)s): last contact on %(date)s."),
                {**values, "date": last.isoformat()},
            )
        yield FollowUp(
            user_id=row["owner_id"],
            reason=FollowUp.Reason.NO_CONTACT,
            content_type=stance_type,
            object_id=row["id"],
            cycle=f"last-contact:{last.isoformat() if last else 'never'}",
            title=title,
            due_on=today + datetime.timedelta(days=NO_CONTACT_DUE_DAYS),
        )


# --- rules 8–10: the boards pipeline ----------------------------------------------------


def _cohort_coordinators(cohort_ids: QuerySet | list[int]) -> dict[int, list[int]]:
    """cohort id → its active coordinators' ids, in one query."""
    coordinators: dict[int, list[int]] = defaultdict(list)
    for cohort_id, user_id in Cohort.coordinators.through.objects.filter(
        cohort_id__in=cohort_ids, user__is_active=True
    ).values_list("cohort_id", "user_id"):
        coordinators[cohort_id].append(user_id)
    return coordinators


def _to_coordinators(user_ids, **fields) -> Iterator[FollowUp]:
    """One follow-up for each of the coordinators (of a coalition or a cohort) named by ``user_ids``."""
    for user_id in user_ids:
        yield FollowUp(user_id=user_id, **fields)


FELLOW_FIELDS = (
    "fellow__cohort_id",
    "fellow__person__first_name",
    "fellow__person__preferred_name",
    "fellow__person__last_name",
)


def board_vacancy_matches(*, today: datetime.date, config: ReminderSettings) -> Iterator[FollowUp]:
    """A vacancy open for applications on a board a fellow is interested in: the cohort's
    coordinators invite the fellow to apply. Not for a fellow who serves on a board today
    (placed; their term's end has its own rule), nor one who already has an application in
    progress for that board or for that vacancy (the deadline rule follows those up).
    The subject is the vacancy and the cycle the fellow, so each pair is raised once.
    Four queries."""
    interests = Fellow.interests.through.objects.filter(
        board__seats__vacancies__status=Vacancy.Status.OPEN,
        board__seats__vacancies__opens_on__lte=today,
        board__seats__vacancies__deadline__gte=today,
    )
    rows = list(
        interests.values(
            "fellow_id",
            "board_id",
            *FELLOW_FIELDS,
            person_id=F("fellow__person_id"),
            vacancy_id=F("board__seats__vacancies__id"),
            deadline=F("board__seats__vacancies__deadline"),
            board_name=F("board__name"),
        ).order_by("board__seats__vacancies__id", "fellow_id")
    )
    if not rows:
        return
    fellow_ids = {row["fellow_id"] for row in rows}
    seated = set(
        Tenure.objects.filter(
            actual_end_date__isnull=True,
            person_id__in=[row["person_id"] for row in rows],
            position__board__isnull=False,
        ).values_list("person_id", flat=True)
    )
    applied = BoardApplication.objects.filter(fellow_id__in=fellow_ids)
    applied_to_vacancy = set(applied.filter(vacancy__isnull=False).values_list("fellow_id", "vacancy_id"))
    applying_to_board = set(
        applied.filter(stage__in=[BoardApplication.Stage.APPLIED, BoardApplication.Stage.INTERVIEWED]).values_list(
            "fellow_id", "board_id"
        )
    )
    coordinators = _cohort_coordinators(Fellow.objects.filter(pk__in=fellow_ids).values("cohort_id"))
    vacancy_type = ContentType.objects.get_for_model(Vacancy)
    for row in rows:
        if (
            row["person_id"] in seated
            or (row["fellow_id"], row["vacancy_id"]) in applied_to_vacancy
            or (row["fellow_id"], row["board_id"]) in applying_to_board
        ):
            continue
        title = Title(
            gettext_noop(
                "A seat on %(board)s is open until %(date)s and %(person)s is interested: invite them to apply."
            ),
            {
                "board": row["board_name"],
                "date": row["deadline"].isoformat(),
                "person": _person_name(row, "fellow__person__"),
            },
        )
        yield from _to_coordinators(
            coordinators.get(row["fellow__cohort_id"], ()),
            reason=FollowUp.Reason.BOARD_VACANCY,
            content_type=vacancy_type,
            object_id=row["vacancy_id"],
            cycle=f"fellow:{row['fellow_id']}",
            title=title,
            due_on=min(row["deadline"], today + datetime.timedelta(days=NO_CONTACT_DUE_DAYS)),
        )


def application_deadlines(*, today: datetime.date, config: ReminderSettings) -> Iterator[FollowUp]:
    """An application still at "interested" for a vacancy (or a board with an open vacancy)
    whose deadline is within the lead time: the cohort's coordinators help the fellow apply
    in time. The cycle is the deadline, so a vacancy reopened later is a new cycle. Two queries."""
    horizon = today + datetime.timedelta(days=config.application_deadline_days)
    open_vacancies = Vacancy.objects.filter(status=Vacancy.Status.OPEN, deadline__gte=today, deadline__lte=horizon)
    rows = list(
        BoardApplication.objects.filter(stage=BoardApplication.Stage.INTERESTED)
        .filter(Q(vacancy__in=open_vacancies) | Q(vacancy__isnull=True, board__seats__vacancies__in=open_vacancies))
        .values(
            "id",
            *FELLOW_FIELDS,
            board_name=F("board__name"),
            deadline=Coalesce("vacancy__deadline", "board__seats__vacancies__deadline"),
        )
        .order_by("id", "deadline")
    )
    if not rows:
        return
    coordinators = _cohort_coordinators(
        Fellow.objects.filter(applications__id__in=[row["id"] for row in rows]).values("cohort_id")
    )
    application_type = ContentType.objects.get_for_model(BoardApplication)
    seen: set[int] = set()
    for row in rows:
        if row["id"] in seen:  # a board with several open vacancies: the soonest deadline
            continue
        seen.add(row["id"])
        title = Title(
            gettext_noop("Applications for %(board)s close on %(date)s and %(person)s has not applied yet."),
            {
                "board": row["board_name"],
                "date": row["deadline"].isoformat(),
                "person": _person_name(row, "fellow__person__"),
            },
        )
        yield from _to_coordinators(
            coordinators.get(row["fellow__cohort_id"], ()),
            reason=FollowUp.Reason.APPLICATION_DEADLINE,
            content_type=application_type,
            object_id=row["id"],
            cycle=f"deadline:{row['deadline'].isoformat()}",
            title=title,
            due_on=row["deadline"],
        )


def fellow_terms_ending(*, today: datetime.date, config: ReminderSettings) -> Iterator[FollowUp]:
    """A placed fellow's board term planned to end within the term-end lead time (120 days
    by default): the cohort's coordinators seek re-appointment or prepare a successor.
    Every current board seat of a fellow who was appointed through the pipeline counts, a
    re-appointment recorded on the seat's page included. The cycle is the planned end, so
    a new term is a new cycle. Two queries."""
    seat = "person__tenures__"
    rows = list(
        Fellow.objects.filter(applications__stage=BoardApplication.Stage.APPOINTED)
        .filter(
            **{
                f"{seat}actual_end_date__isnull": True,
                f"{seat}position__board__isnull": False,
                f"{seat}planned_end_date__gte": today,
                f"{seat}planned_end_date__lte": today + datetime.timedelta(days=config.term_end_lead_days),
            }
        )
        .values(
            "cohort_id",
            tenure_id=F(f"{seat}id"),
            planned_end=F(f"{seat}planned_end_date"),
            board_name=F(f"{seat}position__board__name"),
            person__first_name=F("person__first_name"),
            person__preferred_name=F("person__preferred_name"),
            person__last_name=F("person__last_name"),
        )
        .distinct()
        .order_by("tenure_id", "cohort_id")
    )
    if not rows:
        return
    coordinators = _cohort_coordinators([row["cohort_id"] for row in rows])
    tenure_type = ContentType.objects.get_for_model(Tenure)
    for row in rows:
        title = Title(
            gettext_noop(
                "%(person)s's term on %(board)s ends on %(date)s: seek re-appointment or prepare a successor."
            ),
            {"person": _person_name(row), "board": row["board_name"], "date": row["planned_end"].isoformat()},
        )
        yield from _to_coordinators(
            coordinators.get(row["cohort_id"], ()),
            reason=FollowUp.Reason.FELLOW_TERM_ENDING,
            content_type=tenure_type,
            object_id=row["tenure_id"],
            cycle=f"term-end:{row['planned_end'].isoformat()}",
            title=title,
            due_on=row["planned_end"],
        )


#: The rules a full scan runs, in order.
RULES: list[Rule] = [
    election_approaching,
    term_ending,
    turnover,
    staff_turnover,
    commitments_due,
    agreements_expiring,
    allies_no_contact,
    board_vacancy_matches,
    application_deadlines,
    fellow_terms_ending,
]


def insert_followups(
    followups: Iterable[FollowUp], *, batch_size: int = BATCH_SIZE, languages: RecipientLanguages | None = None
) -> int:
    """Insert in batches, skipping rows whose unique key exists. Returns how many rows were offered.

    A row whose title is a :class:`Title` gets it written in its user's language
    (``languages``, shared by the rules of one scan so that it is read once)."""
    languages = languages or RecipientLanguages()
    offered = 0
    iterator = iter(followups)
    while batch := list(islice(iterator, batch_size)):
        for followup in batch:
            if isinstance(followup.title, Title):
                followup.title = languages.write(followup.title, followup.user_id)
        FollowUp.objects.bulk_create(batch, ignore_conflicts=True)
        offered += len(batch)
    return offered


def count_by_reason(reasons: Iterable[str]) -> dict[str, int]:
    """How many follow-ups exist per reason, in one query."""
    counts = dict(
        FollowUp.objects.filter(reason__in=list(reasons))
        .values_list("reason")
        .annotate(n=Count("id"))
        .values_list("reason", "n")
    )
    return counts
