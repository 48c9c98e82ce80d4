"""Stipend pages over HTTP: who may see what, the ledger and its CSV, the approval queue."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from stakeholders.models import StipendAgreement, StipendPayment
from stakeholders.services import stipends as services
from tests.stakeholders.stipend_factories import (
    AgreementFactory,
    FundingSourceFactory,
    LiaisonProfileFactory,
    PaymentFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin2(db):
    return UserFactory(roles=["Admin"])


@pytest.fixture
def world(admin_user, admin2, liaison_user):
    """One liaison linked to ``liaison_user``, another not; a payment in each state."""
    own = LiaisonProfileFactory(person=PersonFactory(user=liaison_user))
    other = LiaisonProfileFactory()
    own_agreement = AgreementFactory(liaison=own, created_by=admin_user)
    other_agreement = AgreementFactory(liaison=other, created_by=admin_user)
    paid = _submitted(own_agreement, admin_user, "2")
    services.stipend_payment_approve(actor=admin2, payment=paid)
    services.stipend_payment_mark_paid(
        actor=admin_user, payment=paid, paid_on=datetime.date(2026, 4, 1), finance_reference="=HYPERLINK(1)"
    )
    submitted = _submitted(other_agreement, admin_user, "1")
    return {
        "own": own,
        "other": other,
        "own_agreement": own_agreement,
        "other_agreement": other_agreement,
        "paid": paid,
        "submitted": submitted,
    }


def _submitted(agreement, creator, quantity):
    payment = services.stipend_payment_create(
        actor=creator,
        agreement=agreement,
        period_start=datetime.date(2026, 3, 1),
        period_end=datetime.date(2026, 3, 31),
        quantity=Decimal(quantity),
    )
    return services.stipend_payment_submit(actor=creator, payment=payment)


def all_urls(world):
    own, agreement, payment = world["own"], world["own_agreement"], world["paid"]
    source = agreement.funding_source
    return [
        ("get", reverse("stakeholders:funding_source_list")),
        ("get", reverse("stakeholders:my_stipend")),
        ("get", reverse("stakeholders:funding_source_create")),
        ("get", reverse("stakeholders:funding_source_detail", args=[source.pk])),
        ("get", reverse("stakeholders:funding_source_edit", args=[source.pk])),
        ("get", reverse("stakeholders:liaison_list")),
        ("get", reverse("stakeholders:liaison_create")),
        ("get", reverse("stakeholders:liaison_detail", args=[own.pk])),
        ("get", reverse("stakeholders:liaison_edit", args=[own.pk])),
        ("get", reverse("stakeholders:statement", args=[own.pk, 2026])),
        ("get", reverse("stakeholders:agreement_list")),
        ("get", reverse("stakeholders:agreement_create")),
        ("get", reverse("stakeholders:agreement_detail", args=[agreement.pk])),
        ("get", reverse("stakeholders:agreement_edit", args=[agreement.pk])),
        ("post", reverse("stakeholders:agreement_sign_off", args=[agreement.pk])),
        ("post", reverse("stakeholders:agreement_activate", args=[agreement.pk])),
        ("post", reverse("stakeholders:agreement_end", args=[agreement.pk])),
        ("get", reverse("stakeholders:payment_list")),
        ("get", reverse("stakeholders:payment_export")),
        ("get", reverse("stakeholders:payment_create")),
        ("get", reverse("stakeholders:payment_detail", args=[payment.pk])),
        ("get", reverse("stakeholders:payment_edit", args=[payment.pk])),
        ("post", reverse("stakeholders:payment_submit", args=[payment.pk])),
        ("post", reverse("stakeholders:payment_approve", args=[world["submitted"].pk])),
        ("post", reverse("stakeholders:payment_reject", args=[world["submitted"].pk])),
        ("get", reverse("stakeholders:payment_mark_paid", args=[payment.pk])),
        ("get", reverse("stakeholders:payment_void", args=[payment.pk])),
        ("get", reverse("stakeholders:approval_queue")),
    ]


@pytest.mark.parametrize("role", ["staff_user", "coordinator_user"])
def test_staff_and_coordinators_are_refused_everywhere(client, world, role, request):
    """Staff and coordinators get 403 (or 404) on every stipend URL, and nothing changes."""
    client.force_login(request.getfixturevalue(role))
    for method, url in all_urls(world):
        response = getattr(client, method)(url)
        assert response.status_code in (403, 404), url
    world["submitted"].refresh_from_db()
    assert world["submitted"].status == StipendPayment.Status.SUBMITTED


def test_anonymous_users_are_sent_to_sign_in(client, world):
    """Signed-out visitors are redirected to the sign-in page."""
    for method, url in all_urls(world):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url


def test_admin_sees_every_page(client, admin_user, world):
    """Every stipend page renders for an admin."""
    client.force_login(admin_user)
    for method, url in all_urls(world):
        if method == "get":
            response = client.get(url)
            assert response.status_code in (200, 302), url


def test_liaison_sees_only_their_own_statement(client, liaison_user, world):
    """'My stipend' leads a liaison to their own statement; another liaison's is 404; admin pages 403."""
    client.force_login(liaison_user)
    response = client.get(reverse("stakeholders:my_stipend"))
    assert response.url == reverse("stakeholders:statement", args=[world["own"].pk, datetime.date.today().year])
    response = client.get(reverse("stakeholders:statement", args=[world["own"].pk, 2026]))
    assert response.status_code == 200
    assert response.context["statement"].paid_total == Decimal("100.00")
    assert client.get(reverse("stakeholders:statement", args=[world["other"].pk, 2026])).status_code == 404
    assert client.get(reverse("stakeholders:agreement_detail", args=[world["own_agreement"].pk])).status_code == 200
    assert client.get(reverse("stakeholders:agreement_detail", args=[world["other_agreement"].pk])).status_code == 404
    assert client.get(reverse("stakeholders:payment_detail", args=[world["submitted"].pk])).status_code == 404
    assert client.get(reverse("stakeholders:payment_list")).status_code == 403
    assert client.get(reverse("stakeholders:liaison_list")).status_code == 403


