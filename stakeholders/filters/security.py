import django_filters
from django.utils.translation import gettext_lazy as _

from ..models import SecurityEvent
from .base import StyledFilterSet
from .days import FromDayFilter, ToDayFilter


class SecurityEventFilter(StyledFilterSet):
    action = django_filters.ChoiceFilter(label=_("What"), choices=SecurityEvent.Action.choices)
    username = django_filters.CharFilter(label=_("Username"), field_name="actor_username", lookup_expr="iexact")
    since = FromDayFilter(label=_("From"), field_name="occurred_at")
    until = ToDayFilter(label=_("To"), field_name="occurred_at")

    class Meta:
        model = SecurityEvent
        fields = ["action", "username", "since", "until"]
