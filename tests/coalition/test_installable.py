"""The installable app: the web app manifest, the service worker and what it caches."""

import gzip
import json
import re

import pytest
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from coalition import views

pytestmark = pytest.mark.django_db


def _worker_config(response) -> dict:
    first_line = response.content.decode().split("\n", 1)[0]
    match = re.fullmatch(r"self\.COALITION_OFFLINE = (\{.*\});", first_line)
    assert match, first_line
    return json.loads(match.group(1))


def test_the_manifest_names_the_app_and_starts_at_the_quick_log(client):
    """Anyone (the browser fetches it without cookies) gets a manifest named Coalition with
    192 and 512 px icons, opening on the quick log."""
    response = client.get(reverse("manifest"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Coalition"
    assert manifest["start_url"] == reverse("engagements:log")
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"]: icon["src"] for icon in manifest["icons"]}
    assert sizes["192x192"] == static("img/icon-192.png")
    assert sizes["512x512"] == static("img/icon-512.png")
    for name in ("img/icon-192.png", "img/icon-512.png"):
        png = (settings.BASE_DIR / "static" / name).read_bytes()
        assert png.startswith(b"\x89PNG")


def test_every_page_links_the_manifest(client, staff_user):
    """The manifest is linked from the shared page layout."""
    client.force_login(staff_user)
    assert f'<link rel="manifest" href="{reverse("manifest")}">' in client.get(reverse("home")).content.decode()


def test_the_service_worker_is_served_from_the_root(client):
    """Same origin, at /sw.js so that its scope may be the whole site, always revalidated, and
    under the same CSP as every page (a script file: nothing inline)."""
    response = client.get(reverse("service_worker"))

    assert reverse("service_worker") == "/sw.js"
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    config = _worker_config(response)
    assert config["page"] == reverse("engagements:log")
    assert config["static"] == [static(name) for name in views.OFFLINE_STATIC_FILES]


def test_the_worker_caches_every_file_the_quick_log_loads(client, staff_user):
    """Each stylesheet and script of the quick log is in the worker's list, so the page opens offline."""
    client.force_login(staff_user)
    page = client.get(reverse("engagements:log")).content.decode()
    loaded = set(re.findall(r'<(?:script|link rel="stylesheet") [^>]*?(?:src|href)="([^"]+)"', page))
    cached = set(_worker_config(client.get(reverse("service_worker")))["static"])

    assert loaded
    assert loaded <= cached, loaded - cached


def test_the_cache_version_changes_with_the_version_number(client, monkeypatch):
    """Raising SERVICE_WORKER_VERSION renames the caches (the old ones are dropped on activation)."""
    views._service_worker_source.cache_clear()
    before = _worker_config(client.get(reverse("service_worker")))["version"]
    monkeypatch.setattr(views, "SERVICE_WORKER_VERSION", views.SERVICE_WORKER_VERSION + 1)
    views._service_worker_source.cache_clear()
    after = _worker_config(client.get(reverse("service_worker")))["version"]
    views._service_worker_source.cache_clear()

    assert before != after


def test_the_quick_log_script_and_worker_stay_small():
    """What the quick log adds (its script and the service worker) is well under 20 KB gzipped."""
    total = sum(
        len(gzip.compress((settings.BASE_DIR / "static" / "js" / name).read_bytes(), compresslevel=9))
        for name in ("quick_log.js", "sw.js")
    )
    assert total < 20 * 1024, total
