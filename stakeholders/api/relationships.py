"""Relationships: read through the user's selector, written through the relationship services.

Staff, coordinators and admins read every relationship; a liaison only those they are
part of (their own person record is one end), as on the relationships page. Coordinators
and admins add, change and end relationships, with the same checks as the pages; the
history of each change records who made it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ..filters.relationships import RelationshipFilter
from ..models import Organization, Person, Relationship, User
from ..selectors.relationships import relationships_visible_to
from ..services import relationships as services
from .base import StrictSerializer, service_errors


class RelationshipSerializer(serializers.ModelSerializer):
    """A relationship as the API shows it: both ends, with the names the pages show."""

    person = serializers.PrimaryKeyRelatedField(read_only=True)
    person_name = serializers.CharField(source="person.display_name", read_only=True)
    other_person = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    other_person_name = serializers.CharField(source="other_person.display_name", read_only=True, allow_null=True)
    organization = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True, allow_null=True)
    owner = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    owner_name = serializers.CharField(source="owner", read_only=True, allow_null=True)
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Relationship
        fields = [
            *("id", "person", "person_name", "other_person", "other_person_name", "organization"),
            *("organization_name", "kind", "strength", "start_date", "end_date", "is_current", "owner"),
            *("owner_name", "notes", "created_at", "updated_at"),
        ]
        read_only_fields = fields


class RelationshipWriteSerializer(StrictSerializer):
    """What may be sent to add a relationship: ``person`` and exactly one of ``other_person``
    or ``organization``."""

    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    other_person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    kind = serializers.ChoiceField(choices=Relationship.Kind.choices, required=False)
    strength = serializers.IntegerField(
        min_value=1, max_value=5, required=False, help_text=_("1 (weak) to 5 (strong).")
    )
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text=_("The staff member who keeps this relationship alive."),
    )
    notes = serializers.CharField(max_length=10_000, required=False, allow_blank=True)


class RelationshipChangeSerializer(RelationshipWriteSerializer):
    """What may be changed: everything but the person; only the fields sent are written."""

    person = None


class RelationshipEndSerializer(StrictSerializer):
    end_date = serializers.DateField(help_text=_("The day the relationship ended."))


_CHANGEABLE = ("other_person", "organization", "kind", "strength", "start_date", "end_date", "owner", "notes")


class RelationshipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Relationships the caller may see (a liaison: those they are part of), filtered as on
    the relationships page. Coordinators and admins add, change and end them; an ended
    relationship stays on record."""

    serializer_class = RelationshipSerializer
    filterset_class = RelationshipFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    required_perms = {
        "create": "stakeholders.add_relationship",
        "partial_update": "stakeholders.change_relationship",
        "end": "stakeholders.change_relationship",
    }

    def get_queryset(self):
        return relationships_visible_to(self.request.user)

    def get_serializer_class(self):
        return {
            "create": RelationshipWriteSerializer,
            "partial_update": RelationshipChangeSerializer,
            "end": RelationshipEndSerializer,
        }.get(self.action, RelationshipSerializer)

    @extend_schema(responses={201: RelationshipSerializer})
    def create(self, request, *args, **kwargs):
        serializer = RelationshipWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {"kind": Relationship.Kind.WORKS_WITH, "strength": 3, **serializer.validated_data}
        with service_errors():
            relationship = services.relationship_create(actor=request.user, **data)
        return self._answer(relationship, status=201)

    @extend_schema(responses={200: RelationshipSerializer})
    def partial_update(self, request, *args, **kwargs):
        relationship = self.get_object()
        serializer = RelationshipChangeSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = {name: getattr(relationship, name) for name in _CHANGEABLE}
        with service_errors():
            services.relationship_update(
                relationship=relationship, actor=request.user, **{**fields, **serializer.validated_data}
            )
        return self._answer(relationship)

    @extend_schema(request=RelationshipEndSerializer, responses={200: RelationshipSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, *args, **kwargs):
        """End a current relationship on ``end_date``; it stays on record."""
        relationship = self.get_object()
        if not relationship.is_current:  # as on the page: only a current relationship can be ended
            raise PermissionDenied(_("This relationship has already ended."))
        serializer = RelationshipEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.relationship_end(
                relationship=relationship, end_date=serializer.validated_data["end_date"], actor=request.user
            )
        return self._answer(relationship)

    def _answer(self, relationship: Relationship, status: int = 200):
        relationship = self.get_queryset().get(pk=relationship.pk)
        return Response(RelationshipSerializer(relationship).data, status=status)
