"""Engagements, commitments and follow-ups over the API.

Reads start from the user through the same selectors as the pages (the engagement list,
the accountability page, the follow-ups inbox) and filter with the same filter sets.
Writes go through the same services as the quick log, the commitment page and the
inbox buttons, with the same permission checks, so validation and history behave
exactly as in the browser.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import JSONObject
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from coalition.models import Coalition
from stakeholders.api.base import StrictSerializer, service_errors
from stakeholders.forms.base import INTEGER_MAX, validate_date_in_range
from stakeholders.models import Department, Language, Neighborhood, Organization, Person, User

from .filters.engagements import CommitmentFilter, EngagementFilter
from .filters.followups import FollowUpFilter
from .models import (
    AttendanceBreakdown,
    BreakdownOption,
    Commitment,
    CommitmentStatusChange,
    Engagement,
    FollowUp,
    InputItem,
    LoopBack,
    Theme,
)
from .selectors.engagements import (
    attendees_pickable_by,
    can_edit_engagement,
    commitment_list_for,
    engagements_visible_to,
)
from .selectors.followups import followups_visible_to
from .services import engagements as services
from .services import followups as followup_services

RECORD_ID_MAX = 2**63 - 1  # a BigAutoField: larger ids name no record (a 400, never a database error)
TEXT_MAX = 10_000


def _linked_ids(relation) -> ArraySubquery:
    """The ids at the far end of a many-to-many ``relation`` of the outer row, read from
    its link table alone (a language's id is its code)."""
    field = relation.field
    near, far = field.m2m_field_name(), field.m2m_reverse_field_name()
    links = relation.through.objects.filter(**{near: OuterRef("pk")}).order_by(f"{far}_id")
    return ArraySubquery(links.values(f"{far}_id"))


def _record_id(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=RECORD_ID_MAX, **kwargs)


def _record(queryset: QuerySet, **kwargs) -> serializers.PrimaryKeyRelatedField:
    """One record's id, among ``queryset`` (``null`` for none)."""
    return serializers.PrimaryKeyRelatedField(
        queryset=queryset, pk_field=_record_id(), required=False, allow_null=True, **kwargs
    )


class RecordIdsField(serializers.ListField):
    """Ids of records, each one of ``choices`` (a queryset, or a function of the serializer
    that gives one), all checked in one query; the records come back in the order sent."""

    def __init__(self, *, choices, child=None, **kwargs):
        self.choices = choices
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("required", False)
        super().__init__(child=child or _record_id(), **kwargs)

    def to_internal_value(self, data):
        ids = list(dict.fromkeys(super().to_internal_value(data)))
        choices = self.choices(self.parent) if callable(self.choices) else self.choices
        found = choices.in_bulk(ids) if ids else {}
        missing = [str(value) for value in ids if value not in found]
        if missing:
            raise serializers.ValidationError(
                _("These are not among the records you may choose here: %(ids)s.") % {"ids": ", ".join(missing)}
            )
        return [found[value] for value in ids]


# --- engagements: what the API shows -----------------------------------------------------


class ValuesListField(serializers.ListField):
    """A read-only list already made of JSON values (ids, language codes, theme names),
    returned as it is: ``ListField`` would pass each item through its child field, which
    costs more than the rest of a row. The child still documents the type in the schema."""

    def to_representation(self, data):
        return list(data)


class AttendanceBreakdownSerializer(serializers.ModelSerializer):
    """How many of those who came fall under one option of a category (12 spoke Spanish)."""

    category = serializers.CharField(source="option.category.name", read_only=True)
    label = serializers.CharField(source="option.label", read_only=True)

    class Meta:
        model = AttendanceBreakdown
        fields = ["option", "category", "label", "count"]
        read_only_fields = fields

    def to_representation(self, row: dict) -> dict:
        # A row of the engagement's ``breakdown_rows`` (read with it in one query), in the
        # declared order of the keys.
        return {"option": row["option"], "category": row["category"], "label": row["label"], "count": row["count"]}


class InputItemSerializer(serializers.ModelSerializer):
    """Something residents said: the text, its themes and how many raised it."""

    themes = ValuesListField(child=serializers.CharField(), source="theme_names", read_only=True)

    class Meta:
        model = InputItem
        fields = ["id", "text", "themes", "count_raised"]
        read_only_fields = fields

    def to_representation(self, row: dict) -> dict:
        # A row of the engagement's ``input_item_rows`` (read with it in one query).
        return {"id": row["id"], "text": row["text"], "themes": row["themes"], "count_raised": row["count_raised"]}


class EngagementSerializer(serializers.ModelSerializer):
    """A logged engagement as the engagement page shows it, with its attendance counts
    (``attendance_total`` everyone who came, named or not; ``attendee_count`` those named;
    ``breakdowns`` the counts by language, neighborhood, age band…) and its input items."""

    languages = ValuesListField(child=serializers.CharField(), source="language_codes", read_only=True)
    interpretation_languages = ValuesListField(
        child=serializers.CharField(), source="interpretation_language_codes", read_only=True
    )
    host_organizations = ValuesListField(
        child=serializers.IntegerField(), source="host_organization_ids", read_only=True
    )
    facilitator_people = ValuesListField(
        child=serializers.IntegerField(), source="facilitator_person_ids", read_only=True
    )
    facilitator_users = ValuesListField(child=serializers.IntegerField(), source="facilitator_user_ids", read_only=True)
    departments = ValuesListField(child=serializers.IntegerField(), source="department_ids", read_only=True)
    attendees = ValuesListField(
        child=serializers.IntegerField(), source="attendee_ids", read_only=True, help_text=_("Named attendees.")
    )
    attendee_count = serializers.SerializerMethodField(help_text=_("How many attendees are named."))
    breakdowns = AttendanceBreakdownSerializer(many=True, read_only=True, source="breakdown_rows")
    input_items = InputItemSerializer(many=True, read_only=True, source="input_item_rows")
    commitments = ValuesListField(child=serializers.IntegerField(), source="commitment_ids", read_only=True)

    class Meta:
        model = Engagement
        fields = [
            *("id", "kind", "title", "starts_at", "ends_at", "neighborhood", "location", "languages"),
            *("interpretation_languages", "accessibility", "host_organizations", "facilitator_people"),
            *("facilitator_users", "departments", "coalition", "summary", "attendance_total", "attendee_count"),
            *("attendees", "breakdowns", "input_items", "commitments", "created_by", "is_published"),
            *("created_at", "updated_at"),
        ]
        read_only_fields = fields

    def get_attendee_count(self, engagement: Engagement) -> int:
        return len(engagement.attendee_ids)


# --- engagements: what may be sent --------------------------------------------------------


class BreakdownRowSerializer(StrictSerializer):
    option = _record_id(help_text=_("A breakdown option's id (see ``breakdowns`` of an engagement)."))
    count = serializers.IntegerField(min_value=0, max_value=INTEGER_MAX)


class InputItemRowSerializer(StrictSerializer):
    id = _record_id(
        required=False, help_text=_("When changing an engagement: the item kept (leave out for a new one).")
    )
    text = serializers.CharField(max_length=TEXT_MAX)
    themes = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=50, help_text=_("Theme names.")
    )
    count_raised = serializers.IntegerField(min_value=1, max_value=INTEGER_MAX, default=1)


