"""Coalitions with their members, goals and allies' stances, for coordinators and admins.

Coalitions are read through the coalition list's selector (a coordinator: the coalitions
they coordinate or belong to; an admin: all), stances through the ally map's, and a stance
is recorded through ``coalition.services.stance_set`` by those who manage the coalition,
with its dated history, as on the ally map. Staff and liaisons use the pages.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from stakeholders.api.base import StrictSerializer, service_errors
from stakeholders.models import Person

from . import selectors, services
from .filters import CoalitionFilter
from .forms import staff_users
from .models import (
    AllyStance,
    Coalition,
    Goal,
    GoalProgress,
    Influence,
    MemberResource,
    Membership,
    Stance,
    StanceChange,
)

# The continuity risks of an ally, as the ally map names them (``selectors.RiskFlag.code``).
RISK_FLAG_CODES = [
    ("term_end", _("Planned term end near or passed")),
    ("ballot", _("Seat on the ballot soon")),
    ("no_contact", _("No recent contact")),
    ("vacated", _("Left their position, successor without a stance")),
]


class CoordinatorsAndAdmins(permissions.BasePermission):
    """Coalitions in the API are for coordinators (those they coordinate) and admins (all)."""

    message = _("Coalitions are open to coordinators and admins only. Use the coalition pages instead.")

    def has_permission(self, request, view):
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and (user.has_perm("coalition.coordinate_coalition") or user.has_perm("coalition.manage_all_coalitions"))
        )


# --- Coalitions -------------------------------------------------------------------------


class UserNameSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)


class MemberResourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = MemberResource
        fields = ["kind", "note"]
        read_only_fields = fields


class MembershipSerializer(serializers.ModelSerializer):
    """A member (an organization or a person), its role, and what it brings."""

    name = serializers.CharField(source="member", read_only=True, help_text=_("The organization's or person's name."))
    organization = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    person = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    is_active = serializers.BooleanField(read_only=True)
    resources = MemberResourceSerializer(many=True, read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "name", "organization", "person", "role", "joined_on", "left_on", "is_active", "resources"]
        read_only_fields = fields


class GoalProgressSerializer(serializers.ModelSerializer):
    class Meta:
        model = GoalProgress
        fields = ["value", "recorded_on"]
        read_only_fields = fields


class GoalSerializer(serializers.ModelSerializer):
    """A measurable goal, from a baseline to a target, with its latest recorded value."""

    latest_progress = GoalProgressSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Goal
        fields = ["id", "metric", "unit", "baseline", "target", "due_date", "latest_progress"]
        read_only_fields = fields


class CoalitionSerializer(serializers.ModelSerializer):
    """A coalition's charter, coordinators, members (past ones too) and goals."""

    coordinators = UserNameSerializer(many=True, read_only=True)
    member_count = serializers.IntegerField(read_only=True, help_text=_("Current members."))
    ally_count = serializers.IntegerField(read_only=True, help_text=_("People with a stance on the ally map."))
    members = MembershipSerializer(source="memberships", many=True, read_only=True)
    goals = GoalSerializer(many=True, read_only=True)

    class Meta:
        model = Coalition
        fields = [
            *("id", "name", "mission_what", "mission_why", "mission_measure", "status", "start_date"),
            *("coordinators", "member_count", "ally_count", "members", "goals", "created_at", "updated_at"),
        ]
        read_only_fields = fields


# --- Stances ----------------------------------------------------------------------------


class RiskFlagSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=RISK_FLAG_CODES, read_only=True)
    reason = serializers.CharField(read_only=True)


