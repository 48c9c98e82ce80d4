"""The form renderer: Django's, with <select> written in Python.

Django renders a select widget through one template include per option, which
makes a 70-language or every-neighborhood select cost milliseconds on every
page that shows a filter or edit form. This renderer writes the same markup
(same attributes, escaping and optgroups) with ``format_html``; any other
widget, and a select whose options use their own template, render through the
templates as before.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> SafeString:
    """HTML attributes as Django's attrs.html writes them: True bare, False left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


def render_select(widget: dict) -> SafeString | None:
    """The <select> for a widget context, or None when an option needs its own template."""
    parts = []
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('<optgroup label="{}">', group_name))
        for option in options:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            parts.append(
                format_html(
                    '<option value="{}"{}>{}</option>', option["value"], _attrs(option["attrs"]), option["label"]
                )
            )
        if group_name:
            parts.append(SafeString("</optgroup>"))
    return format_html(
        '<select name="{}"{}>{}</select>', widget["name"], _attrs(widget["attrs"]), SafeString("".join(parts))
    )


class SelectInPythonRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            markup = render_select(context["widget"])
            if markup is not None:
                return markup
        return super().render(template_name, context, request=request)
