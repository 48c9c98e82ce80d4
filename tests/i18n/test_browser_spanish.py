"""Browser: a liaison switches the sign-in page to Spanish and logs a whole session in Spanish."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from engagements.models import Engagement
from stakeholders.models import Person
from tests.stakeholders.factories import PASSWORD, UserFactory


@pytest.mark.django_db(transaction=True)
def test_a_liaison_logs_a_session_entirely_in_spanish(page, live_server):
    """The switch on the sign-in page turns everything Spanish: sign-in, menu, the quick log with
    its extra rows from the server, the saved record with a Spanish date, at 390 px and axe-clean."""
    user = UserFactory(username="lucia", roles=["Liaison"])
    page.set_viewport_size({"width": 390, "height": 844})

    # given the sign-in page, in English
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # when she picks Español, the same page comes back in Spanish
    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.get_by_label("Nombre de usuario").fill(user.username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page).to_have_title(re.compile(r"^Inicio · Coalition$"))

    # the menu (behind the toggler at this width) takes her to the quick log
    page.get_by_role("button", name=re.compile("menú", re.I)).click()
    page.get_by_test_id("main-nav").get_by_role("link", name="Registrar una sesión").click()
    expect(page).to_have_title(re.compile(r"^Registrar una sesión · Coalition$"))
    page.get_by_label("Título").fill("Sesión de escucha en Westside")
    page.get_by_label("Cuántas personas asistieron").fill("12")
    page.locator("[name='input-0-text']").fill("La parada de autobús no tiene techo")
    page.get_by_role("button", name="Agregar un aporte").click()
    page.locator("[name='input-1-text']").fill("Las banquetas están rotas")
    page.locator("#id_qa-name").fill("Rosa Delgado")
    page.locator("#id_qa-email").fill("rosa@example.org")
    page.get_by_role("button", name="Agregar asistente").click()
    expect(page.locator("#attendee-chips")).to_contain_text("Rosa Delgado")
    page.get_by_role("button", name="Agregar un compromiso").click()
    page.locator("[name='commitment-0-description']").fill("Pedir a transporte que repare el techo")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    accessibility = Axe().run(page)
    assert accessibility.violations_count == 0, accessibility.generate_report()

    page.get_by_role("button", name="Registrar sesión").click()

    # then the record is saved, shown in Spanish with a Spanish date
    expect(page.get_by_role("heading", name="Sesión de escucha en Westside")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_text(re.compile(r"\d{1,2} de [a-z]+ de \d{4}")).first).to_be_visible()
    body = page.locator("main").inner_text()
    for english in ("Who came", "Languages used", "Edit", "Add to calendar"):
        assert not re.search(rf"\b{english}\b", body), english
    accessibility = Axe().run(page)
    assert accessibility.violations_count == 0, accessibility.generate_report()
    engagement = Engagement.objects.get(title="Sesión de escucha en Westside")
    assert engagement.input_items.count() == 2
    assert list(engagement.attendees.all()) == [Person.objects.get(email="rosa@example.org")]
    assert engagement.commitments.get().description == "Pedir a transporte que repare el techo"