class CommitmentRowSerializer(StrictSerializer):
    id = _record_id(
        required=False, help_text=_("When changing an engagement: the commitment kept (leave out for a new one).")
    )
    description = serializers.CharField(max_length=TEXT_MAX)
    owner = _record_id(required=False, allow_null=True, help_text=_("An active user's id."))
    department = _record_id(required=False, allow_null=True)
    due_on = serializers.DateField(required=False, allow_null=True, validators=[validate_date_in_range])
    answers = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=1000),
        required=False,
        max_length=100,
        help_text=_("The input items it answers, by their place in ``input_items`` (1 is the first)."),
    )


def _facilitating_people(serializer) -> QuerySet[Person]:
    """As the quick log offers them: liaisons, and whoever already facilitated this engagement."""
    engagement = serializer.context.get("engagement")
    offered = Q(user__groups__name="Liaison")
    if engagement is not None:
        offered |= Q(facilitated_engagements=engagement)
    return Person.objects.filter(offered)


def _facilitating_users(serializer) -> QuerySet[User]:
    """As the quick log offers them: active users, and whoever already facilitated this engagement."""
    engagement = serializer.context.get("engagement")
    offered = Q(is_active=True)
    if engagement is not None:
        offered |= Q(facilitated_engagements=engagement)
    return User.objects.filter(offered)


