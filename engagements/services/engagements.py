"""Writes for engagements: the quick log, edits, commitments, loop-backs and publishing.

Every path (views, admin, demo data, tasks) goes through these functions. The quick
log writes the whole session (engagement, breakdowns, input, attendees, commitments)
in one transaction with a bounded number of queries, whatever the number of rows.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from stakeholders.models import Department, Language, Neighborhood, Organization, Person, User

from ..models import (
    Attendance,
    AttendanceBreakdown,
    BreakdownOption,
    CalendarFeed,
    Commitment,
    CommitmentStatusChange,
    Engagement,
    InputItem,
    LoopBack,
)
from ..models.engagements import new_public_token

_M2M_FIELDS = (
    "languages",
    "interpretation_languages",
    "host_organizations",
    "facilitator_people",
    "facilitator_users",
    "departments",
)


@dataclass
class EngagementDetails:
    """The single-valued and many-valued facts of an engagement, as the quick log collects them."""

    kind: str = Engagement.Kind.LISTENING_SESSION
    title: str = ""
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    neighborhood: Neighborhood | None = None
    location: str = ""
    accessibility: str = ""
    coalition: object | None = None
    summary: str = ""
    attendance_total: int = 0
    languages: Sequence[Language] = ()
    interpretation_languages: Sequence[Language] = ()
    host_organizations: Sequence[Organization] = ()
    facilitator_people: Sequence[Person] = ()
    facilitator_users: Sequence[User] = ()
    departments: Sequence[Department] = ()


@dataclass
class BreakdownRow:
    option_id: int
    count: int


@dataclass
class InputItemRow:
    text: str
    theme_ids: Sequence[int] = ()
    count_raised: int = 1
    id: int | None = None


@dataclass
class CommitmentRow:
    description: str
    owner_id: int | None = None
    department_id: int | None = None
    due_on: datetime.date | None = None
    # 1-based positions of the input items (in the order given) this commitment answers
    answers: Sequence[int] = field(default_factory=tuple)
    id: int | None = None


_SCALAR_FIELDS = (
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "neighborhood",
    "location",
    "accessibility",
    "coalition",
    "summary",
    "attendance_total",
)


def engagement_log(
    *,
    actor: User,
    details: EngagementDetails,
    breakdowns: Sequence[BreakdownRow] = (),
    input_items: Sequence[InputItemRow] = (),
    attendee_ids: Iterable[int] = (),
    commitments: Sequence[CommitmentRow] = (),
    draft: bool = False,
    engagement: Engagement | None = None,
    submission_key: uuid.UUID | None = None,
) -> Engagement:
    """Log a whole session in one transaction, or keep it as a draft.

    A draft needs nothing (not even a title), so that nothing typed is lost; it
    can be resumed by passing it back as ``engagement`` with ``draft`` set again
    or cleared to log it. Logging requires a title and a start, and each
    breakdown category must not add up to more than the total.

    ``submission_key`` is the idempotency key of the form fill a new engagement
    comes from. The same key again (a double tap, a resubmission after a lost
    answer, two requests at once) returns the engagement the key already created
    and writes nothing: no second engagement, attendees, input, commitments or
    last-contact update. The key's unique index settles a race: the request that
    loses it waits for the winner's commit, rolls its own work back and returns
    the winner's engagement. Resuming a draft (``engagement`` given) ignores it.
    """
    if engagement is not None and not engagement.is_draft:
        raise ValidationError(_("This engagement is already logged; edit it instead."))
    status = Engagement.Status.DRAFT if draft else Engagement.Status.LOGGED
    if engagement is None:
        engagement = Engagement(created_by=actor, submission_key=submission_key)
    try:
        return _engagement_save(
            actor=actor,
            engagement=engagement,
            status=status,
            details=details,
            breakdowns=breakdowns,
            input_items=input_items,
            attendee_ids=attendee_ids,
            commitments=commitments,
        )
    except IntegrityError:
        if engagement.pk is not None or engagement.submission_key is None:
            raise
        # _engagement_save's atomic block has rolled back (to its savepoint, inside an outer transaction).
        existing = Engagement.objects.filter(submission_key=engagement.submission_key).first()
        if existing is None:
            raise
        if existing.created_by_id != actor.pk:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: _(
                        "This form was already used by someone else. Reload the page and log the session again."
                    )
                }
            ) from None
        return existing


def engagement_update(
    *,
    actor: User,
    engagement: Engagement,
    details: EngagementDetails,
    breakdowns: Sequence[BreakdownRow] = (),
    input_items: Sequence[InputItemRow] = (),
    attendee_ids: Iterable[int] = (),
    commitments: Sequence[CommitmentRow] = (),
) -> Engagement:
    """Change a logged engagement. Rows with an id are updated, rows without are added,
    rows left out are removed. Commitment statuses change only through
    :func:`commitment_set_status`."""
    if engagement.is_draft:
        raise ValidationError(_("This is a draft; finish logging it instead."))
    return _engagement_save(
        actor=actor,
        engagement=engagement,
        status=Engagement.Status.LOGGED,
        details=details,
        breakdowns=breakdowns,
        input_items=input_items,
        attendee_ids=attendee_ids,
        commitments=commitments,
    )


def _engagement_save(
    *,
    actor: User,
    engagement: Engagement,
    status: str,
    details: EngagementDetails,
    breakdowns: Sequence[BreakdownRow],
    input_items: Sequence[InputItemRow],
    attendee_ids: Iterable[int],
    commitments: Sequence[CommitmentRow],
) -> Engagement:
    is_new = engagement.pk is None
    attendee_ids = sorted(set(attendee_ids))
    for name in _SCALAR_FIELDS:
        setattr(engagement, name, getattr(details, name))
    engagement.status = status
    _validate(engagement, breakdowns, input_items, commitments)

    with transaction.atomic():
        if is_new:
            engagement.save()
        else:
            engagement.save(update_fields=[*_SCALAR_FIELDS, "status", "updated_at"])
        for name in _M2M_FIELDS:
            _replace_m2m(engagement, name, getattr(details, name), is_new=is_new)
        _replace_breakdowns(engagement, breakdowns, is_new=is_new)
        _replace_attendees(engagement, attendee_ids, is_new=is_new)
        items = _sync_input_items(engagement, input_items, is_new=is_new)
        _sync_commitments(actor, engagement, commitments, items, is_new=is_new)
        if status == Engagement.Status.LOGGED:
            _touch_last_contact(engagement, attendee_ids, details)
    return engagement


def _validate(engagement, breakdowns, input_items, commitments) -> None:
    errors: dict[str, list[str]] = defaultdict(list)
    if engagement.starts_at and engagement.ends_at and engagement.ends_at < engagement.starts_at:
        errors["ends_at"].append(_("The end cannot be before the start."))
    if not engagement.is_draft:
        if not engagement.title.strip():
            errors["title"].append(_("Give the session a title, or save it as a draft."))
        if engagement.starts_at is None:
            errors["starts_at"].append(_("Say when the session started, or save it as a draft."))
        options = BreakdownOption.objects.select_related("category").in_bulk([row.option_id for row in breakdowns])
        per_category: dict = defaultdict(int)
        seen = set()
        for row in breakdowns:
            option = options.get(row.option_id)
            if option is None:
                errors["breakdowns"].append(_("One of the breakdown options no longer exists. Choose another."))
                continue
            if row.option_id in seen:
                errors["breakdowns"].append(
                    _("%(option)s is counted twice. Combine the two rows.") % {"option": option}
                )
            seen.add(row.option_id)
            per_category[option.category] += row.count
        for category, total in per_category.items():
            if total > engagement.attendance_total:
                errors["breakdowns"].append(
                    _(
                        "The %(category)s counts add up to %(sum)d, more than the %(total)d who came. "
                        "Lower them or raise the total."
                    )
                    % {"category": category, "sum": total, "total": engagement.attendance_total}
                )
        item_count = len(input_items)
        for row in commitments:
            if any(position < 1 or position > item_count for position in row.answers):
                errors["commitments"].append(
                    _("A commitment answers an input item number that does not exist (there are %(n)d).")
                    % {"n": item_count}
                )
    if errors:
        raise ValidationError(dict(errors))


def _replace_m2m(engagement: Engagement, name: str, objects: Sequence, *, is_new: bool) -> None:
    relation = getattr(Engagement, name)
    through = relation.through
    source = relation.field.m2m_field_name()
    target = relation.field.m2m_reverse_field_name()
    wanted = {obj.pk for obj in objects}
    if not is_new:
        through.objects.filter(**{source: engagement}).delete()
    if wanted:
        through.objects.bulk_create([through(**{source: engagement, f"{target}_id": pk}) for pk in wanted])


def _replace_breakdowns(engagement: Engagement, rows: Sequence[BreakdownRow], *, is_new: bool) -> None:
    if not is_new:
        engagement.breakdowns.all().delete()
    merged: dict[int, int] = defaultdict(int)
    for row in rows:
        merged[row.option_id] += row.count
    AttendanceBreakdown.objects.bulk_create(
        [AttendanceBreakdown(engagement=engagement, option_id=pk, count=count) for pk, count in merged.items()]
    )


def _replace_attendees(engagement: Engagement, person_ids: Sequence[int], *, is_new: bool) -> None:
    if not is_new:
        engagement.attendances.exclude(person_id__in=person_ids).delete()
    Attendance.objects.bulk_create(
        [Attendance(engagement=engagement, person_id=pk) for pk in person_ids], ignore_conflicts=not is_new
    )


def _sync_input_items(engagement: Engagement, rows: Sequence[InputItemRow], *, is_new: bool) -> list[InputItem]:
    existing = {} if is_new else {item.pk: item for item in engagement.input_items.all()}
    kept, created, ordered = [], [], []
    for position, row in enumerate(rows):
        if row.id is not None:
            item = existing.get(row.id)
            if item is None:
                raise ValidationError({"input_items": _("An input item was removed meanwhile. Reload the page.")})
            item.text, item.count_raised, item.position = row.text, row.count_raised, position
            kept.append(item)
        else:
            item = InputItem(engagement=engagement, text=row.text, count_raised=row.count_raised, position=position)
            created.append(item)
        ordered.append(item)
    if not is_new:
        engagement.input_items.exclude(pk__in=[item.pk for item in kept]).delete()
        if kept:
            InputItem.objects.bulk_update(kept, ["text", "count_raised", "position", "updated_at"])
    InputItem.objects.bulk_create(created)
    through = InputItem.themes.through
    if not is_new:
        through.objects.filter(inputitem__engagement=engagement).delete()
    through.objects.bulk_create(
        [
            through(inputitem_id=item.pk, theme_id=theme_id)
            for item, row in zip(ordered, rows, strict=True)
            for theme_id in set(row.theme_ids)
        ]
    )
    return ordered


def _sync_commitments(
    actor: User,
    engagement: Engagement,
    rows: Sequence[CommitmentRow],
    items: list[InputItem],
    *,
    is_new: bool,
) -> None:
    existing = {} if is_new else {commitment.pk: commitment for commitment in engagement.commitments.all()}
    kept, created, ordered = [], [], []
    for position, row in enumerate(rows):
        if row.id is not None:
            commitment = existing.get(row.id)
            if commitment is None:
                raise ValidationError({"commitments": _("A commitment was removed meanwhile. Reload the page.")})
            kept.append(commitment)
        else:
            commitment = Commitment(engagement=engagement)
            created.append(commitment)
        commitment.description = row.description
        commitment.owner_id = row.owner_id
        commitment.department_id = row.department_id
        commitment.due_on = row.due_on
        commitment.position = position
        ordered.append(commitment)
    if not is_new:
        engagement.commitments.exclude(pk__in=[commitment.pk for commitment in kept]).delete()
        if kept:
            Commitment.objects.bulk_update(
                kept, ["description", "owner", "department", "due_on", "position", "updated_at"]
            )
    Commitment.objects.bulk_create(created)
    now = timezone.now()
    CommitmentStatusChange.objects.bulk_create(
        [
            CommitmentStatusChange(
                commitment=commitment, from_status="", to_status=commitment.status, changed_by=actor, changed_at=now
            )
            for commitment in created
        ]
    )
    through = Commitment.input_items.through
    if not is_new:
        through.objects.filter(commitment__engagement=engagement).delete()
    through.objects.bulk_create(
        [
            through(commitment_id=commitment.pk, inputitem_id=items[position - 1].pk)
            for commitment, row in zip(ordered, rows, strict=True)
            for position in set(row.answers)
            if 0 < position <= len(items)
        ]
    )


def _touch_last_contact(engagement: Engagement, attendee_ids: Sequence[int], details: EngagementDetails) -> int:
    """Move ``Person.last_contact_on`` forward to the session's date for everyone named at it, in one query."""
    if engagement.starts_at is None:
        return 0
    day = timezone.localdate(engagement.starts_at)
    person_ids = set(attendee_ids) | {person.pk for person in details.facilitator_people}
    user_ids = {user.pk for user in details.facilitator_users}
    if not person_ids and not user_ids:
        return 0
    return (
        Person.objects.filter(Q(pk__in=person_ids) | Q(user_id__in=user_ids))
        .filter(Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=day))
        .update(last_contact_on=day)
    )


