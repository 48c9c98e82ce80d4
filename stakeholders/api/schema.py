"""How the OpenAPI schema describes what drf-spectacular cannot see by itself.

- the two ways in (a personal token, the browser session);
- filters that take a record's id but run through a method (``ModelChoiceFilter(method=…)``):
  their type is the type of that model's primary key;
- the error answers every operation can give (400 with field errors, 401, 403, 404, 415, 429),
  added to each operation so that a client (or schemathesis) can rely on the schema.
"""

from __future__ import annotations

from django.db import models
from django_filters import filters
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_basic_type, build_parameter_type
from drf_spectacular.types import OpenApiTypes


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "stakeholders.api.auth.TokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token from your profile page: `Authorization: Bearer coa_…`.",
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "stakeholders.api.auth.CsrfSessionAuthentication"
    name = "browserSession"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


class RecordFilterExtension(DjangoFilterExtension):
    """The project's filter sets, with record-id filters typed by their model's primary key."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        if isinstance(filter_field, filters.ModelChoiceFilter | filters.ModelMultipleChoiceFilter):
            queryset = filter_field.extra.get("queryset")
            pk = getattr(getattr(queryset, "model", None), "_meta", None)
            if pk is not None:
                kind = OpenApiTypes.STR if isinstance(pk.pk, models.CharField) else OpenApiTypes.INT
                schema = build_basic_type(kind)
                if isinstance(filter_field, filters.ModelMultipleChoiceFilter):
                    schema = {"type": "array", "items": schema}
                return [
                    build_parameter_type(
                        name=field_name,
                        required=False,
                        location="query",
                        description=str(filter_field.label or ""),
                        schema=schema,
                        explode=True,
                    )
                ]
        return super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)


ERROR = {
    "type": "object",
    "description": "What went wrong: `detail`, or for invalid input a list of messages per field name.",
    "additionalProperties": True,
}
ERRORS = {
    "400": "The input is invalid: each field's messages, or `detail`.",
    "401": "No token or session, or the token does not work.",
    "403": "The token or user may not do this.",
    "404": "No such record among those the caller may see.",
    "405": "This method is not allowed here.",
    "415": "Send JSON (`Content-Type: application/json`).",
    "429": "Too many calls: wait the seconds in `Retry-After`.",
}


def add_error_responses(result, generator, request, public):
    """Postprocessing hook: every operation documents the error answers it may give."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                )
    return result


BLANK_ALLOWED_FORMATS = {"email", "uri"}


def allow_blank_formats(result, generator, request, public):
    """Postprocessing hook: an email or web address the records may leave blank is shown as
    ``""``, which is no valid ``email`` or ``uri``; answers document it as "that format, or empty"."""
    for component in result.get("components", {}).get("schemas", {}).values():
        for spec in component.get("properties", {}).values():
            if spec.get("format") in BLANK_ALLOWED_FORMATS and spec.get("readOnly"):
                kind = spec.pop("format")
                spec["anyOf"] = [{"format": kind}, {"maxLength": 0}]
    return result
