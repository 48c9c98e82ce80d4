"""People and organizations: read through the user's selectors, written through the services."""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from ..filters.people import OrganizationFilter, PersonFilter
from ..models import Language, Neighborhood, Organization, Person
from ..roles import Role
from ..security_log import Action, security_event_record
from ..selectors import people as selectors
from ..services import people as services
from .base import StrictSerializer, service_errors


class PersonSerializer(serializers.ModelSerializer):
    """A person as the API shows them. Self-identified demographics are never part of it.

    Languages and tags come as arrays from the list query itself (``with_api_columns``), not
    from prefetched rows: a page of 100 people is one query and no model instances per tag."""

    preferred_language = serializers.CharField(
        source="preferred_language_id", read_only=True, allow_null=True, help_text=_("Language code, e.g. es.")
    )
    languages = serializers.ListField(
        child=serializers.CharField(), source="language_codes", read_only=True, help_text=_("Language codes.")
    )
    neighborhood = serializers.IntegerField(source="neighborhood_id", read_only=True, allow_null=True)
    tags = serializers.ListField(child=serializers.CharField(), source="tag_names", read_only=True)

    class Meta:
        model = Person
        fields = [
            *("id", "first_name", "last_name", "preferred_name", "display_name", "pronouns", "email", "phone"),
            *("preferred_language", "languages", "neighborhood", "tags", "may_contact", "may_share", "notes"),
            *("last_contact_on", "created_at", "updated_at"),
        ]
        read_only_fields = fields


def with_api_columns(people: QuerySet[Person]) -> QuerySet[Person]:
    """``people`` with their language codes and tag names as arrays, in the same query."""
    languages = Person.languages.through.objects.filter(person_id=OuterRef("pk")).order_by("language_id")
    tags = Person.tags.through.objects.filter(person_id=OuterRef("pk")).order_by("tag__name")
    return people.annotate(
        language_codes=ArraySubquery(languages.values("language_id")),
        tag_names=ArraySubquery(tags.values("tag__name")),
    )


class PersonWriteSerializer(StrictSerializer):
    """What may be sent to create or change a person; on a change, only the fields sent are written."""

    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    preferred_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    pronouns = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    preferred_language = serializers.SlugRelatedField(
        slug_field="code", queryset=Language.objects.all(), required=False, allow_null=True
    )
    languages = serializers.SlugRelatedField(
        slug_field="code", queryset=Language.objects.all(), many=True, required=False
    )
    neighborhood = serializers.PrimaryKeyRelatedField(
        queryset=Neighborhood.objects.all(), required=False, allow_null=True
    )
    tags = serializers.ListField(child=serializers.CharField(max_length=60), required=False, max_length=50)
    may_contact = serializers.BooleanField(required=False)
    may_share = serializers.BooleanField(required=False)
    notes = serializers.CharField(max_length=10_000, required=False, allow_blank=True)


class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """People the caller may see (a liaison: the people they work with). Filters as on the people page."""

    serializer_class = PersonSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PersonFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    required_perms = {
        "list": "stakeholders.view_person",
        "retrieve": "stakeholders.view_person",
        "create": "stakeholders.add_person",
        "partial_update": "stakeholders.view_person",
    }

    def get_queryset(self):
        return with_api_columns(selectors.people_visible_to(self.request.user))

    def get_serializer_class(self):
        return PersonWriteSerializer if self.action in ("create", "partial_update") else PersonSerializer

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        if not request.user.has_role(Role.ADMIN):  # as on the person page: looking is auditable
            security_event_record(action=Action.PERSON_VIEWED, request=request, obj=self.get_object())
        return response

    def create(self, request, *args, **kwargs):
        data = self._valid(request)
        with service_errors():
            person = services.person_create(actor=request.user, **data)
        return self._answer(person, status=201)

    def partial_update(self, request, *args, **kwargs):
        person = self.get_object()
        if not selectors.can_edit_person(request.user, person):
            raise PermissionDenied(_("You may change only the people you added."))
        data = self._valid(request, partial=True)
        with service_errors():
            services.person_update(person=person, actor=request.user, **data)
        return self._answer(person)

    def _valid(self, request, partial=False) -> dict:
        serializer = PersonWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _answer(self, person: Person, status: int = 200):
        person = self.get_queryset().get(pk=person.pk)
        return Response(PersonSerializer(person, context=self.get_serializer_context()).data, status=status)


class OrganizationSerializer(serializers.ModelSerializer):
    neighborhoods = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    languages = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Organization
        fields = [
            *("id", "name", "kind", "is_partner", "communities_served", "neighborhoods", "languages"),
            *("email", "phone", "address", "website", "notes", "tags", "created_at", "updated_at"),
        ]
        read_only_fields = fields


class OrganizationWriteSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Organization.Kind.choices, required=False)
    is_partner = serializers.BooleanField(required=False)
    communities_served = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    address = serializers.CharField(max_length=250, required=False, allow_blank=True)
    website = serializers.URLField(max_length=200, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    neighborhoods = serializers.PrimaryKeyRelatedField(queryset=Neighborhood.objects.all(), many=True, required=False)
    languages = serializers.SlugRelatedField(
        slug_field="code", queryset=Language.objects.all(), many=True, required=False
    )
    tags = serializers.ListField(child=serializers.CharField(max_length=60), required=False, max_length=50)


class OrganizationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Organizations, filtered as on the organizations page."""

    serializer_class = OrganizationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = OrganizationFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    required_perms = {
        "list": "stakeholders.view_organization",
        "retrieve": "stakeholders.view_organization",
        "create": "stakeholders.add_organization",
        "partial_update": "stakeholders.view_organization",
    }

    def get_queryset(self):
        return selectors.organizations_visible_to(self.request.user).prefetch_related(
            "neighborhoods", "languages", "tags"
        )

    def get_serializer_class(self):
        return OrganizationWriteSerializer if self.action in ("create", "partial_update") else OrganizationSerializer

    def create(self, request, *args, **kwargs):
        serializer = OrganizationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            organization = services.organization_create(actor=request.user, **serializer.validated_data)
        return self._answer(organization, status=201)

    def partial_update(self, request, *args, **kwargs):
        organization = self.get_object()
        if not selectors.can_edit_organization(request.user, organization):
            raise PermissionDenied(_("You may change only the organizations you added."))
        serializer = OrganizationWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.organization_update(organization=organization, actor=request.user, **serializer.validated_data)
        return self._answer(organization)

    def _answer(self, organization: Organization, status: int = 200):
        organization = self.get_queryset().get(pk=organization.pk)
        return Response(OrganizationSerializer(organization).data, status=status)
