import django_filters
from django.db.models import Q
from django.forms import Select
from django.utils.translation import gettext_lazy as _

from ..forms.widgets import DateInput
from ..models import FundingSource, LiaisonProfile, StipendAgreement, StipendPayment
from .choices import LiaisonChoiceFilter


class BootstrapFilterSet(django_filters.FilterSet):
    """Gives each filter control its Bootstrap class, so the template can stay a loop."""

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            css = "form-select" if isinstance(field.widget, Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        return form


class LiaisonProfileFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = LiaisonProfile
        fields = ["q"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(person__first_name__icontains=value)
            | Q(person__last_name__icontains=value)
            | Q(person__preferred_name__icontains=value)
            | Q(payee_reference__icontains=value)
            | Q(communities_served__icontains=value)
        )


class StipendAgreementFilter(BootstrapFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=StipendAgreement.Status.choices)
    liaison = LiaisonChoiceFilter(label=_("Liaison"))
    funding_source = django_filters.ModelChoiceFilter(label=_("Funding source"), queryset=FundingSource.objects.all())

    class Meta:
        model = StipendAgreement
        fields = ["status", "liaison", "funding_source"]


class StipendPaymentFilter(BootstrapFilterSet):
    """The ledger's filters; the CSV export uses the same ones, so both show the same rows."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=StipendPayment.Status.choices)
    liaison = LiaisonChoiceFilter(label=_("Liaison"), field_name="agreement__liaison")
    funding_source = django_filters.ModelChoiceFilter(
        label=_("Funding source"), queryset=FundingSource.objects.all(), field_name="agreement__funding_source"
    )
    period_from = django_filters.DateFilter(
        label=_("Period from"), field_name="period_end", lookup_expr="gte", widget=DateInput()
    )
    period_to = django_filters.DateFilter(
        label=_("Period to"), field_name="period_start", lookup_expr="lte", widget=DateInput()
    )

    class Meta:
        model = StipendPayment
        fields = ["status", "liaison", "funding_source", "period_from", "period_to"]
