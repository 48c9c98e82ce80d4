"""What every endpoint shares: cursor paging, strict input, size limits, role permissions,
and service errors turned into field errors."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination, parsers, permissions, serializers


class CursorPage(pagination.CursorPagination):
    """Pages of 50 (``page_size`` up to 100), in a fixed order that new rows cannot shift."""

    page_size = 50
    max_page_size = 100
    page_size_query_param = "page_size"
    ordering = "pk"


class SizeLimitedJSONParser(parsers.JSONParser):
    """JSON bodies up to ``settings.API_MAX_BODY_BYTES``; a larger one is a 400, read no further."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        except ValueError:
            length = 0
        limit = settings.API_MAX_BODY_BYTES
        if length > limit:
            raise exceptions.ParseError(
                _("The request body is larger than %(limit)s KB. Send less at a time.") % {"limit": limit // 1024}
            )
        return super().parse(stream, media_type, parser_context)


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know (a typo must not be silently ignored)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


class RolePermission(permissions.BasePermission):
    """The Django permission each action needs, as the pages require it (``view.required_perms``).

    ``required_perms`` maps an action (``list``, ``retrieve``, ``create``, ``partial_update``,
    or a custom one) to a permission name; an action not listed needs nothing more than
    being signed in. Objects are found through the user's own selectors, so an object the
    user may not see is a 404 before any permission on it is asked.
    """

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        perm = getattr(view, "required_perms", {}).get(getattr(view, "action", None))
        return perm is None or request.user.has_perm(perm)


@contextlib.contextmanager
def service_errors():
    """Turn a service's ``ValidationError`` into the API's 400 with field errors."""
    try:
        yield
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            detail = {
                (name if name != "__all__" else "non_field_errors"): messages
                for name, messages in error.message_dict.items()
            }
        else:
            detail = {"non_field_errors": error.messages}
        raise serializers.ValidationError(detail) from error