def engagement_publish(*, actor: User, engagement: Engagement) -> Engagement:
    """Put the engagement's "You said, we did" page online at an unguessable address.

    Publishing again after unpublishing brings back the same address, so printed
    flyers keep working.
    """
    if engagement.is_draft:
        raise ValidationError(_("Finish logging this engagement before publishing it."))
    with transaction.atomic():
        engagement.public_token = engagement.public_token or new_public_token()
        engagement.is_published = True
        engagement.published_at = timezone.now()
        engagement.save(update_fields=["public_token", "is_published", "published_at", "updated_at"])
    return engagement


def engagement_unpublish(*, actor: User, engagement: Engagement) -> Engagement:
    """Take the public page down; its address answers 404 until published again."""
    with transaction.atomic():
        engagement.is_published = False
        engagement.save(update_fields=["is_published", "updated_at"])
    return engagement


def engagement_public_summary_set(*, actor: User, engagement: Engagement, summary_es: str) -> Engagement:
    """Give the public page a Spanish version of the summary ("" removes it)."""
    with transaction.atomic():
        engagement.summary_es = summary_es.strip()
        engagement.full_clean(validate_unique=False, validate_constraints=False)
        engagement.save(update_fields=["summary_es", "updated_at"])
    return engagement


def commitment_create(
    *,
    actor: User,
    engagement: Engagement,
    description: str,
    owner: User | None = None,
    department: Department | None = None,
    due_on: datetime.date | None = None,
    input_items: Sequence[InputItem] = (),
) -> Commitment:
    """Add a commitment (proposed) to an engagement, answering some of its input items."""
    if any(item.engagement_id != engagement.pk for item in input_items):
        raise ValidationError({"input_items": _("A commitment can only answer input heard at its own engagement.")})
    with transaction.atomic():
        commitment = Commitment(
            engagement=engagement,
            description=description,
            owner=owner,
            department=department,
            due_on=due_on,
            position=engagement.commitments.count(),
        )
        commitment.full_clean()
        commitment.save()
        commitment.input_items.set(input_items)
        CommitmentStatusChange.objects.create(
            commitment=commitment,
            from_status="",
            to_status=commitment.status,
            changed_by=actor,
            changed_at=timezone.now(),
        )
    return commitment


