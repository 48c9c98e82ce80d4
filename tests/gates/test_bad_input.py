"""Hostile input to every form: never a server error, and a rejected post changes nothing.

Forms are discovered, not listed: each URL pattern of the project (outside the
back office) is opened as the most privileged role that gets a page, and every
``<form method=post>`` in its ``<main>`` is posted with values from hypothesis:
very long strings, control characters (NUL included, which PostgreSQL refuses
in text), scripts, wrong types, out-of-range numbers and dates, malformed
emails and URLs, unicode edge cases, invalid choices and many values for one
field. Hidden fields, the CSRF token and formset management fields stay as
served.

Each field is first posted once at a known-bad value for its kind (the rest of
the form as served), then hypothesis takes over. Each example runs in a
savepoint that is rolled back afterwards, so every post meets the same
records. Search and filter forms (method GET) get the same values. Run more
examples with ``BAD_INPUT_EXAMPLES=200``.
"""

from __future__ import annotations

import os
import time
from typing import NamedTuple

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.test import Client
from django.urls import path
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from stakeholders.forms.base import BoundedInputMixin
from stakeholders.models import SecurityEvent, UserSession
from stakeholders.sessions import SessionStore
from tests.gates.forms_discovery import (
    SCRIPT_PAYLOAD,
    PageForm,
    explicit_payloads,
    forms_in_main,
    payload_strategy,
    post_forms,
)
from tests.gates.test_permission_matrix import PROJECT_PATTERNS, _client_for, _url
from tests.gates.world import build_world

EXAMPLES = int(os.environ.get("BAD_INPUT_EXAMPLES", "25"))
# Once the module has spent this long fuzzing, the remaining forms get fewer
# examples, so that many forms still finish in a few minutes.
BUDGET_SECONDS = float(os.environ.get("BAD_INPUT_BUDGET_SECONDS", "120"))
EXAMPLES_OVER_BUDGET = min(EXAMPLES, 5)

# Who opens each page: the first of these that gets a 200 on GET.
ROLES_BY_PRIVILEGE = ("admin", "coordinator", "staff", "liaison", "anonymous")
SKIPPED_NAMES = {"logout"}  # posting signs the tester out; nothing to fill in

REDIRECTS = {302, 303}
# 400: coalition.middleware.RejectNullCharactersMiddleware refuses NUL characters.
# 403/404: a hostile id points at no record the user may see.
# 422: a form re-shown with its errors (the quick log's htmx forms answer so).
# 429: django-axes locks out a sign-in after repeated failures.
REJECTIONS = {200, 400, 403, 404, 422, 429}

# Tables that legitimately change on a rejected post: sessions (saved on every
# request), django-axes' attempt logs, the security log (failed sign-ins) and the
# two-step devices, whose throttle counts each wrong code.
VOLATILE_TABLES = {
    "django_session",
    UserSession._meta.db_table,
    SecurityEvent._meta.db_table,
    TOTPDevice._meta.db_table,
    StaticDevice._meta.db_table,
}
VOLATILE_PREFIXES = ("axes_",)

_started_at: list[float] = []


PATTERNS = [(name, route) for name, route in PROJECT_PATTERNS if name not in SKIPPED_NAMES]


class Page(NamedTuple):
    client: Client
    path: str
    forms: list[PageForm]  # POST forms
    query_forms: list[PageForm]  # GET forms (search, filters)


def _open_page(world, name, route) -> tuple[Page | None, str]:
    """The page as the most privileged role that gets it, and that role; or None and why not."""
    try:
        url = _url(world, name, route)
    except LookupError as error:
        return None, f"{name}: {error}"
    for role in ROLES_BY_PRIVILEGE:
        client = _client_for(world.users[role])
        page_path, response = url, client.get(url)
        location = response.headers.get("Location", "")
        if response.status_code in REDIRECTS and location.startswith(url.rstrip("/").rsplit("/", 1)[0] + "/"):
            # A page that moves next door (a password reset link hides its token this way).
            page_path, response = location, client.get(location)
        if response.status_code == 200 and response.headers.get("Content-Type", "").startswith("text/html"):
            html = response.content.decode()
            return Page(client, page_path, post_forms(html, page_path), forms_in_main(html, page_path, "get")), role
    return None, f"{name}: no role gets an HTML page"


def _fingerprint_sql() -> tuple[str, list[str]]:
    tables = sorted(
        table
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False)
        if table not in VOLATILE_TABLES and not table.startswith(VOLATILE_PREFIXES)
    )
    quote = connection.ops.quote_name
    # Table names come from Django's introspection of its own models, never from input.
    sql = " UNION ALL ".join(
        f"SELECT %s, count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {quote(table)} t"  # noqa: S608
        for table in tables
    )
    return sql, tables


def table_fingerprints(query: tuple[str, list[str]]) -> dict[str, tuple[int, str]]:
    """Row count and a checksum of the rows, per project table."""
    with connection.cursor() as cursor:
        cursor.execute(*query)
        return {table: (count, checksum) for table, count, checksum in cursor.fetchall()}


