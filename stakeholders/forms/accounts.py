from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ..models import ApiToken, User
from ..roles import Role
from .base import BoundedInputMixin


def language_choices(blank_label) -> list[tuple[str, str]]:
    """The languages offered, each named in itself, after "follow the browser" (``blank_label``)."""
    return [("", blank_label), *((code, LANGUAGE_NAMES.get(code, name)) for code, name in settings.LANGUAGES)]


# Each language by its own name, so that a reader finds theirs whatever the page's language.
LANGUAGE_NAMES = {"en": "English", "es": "Español"}


class ProfileForm(forms.Form):
    """What a user sets for themselves."""

    language = forms.ChoiceField(label=_("Language"), choices=[], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices(_("Same as my browser"))
        self.fields["language"].help_text = _(
            "The language of every page and of the emails Coalition sends you. "
            "“Same as my browser” follows your browser's setting on pages; emails are then in English."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False


class UserForm(BoundedInputMixin, forms.Form):
    """Shape of a user account as an admin edits it; the service saves it."""

    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("New users get an email here with a link to choose their password."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[],  # filled in __init__, so the names follow the reader's language
        required=False,
        help_text=_("Pages and emails, the invitation included, are in this language."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_("Clearing this signs the user out everywhere and blocks sign-in."),
    )

    def __init__(self, *args, instance: User | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "username": instance.username,
                    "first_name": instance.first_name,
                    "last_name": instance.last_name,
                    "email": instance.email,
                    "language": instance.language,
                    "roles": sorted(instance.role_names),
                    "is_active": instance.is_active,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices(_("Same as their browser"))
        if instance is not None:
            self.fields["username"].disabled = True
        self.helper = FormHelper()
        self.helper.form_tag = False  # templates/includes/form.html draws the form and its button

    def clean_username(self):
        username = self.cleaned_data["username"]
        others = User.objects.filter(username__iexact=username)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("This username is taken. Choose another."))
        return username

    def clean_email(self):
        email = self.cleaned_data["email"]
        others = User.objects.filter(email__iexact=email)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Another user already has this email address."))
        return email


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, writing each email in its recipient's language when they chose
    one (whoever asks may read another language than the owner, who reads the email);
    otherwise in the language of the page the reset was asked from."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        with translation.override(context["user"].language or translation.get_language()):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class ApiTokenForm(BoundedInputMixin, forms.Form):
    """A new personal API token: what it is for, what it may do, how long it lasts."""

    name = forms.CharField(label=_("What it is for"), max_length=100, help_text=_("For example “311 sync”."))
    scope = forms.ChoiceField(label=_("It may"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ)
    lifetime_days = forms.IntegerField(
        label=_("Days until it expires"), min_value=1, max_value=365, initial=90, help_text=_("1 to 365 days.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
