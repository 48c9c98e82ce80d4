"""The government structure, read-only: departments, positions with their current holders,
tenures and elections, read through the same selectors as the pages.

Every role that holds the ``view_*`` permissions of the structure (staff, coordinators,
admins, liaisons) reads all of it, as on the pages; changes stay on the pages, where the
position change form records a turnover in one step.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from ..filters.government import DepartmentFilter, ElectionFilter, PositionFilter, TenureFilter
from ..models import Department, Election, Position, Tenure
from ..selectors.government import (
    departments_visible_to,
    elections_visible_to,
    positions_visible_to,
    tenures_visible_to,
)


class DepartmentSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    position_count = serializers.IntegerField(read_only=True)
    vacancy_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Department
        fields = ["id", "name", "abbreviation", "parent", "position_count", "vacancy_count", "created_at", "updated_at"]
        read_only_fields = fields


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Departments (``parent`` nests them), with their number of positions and of vacant ones.
    Filters as on the departments page."""

    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilter
    required_perms = {"list": "stakeholders.view_department", "retrieve": "stakeholders.view_department"}

    def get_queryset(self):
        return departments_visible_to(self.request.user)


class PositionSerializer(serializers.ModelSerializer):
    department = serializers.PrimaryKeyRelatedField(read_only=True)
    current_holders = serializers.SerializerMethodField()

    class Meta:
        model = Position
        fields = ["id", "title", "department", "level", "is_multi_seat", "current_holders", "created_at", "updated_at"]
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": {"type": "integer"}, "description": "Ids of the people."})
    def get_current_holders(self, position: Position) -> list[int]:
        """The people holding the position now (several on a multi-seat one), longest-serving first."""
        return [tenure.person_id for tenure in position.current_tenures]


class PositionViewSet(viewsets.ReadOnlyModelViewSet):
    """Positions with the people who hold them now (none: vacant)."""

    serializer_class = PositionSerializer
    filterset_class = PositionFilter
    required_perms = {"list": "stakeholders.view_position", "retrieve": "stakeholders.view_position"}

    def get_queryset(self):
        return positions_visible_to(self.request.user)


class TenureSerializer(serializers.ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(read_only=True)
    position = serializers.PrimaryKeyRelatedField(read_only=True)
    is_current = serializers.BooleanField(read_only=True)
    end_reason = serializers.ChoiceField(
        choices=Tenure.EndReason.choices, allow_blank=True, read_only=True, help_text=_("Empty while it runs.")
    )

    class Meta:
        model = Tenure
        fields = [
            *("id", "person", "position", "start_date", "planned_end_date", "actual_end_date", "end_reason"),
            *("is_acting", "is_current", "created_at", "updated_at"),
        ]
        read_only_fields = fields


class TenureViewSet(viewsets.ReadOnlyModelViewSet):
    """Who held which position when; turnover is a tenure ending (``actual_end_date`` and
    ``end_reason``). ``current=true`` for those still running."""

    serializer_class = TenureSerializer
    filterset_class = TenureFilter
    required_perms = {"list": "stakeholders.view_tenure", "retrieve": "stakeholders.view_tenure"}

    def get_queryset(self):
        return tenures_visible_to(self.request.user).select_related(None)


class ElectionSerializer(serializers.ModelSerializer):
    positions = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text=_("Positions on the ballot."))

    class Meta:
        model = Election
        fields = ["id", "name", "jurisdiction", "date", "kind", "positions", "created_at", "updated_at"]
        read_only_fields = fields


class ElectionViewSet(viewsets.ReadOnlyModelViewSet):
    """Elections with the positions on their ballot. Filters as on the elections page."""

    serializer_class = ElectionSerializer
    filterset_class = ElectionFilter
    required_perms = {"list": "stakeholders.view_election", "retrieve": "stakeholders.view_election"}

    def get_queryset(self):
        on_ballot = positions_visible_to(self.request.user).select_related(None).prefetch_related(None).only("pk")
        return elections_visible_to(self.request.user).prefetch_related(Prefetch("positions", queryset=on_ballot))