def _show(data: dict) -> str:
    def short(value):
        if isinstance(value, list):
            return f"[{len(value)} values: " + ", ".join(short(item) for item in value[:3]) + "]"
        text = repr(value[:60])
        return text + (f"…({len(value)} chars)" if len(value) > 60 else "")

    return "{" + ", ".join(f"{name}: {short(value)}" for name, value in data.items()) + "}"


def _follow(client: Client, response):
    """The page a redirect leads to, when it stays on this site."""
    location = response.headers.get("Location", "") if response.status_code in REDIRECTS else ""
    if not location.startswith("/") or location.startswith("//"):
        return None
    return client.get(location)


def _examples() -> int:
    if not _started_at:
        _started_at.append(time.monotonic())
    return EXAMPLES if time.monotonic() - _started_at[0] < BUDGET_SECONDS else EXAMPLES_OVER_BUDGET


def _fuzz(client: Client, form: PageForm, where: str, *, shrink: bool = True, examples: int | None = None) -> None:
    sql = _fingerprint_sql()
    before = table_fingerprints(sql)

    @settings(
        max_examples=examples or _examples(),
        phases=tuple(Phase) if shrink else (Phase.explicit, Phase.reuse, Phase.generate),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=payload_strategy(form))
    def post_hostile(data):
        try:
            with transaction.atomic():
                response = client.post(form.action, data)
                after = table_fingerprints(sql) if response.status_code not in REDIRECTS else before
                landing = _follow(client, response)
                transaction.set_rollback(True)  # every example meets the same records
        except Exception as error:
            raise AssertionError(f"{where} raised {error!r} when posted {_show(data)}") from error
        status = response.status_code
        assert status in REDIRECTS | REJECTIONS, f"{where} answered {status} when posted {_show(data)}"
        if status not in REDIRECTS:
            changed = sorted(table for table in before if before[table] != after.get(table))
            assert not changed, f"{where} rejected a post ({status}) but changed {changed}: {_show(data)}"
            assert SCRIPT_PAYLOAD.encode() not in response.content, f"{where} echoed a script unescaped"
        if landing is not None:
            # What was accepted must also display: a stored value can break the next page.
            assert landing.status_code < 500, f"{where} redirected to a {landing.status_code} after {_show(data)}"

    for payload in explicit_payloads(form):
        post_hostile = example(data=payload)(post_hostile)
    post_hostile()


def _fuzz_query(client: Client, form: PageForm, where: str) -> None:
    @settings(
        max_examples=_examples(),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=payload_strategy(form), htmx=st.booleans())
    def query_hostile(data, htmx):
        headers = {"HX-Request": "true"} if htmx else {}
        try:
            with transaction.atomic():
                response = client.get(form.action, data, headers=headers)
                transaction.set_rollback(True)
        except Exception as error:
            raise AssertionError(f"{where} raised {error!r} when queried with {_show(data)}") from error
        status = response.status_code
        assert status in REDIRECTS | REJECTIONS, f"{where} answered {status} to {_show(data)}"
        assert SCRIPT_PAYLOAD.encode() not in response.content, f"{where} echoed a script unescaped"

    for payload in explicit_payloads(form):
        query_hostile = example(data=payload, htmx=False)(query_hostile)
    query_hostile()