def _pickable_attendees(serializer) -> QuerySet[Person]:
    return attendees_pickable_by(serializer.context["request"].user)


def _languages(**kwargs) -> RecordIdsField:
    return RecordIdsField(
        choices=Language.objects.all(), child=serializers.CharField(max_length=8), max_length=50, **kwargs
    )


def _unique_ids(rows: list[dict], what: str) -> None:
    ids = [row["id"] for row in rows if row.get("id") is not None]
    if len(ids) != len(set(ids)):
        raise serializers.ValidationError(_("The same %(what)s id is sent twice.") % {"what": what})


class EngagementLogSerializer(StrictSerializer):
    """A whole session, as the quick log takes it: logged at once (no drafts here)."""

    kind = serializers.ChoiceField(choices=Engagement.Kind.choices, required=False)
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField(validators=[validate_date_in_range])
    ends_at = serializers.DateTimeField(required=False, allow_null=True, validators=[validate_date_in_range])
    neighborhood = _record(Neighborhood.objects.all())
    location = serializers.CharField(max_length=250, required=False, allow_blank=True)
    languages = _languages(help_text=_("Codes of the languages used."))
    interpretation_languages = _languages(help_text=_("Codes of the languages interpreted into."))
    accessibility = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    host_organizations = RecordIdsField(choices=Organization.objects.all())
    facilitator_people = RecordIdsField(choices=_facilitating_people, help_text=_("Liaisons (people) who facilitated."))
    facilitator_users = RecordIdsField(choices=_facilitating_users, help_text=_("Staff (users) who facilitated."))
    departments = RecordIdsField(choices=Department.objects.all())
    coalition = _record(Coalition.objects.all())
    summary = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    attendance_total = serializers.IntegerField(
        min_value=0, max_value=INTEGER_MAX, required=False, help_text=_("How many came, named or not.")
    )
    attendees = RecordIdsField(
        choices=_pickable_attendees, max_length=1000, help_text=_("Ids of the people named as attendees.")
    )
    breakdowns = BreakdownRowSerializer(many=True, required=False, max_length=200)
    input_items = InputItemRowSerializer(many=True, required=False, max_length=100)
    commitments = CommitmentRowSerializer(many=True, required=False, max_length=50)
    submission_key = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=_(
            "Any new UUID per session logged. Sending the same key again (a retry after a lost answer) "
            "returns the engagement it logged the first time, with status 200, and logs nothing more."
        ),
    )

    def validate_attendees(self, people: list[Person]) -> list[int]:
        return [person.pk for person in people]

    def validate_breakdowns(self, rows: list[dict]) -> list[services.BreakdownRow]:
        offered = BreakdownOption.objects.filter(is_active=True, category__is_active=True)
        known = set(offered.filter(pk__in={row["option"] for row in rows}).values_list("pk", flat=True))
        missing = sorted({str(row["option"]) for row in rows if row["option"] not in known})
        if missing:
            raise serializers.ValidationError(
                _("These breakdown options are not offered: %(ids)s.") % {"ids": ", ".join(missing)}
            )
        return [services.BreakdownRow(option_id=row["option"], count=row["count"]) for row in rows]

    def validate_input_items(self, rows: list[dict]) -> list[services.InputItemRow]:
        _unique_ids(rows, _("input item"))
        names = {name for row in rows for name in row.get("themes", [])}
        themes = dict(Theme.objects.filter(is_active=True, name__in=names).values_list("name", "pk"))
        missing = sorted(names - themes.keys())
        if missing:
            raise serializers.ValidationError(
                _("These themes are not offered: %(names)s.") % {"names": ", ".join(missing)}
            )
        return [
            services.InputItemRow(
                text=row["text"],
                theme_ids=[themes[name] for name in row.get("themes", [])],
                count_raised=row["count_raised"],
                id=row.get("id"),
            )
            for row in rows
        ]

    def validate_commitments(self, rows: list[dict]) -> list[services.CommitmentRow]:
        _unique_ids(rows, _("commitment"))
        owners = {row["owner"] for row in rows if row.get("owner") is not None}
        departments = {row["department"] for row in rows if row.get("department") is not None}
        active = set(User.objects.filter(is_active=True, pk__in=owners).values_list("pk", flat=True))
        existing = set(Department.objects.filter(pk__in=departments).values_list("pk", flat=True))
        errors = []
        if owners - active:
            errors.append(_("A commitment's owner must be an active user."))
        if departments - existing:
            errors.append(_("A commitment names a department that does not exist."))
        if errors:
            raise serializers.ValidationError(errors)
        return [
            services.CommitmentRow(
                description=row["description"],
                owner_id=row.get("owner"),
                department_id=row.get("department"),
                due_on=row.get("due_on"),
                answers=sorted(set(row.get("answers", []))),
                id=row.get("id"),
            )
            for row in rows
        ]


