"""Forms for the boards pipeline: cohorts, fellows, applications and stage moves."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.selectors import coalitions_visible_to
from stakeholders.forms.base import BoundedInputMixin
from stakeholders.forms.government import FormHelperMixin, PersonChoiceField, people_for_select
from stakeholders.forms.widgets import DateInput
from stakeholders.models import Board, Person, User, Vacancy
from stakeholders.roles import Role

from ..models import BoardApplication, Cohort, Engagement
from ..selectors.engagements import engagements_visible_to

Stage = BoardApplication.Stage
SESSION_CHOICES_LIMIT = 200


class UserChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


class SessionChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, engagement):
        return f"{engagement.starts_at:%Y-%m-%d} · {engagement.title}"


class BoardChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


def vacancy_label(vacancy: Vacancy) -> str:
    return _("%(seat)s (applications close %(date)s)") % {
        "seat": vacancy.seat.title,
        "date": vacancy.deadline.isoformat(),
    }


class VacancyChoice(forms.ModelChoiceField):
    def label_from_instance(self, vacancy):
        return vacancy_label(vacancy)


def open_vacancies(board_id: int | None = None):
    vacancies = Vacancy.objects.filter(status=Vacancy.Status.OPEN).select_related("seat").order_by("deadline", "pk")
    return vacancies.filter(seat__board_id=board_id) if board_id else vacancies


class CohortForm(BoundedInputMixin, FormHelperMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("For example: Leadership Fellows 2026."))
    program = forms.CharField(label=_("Program"), max_length=200, required=False)
    coalition = forms.ModelChoiceField(label=_("Coalition"), queryset=None, required=False)
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends"), widget=DateInput(), required=False)
    coordinators = UserChoices(
        label=_("Coordinators"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("They manage the cohort and get its reminders. Empty: you."),
    )
    sessions = SessionChoices(
        label=_("Program sessions"),
        queryset=Engagement.objects.none(),
        required=False,
        help_text=_(
            "Logged engagements of the program; attendance is counted from them. The 200 most recent are listed."
        ),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user: User, instance: Cohort | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            initial = {name: getattr(instance, name) for name in ("name", "program", "starts_on", "ends_on", "notes")}
            initial["coalition"] = instance.coalition_id
            initial["coordinators"] = list(instance.coordinators.values_list("pk", flat=True))
            initial["sessions"] = list(instance.sessions.values_list("pk", flat=True))
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["coalition"].queryset = coalitions_visible_to(user)
        roles = Group.objects.filter(name__in=[Role.COORDINATOR, Role.ADMIN])
        self.fields["coordinators"].queryset = (
            User.objects.filter(is_active=True, groups__in=roles).distinct().order_by("first_name", "last_name")
        )
        selected = self.data.getlist(self.add_prefix("sessions")) if self.is_bound else self.initial.get("sessions", [])
        recent = list(
            engagements_visible_to(user).order_by("-starts_at").values_list("pk", flat=True)[:SESSION_CHOICES_LIMIT]
        )
        chosen = [int(value) for value in selected if str(value).isdigit()]
        self.fields["sessions"].queryset = (
            engagements_visible_to(user).filter(pk__in=recent + chosen).order_by("-starts_at")
        )
        self.fields["sessions"].widget.attrs["size"] = 8
        self._add_helper()

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("A cohort cannot end before it starts."))
        return data


class FellowAddForm(BoundedInputMixin, FormHelperMixin, forms.Form):
    person = PersonChoiceField(
        label=_("Person"),
        queryset=Person.objects.none(),
        help_text=_("Not in the list? Search for the person above the form, or add them on the People page first."),
    )
    interests = BoardChoices(label=_("Boards of interest"), queryset=Board.objects.order_by("name"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, search: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        selected = [self.data.get(self.add_prefix("person"), "")] if self.is_bound else []
        self.fields["person"].queryset = people_for_select(search, selected)
        self._add_helper()


class FellowForm(BoundedInputMixin, FormHelperMixin, forms.Form):
    interests = BoardChoices(label=_("Boards of interest"), queryset=Board.objects.order_by("name"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_helper()


class ApplicationForm(BoundedInputMixin, FormHelperMixin, forms.Form):
    board = forms.ModelChoiceField(label=_("Board or commission"), queryset=Board.objects.order_by("name"))
    vacancy = VacancyChoice(
        label=_("Vacancy"),
        queryset=Vacancy.objects.none(),
        required=False,
        empty_label=_("(no vacancy yet)"),
        help_text=_("An open vacancy of that board, if there is one."),
    )
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[(Stage.INTERESTED, Stage.INTERESTED.label), (Stage.APPLIED, Stage.APPLIED.label)]
    )
    on = forms.DateField(label=_("Since"), widget=DateInput())
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["vacancy"].queryset = open_vacancies()
        self._add_helper()

    def clean(self):
        data = super().clean()
        board, vacancy = data.get("board"), data.get("vacancy")
        if board and vacancy and vacancy.seat.board_id != board.pk:
            self.add_error("vacancy", _("Choose a vacancy of %(board)s.") % {"board": board})
        return data


class MoveForm(BoundedInputMixin, FormHelperMixin, forms.Form):
    to_stage = forms.ChoiceField(label=_("Move to"), choices=())
    on = forms.DateField(label=_("On"), widget=DateInput())
    vacancy = VacancyChoice(
        label=_("Vacancy filled"),
        queryset=Vacancy.objects.none(),
        required=False,
        empty_label=_("(choose when appointing)"),
        help_text=_("Needed to appoint when the application names no vacancy yet."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, application: BoardApplication, **kwargs):
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        labels = dict(Stage.choices)
        self.fields["to_stage"].choices = [(stage, labels[stage]) for stage in application.next_stages]
        if application.vacancy_id:
            del self.fields["vacancy"]
        else:
            self.fields["vacancy"].queryset = open_vacancies(application.board_id)
        self._add_helper()

    def clean(self):
        data = super().clean()
        if data.get("to_stage") == Stage.APPOINTED and "vacancy" in self.fields and not data.get("vacancy"):
            self.add_error("vacancy", _("Choose the vacancy the fellow is appointed to."))
        return data
