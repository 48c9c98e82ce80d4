"""Forms of the quick log: the session itself plus three kinds of repeating rows.

Rows of a formset get their choices (themes, owners, departments, breakdown
options) computed once per page and passed in, so that ten rows cost no more
queries than one.
"""

from __future__ import annotations

import datetime
import re
import uuid

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.models import Coalition
from stakeholders.forms.base import BoundedInputMixin
from stakeholders.forms.widgets import DateInput, TimeInput
from stakeholders.models import Department, Language, Neighborhood, Organization, Person, User

from ..models import BreakdownOption, Engagement, LoopBack, Theme
from ..selectors.engagements import attendees_pickable_by

_MULTI = {"class": "form-select", "size": 4}


class QuickLogForm(BoundedInputMixin, forms.Form):
    """Shape of a session as the quick log collects it; the service checks the domain rules."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Engagement.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    start_time = forms.TimeField(label=_("Start"), required=False, widget=TimeInput())
    end_time = forms.TimeField(label=_("End"), required=False, widget=TimeInput())
    neighborhood = forms.ModelChoiceField(label=_("Neighborhood"), queryset=Neighborhood.objects.all(), required=False)
    location = forms.CharField(label=_("Location"), max_length=250, required=False)
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages used"), queryset=Language.objects.all(), required=False, widget=forms.SelectMultiple(_MULTI)
    )
    interpretation_languages = forms.ModelMultipleChoiceField(
        label=_("Interpretation provided"),
        queryset=Language.objects.all(),
        required=False,
        widget=forms.SelectMultiple(_MULTI),
    )
    accessibility = forms.CharField(
        label=_("Accessibility accommodations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: wheelchair access, captioning, childcare."),
    )
    host_organizations = forms.ModelMultipleChoiceField(
        label=_("Hosted by"), queryset=Organization.objects.all(), required=False, widget=forms.SelectMultiple(_MULTI)
    )
    facilitator_people = forms.ModelMultipleChoiceField(
        label=_("Facilitating liaisons"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(_MULTI),
    )
    facilitator_users = forms.ModelMultipleChoiceField(
        label=_("Facilitating staff"), queryset=User.objects.none(), required=False, widget=forms.SelectMultiple(_MULTI)
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"), queryset=Department.objects.all(), required=False, widget=forms.SelectMultiple(_MULTI)
    )
    coalition = forms.ModelChoiceField(label=_("Coalition"), queryset=Coalition.objects.all(), required=False)
    attendance_total = forms.IntegerField(
        label=_("How many came"), min_value=0, required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Named attendees"), queryset=Person.objects.none(), required=False, widget=forms.MultipleHiddenInput
    )
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    # The idempotency key of this form fill (see services.engagement_log): made when the
    # form is first shown, and again by the page's script for each new fill it stores.
    submission_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user: User, engagement: Engagement | None = None, **kwargs):
        if engagement is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_from(engagement)
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["submission_key"] = str(uuid.uuid4())
        # Offer liaisons and active users, plus whoever already facilitated this engagement.
        liaisons, active = Q(user__groups__name="Liaison"), Q(is_active=True)
        if engagement is not None and engagement.pk:
            liaisons |= Q(facilitated_engagements=engagement)
            active |= Q(facilitated_engagements=engagement)
        self.fields["facilitator_people"].queryset = Person.objects.filter(liaisons).distinct()
        self.fields["facilitator_users"].queryset = User.objects.filter(active).distinct()
        self.fields["attendees"].queryset = attendees_pickable_by(user)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_submission_key(self) -> uuid.UUID | None:
        # A missing or malformed key only costs the protection against a double submission.
        try:
            return uuid.UUID(self.cleaned_data["submission_key"])
        except ValueError:
            return None

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        data["starts_at"] = data["ends_at"] = None
        if day and start:
            data["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, start))
        elif start and not day:
            self.add_error("date", _("Enter the date of the session."))
        elif day and not start:
            self.add_error("start_time", _("Enter when the session started."))
        if day and end:
            data["ends_at"] = timezone.make_aware(datetime.datetime.combine(day, end))
            if start and end < start:
                self.add_error("end_time", _("The end cannot be before the start."))
        data["attendance_total"] = data.get("attendance_total") or 0
        return data


def initial_from(engagement: Engagement) -> dict:
    starts_at = timezone.localtime(engagement.starts_at) if engagement.starts_at else None
    ends_at = timezone.localtime(engagement.ends_at) if engagement.ends_at else None
    return {
        "kind": engagement.kind,
        "title": engagement.title,
        "date": starts_at.date() if starts_at else None,
        "start_time": starts_at.time().replace(second=0, microsecond=0) if starts_at else None,
        "end_time": ends_at.time().replace(second=0, microsecond=0) if ends_at else None,
        "neighborhood": engagement.neighborhood_id,
        "location": engagement.location,
        "languages": [lang.pk for lang in engagement.languages.all()],
        "interpretation_languages": [lang.pk for lang in engagement.interpretation_languages.all()],
        "accessibility": engagement.accessibility,
        "host_organizations": [org.pk for org in engagement.host_organizations.all()],
        "facilitator_people": [p.pk for p in engagement.facilitator_people.all()],
        "facilitator_users": [u.pk for u in engagement.facilitator_users.all()],
        "departments": [d.pk for d in engagement.departments.all()],
        "coalition": engagement.coalition_id,
        "attendance_total": engagement.attendance_total,
        "attendees": [a.person_id for a in engagement.attendances.all()],
        "summary": engagement.summary,
    }


def new_log_initial() -> dict:
    # Logged right after a session: assume it started an hour ago (the date is that of the start).
    start = timezone.localtime() - datetime.timedelta(hours=1)
    return {"date": start.date(), "start_time": start.time().replace(second=0, microsecond=0)}


class RowChoices:
    """Choices shared by every row of the quick log, read once per request."""

    def __init__(self):
        self.themes = [(t.pk, t.name) for t in Theme.objects.filter(is_active=True)]
        self.owners = [("", "—")] + [(u.pk, str(u)) for u in User.objects.filter(is_active=True)]
        self.departments = [("", "—")] + [(d.pk, d.name) for d in Department.objects.all()]
        grouped: dict[str, list] = {}
        for option in BreakdownOption.objects.filter(is_active=True, category__is_active=True).select_related(
            "category"
        ):
            grouped.setdefault(option.category.name, []).append((option.pk, option.label))
        self.breakdown_options = [("", "—"), *grouped.items()]


class _RowForm(BoundedInputMixin, forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, choices: RowChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices

    @property
    def number(self) -> int | str:
        # The formset's empty form (prefix "kind-__prefix__") is the page's template for a row
        # added without the network; its script puts the real number in place of "__number__".
        index = self.prefix.rsplit("-", 1)[1]
        return int(index) + 1 if index.isdigit() else "__number__"

    def has_changed(self) -> bool:
        # A row removed from the page sends nothing at all: treat it as left empty.
        if self.is_bound and not any(key.startswith(f"{self.prefix}-") for key in self.data):
            return False
        return super().has_changed()


class _RowFormSet(forms.BaseFormSet):
    """Every row may be left empty (and is then ignored), also rows that were shown filled in."""

    def _construct_form(self, i, **kwargs):
        kwargs.setdefault("empty_permitted", True)
        kwargs.setdefault("use_required_attribute", False)
        return super()._construct_form(i, **kwargs)

    def filled_forms(self) -> list[forms.Form]:
        """The rows with something in them, in page order (empty and removed rows are skipped)."""
        return [form for form in self.forms if form.has_changed() and form.cleaned_data]

    def filled_rows(self) -> list[dict]:
        return [form.cleaned_data for form in self.filled_forms()]


def link_answers(input_formset: _RowFormSet, commitment_formset: _RowFormSet) -> bool:
    """Turn the item numbers shown on the page ("Item 3") into positions among the filled items.

    Rows removed from the page leave gaps in the numbering, so the two differ. Returns
    False (with an error on the row) when a commitment names an item that is not there.
    """
    positions = {form.number: position for position, form in enumerate(input_formset.filled_forms(), start=1)}
    linked = True
    for form in commitment_formset.filled_forms():
        numbers = form.cleaned_data["answers"]
        missing = [str(number) for number in numbers if number not in positions]
        if missing:
            form.add_error(
                "answers",
                _("There is no input item %(numbers)s above. Use the numbers shown on the items.")
                % {"numbers": ", ".join(missing)},
            )
            linked = False
        else:
            form.cleaned_data["answers"] = [positions[number] for number in numbers]
    return linked


class InputItemForm(_RowForm):
    text = forms.CharField(label=_("What we heard"), widget=forms.Textarea(attrs={"rows": 2}))
    themes = forms.TypedMultipleChoiceField(
        label=_("Themes"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    count_raised = forms.IntegerField(
        label=_("How many raised it"), min_value=1, initial=1, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = self.choices.themes


class CommitmentForm(_RowForm):
    description = forms.CharField(label=_("What we will do"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int, empty_value=None, required=False)
    department = forms.TypedChoiceField(label=_("Department"), coerce=int, empty_value=None, required=False)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DateInput())
    answers = forms.CharField(
        label=_("Answers input items"),
        required=False,
        help_text=_("Numbers of the items above it answers, for example 1, 3."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = self.choices.owners
        self.fields["department"].choices = self.choices.departments

    def clean_answers(self):
        value = self.cleaned_data["answers"].strip()
        if not value:
            return []
        if not re.fullmatch(r"\d+(\s*[,\s]\s*\d+)*", value):
            raise forms.ValidationError(_("Enter item numbers separated by commas, for example 1, 3."))
        return sorted({int(number) for number in re.findall(r"\d+", value)})


class BreakdownForm(_RowForm):
    option = forms.TypedChoiceField(label=_("Group"), coerce=int, empty_value=None)
    count = forms.IntegerField(
        label=_("How many"), min_value=0, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option"].choices = self.choices.breakdown_options


InputItemFormSet = formset_factory(InputItemForm, formset=_RowFormSet, extra=0, max_num=100, absolute_max=200)
CommitmentFormSet = formset_factory(CommitmentForm, formset=_RowFormSet, extra=0, max_num=50, absolute_max=100)
BreakdownFormSet = formset_factory(BreakdownForm, formset=_RowFormSet, extra=0, max_num=100, absolute_max=200)

FORMSETS = {"input": InputItemFormSet, "commitment": CommitmentFormSet, "breakdown": BreakdownFormSet}


def formset_initial(engagement: Engagement | None) -> dict[str, list[dict]]:
    if engagement is None:
        return {"input": [{}], "commitment": [], "breakdown": []}
    items = list(engagement.input_items.all())
    positions = {item.pk: n for n, item in enumerate(items, start=1)}
    return {
        "input": [
            {"id": i.pk, "text": i.text, "themes": [t.pk for t in i.themes.all()], "count_raised": i.count_raised}
            for i in items
        ],
        "commitment": [
            {
                "id": c.pk,
                "description": c.description,
                "owner": c.owner_id,
                "department": c.department_id,
                "due_on": c.due_on,
                "answers": ", ".join(str(positions[i.pk]) for i in c.input_items.all() if i.pk in positions),
            }
            for c in engagement.commitments.all()
        ],
        "breakdown": [{"option": b.option_id, "count": b.count} for b in engagement.breakdowns.all()],
    }


class AttendeeQuickAddForm(BoundedInputMixin, forms.Form):
    """A person met at the session, added on the spot (prefix ``qa``)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    language = forms.ModelChoiceField(label=_("Preferred language"), queryset=Language.objects.all(), required=False)