class EngagementChangeSerializer(EngagementLogSerializer):
    """A change: only the parts sent are changed. A list sent replaces the list: rows with
    an ``id`` are kept (and changed), rows without are added, rows left out are removed."""

    title = serializers.CharField(max_length=200, required=False)
    starts_at = serializers.DateTimeField(required=False, validators=[validate_date_in_range])
    submission_key = None


# The engagement's links that the quick log replaces as a whole, and its single values.
_LINKS = ("languages", "interpretation_languages", "host_organizations", "facilitator_people")
_LINKS += ("facilitator_users", "departments")
_VALUES = [name for name in services.EngagementDetails.__dataclass_fields__ if name not in _LINKS]
# What a new engagement holds before the caller's values go over it.
_NEW = {
    **{name: getattr(services.EngagementDetails(), name) for name in services.EngagementDetails.__dataclass_fields__},
    "attendees": [],
    "breakdowns": [],
    "input_items": [],
    "commitments": [],
}


def _as_submitted(engagement: Engagement, changes: dict) -> dict:
    """``engagement`` as the quick log would submit it unchanged, for the parts ``changes`` leaves out.

    Commitments not sent keep answering the same input items, found in the items sent
    (by id) when those change."""
    current = {name: getattr(engagement, name) for name in _VALUES if name not in changes}
    for name in _LINKS:
        if name not in changes:
            current[name] = list(getattr(engagement, name).all())
    if "attendees" not in changes:
        current["attendees"] = list(engagement.attendee_ids)
    if "breakdowns" not in changes:
        current["breakdowns"] = [
            services.BreakdownRow(option_id=row.option_id, count=row.count) for row in engagement.breakdowns.all()
        ]
    if "input_items" not in changes:
        themes = defaultdict(list)
        links = InputItem.themes.through.objects.filter(inputitem__engagement=engagement)
        for item_id, theme_id in links.values_list("inputitem_id", "theme_id"):
            themes[item_id].append(theme_id)
        current["input_items"] = [
            services.InputItemRow(text=item.text, theme_ids=themes[item.pk], count_raised=item.count_raised, id=item.pk)
            for item in engagement.input_items.all()
        ]
    if "commitments" not in changes:
        rows = changes["input_items"] if "input_items" in changes else current["input_items"]
        place = {row.id: n for n, row in enumerate(rows, start=1) if row.id is not None}
        answered = defaultdict(list)
        links = Commitment.input_items.through.objects.filter(commitment__engagement=engagement)
        for commitment_id, item_id in links.values_list("commitment_id", "inputitem_id"):
            if item_id in place:
                answered[commitment_id].append(place[item_id])
        current["commitments"] = [
            services.CommitmentRow(
                description=commitment.description,
                owner_id=commitment.owner_id,
                department_id=commitment.department_id,
                due_on=commitment.due_on,
                answers=sorted(answered[commitment.pk]),
                id=commitment.pk,
            )
            for commitment in engagement.commitments.order_by("position", "pk")
        ]
    return current


