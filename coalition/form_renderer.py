"""The form renderer: Django's, with <select> written in Python.

Django renders a select widget through one template include per option, which
makes a 70-language or every-neighborhood select cost milliseconds on every
page that shows a filter or edit form. This renderer writes the same markup
(same attributes, escaping and optgroups) in Python; any other
widget, and a select whose options use their own template, render through the
templates as before.
"""

from __future__ import annotations

import html

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import SafeString, mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def escape(value) -> str:
    """Django's ``conditional_escape`` without its lazy-string wrapper, which cost more than the
    escaping over a few hundred options: safe strings as they are, anything else ``html.escape``d."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _attrs(attrs: dict) -> str:
    """HTML attributes as Django's attrs.html writes them: True bare, False left out; escaped."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def render_select(widget: dict) -> SafeString | None:
    """The <select> for a widget context, or None when an option needs its own template."""
    parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if any(option["template_name"] != OPTION_TEMPLATE for option in options):
            return None
        if group_name:
            parts.append(f'<optgroup label="{escape(group_name)}">')
        parts.extend(
            f'<option value="{escape(option["value"])}"{_attrs(option["attrs"])}>{escape(option["label"])}</option>'
            for option in options
        )
        if group_name:
            parts.append("</optgroup>")
    parts.append("</select>")
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 -- every value above is escaped


class SelectInPythonRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            markup = render_select(context["widget"])
            if markup is not None:
                return markup
        return super().render(template_name, context, request=request)
