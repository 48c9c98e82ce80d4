"""Forms of equity impact assessments: what an assessment says, and its next step.

The forms check the shape of the input and offer only what the user may pick (the
commitment's own input, goals of coalitions the user sees); the services in
``engagements.services.assessments`` enforce the rules.
"""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coalition.models import Goal
from stakeholders.forms.base import BoundedInputMixin
from stakeholders.models import User

from ..models import Commitment, EquityAssessment
from ..selectors.assessments import goals_visible_to
from ..services.assessments import TRANSITIONS

TEXT_LIMIT = 5000


def _text(label, *, required=False, help_text="", rows=3):
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_LIMIT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class GoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Goal) -> str:
        return f"{obj.coalition.name} — {obj.metric}"


class AssessmentForm(BoundedInputMixin, forms.Form):
    """What an equity impact assessment says about one commitment."""

    decision = forms.CharField(
        label=_("Decision"),
        max_length=250,
        required=False,
        help_text=_("The decision this assessment informs, if it has a name."),
    )
    goal = GoalChoiceField(label=_("Coalition goal"), queryset=Goal.objects.none(), required=False)
    populations_affected = _text(
        _("Populations affected"),
        required=True,
        help_text=_("Who the decision affects: neighborhoods, language groups, ages, incomes, abilities."),
    )
    burdens = _text(_("Burdens"), help_text=_("What the decision costs or risks, and for whom."))
    benefits = _text(_("Benefits"), help_text=_("What the decision brings, and to whom."))
    input_items = forms.ModelMultipleChoiceField(
        label=_("Community input that informed it"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mitigation = _text(_("Mitigation"), help_text=_("What is done to lessen the burdens."))

    def __init__(self, *args, user: User, commitment: Commitment, assessment: EquityAssessment | None = None, **kwargs):
        if assessment is not None:
            kwargs.setdefault(
                "initial",
                {
                    "decision": assessment.decision,
                    "goal": assessment.goal_id,
                    "populations_affected": assessment.populations_affected,
                    "burdens": assessment.burdens,
                    "benefits": assessment.benefits,
                    "mitigation": assessment.mitigation,
                    "input_items": [item.pk for item in assessment.input_items.all()],
                },
            )
        super().__init__(*args, **kwargs)
        goals = Q(pk__in=goals_visible_to(user).values("pk"))
        if assessment is not None and assessment.goal_id:
            goals |= Q(pk=assessment.goal_id)  # kept, even if this editor cannot see its coalition
        self.fields["goal"].queryset = (
            Goal.objects.filter(goals).select_related("coalition").order_by("coalition__name", "metric", "pk")
        )
        self.fields["input_items"].queryset = commitment.engagement.input_items.all()
        self.helper = FormHelper()
        self.helper.form_tag = False


class AssessmentStatusForm(BoundedInputMixin, forms.Form):
    """The next step of an assessment: only the steps possible from its status are offered."""

    status = forms.ChoiceField(label=_("Next step"), choices=[])
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when taking a published assessment off the public page."),
    )

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        steps = {
            EquityAssessment.Status.REVIEWED: _("Mark as reviewed"),
            EquityAssessment.Status.PUBLISHED: _("Publish on the public page"),
            EquityAssessment.Status.DRAFT: _("Return to draft"),
        }
        self.fields["status"].choices = [(status, steps[status]) for status in TRANSITIONS[current]]
        self.helper = FormHelper()
        self.helper.form_tag = False
