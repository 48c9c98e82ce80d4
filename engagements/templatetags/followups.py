from django import template
from django.utils import timezone

from ..selectors.followups import followup_open_count

register = template.Library()


@register.simple_tag(takes_context=True)
def open_followup_count(context) -> int:
    """The navigation badge: one COUNT query, for signed-in users only."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return followup_open_count(user, today=timezone.localdate())
