"""No text meant for people escapes translation, in templates or in Python."""

from __future__ import annotations

from tests.i18n.untranslated import python_findings, template_findings


def test_every_template_text_is_wrapped_for_translation():
    """Text nodes and human-facing attributes of every template are inside {% translate %} or
    {% blocktranslate %}."""
    findings = template_findings()
    assert not findings, "Wrap these for translation:\n" + "\n".join(map(str, findings))


def test_every_python_message_is_wrapped_for_translation():
    """Messages, validation errors, labels, help texts, verbose names and choice labels go
    through gettext."""
    findings = python_findings()
    assert not findings, "Wrap these in gettext:\n" + "\n".join(map(str, findings))


def test_the_template_check_finds_bare_text_and_attributes(tmp_path):
    """The template check can fail: bare text, a bare title attribute and bare text beside a
    variable are reported; translated text, comments and scripts are not."""
    (tmp_path / "page.html").write_text(
        "{% load i18n %}\n"
        '<p title="Open the record">{% translate "Fine" %}</p>\n'
        "<p>Saved {{ count }} people</p>\n"
        "{% blocktranslate %}Also fine {{ x }}{% endblocktranslate %}{# A comment #}\n"
        "<script>const word = 'ignored';</script>\n"
        "{% comment %}Ignored too{% endcomment %}<span>Coalition</span>\n"
    )
    found = {(f.line, f.text) for f in template_findings([tmp_path])}
    assert found == {(2, "title=Open the record"), (3, "Saved \ue000 people")}


def test_the_python_check_finds_bare_messages(tmp_path):
    """The Python check can fail: a bare message, error, label and choice label are reported."""
    package = tmp_path / "app"
    package.mkdir()
    (package / "views.py").write_text(
        "from django.contrib import messages\n"
        "from django.core.exceptions import ValidationError\n"
        "from django.db import models\n"
        "from django import forms\n"
        "from django.utils.translation import gettext as _\n"
        "def view(request):\n"
        "    messages.success(request, 'Saved.')\n"
        "    messages.success(request, _('Saved, wrapped.'))\n"
        "    raise ValidationError(f'Bad {request}')\n"
        "class F(forms.Form):\n"
        "    name = forms.CharField(label='Name')\n"
        "class Kind(models.TextChoices):\n"
        "    A = 'a', 'Apple'\n"
        "    B = 'b', _('Banana')\n"
    )
    import tests.i18n.untranslated as module

    original = module.BASE_DIR
    module.BASE_DIR = tmp_path
    try:
        found = {f.line for f in python_findings(["app"])}
    finally:
        module.BASE_DIR = original
    assert found == {7, 9, 11, 13}
