"""Filters for the engagement list and the accountability page."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.models import Coalition
from stakeholders.filters.choices import UserChoiceFilter
from stakeholders.filters.days import FromDayFilter, ToDayFilter
from stakeholders.models import Department, Language, Neighborhood, User

from ..models import Commitment, Engagement, EquityAssessment, LoopBack
from ..selectors.engagements import facilitated_ids

# Choices load only what their labels show: these selects are rebuilt on every list page.
_NEIGHBORHOODS = Neighborhood.objects.only("pk", "name")
_DEPARTMENTS = Department.objects.only("pk", "name")
_COALITIONS = Coalition.objects.only("pk", "name")
_ACTIVE_USERS = User.objects.filter(is_active=True).only("pk", "username", "first_name", "last_name")


class EngagementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Engagement.Kind.choices)
    date_from = FromDayFilter(label=_("From"), field_name="starts_at")
    date_to = ToDayFilter(label=_("To"), field_name="starts_at")
    neighborhood = django_filters.ModelChoiceFilter(label=_("Neighborhood"), queryset=_NEIGHBORHOODS)
    language = django_filters.ModelChoiceFilter(
        label=_("Language"), queryset=Language.objects.all(), method="with_language"
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), queryset=_DEPARTMENTS, method="with_department"
    )
    coalition = django_filters.ModelChoiceFilter(label=_("Coalition"), queryset=_COALITIONS)
    facilitator = UserChoiceFilter(label=_("Facilitator"), queryset=_ACTIVE_USERS, method="with_facilitator")

    class Meta:
        model = Engagement
        fields = ["q", "kind", "date_from", "date_to", "neighborhood", "language", "department", "coalition"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("kind", "neighborhood", "language", "department", "coalition", "facilitator"):
            self.form.fields[name].widget.attrs["class"] = "form-select"
        for name in ("q", "date_from", "date_to"):
            self.form.fields[name].widget.attrs["class"] = "form-control"

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(location__icontains=value) | Q(summary__icontains=value))

    # Each filter reads the matching engagement ids from the link tables, through the
    # index on the chosen language, department or facilitator (not a join of every engagement).
    def with_language(self, queryset, name, value):
        spoken = Engagement.languages.through.objects.filter(language=value).values("engagement_id")
        interpreted = Engagement.interpretation_languages.through.objects.filter(language=value)
        return queryset.filter(pk__in=spoken.union(interpreted.values("engagement_id")))

    def with_department(self, queryset, name, value):
        involved = Engagement.departments.through.objects.filter(department=value)
        return queryset.filter(pk__in=involved.values("engagement_id"))

    def with_facilitator(self, queryset, name, value):
        as_user, as_person = facilitated_ids(value)
        return queryset.filter(pk__in=as_user.union(as_person))


class CommitmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Commitment.Status.choices)
    department = django_filters.ModelChoiceFilter(label=_("Department"), queryset=_DEPARTMENTS)
    owner = UserChoiceFilter(label=_("Owner"), queryset=_ACTIVE_USERS)
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="only_overdue", widget=forms.CheckboxInput)
    not_looped_back = django_filters.BooleanFilter(
        label=_("Not yet looped back"), method="only_not_looped_back", widget=forms.CheckboxInput
    )
    without_assessment = django_filters.BooleanFilter(
        label=_("Decisions without an assessment"), method="only_without_assessment", widget=forms.CheckboxInput
    )

    class Meta:
        model = Commitment
        fields = ["status", "department", "owner", "overdue", "not_looped_back", "without_assessment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("status", "department", "owner"):
            self.form.fields[name].widget.attrs["class"] = "form-select"
        for name in ("overdue", "not_looped_back", "without_assessment"):
            self.form.fields[name].widget.attrs["class"] = "form-check-input"

    def only_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(due_on__lt=timezone.localdate()).exclude(
            status__in=[Commitment.Status.DONE, Commitment.Status.DECLINED]
        )

    def only_not_looped_back(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(~Exists(LoopBack.objects.filter(commitment=OuterRef("pk"))))

    def only_without_assessment(self, queryset, name, value):
        # Whether a commitment has an assessment is for those who may read assessments.
        user = getattr(self.request, "user", None)
        if not value or user is None or not user.has_perm("engagements.view_equityassessment"):
            return queryset
        return queryset.filter(~Exists(EquityAssessment.objects.filter(commitment=OuterRef("pk"))))