def commitment_set_status(*, actor: User, commitment: Commitment, status: str, reason: str = "") -> Commitment:
    """Move a commitment to ``status`` and record the change. Declining needs a reason."""
    if status not in Commitment.Status.values:
        raise ValidationError({"status": _("Choose one of the listed statuses.")})
    reason = reason.strip()
    if status == Commitment.Status.DECLINED and not reason:
        raise ValidationError({"reason": _("Say why the commitment is declined; the community will see it.")})
    if status == commitment.status:
        raise ValidationError({"status": _("The commitment already has this status.")})
    with transaction.atomic():
        previous = commitment.status
        commitment.status = status
        commitment.declined_reason = reason if status == Commitment.Status.DECLINED else ""
        commitment.save(update_fields=["status", "declined_reason", "updated_at"])
        CommitmentStatusChange.objects.create(
            commitment=commitment,
            from_status=previous,
            to_status=status,
            reason=reason,
            changed_by=actor,
            changed_at=timezone.now(),
        )
    return commitment


def loop_back_record(
    *,
    actor: User,
    commitment: Commitment,
    date: datetime.date,
    method: str,
    languages: Sequence[Language] = (),
    note: str = "",
) -> LoopBack:
    """Record that the community was told what happened with ``commitment``."""
    if date > timezone.localdate():
        raise ValidationError({"date": _("A loop-back is recorded once it has happened; the date is in the future.")})
    with transaction.atomic():
        loop_back = LoopBack(commitment=commitment, date=date, method=method, note=note, recorded_by=actor)
        loop_back.full_clean()
        loop_back.save()
        loop_back.languages.set(languages)
    return loop_back


def attendee_create(
    *, actor: User, name: str, email: str = "", phone: str = "", language: Language | None = None
) -> Person:
    """Add a person met at a session on the spot: a name and, if given, how to reach them."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Enter the attendee's name.")})
    first_name, _space, last_name = name.partition(" ")
    with transaction.atomic():
        person = Person(
            first_name=first_name,
            last_name=last_name,
            email=email,
            phone=phone,
            preferred_language=language,
            created_by=actor,
        )
        person.full_clean()
        person.save()
        if language is not None:
            person.languages.add(language)
    return person


def calendar_feed_for(*, user: User) -> CalendarFeed:
    """The user's calendar feed, created on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_revoke(*, user: User) -> CalendarFeed:
    """Replace the feed's secret token: the old address stops working at once."""
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
        feed.token = new_public_token()
        feed.save(update_fields=["token", "updated_at"])
    return feed