def test_liaison_does_not_see_history(client, liaison_user, world):
    """History of changes is for admins only."""
    client.force_login(liaison_user)
    response = client.get(reverse("stakeholders:agreement_detail", args=[world["own_agreement"].pk]))
    assert response.context["history"] == []


def test_admin_sees_history_on_payment_page(client, admin_user, admin2, world):
    """The payment page lists who did what."""
    client.force_login(admin_user)
    response = client.get(reverse("stakeholders:payment_detail", args=[world["paid"].pk]))
    assert [entry.action for entry in response.context["history"]][-1] == "stipend_payment_mark_paid"
    assert admin2.username in response.content.decode()


def test_nav_shows_stipends_to_admins_and_my_stipend_to_liaisons(client, admin_user, liaison_user, staff_user):
    """Admins get 'Stipends', liaisons 'My stipend', staff neither."""
    for user, present, absent in [
        (admin_user, "Stipends", "My stipend"),
        (liaison_user, "My stipend", "Stipends"),
        (staff_user, None, "Stipend"),
    ]:
        client.force_login(user)
        labels = [item["label"] for item in client.get("/").context["nav_items"]]
        if present:
            assert present in labels
        assert absent not in labels


# --- Ledger and CSV -------------------------------------------------------------------


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_csv_export_matches_the_ledger(client, admin_user, world):
    """The CSV has the ledger's rows for the same filters, and the same total."""
    client.force_login(admin_user)
    AgreementFactory(created_by=admin_user)  # an agreement with no payments adds nothing
    for query in ["", "?status=paid", f"?liaison={world['other'].pk}", "?period_from=2026-04-01"]:
        ledger = client.get(reverse("stakeholders:payment_list") + query)
        export = client.get(reverse("stakeholders:payment_export") + query)
        rows = _csv_rows(export)
        header, body, total_row = rows[0], rows[1:-1], rows[-1]
        ledger_ids = [str(payment["id"]) for payment in ledger.context["page"]]
        assert [row[0] for row in body] == ledger_ids
        assert Decimal(total_row[header.index("Amount")]) == ledger.context["total"]
        assert sum((Decimal(row[header.index("Amount")]) for row in body), Decimal("0")) == ledger.context["total"]


def test_csv_neutralises_formulas(client, admin_user, world):
    """Cells starting with = + - @ are prefixed so spreadsheets do not run them."""
    client.force_login(admin_user)
    rows = _csv_rows(client.get(reverse("stakeholders:payment_export") + "?status=paid"))
    reference = rows[1][rows[0].index("Finance reference")]
    assert reference == "'=HYPERLINK(1)"
    assert rows[0][0] == "Payment"
    assert client.get(reverse("stakeholders:payment_export"))["Content-Type"].startswith("text/csv")


