"""Forms of two-step sign-in. Each takes one code; the services check it against the user's devices."""

from __future__ import annotations

import re

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _


def _compact(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


class _CodeForm(forms.Form):
    code = forms.CharField(max_length=32, strip=True)  # each form below names it

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # templates/includes/form.html draws the form and its button


class AuthenticatorCodeForm(_CodeForm):
    """Six digits from the authenticator app: the second sign-in step, and confirming a new app."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.label = _("6-digit code")
        field.help_text = _("Open your authenticator app and enter the code it shows for Coalition.")
        field.widget.attrs.update({"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"})

    def clean_code(self):
        code = _compact(self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError(_("Enter the 6 digits your authenticator app shows."), code="shape")
        return code


class RecoveryCodeForm(_CodeForm):
    """One of the ten recovery codes, for signing in without the phone."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.label = _("Recovery code")
        field.help_text = _("One of the recovery codes you saved when you set up two-step sign-in. Each works once.")
        field.widget.attrs.update({"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"})

    def clean_code(self):
        code = _compact(self.cleaned_data["code"]).lower()
        if not re.fullmatch(r"[a-z2-7]{8}", code):
            raise forms.ValidationError(
                _("A recovery code has 8 letters and digits, like “k7xq2mrb”. Check it and try again."),
                code="shape",
            )
        return code


class ConfirmWithCodeForm(_CodeForm):
    """A code from the app, or a recovery code, to confirm a change to two-step sign-in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.label = _("Code from your authenticator app, or a recovery code")
        field.help_text = _("We ask for it so that nobody else can change this on a computer you left signed in.")
        field.widget.attrs.update({"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"})

    def clean_code(self):
        code = _compact(self.cleaned_data["code"]).lower()
        if not re.fullmatch(r"\d{6}|[a-z2-7]{8}", code):
            raise forms.ValidationError(
                _("Enter the 6 digits from your app, or an 8-character recovery code."), code="shape"
            )
        return code
