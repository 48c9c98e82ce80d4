"""The project's form renderer writes <select> markup identical to Django's templates."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from pytest_django.asserts import assertHTMLEqual

from coalition.form_renderer import SelectInPythonRenderer

CHOICES = [
    ("", "---------"),
    ("a", "Alpha & <Omega>"),
    ('Group "one"', [("b", "Bravo"), ("c", 'Charlie "C"')]),
    (3, "Three"),
]


class _Form(forms.Form):
    single = forms.ChoiceField(choices=CHOICES, required=False)
    several = forms.MultipleChoiceField(choices=CHOICES, required=False)
    flagged = forms.ChoiceField(
        choices=CHOICES, widget=forms.Select(attrs={"class": "form-select", "disabled": True, "data-x": "<y>"})
    )
    radios = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)


@pytest.mark.parametrize("data", [{}, {"single": "b", "several": ["a", "c"], "flagged": "3", "radios": "b"}])
def test_select_markup_matches_djangos_templates(data):
    """Every select, with optgroups, selected values, escaping and boolean attributes, renders as
    Django's own templates render it; other widgets go through the templates unchanged."""
    ours = _Form(data or None, renderer=SelectInPythonRenderer())
    djangos = _Form(data or None, renderer=DjangoTemplates())
    for name in _Form.base_fields:
        assertHTMLEqual(str(ours[name]), str(djangos[name]))
    assert "&lt;Omega&gt;" in str(ours["single"]) and 'data-x="&lt;y&gt;"' in str(ours["flagged"])