class CommitmentStatusForm(BoundedInputMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=[])
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when declining; the community will see it."),
    )

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        from ..models import Commitment

        self.fields["status"].choices = [(v, label) for v, label in Commitment.Status.choices if v != current]
        self.helper = FormHelper()
        self.helper.form_tag = False


class LoopBackForm(BoundedInputMixin, forms.Form):
    date = forms.DateField(label=_("When"), widget=DateInput())
    method = forms.ChoiceField(label=_("How"), choices=LoopBack.Method.choices)
    languages = forms.ModelMultipleChoiceField(
        label=_("In which languages"),
        queryset=Language.objects.all(),
        required=False,
        widget=forms.SelectMultiple(_MULTI),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class PublicSummaryForm(BoundedInputMixin, forms.Form):
    """The Spanish version of an engagement's summary, for its public page."""

    summary_es = forms.CharField(
        label=_("Summary in Spanish"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "lang": "es"}),
        help_text=_("Readers who choose Spanish on the public page see this instead of the summary."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class CommitmentCreateForm(BoundedInputMixin, forms.Form):
    """A commitment added to a logged engagement from its page."""

    description = forms.CharField(label=_("What we will do"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.filter(is_active=True), required=False)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.all(), required=False)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DateInput())
    input_items = forms.ModelMultipleChoiceField(
        label=_("Input it answers"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, engagement: Engagement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["input_items"].queryset = engagement.input_items.all()
        self.helper = FormHelper()
        self.helper.form_tag = False
