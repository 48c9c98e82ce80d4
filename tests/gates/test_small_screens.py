"""At 320 CSS pixels wide (WCAG 1.4.10 reflow) no page of the demo city scrolls
sideways: wide tables scroll inside their own box, the page itself never does."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from coalition.models import Coalition
from stakeholders.demo import DEMO_PASSWORD
from tests.browser import log_in
from tests.gates.demo_city import seed_demo_city

LIST_PAGES = [
    "/",
    "/people/",
    "/organizations/",
    "/neighborhoods/",
    "/departments/",
    "/elections/",
    "/relationships/",
    "/engagements/",
    "/engagements/log/",
    "/engagements/commitments/",
    "/engagements/calendar/",
    "/engagements/followups/",
    "/coalitions/",
    "/stipends/",
    "/stipends/liaisons/",
    "/stipends/agreements/",
    "/stipends/payments/",
    "/stipends/approvals/",
    "/users/",
    "/security-log/",
]
SCROLL_WIDTH = "() => document.documentElement.scrollWidth"
FIRST_RECORD = "main table tbody a[href]"


@pytest.mark.django_db(transaction=True)
def test_main_pages_and_the_quick_log_do_not_scroll_sideways_at_320_px(page, live_server):
    """Each main list page, the quick log, and the first record linked from each
    list fit in a 320 x 640 viewport without horizontal scrolling."""
    seed_demo_city()
    page.set_viewport_size({"width": 320, "height": 640})
    log_in(page, live_server, "admin", DEMO_PASSWORD)
    too_wide = []
    records = []
    for path in LIST_PAGES:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        if (width := page.evaluate(SCROLL_WIDTH)) > 320:
            too_wide.append(f"{path}: {width}px")
        first = page.locator(FIRST_RECORD).first
        if first.count():
            records.append(urlparse(first.get_attribute("href")).path)
    assert len(records) >= 10, f"too few lists link to records: {records}"
    # The ally map and its network table are a coalition's pages, not linked from a list's first row.
    coalition = Coalition.objects.order_by("pk").first()
    records += [f"/coalitions/{coalition.pk}/allies/", f"/coalitions/{coalition.pk}/allies/network/"]
    for path in dict.fromkeys(records):
        page.goto(f"{live_server.url}{path}")
        if (width := page.evaluate(SCROLL_WIDTH)) > 320:
            too_wide.append(f"{path}: {width}px")
    assert not too_wide, "Pages wider than 320 px: " + ", ".join(too_wide)