class StanceSerializer(serializers.ModelSerializer):
    """An ally's stance as the ally map shows it: the person, their current (or last) position,
    the relationship owner, the last contact and the continuity risks."""

    person = serializers.IntegerField(source="row.person_id", read_only=True)
    person_name = serializers.CharField(source="row.name", read_only=True)
    owner = serializers.IntegerField(source="row.owner_id", read_only=True, allow_null=True)
    owner_name = serializers.CharField(source="row.owner_name", read_only=True)
    last_contact_on = serializers.DateField(source="row.last_contact_on", read_only=True, allow_null=True)
    position = serializers.IntegerField(source="row.position_id", read_only=True, allow_null=True)
    position_title = serializers.CharField(source="row.position_title", read_only=True)
    department = serializers.SerializerMethodField()
    is_former = serializers.BooleanField(
        source="row.is_former", read_only=True, help_text=_("The position is one they no longer hold.")
    )
    at_risk = serializers.BooleanField(source="row.at_risk", read_only=True)
    risk_flags = RiskFlagSerializer(source="row.flags", many=True, read_only=True)

    class Meta:
        model = AllyStance
        fields = [
            *("id", "person", "person_name", "stance", "influence", "owner", "owner_name", "notes"),
            *("last_contact_on", "position", "position_title", "department", "is_former", "at_risk"),
            *("risk_flags", "created_at", "updated_at"),
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_department(self, stance: AllyStance) -> int | None:
        department = stance.row.department
        return department.pk if department else None


class StanceChangeSerializer(serializers.ModelSerializer):
    changed_by = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    from_owner = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    to_owner = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = StanceChange
        fields = [
            *("changed_at", "changed_by", "from_stance", "to_stance", "from_influence", "to_influence"),
            *("from_owner", "to_owner", "note"),
        ]
        read_only_fields = fields


class StanceDetailSerializer(StanceSerializer):
    """An ally's stance with how it moved over time, newest change first."""

    changes = StanceChangeSerializer(many=True, read_only=True)

    class Meta(StanceSerializer.Meta):
        fields = [*StanceSerializer.Meta.fields, "changes"]
        read_only_fields = fields


class StanceChangeWriteSerializer(StrictSerializer):
    """What may be sent to change a stance; only the fields sent change."""

    stance = serializers.ChoiceField(choices=Stance.choices, required=False)
    influence = serializers.ChoiceField(choices=Influence.choices, required=False)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=staff_users(), required=False, allow_null=True, help_text=_("The staff member who owns it.")
    )
    notes = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    note = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text=_("Why it changed; kept with the history.")
    )


class StanceCreateSerializer(StanceChangeWriteSerializer):
    """What may be sent to add a person to the ally map."""

    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    stance = serializers.ChoiceField(choices=Stance.choices)


class StanceFilterSerializer(serializers.Serializer):
    """The ally map's filters, as on the page."""

    at_risk = serializers.BooleanField(required=False, default=False)
    owner = serializers.IntegerField(required=False, min_value=1)
    department = serializers.IntegerField(required=False, min_value=0)
    stance = serializers.ChoiceField(choices=Stance.choices, required=False)


STANCE_FILTERS = [
    OpenApiParameter("at_risk", OpenApiTypes.BOOL, description="Only allies with a continuity risk."),
    OpenApiParameter("owner", OpenApiTypes.INT, description="Only allies whose relationship this user owns."),
    OpenApiParameter(
        "department",
        OpenApiTypes.INT,
        description="Only allies whose position is in this department (0: those who hold none).",
    ),
    OpenApiParameter("stance", OpenApiTypes.STR, enum=Stance.values, description="Only allies with this stance."),
]
STANCE_ID = OpenApiParameter("stance_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The stance's id.")