def _service_arguments(values: dict) -> dict:
    """The quick log's service arguments from a full set of ``values``."""
    return {
        "details": services.EngagementDetails(
            **{name: values[name] for name in services.EngagementDetails.__dataclass_fields__}
        ),
        "breakdowns": values["breakdowns"],
        "input_items": values["input_items"],
        "commitments": values["commitments"],
        "attendee_ids": values["attendees"],
    }


class EngagementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Logged engagements the caller may see (a liaison: those they logged or facilitated),
    filtered as on the engagements page (``date_from``/``date_to`` for the days of the start).

    POST logs a session as the quick log does, in one go: the engagement, its breakdowns,
    input items, named attendees and commitments. PATCH changes one the caller may edit
    (coordinators and admins: any; others: the ones they logged)."""

    serializer_class = EngagementSerializer
    filterset_class = EngagementFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    required_perms = {
        "list": "engagements.view_engagement",
        "retrieve": "engagements.view_engagement",
        "create": "engagements.add_engagement",
        "partial_update": "engagements.add_engagement",
    }

    def get_queryset(self):
        theme_names = Theme.objects.filter(input_items=OuterRef("pk")).order_by("name").values("name")
        return (
            engagements_visible_to(self.request.user)
            .annotate(
                language_codes=_linked_ids(Engagement.languages),
                interpretation_language_codes=_linked_ids(Engagement.interpretation_languages),
                host_organization_ids=_linked_ids(Engagement.host_organizations),
                facilitator_person_ids=_linked_ids(Engagement.facilitator_people),
                facilitator_user_ids=_linked_ids(Engagement.facilitator_users),
                department_ids=_linked_ids(Engagement.departments),
                attendee_ids=_linked_ids(Engagement.attendees),
                commitment_ids=ArraySubquery(
                    Commitment.objects.filter(engagement=OuterRef("pk")).order_by("position", "pk").values("pk")
                ),
            )
            # Breakdowns and input items as JSON rows of the same query: no model instances
            # (three per breakdown with its option and category) for a page of 50 engagements.
            .annotate(
                breakdown_rows=ArraySubquery(
                    AttendanceBreakdown.objects.filter(engagement=OuterRef("pk"))
                    .order_by("option__category__position", "option__position", "pk")
                    .values(
                        row=JSONObject(
                            option=F("option_id"),
                            category=F("option__category__name"),
                            label=F("option__label"),
                            count=F("count"),
                        )
                    )
                ),
                input_item_rows=ArraySubquery(
                    InputItem.objects.filter(engagement=OuterRef("pk"))
                    .order_by("position", "pk")
                    .values(
                        row=JSONObject(
                            id=F("pk"),
                            text=F("text"),
                            themes=ArraySubquery(theme_names),
                            count_raised=F("count_raised"),
                        )
                    )
                ),
            )
        )

    def get_serializer_class(self):
        if self.action == "create":
            return EngagementLogSerializer
        if self.action == "partial_update":
            return EngagementChangeSerializer
        return EngagementSerializer

    @extend_schema(
        request=EngagementLogSerializer,
        responses={
            201: EngagementSerializer,
            200: OpenApiResponse(EngagementSerializer, description=_("Already logged with this submission key.")),
        },
    )
    def create(self, request, *args, **kwargs):
        data = self._valid(request, EngagementLogSerializer)
        key: uuid.UUID | None = data.pop("submission_key", None)
        retried = key is not None and Engagement.objects.filter(submission_key=key).exists()
        with service_errors():
            engagement = services.engagement_log(
                actor=request.user, submission_key=key, **_service_arguments({**_NEW, **data})
            )
            if engagement.is_draft:  # the key of a draft started in the browser
                raise DjangoValidationError(
                    {"submission_key": _("This key belongs to a draft. Finish it in the browser or send a new key.")}
                )
        return self._answer(engagement, status=200 if retried else 201)

    @extend_schema(request=EngagementChangeSerializer, responses=EngagementSerializer)
    def partial_update(self, request, *args, **kwargs):
        engagement = self.get_object()
        if not can_edit_engagement(request.user, engagement):
            raise PermissionDenied(_("You may change only the engagements you logged."))
        changes = self._valid(request, EngagementChangeSerializer, engagement=engagement)
        values = {**_as_submitted(engagement, changes), **changes}
        with service_errors():
            services.engagement_update(actor=request.user, engagement=engagement, **_service_arguments(values))
        return self._answer(engagement)

    def _valid(self, request, serializer_class, engagement: Engagement | None = None) -> dict:
        context = {**self.get_serializer_context(), "engagement": engagement}
        serializer = serializer_class(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _answer(self, engagement: Engagement, status: int = 200):
        engagement = self.get_queryset().get(pk=engagement.pk)
        return Response(EngagementSerializer(engagement, context=self.get_serializer_context()).data, status=status)


# --- commitments ---------------------------------------------------------------------------


class CommitmentStatusChangeSerializer(serializers.ModelSerializer):
    """One change of status: from what (empty for the first), to what, by whom, when and why."""

    from_status = serializers.ChoiceField(choices=Commitment.Status.choices, allow_blank=True, read_only=True)

    class Meta:
        model = CommitmentStatusChange
        fields = ["from_status", "to_status", "reason", "changed_by", "changed_at"]
        read_only_fields = fields


class LoopBackSerializer(serializers.ModelSerializer):
    """When and how the community was told what happened."""

    languages = serializers.ListField(child=serializers.CharField(), source="language_codes", read_only=True)

    class Meta:
        model = LoopBack
        fields = ["id", "date", "method", "languages", "note"]
        read_only_fields = fields


class CommitmentSerializer(serializers.ModelSerializer):
    """A commitment as its page shows it: what will be done, by whom, by when, its status
    with the whole history of changes, and the loop-backs to the community."""

    input_items = serializers.ListField(
        child=serializers.IntegerField(),
        source="input_item_ids",
        read_only=True,
        help_text=_("The input items (of its engagement) it answers."),
    )
    loop_back_count = serializers.IntegerField(read_only=True)
    status_history = CommitmentStatusChangeSerializer(source="status_changes", many=True, read_only=True)
    loop_backs = LoopBackSerializer(many=True, read_only=True)

    class Meta:
        model = Commitment
        fields = [
            *("id", "engagement", "description", "owner", "department", "due_on", "status", "declined_reason"),
            *("input_items", "status_history", "loop_back_count", "loop_backs", "created_at", "updated_at"),
        ]
        read_only_fields = fields


class CommitmentStatusSetSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=Commitment.Status.choices)
    reason = serializers.CharField(
        max_length=TEXT_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required when declining; the community will see it."),
    )


class CommitmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Commitments of the engagements the caller may see, filtered as on the accountability
    page (status, department, owner, ``overdue``, ``not_looped_back``), each with its status
    history. Coordinators and admins move a commitment to another status with POST
    ``/commitments/{id}/status/``."""

    serializer_class = CommitmentSerializer
    filterset_class = CommitmentFilter
    http_method_names = ["get", "post", "head", "options"]
    required_perms = {
        "list": "engagements.view_commitment",
        "retrieve": "engagements.view_commitment",
        "status": "engagements.change_commitment",
    }

    def get_queryset(self):
        loop_back_languages = _linked_ids(LoopBack.languages)
        return (
            commitment_list_for(self.request.user)
            .annotate(input_item_ids=_linked_ids(Commitment.input_items))
            .prefetch_related(
                Prefetch("status_changes", queryset=CommitmentStatusChange.objects.order_by("changed_at", "pk")),
                Prefetch("loop_backs", queryset=LoopBack.objects.annotate(language_codes=loop_back_languages)),
            )
        )

    def get_serializer_class(self):
        return CommitmentStatusSetSerializer if self.action == "status" else CommitmentSerializer

    @extend_schema(request=CommitmentStatusSetSerializer, responses=CommitmentSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Move the commitment to another status, as on its page; declining needs a reason.
        The change joins its status history."""
        commitment = self.get_object()
        serializer = CommitmentStatusSetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.commitment_set_status(actor=request.user, commitment=commitment, **serializer.validated_data)
        commitment = self.get_queryset().get(pk=commitment.pk)
        return Response(CommitmentSerializer(commitment, context=self.get_serializer_context()).data)


# --- follow-ups ----------------------------------------------------------------------------


class FollowUpSerializer(serializers.ModelSerializer):
    """A follow-up: what to do, why, about which record (``subject_type`` and ``subject_id``), by when."""

    subject_type = serializers.SerializerMethodField(help_text=_('The kind of record, like "stakeholders.person".'))
    subject_id = serializers.IntegerField(source="object_id", read_only=True)

    class Meta:
        model = FollowUp
        fields = [
            *("id", "title", "notes", "reason", "subject_type", "subject_id", "due_on", "status"),
            *("snoozed_until", "completed_at", "source", "created_at", "updated_at"),
        ]
        read_only_fields = fields

    def get_subject_type(self, followup: FollowUp) -> str:
        return f"{followup.content_type.app_label}.{followup.content_type.model}"


# What the inbox's buttons do to a follow-up: the statuses a caller may move one to.
FOLLOW_UP_MOVES = [
    (FollowUp.Status.DONE, FollowUp.Status.DONE.label),
    (FollowUp.Status.DISMISSED, FollowUp.Status.DISMISSED.label),
    (FollowUp.Status.SNOOZED, FollowUp.Status.SNOOZED.label),
]


class FollowUpStatusSetSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=FOLLOW_UP_MOVES)
    snoozed_until = serializers.DateField(
        required=False,
        allow_null=True,
        validators=[validate_date_in_range],
        help_text=_("With ``snoozed``: a day after today, when it comes back as open."),
    )

    def validate(self, data: dict) -> dict:
        snoozing = data["status"] == FollowUp.Status.SNOOZED
        if snoozing and not data.get("snoozed_until"):
            raise serializers.ValidationError({"snoozed_until": _("Say until which day to snooze it.")})
        if not snoozing and data.get("snoozed_until"):
            raise serializers.ValidationError({"snoozed_until": _("Only a snooze takes a day; leave it out.")})
        return data


class FollowUpViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own follow-ups (nobody sees anyone else's), filtered as in the inbox
    (``reason``, ``status``). POST ``/follow-ups/{id}/status/`` marks one done, dismisses it
    or snoozes it, as the inbox buttons do."""

    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return followups_visible_to(self.request.user)

    def get_serializer_class(self):
        return FollowUpStatusSetSerializer if self.action == "status" else FollowUpSerializer

    @extend_schema(request=FollowUpStatusSetSerializer, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Mark the follow-up ``done``, ``dismissed`` (set aside without doing it) or ``snoozed``
        (hidden until ``snoozed_until``)."""
        followup = self.get_object()
        serializer = FollowUpStatusSetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        move, until = serializer.validated_data["status"], serializer.validated_data.get("snoozed_until")
        with service_errors():
            if move == FollowUp.Status.SNOOZED:
                followup_services.followup_snooze(followup=followup, until=until)
            elif move == FollowUp.Status.DONE:
                followup_services.followup_done(followup=followup)
            else:
                followup_services.followup_dismiss(followup=followup)
        return Response(FollowUpSerializer(followup, context=self.get_serializer_context()).data)
