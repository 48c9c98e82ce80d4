"""Every URL pattern has a row in the permission matrix, and every row holds."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.gates.permission_matrix import (
    ADMIN_NAMESPACE_NON_ADMIN_STATUS,
    ADMIN_OPEN_PAGES,
    MATRIX,
    OTHER,
    ROLES,
)
from tests.gates.world import build_world
from tests.two_step import Client


@pytest.fixture(autouse=True)
def _uploads_in_memory(settings):
    """The world's uploaded agreement document stays out of MEDIA_ROOT."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}


def _walk(resolver, prefix="", namespace=None):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or None
            full = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _walk(pattern, prefix + str(pattern.pattern), full)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            route = prefix + str(pattern.pattern)
            yield name or route.lstrip("^").rstrip("$"), route


ALL_PATTERNS = list(_walk(get_resolver()))
BACK_OFFICE_PREFIX = "backoffice/"
PROJECT_PATTERNS = [(name, route) for name, route in ALL_PATTERNS if not route.startswith(BACK_OFFICE_PREFIX)]
ADMIN_PATTERNS = [(name, route) for name, route in ALL_PATTERNS if route.startswith(BACK_OFFICE_PREFIX)]


def _route_kwargs(route: str) -> list[str]:
    return re.findall(r"<(?:\w+:)?(\w+)>", route)


def _url(world, name, route):
    if name == "favicon.ico":
        return "/favicon.ico"
    return reverse(name, kwargs=world.kwargs_for(name, _route_kwargs(route)))


def _client_for(user):
    """A client signed in as ``user``; an admin's session has passed the second step with the
    admin's authenticator app (see tests/two_step.py), so the admin column shows what a fully
    signed-in admin gets. One who has not is sent to the step (tests/stakeholders/test_two_step_views.py)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_every_url_pattern_has_a_row():
    """A route without a row in tests/gates/permission_matrix.py fails the build."""
    missing = sorted({name for name, _route in PROJECT_PATTERNS} - MATRIX.keys())
    assert not missing, f"Add these URL patterns to tests/gates/permission_matrix.py: {missing}"
    stale = sorted(MATRIX.keys() - {name for name, _route in PROJECT_PATTERNS})
    assert not stale, f"These rows name no URL pattern any more: {stale}"


TITLE = re.compile(r"<title>(.*?)</title>", re.S)
HTML_LANG = re.compile(r'<html lang="([^"]+)"')


def _page_problems(response, language: str) -> list[str]:
    """A whole HTML page names itself "Page · Coalition" and declares the language it is in."""
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return []
    html = response.content.decode()
    if "<html" not in html:
        return []  # an htmx fragment
    problems = []
    title = " ".join(unescape(match.group(1)).split()) if (match := TITLE.search(html)) else ""
    if not re.fullmatch(r"\S.* · Coalition", title) or title.startswith("·"):
        problems.append(f"title {title!r}")
    lang = HTML_LANG.search(html)
    if not lang or lang.group(1) != language:
        problems.append(f"<html lang> {lang.group(1) if lang else None!r}, not {language!r}")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), PROJECT_PATTERNS, ids=[name for name, _ in PROJECT_PATTERNS])
def test_row_holds_for_every_role(name, route):
    """Each role gets exactly the status its row states, for GET and for POST; every page it
    gets reads "Page · Coalition" in its title and declares its language, in English and in Spanish."""
    world = build_world()
    expected_get, expected_post = (statuses.split() for statuses in MATRIX[name])
    seen = {}
    pages: dict[str, list[str]] = {}
    for index, role in enumerate(ROLES):
        client = _client_for(world.users[role])
        url = _url(world, name, route)
        response = client.get(url)
        seen[(role, "GET")] = (response.status_code, int(expected_get[index]))
        pages[f"{role} en"] = _page_problems(response, "en")
        if response.status_code == 200:
            spanish = client.get(url, headers={"accept-language": "es"})
            pages[f"{role} es"] = _page_problems(spanish, "es")
        client = _client_for(world.users[role])
        seen[(role, "POST")] = (client.post(url, {}).status_code, int(expected_post[index]))
    if name in OTHER:
        owner_role, other_get, other_post = OTHER[name]
        client = _client_for(world.others[owner_role])
        url = _url(world, name, route)
        seen[("other " + owner_role, "GET")] = (client.get(url).status_code, other_get)
        seen[("other " + owner_role, "POST")] = (client.post(url, {}).status_code, other_post)
    wrong = {key: value for key, value in seen.items() if value[0] != value[1]}
    assert not wrong, f"{name}: (actual, expected) per role and method: {wrong}"
    untitled = {who: problems for who, problems in pages.items() if problems}
    assert not untitled, f"{name}: {untitled}"


@pytest.mark.django_db
def test_back_office_is_for_admins_only():
    """Every back-office page sends anyone but an admin to its sign-in page."""
    world = build_world()
    sample = [
        (name, route)
        for name, route in ADMIN_PATTERNS
        if name.startswith("admin:") and name not in ADMIN_OPEN_PAGES and not _route_kwargs(route)
    ]
    assert sample
    for name, _route in sample:
        url = reverse(name)
        for role in ("anonymous", "staff", "coordinator", "liaison"):
            status = _client_for(world.users[role]).get(url).status_code
            assert status == ADMIN_NAMESPACE_NON_ADMIN_STATUS, (name, role, status)
        assert _client_for(world.users["admin"]).get(url).status_code < 500, name