class CoalitionViewSet(viewsets.ReadOnlyModelViewSet):
    """Coalitions the caller manages or belongs to (an admin: all), with their charter,
    coordinators, members and goals. Filters as on the coalitions page.

    ``stances/`` lists a coalition's allies as the ally map does (with their continuity
    risks) and adds one; ``stances/{stance_id}/`` shows one with its history and changes it.
    Only coordinators and admins may call these endpoints; changes need a coalition the
    caller coordinates (admins: any).
    """

    serializer_class = CoalitionSerializer
    filterset_class = CoalitionFilter
    permission_classes = [*api_settings.DEFAULT_PERMISSION_CLASSES, CoordinatorsAndAdmins]
    required_perms = {
        "list": "coalition.view_coalition",
        "retrieve": "coalition.view_coalition",
        "stances": "coalition.view_allystance",
        "stance_create": "coalition.view_allystance",
        "stance": "coalition.view_allystance",
        "stance_change": "coalition.view_allystance",
    }

    def get_queryset(self):
        if self.action not in ("list", "retrieve"):
            return selectors.coalitions_visible_to(self.request.user)
        members = Membership.objects.select_related("organization", "person").prefetch_related("resources")
        return selectors.coalition_list(self.request.user).prefetch_related(
            Prefetch(
                "memberships", queryset=members.order_by("left_on", "role", "organization__name", "person__last_name")
            ),
            Prefetch("goals", queryset=Goal.objects.prefetch_related("progress")),
        )

    def _coalition(self, *, manage: bool = False) -> Coalition:
        """The coalition of the address, as the ally map finds it: 404 when the caller may not
        see it, 403 without access to stances or (to change one) when they do not manage it."""
        coalition = self.get_object()  # coalitions_visible_to, as coalition_for_user
        if not selectors.can_view_stances(self.request.user):
            raise PermissionDenied
        if manage and not selectors.can_manage_coalition(self.request.user, coalition):
            raise PermissionDenied(_("You may change only the coalitions you coordinate."))
        return coalition

    @extend_schema(
        parameters=STANCE_FILTERS,
        responses={200: StanceSerializer(many=True)},
        summary="The coalition's allies and their stances",
    )
    @action(detail=True, methods=["get"], filter_backends=[], serializer_class=StanceSerializer)
    def stances(self, request, *args, **kwargs):
        """The allies on the coalition's ally map, with the map's filters (``at_risk``, ``owner``,
        ``department``, ``stance``), in the order they were added."""
        coalition = self._coalition()
        filters = StanceFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        focus = filters.validated_data
        the_map = selectors.ally_map(
            coalition,
            only_at_risk=focus["at_risk"],
            owner_id=focus.get("owner"),
            department_id=focus.get("department"),
            stance=focus.get("stance"),
        )
        rows = {row.pk: row for row in the_map.allies}
        queryset = AllyStance.objects.filter(coalition=coalition)
        if focus["at_risk"] or any(name in focus for name in ("owner", "department", "stance")):
            queryset = queryset.filter(pk__in=list(rows))
        page = [stance for stance in self.paginate_queryset(queryset) if stance.pk in rows]
        for stance in page:
            stance.row = rows[stance.pk]
        selectors.explain_flags([stance.row for stance in page])
        return self.get_paginated_response(StanceSerializer(page, many=True).data)

    @extend_schema(request=StanceCreateSerializer, responses={201: StanceDetailSerializer})
    @stances.mapping.post
    def stance_create(self, request, *args, **kwargs):
        """Add a person to the coalition's ally map with a stance; the first entry of its history
        records who added it. A person already on the map keeps their stance: change that one."""
        coalition = self._coalition(manage=True)
        serializer = StanceCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if AllyStance.objects.filter(coalition=coalition, person=data["person"]).exists():
            raise serializers.ValidationError(
                {"person": [_("This person already has a stance in this coalition. Change that one.")]}
            )
        with service_errors():
            ally = services.stance_set(coalition=coalition, changed_by=request.user, **data)
        return self._stance_answer(coalition, ally.pk, status=201)

    @extend_schema(parameters=[STANCE_ID], responses={200: StanceDetailSerializer})
    @action(
        detail=True,
        methods=["get"],
        url_path=r"stances/(?P<stance_id>[0-9]+)",
        url_name="stance-detail",
        filter_backends=[],
        pagination_class=None,
        serializer_class=StanceDetailSerializer,
    )
    def stance(self, request, *args, **kwargs):
        """One ally's stance, with how it moved over time."""
        coalition = self._coalition()
        return self._stance_answer(coalition, self._stance_id())

    @extend_schema(parameters=[STANCE_ID], request=StanceChangeWriteSerializer, responses={200: StanceDetailSerializer})
    @stance.mapping.patch
    def stance_change(self, request, *args, **kwargs):
        """Change an ally's stance, influence, owner or notes; a change of stance, influence or
        owner is kept in its history with ``note`` and who made it."""
        coalition = self._coalition(manage=True)
        ally = selectors.ally_for_user(request.user, coalition, self._stance_id())
        serializer = StanceChangeWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {
            "stance": ally.stance,
            "influence": ally.influence,
            "owner": ally.owner,
            "notes": None,  # unchanged unless sent
            **serializer.validated_data,
        }
        with service_errors():
            services.stance_set(coalition=coalition, person=ally.person, changed_by=request.user, **data)
        return self._stance_answer(coalition, ally.pk)

    def _stance_id(self) -> int:
        return int(self.kwargs["stance_id"])

    def _stance_answer(self, coalition: Coalition, stance_id: int, status: int = 200) -> Response:
        ally = selectors.ally_for_user(self.request.user, coalition, stance_id)
        rows, _risk, _departments = selectors.ally_rows(coalition, ally_pk=ally.pk)
        ally.row = rows[0]
        return Response(StanceDetailSerializer(ally).data, status=status)
