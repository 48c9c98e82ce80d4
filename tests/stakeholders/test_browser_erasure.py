"""Browser: an admin withdraws a resident's consent, then erases them (issue 16)."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from stakeholders.models import ConsentRecord, ErasureCertificate, Person
from tests.browser import log_in
from tests.gates.test_accessibility import AXE_OPTIONS
from tests.stakeholders.factories import PersonFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_an_admin_withdraws_consent_then_erases_a_person_on_a_phone(page, live_server):
    """At 390 px: "Withdraw all consent" records every purpose as withdrawn; "Erase this
    person…" shows what will go, refuses an empty reason, then erases and shows the
    certificate; the person's page no longer names them. No axe violations on the way."""
    UserFactory(username="ada", roles=["Admin"])
    person = PersonFactory(first_name="Zyxwen", last_name="Quorrel", email="zyxwen@erase.example", may_contact=True)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, "ada")
    axe = Axe()

    page.goto(f"{live_server.url}/people/{person.pk}/")
    page.get_by_role("button", name="Withdraw all consent").click()
    expect(page.get_by_test_id("consent-current")).not_to_contain_text("Given")
    assert set(ConsentRecord.objects.filter(person=person, granted=False).values_list("purpose", flat=True)) == set(
        ConsentRecord.Purpose.values
    )
    assert not Person.objects.get(pk=person.pk).may_contact

    page.get_by_role("link", name="Erase this person…").click()
    expect(page.get_by_role("heading", name="Erase Zyxwen Quorrel")).to_be_visible()
    assert axe.run(page, options=AXE_OPTIONS).response["violations"] == []
    page.get_by_role("button", name="Erase this person").click()  # no reason yet
    expect(page.get_by_label("Reason")).to_have_attribute("aria-invalid", "true")
    assert not ErasureCertificate.objects.exists()

    page.get_by_label("Reason").fill("Asked to be forgotten, by email on 2 December")
    page.get_by_role("button", name="Erase this person").click()
    page.wait_for_url(re.compile(r"/people/erasures/\d+/$"))
    expect(page.get_by_role("heading", name=re.compile("Erasure certificate"))).to_be_visible()
    assert axe.run(page, options=AXE_OPTIONS).response["violations"] == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390

    page.goto(f"{live_server.url}/people/{person.pk}/")
    body = page.locator("main").inner_text()
    assert "Zyxwen" not in body and "zyxwen@erase.example" not in body
    assert ErasureCertificate.objects.get().person_pk == person.pk