@pytest.mark.django_db
def test_discovery_finds_the_forms_of_the_project(capsys):
    """The walk over the URL resolver reaches the known forms; what it skips is listed."""
    world = build_world()
    found, skipped, forms_by_name = {}, [], {}
    for name, route in PATTERNS:
        page, note = _open_page(world, name, route)
        if page is None:
            skipped.append(note)
        elif page.forms:
            found[name] = (note, [form.action for form in page.forms])
            forms_by_name[name] = page.forms
    with capsys.disabled():
        print("\nForms posted with bad input (page: role, actions):")
        for name, (role, actions) in sorted(found.items()):
            print(f"  {name}: {role}, {actions}")
        print("URL patterns not fuzzed:\n  " + "\n  ".join(skipped))
    for known in ("login", "password_change", "password_reset", "password_reset_confirm"):
        assert known in found, f"no form found on {known}"
    for known in ("stakeholders:user_create", "stakeholders:user_edit"):
        assert found.get(known, ("",))[0] == "admin", f"{known} should be fuzzed as an admin"
    # Field kinds are read from the HTML: a group of checkboxes is one field of choices.
    [user_form] = forms_by_name["stakeholders:user_create"]
    kinds = {form_field.name: form_field.kind for form_field in user_form.fields}
    assert kinds == {
        "csrfmiddlewaretoken": "hidden",
        "username": "text",
        "first_name": "text",
        "last_name": "text",
        "email": "email",
        "language": "select",
        "roles": "checkbox-group",
        "is_active": "checkbox",
    }
    roles = next(form_field for form_field in user_form.fields if form_field.name == "roles")
    assert set(roles.options) == {"Staff", "Coordinator", "Admin", "Liaison"}
    assert [form_field.name for form_field in user_form.fuzzable] == [
        "username",
        "first_name",
        "last_name",
        "email",
        "language",
        "roles",
        "is_active",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_hostile_input_is_rejected_cleanly(name, route):
    """Hostile values in every field of every form give a page with errors or a
    redirect, never a server error; a rejected post leaves every table as it was.
    Search and filter forms (GET) get the same values, plain and as htmx requests."""
    world = build_world()
    page, note = _open_page(world, name, route)
    if page is None:
        pytest.skip(note)
    if not page.forms and not page.query_forms:
        pytest.skip(f"{name}: no form in <main>")
    for form in page.forms:
        _fuzz(page.client, form, f"{page.path} form #{form.index} → POST {form.action} as {note}")
    for form in page.query_forms:
        _fuzz_query(page.client, form, f"{page.path} form #{form.index} → GET {form.action} as {note}")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_empty_posts_show_an_error_summary(name, route):
    """A form submitted with every field cleared answers with its error summary or
    a redirect; a post with no data at all is never a server error."""
    world = build_world()
    page, note = _open_page(world, name, route)
    if page is None:
        pytest.skip(note)
    client, forms = page.client, page.forms
    if not forms:
        pytest.skip(f"{name}: no POST form in <main>")
    for form in forms:
        where = f"{page.path} form #{form.index} → POST {form.action} as {note}"
        with transaction.atomic():
            nothing = client.post(form.action, {})
            transaction.set_rollback(True)
        assert nothing.status_code in REDIRECTS | REJECTIONS, f"{where} answered {nothing.status_code} to no data"
        with transaction.atomic():
            response = client.post(form.action, form.blank_data())
            transaction.set_rollback(True)
        assert response.status_code in REDIRECTS | {200, 422}, f"{where} answered {response.status_code} when blank"
        if response.status_code in (200, 422):
            assert b"data-error-summary" in response.content, f"{where} shows no error summary when blank"


@pytest.mark.django_db
def test_fingerprints_see_every_change_but_volatile_tables():
    """The database check notices a new row and an edited field, and ignores sessions."""
    world = build_world()
    sql = _fingerprint_sql()
    start = table_fingerprints(sql)
    SessionStore().create()  # a new session row: volatile
    assert table_fingerprints(sql) == start
    world.target_user.first_name = "Changed"
    world.target_user.save(update_fields=["first_name"])
    edited = table_fingerprints(sql)
    changed = [table for table in start if start[table] != edited[table]]
    assert changed == [world.target_user._meta.db_table]
    assert edited[changed[0]][0] == start[changed[0]][0]  # same count, different checksum


# --- The checks themselves catch what they claim to catch -------------------------------
# A URLconf of probe pages (used with ``pytest.mark.urls``): forms with known faults.


class _UnboundedForm(forms.Form):
    count = forms.IntegerField(label="Count")
    note = forms.CharField(label="Note", required=False)


class _BoundedForm(BoundedInputMixin, _UnboundedForm):
    pass


def _probe_page(form_class, *, write_when_rejected=False):
    def view(request):
        form = form_class(request.POST if request.method == "POST" else None)
        if request.method == "POST":
            if write_when_rejected:
                Group.objects.create(name=f"probe {Group.objects.count()}")
            elif form.is_valid():
                with connection.cursor() as cursor:  # as an integer column would store it
                    cursor.execute("SELECT %s::integer", [form.cleaned_data["count"]])
                return HttpResponseRedirect("/done/")
        return HttpResponse(f'<main><form method="post">{form.as_div()}</form></main>')

    return view


urlpatterns = [
    path("unbounded/", _probe_page(_UnboundedForm)),
    path("bounded/", _probe_page(_BoundedForm)),
    path("writes/", _probe_page(_BoundedForm, write_when_rejected=True)),
    path("done/", lambda request: HttpResponse("<main>Saved.</main>")),
]


def _probe(client: Client, path_: str) -> PageForm:
    [form] = post_forms(client.get(path_).content.decode(), path_)
    return form


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_the_fuzz_finds_a_server_error_and_passes_its_fix():
    """An integer PostgreSQL cannot hold fails the check; the bounded form passes it."""
    client = Client()
    with pytest.raises(AssertionError, match=r"raised DataError"):
        _fuzz(client, _probe(client, "/unbounded/"), "unbounded probe", shrink=False, examples=25)
    _fuzz(client, _probe(client, "/bounded/"), "bounded probe", examples=25)


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_the_fuzz_finds_a_rejected_post_that_writes():
    """A 200 answer that changed a table fails the check, naming the table."""
    client = Client()
    with pytest.raises(AssertionError, match=r"changed \['auth_group'\]"):
        _fuzz(client, _probe(client, "/writes/"), "writing probe", shrink=False, examples=25)
