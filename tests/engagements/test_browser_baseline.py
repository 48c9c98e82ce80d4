"""Browser: an admin imports a census baseline, and sets the equity thresholds, on a phone-sized screen."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from engagements.models import BreakdownOption
from stakeholders import importing
from tests.browser import log_in
from tests.engagements.factories import BreakdownCategoryFactory
from tests.stakeholders.factories import NeighborhoodFactory, UserFactory

PHONE = {"width": 390, "height": 844}
BAD = b'geography,category,population\nCity,Language: Spanish,"12,400"\nEastside,Language: Spanish,-3\n'
GOOD = BAD.replace(b"-3", b"830")


def _fits_and_passes_axe(page, where: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], where
    result = Axe().run(page)
    assert result.violations_count == 0, f"{where}:\n{result.generate_report()}"


@pytest.mark.django_db(transaction=True)
def test_an_admin_corrects_a_bad_row_previews_and_confirms_a_baseline(page, live_server, tmp_path, monkeypatch):
    """A file with a bad row is refused naming its line and column, with nothing saved; the
    corrected file is previewed, then confirmed, and the page shows it as the baseline in use."""
    monkeypatch.setattr(importing, "UPLOAD_DIR", tmp_path)
    language = BreakdownCategoryFactory(name="Language", kind="language")
    # The migrations' own lists may or may not be there, depending on which test flushed last.
    BreakdownOption.objects.get_or_create(category=language, label="Spanish")
    NeighborhoodFactory(name="Eastside", council_district="District 3")
    UserFactory(username="ada", roles=["Admin"], is_staff=True)
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "ada")

    # given the upload page
    page.goto(f"{live_server.url}/equity/baseline/")
    expect(page.get_by_test_id("current-baseline")).to_contain_text("No baseline has been imported yet")
    _fits_and_passes_axe(page, "upload page")

    # when a file with a negative population is uploaded
    page.get_by_label("Name").fill("ACS 2023 5-year")
    page.get_by_label("CSV file").set_input_files({"name": "b16001.csv", "mimeType": "text/csv", "buffer": BAD})
    page.get_by_role("button", name="Preview").click()

    # then the problem names the line and the column, on the file field
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Line 3, population: “-3” is not a whole number of 0 or more.")
    expect(page.locator("#id_file_error")).to_contain_text("Line 3, population")
    described_by = page.get_by_label("CSV file").get_attribute("aria-describedby").split()
    assert "id_file_error" in described_by
    _fits_and_passes_axe(page, "upload page with a problem")

    # when the corrected file is uploaded
    page.get_by_label("Name").fill("ACS 2023 5-year")
    page.get_by_label("CSV file").set_input_files({"name": "b16001.csv", "mimeType": "text/csv", "buffer": GOOD})
    page.get_by_role("button", name="Preview").click()

    # then a preview shows what would be saved, and nothing is yet
    expect(page.get_by_test_id("baseline-preview-summary")).to_contain_text("2 rows for 2 geographies")
    expect(page.get_by_test_id("baseline-preview-rows")).to_contain_text("830")
    _fits_and_passes_axe(page, "preview")

    # when it is confirmed
    page.get_by_role("button", name="Import 2 rows").click()

    # then it is the baseline in use, its rows grouped by geography
    expect(page.get_by_role("status")).to_contain_text("imported with 2 rows")
    expect(page.get_by_test_id("current-baseline")).to_contain_text("ACS 2023 5-year")
    rows = page.get_by_test_id("baseline-rows")
    expect(rows).to_contain_text("Whole city")
    expect(rows).to_contain_text("12,400")
    expect(rows).to_contain_text("Eastside")
    _fits_and_passes_axe(page, "page with the baseline in use")

    # and the equity settings refuse a ratio above 1, on its field
    page.get_by_role("link", name="Equity settings").click()
    page.get_by_label("Under-heard below ratio").fill("1.5")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("Under-heard below ratio")
    _fits_and_passes_axe(page, "equity settings with a problem")
