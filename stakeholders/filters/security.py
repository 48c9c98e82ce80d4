import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import SecurityEvent
from .base import StyledFilterSet


class SecurityEventFilter(StyledFilterSet):
    action = django_filters.ChoiceFilter(label=_("What"), choices=SecurityEvent.Action.choices)
    username = django_filters.CharFilter(label=_("Username"), field_name="actor_username", lookup_expr="iexact")
    since = django_filters.DateFilter(
        label=_("From"),
        field_name="occurred_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("To"), field_name="occurred_at", lookup_expr="date__lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = SecurityEvent
        fields = ["action", "username", "since", "until"]