def test_ledger_filters_by_status_and_period(client, admin_user, world):
    """The ledger shows only payments matching the filters, with their total."""
    client.force_login(admin_user)
    response = client.get(reverse("stakeholders:payment_list"), {"status": "submitted"})
    assert [payment["id"] for payment in response.context["page"]] == [world["submitted"].pk]
    assert response.context["total"] == Decimal("50.00")
    response = client.get(reverse("stakeholders:payment_list"), {"period_to": "2026-02-28"})
    assert response.context["page"].paginator.count == 0


# --- Writes through the pages -----------------------------------------------------------


def test_approval_queue_hides_own_payments_and_approves_with_htmx(client, admin_user, admin2, world):
    """The creator does not see their payment in the queue; another admin approves it in one click."""
    client.force_login(admin_user)
    assert list(client.get(reverse("stakeholders:approval_queue")).context["page"]) == []
    client.force_login(admin2)
    queue = client.get(reverse("stakeholders:approval_queue"))
    assert [payment.pk for payment in queue.context["page"]] == [world["submitted"].pk]
    response = client.post(
        reverse("stakeholders:payment_approve", args=[world["submitted"].pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "Approved." in response.content.decode()
    assert "<html" not in response.content.decode()
    world["submitted"].refresh_from_db()
    assert (world["submitted"].status, world["submitted"].approved_by) == ("approved", admin2)


def test_creator_cannot_approve_over_http(client, admin_user, world):
    """Posting an approval of one's own payment shows an error and changes nothing."""
    client.force_login(admin_user)
    response = client.post(reverse("stakeholders:payment_approve", args=[world["submitted"].pk]), follow=True)
    assert "someone else must approve" in response.content.decode()
    world["submitted"].refresh_from_db()
    assert world["submitted"].status == "submitted"


def test_agreement_create_sign_off_and_activate(client, admin_user):
    """An admin drafts an agreement, signs it off and activates it through the pages."""
    client.force_login(admin_user)
    liaison, source = LiaisonProfileFactory(), FundingSourceFactory()
    response = client.post(
        reverse("stakeholders:agreement_create"),
        {
            "liaison": liaison.pk,
            "funding_source": source.pk,
            "rate": "75.00",
            "unit": "session",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "cap": "1500",
            "notes": "",
        },
    )
    agreement = StipendAgreement.objects.get(liaison=liaison)
    assert response.url == agreement.get_absolute_url()
    client.post(reverse("stakeholders:agreement_activate", args=[agreement.pk]))
    agreement.refresh_from_db()
    assert agreement.status == "draft"
    client.post(reverse("stakeholders:agreement_sign_off", args=[agreement.pk]))
    client.post(reverse("stakeholders:agreement_activate", args=[agreement.pk]))
    agreement.refresh_from_db()
    assert (agreement.status, agreement.signed_off_by) == ("active", admin_user)


def test_payment_form_requires_reason_for_changed_amount(client, admin_user):
    """Changing the computed amount without a reason shows the error on the reason field."""
    client.force_login(admin_user)
    agreement = AgreementFactory(created_by=admin_user)
    data = {
        "agreement": agreement.pk,
        "period_start": "2026-03-01",
        "period_end": "2026-03-31",
        "quantity": "2",
        "amount": "130",
    }
    response = client.post(reverse("stakeholders:payment_create"), data)
    assert response.status_code == 200
    assert "amount_override_reason" in response.context["form"].errors
    response = client.post(reverse("stakeholders:payment_create"), {**data, "amount_override_reason": "Extra site"})
    payment = StipendPayment.objects.get()
    assert response.url == payment.get_absolute_url()
    assert payment.amount == Decimal("130.00")


def test_liaison_form_rejects_tax_ids(client, admin_user):
    """The liaison form refuses an SSN as payee reference and explains why."""
    client.force_login(admin_user)
    person = PersonFactory()
    response = client.post(
        reverse("stakeholders:liaison_create"),
        {"person": person.pk, "payee_reference": "123-45-6789", "active_from": "2026-01-01"},
    )
    assert "payee_reference" in response.context["form"].errors
    assert "Never enter bank account numbers or tax IDs" in response.content.decode()


def test_tax_threshold_flag_is_visible(client, admin_user, world, settings):
    """A liaison paid at or above the threshold this year is flagged on their pages."""
    settings.STIPEND_TAX_THRESHOLD = Decimal("100.00")
    client.force_login(admin_user)
    response = client.get(reverse("stakeholders:statement", args=[world["own"].pk, 2026]))
    assert 'data-testid="tax-flag"' in response.content.decode()
    response = client.get(reverse("stakeholders:statement", args=[world["other"].pk, 2026]))
    assert 'data-testid="tax-flag"' not in response.content.decode()


def test_pages_have_no_inline_styles(client, admin_user, world):
    """The CSP forbids style attributes; the budget bars use classes."""
    client.force_login(admin_user)
    for url in [reverse("stakeholders:funding_source_list"), reverse("stakeholders:payment_list")]:
        assert "style=" not in client.get(url).content.decode()


# --- Query counts ---------------------------------------------------------------------


def _rows(count, admin_user):
    source = FundingSourceFactory(budget=Decimal("100000"))
    for _ in range(count):
        agreement = AgreementFactory(created_by=admin_user, funding_source=source)
        agreement.liaison.neighborhoods.create(name=f"Hood {agreement.pk}")
        PaymentFactory(
            agreement=agreement,
            status="submitted",
            submitted_by=agreement.created_by,
            created_by=UserFactory(),
        )


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(
    "url_name",
    ["funding_source_list", "liaison_list", "agreement_list", "payment_list", "approval_queue"],
)
def test_list_query_counts_do_not_grow(client, admin_user, django_assert_max_num_queries, rows, url_name):
    """Each list page runs the same small number of queries for 1 row and for 50.

    The ledger: session, user, the admin's authenticator app (two-step sign-in), one
    count-and-total, the page, and the liaison and funding source choices of its filters.
    """
    _rows(rows, admin_user)
    client.force_login(admin_user)
    url = reverse(f"stakeholders:{url_name}")
    client.get(url)  # the first request after signing in also saves the session
    with django_assert_max_num_queries(7 if url_name == "payment_list" else 13):
        response = client.get(url)
    assert response.status_code == 200


def test_sent_back_payment_is_corrected_through_the_page(client, admin_user, admin2, world):
    """A payment sent back from the queue is edited by its creator; the amount is recomputed."""
    client.force_login(admin2)
    client.post(reverse("stakeholders:payment_reject", args=[world["submitted"].pk]))
    client.force_login(admin_user)
    response = client.post(
        reverse("stakeholders:payment_edit", args=[world["submitted"].pk]),
        {"period_start": "2026-03-01", "period_end": "2026-03-15", "quantity": "3"},
    )
    assert response.status_code == 302
    world["submitted"].refresh_from_db()
    assert (world["submitted"].status, world["submitted"].amount) == ("draft", Decimal("150.00"))


def test_engagements_can_add_a_panel_to_the_payment_page(client, admin_user, world, monkeypatch):
    """A higher app registers a panel for stipend payments; the page loads it with htmx."""
    from stakeholders import panels

    monkeypatch.setitem(
        panels._PANELS, "stipend_payment", [panels.Panel("Engagements paid", "stakeholders:payment_detail")]
    )
    client.force_login(admin_user)
    response = client.get(reverse("stakeholders:payment_detail", args=[world["paid"].pk]))
    assert "Engagements paid" in response.content.decode()
    assert f'hx-get="{world["paid"].get_absolute_url()}"' in response.content.decode()


def test_queue_redirect_stays_on_this_site(client, admin2, world):
    """Without htmx the queue redirects back, but never to another site."""
    client.force_login(admin2)
    response = client.post(
        reverse("stakeholders:payment_reject", args=[world["submitted"].pk]), {"next": "https://evil.example/"}
    )
    assert response.url == world["submitted"].get_absolute_url()


def test_export_link_carries_the_ledger_filters(client, admin_user, world):
    """The htmx-swapped ledger region links to the CSV with the same filters."""
    client.force_login(admin_user)
    response = client.get(reverse("stakeholders:payment_list"), {"status": "paid"}, headers={"HX-Request": "true"})
    assert f"{reverse('stakeholders:payment_export')}?status=paid" in response.content.decode()
