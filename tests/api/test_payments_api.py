"""Stipend payments over the API: admins only, filtered as on the ledger, never a word of
how a liaison is paid, and the same number of queries for 3 rows as for 30."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stakeholders.models import ApiToken, StipendPayment
from stakeholders.selectors.stipends import stipend_payments_visible_to
from stakeholders.services.tokens import api_token_create
from tests.stakeholders.factories import UserFactory
from tests.stakeholders.stipend_factories import (
    AgreementFactory,
    LiaisonProfileFactory,
    PaymentFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

PAYMENTS = "/api/v1/stipend-payments/"
FIELDS = {
    *("id", "agreement", "liaison", "liaison_name", "funding_source", "period_start", "period_end"),
    *("quantity", "rate", "amount", "status", "submitted_at", "approved_at", "paid_on", "voided_at"),
    *("created_at", "updated_at"),
}


def bearer(user) -> dict:
    return {"authorization": f"Bearer {api_token_create(user=user, name='test', scope=ApiToken.Scope.READ)[1]}"}


@pytest.fixture
def payment():
    """A payment to a liaison whose records hold everything Finance must keep to itself."""
    person = PersonFactory(
        first_name="Marisol",
        last_name="Quenby",
        email="marisol.quenby@private.example",
        phone="555-0199",
        notes="Lives at 12 Hidden Lane; paid to account 000123456789.",
    )
    liaison = LiaisonProfileFactory(person=person, payee_reference="VND-424242")
    return PaymentFactory(
        agreement=AgreementFactory(liaison=liaison),
        notes="Bank 000123456789, SSN 123-45-6789",
        amount_override_reason="",
    )


def test_an_admin_sees_the_payments_of_the_ledger(client, admin_user, payment):
    """An admin lists every payment the ledger shows; amounts are decimal strings."""
    PaymentFactory.create_batch(2)
    headers = bearer(admin_user)

    body = client.get(PAYMENTS, headers=headers).json()

    assert {row["id"] for row in body["results"]} == set(
        stipend_payments_visible_to(admin_user).values_list("pk", flat=True)
    )
    row = client.get(f"{PAYMENTS}{payment.pk}/", headers=headers).json()
    assert row["amount"] == "100.00" and row["rate"] == "50.00" and row["quantity"] == "2.00"
    assert Decimal(row["amount"]) == payment.amount
    assert (row["liaison"], row["liaison_name"]) == (payment.agreement.liaison_id, "Marisol Quenby")
    assert row["funding_source"] == payment.agreement.funding_source_id


def test_payee_details_never_leave(client, admin_user, payment):
    """The JSON holds only the ledger's fields: no payee reference, contact, address, bank or tax
    details, and no notes."""
    response = client.get(f"{PAYMENTS}{payment.pk}/", headers=bearer(admin_user))

    assert set(response.json()) == FIELDS
    text = response.content.decode()
    for secret in ("VND-424242", "private.example", "555-0199", "Hidden Lane", "000123456789", "123-45-6789"):
        assert secret not in text


@pytest.mark.parametrize("role", ["Staff", "Coordinator", "Liaison"])
def test_everyone_but_admins_gets_403(client, payment, role):
    """Staff, coordinators and liaisons get 403, a liaison on their own payments too."""
    user = UserFactory(roles=[role])
    if role == "Liaison":
        payment.agreement.liaison.person.user = user
        payment.agreement.liaison.person.save()
        payment.status = StipendPayment.Status.SUBMITTED
        payment.submitted_by = payment.created_by
        payment.save()
    headers = bearer(user)

    assert client.get(PAYMENTS, headers=headers).status_code == 403
    assert client.get(f"{PAYMENTS}{payment.pk}/", headers=headers).status_code == 403


def test_filters_are_the_ledgers(client, admin_user, payment):
    """``status`` and ``liaison`` filter as on the ledger; an unknown liaison is a 400."""
    other = PaymentFactory()
    headers = bearer(admin_user)

    by_liaison = client.get(f"{PAYMENTS}?liaison={payment.agreement.liaison_id}", headers=headers).json()
    by_status = client.get(f"{PAYMENTS}?status=paid", headers=headers).json()

    assert [row["id"] for row in by_liaison["results"]] == [payment.pk]
    assert by_status["results"] == []
    assert other.pk not in {row["id"] for row in by_liaison["results"]}
    assert client.get(f"{PAYMENTS}?liaison=999999999", headers=headers).status_code == 400


def _queries(client, headers: dict, rows: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PAYMENTS, headers=headers)
    assert response.status_code == 200 and len(response.json()["results"]) == rows
    return len(queries)


def test_a_page_costs_the_same_queries_for_3_rows_as_for_30(client, admin_user):
    """The number of queries of the list does not grow with its rows."""
    headers = bearer(admin_user)
    PaymentFactory.create_batch(3)
    client.get(PAYMENTS, headers=headers)  # the token's first use also records when it was last used
    few = _queries(client, headers, 3)
    PaymentFactory.create_batch(27)
    assert _queries(client, headers, 30) == few
