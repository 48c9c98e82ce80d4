"""Find the POST forms on a page and generate hostile values for their fields.

Used by tests/gates/test_bad_input.py. A form is read from the HTML the page
serves (inside ``<main>``), so a new form is covered the day its page exists:
nothing here names a form or a field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlparse

from bs4 import BeautifulSoup
from hypothesis import strategies as st

# Formset management fields stay valid: a wrong count is a different test.
MANAGEMENT_SUFFIXES = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")

SCRIPT_PAYLOAD = '<script>alert("xss")</script>'

# Input types whose value is text typed by a person.
TEXT_TYPES = {"text", "search", "tel", "password", "textarea", ""}


@dataclass
class FormField:
    name: str
    kind: str  # an <input> type, "textarea", "select", "select-multiple", "checkbox-group" or "radio"
    value: str | list[str] = ""  # what the page filled in
    options: list[str] = field(default_factory=list)  # choice values, for choices
    keep: bool = False  # hidden and management fields: always posted as served

    def describe(self) -> str:
        return f"{self.name} ({self.kind})"


@dataclass
class PageForm:
    action: str  # path the form posts to
    fields: list[FormField]
    index: int  # position among the page's POST forms

    @property
    def fuzzable(self) -> list[FormField]:
        return [form_field for form_field in self.fields if not form_field.keep]

    def served_data(self) -> dict[str, str | list[str]]:
        """The form as served: kept fields, and every field with its page value."""
        data: dict[str, str | list[str]] = {}
        for form_field in self.fields:
            if form_field.keep or form_field.value not in ("", []):
                data[form_field.name] = form_field.value
        return data

    def blank_data(self) -> dict[str, str | list[str]]:
        """The form as a browser submits it untouched-but-cleared: every text blank,
        every box unticked (left out), every choice blank; kept fields as served."""
        data = self.kept_data()
        for form_field in self.fuzzable:
            if form_field.kind not in {"checkbox", "checkbox-group", "radio", "select-multiple"}:
                data[form_field.name] = ""
        return data

    def kept_data(self) -> dict[str, str | list[str]]:
        """Only what must stay valid (CSRF token, hidden and management fields)."""
        return {form_field.name: form_field.value for form_field in self.fields if form_field.keep}


def post_forms(html: str, page_path: str) -> list[PageForm]:
    """Every ``<form method=post>`` inside ``<main>`` that posts to this site."""
    return forms_in_main(html, page_path, "post")


def forms_in_main(html: str, page_path: str, method: str) -> list[PageForm]:
    """Every form with this method (``post`` or ``get``) inside ``<main>`` that sends to this site."""
    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main") or soup
    forms = []
    for index, form in enumerate(
        tag for tag in main.find_all("form") if (tag.get("method") or "get").lower() == method
    ):
        action = urljoin(page_path, form.get("action") or page_path)
        parsed = urlparse(action)
        if parsed.netloc:
            continue  # sends elsewhere: not this site's form
        path = parsed.path + (f"?{parsed.query}" if parsed.query and method == "post" else "")
        forms.append(PageForm(action=path, fields=_fields(form), index=index))
    return forms


def _fields(form) -> list[FormField]:
    by_name: dict[str, FormField] = {}
    for tag in form.find_all(["input", "select", "textarea", "button"]):
        name = tag.get("name")
        if not name:
            continue
        if tag.name == "textarea":
            by_name[name] = FormField(name, "textarea", tag.string or "")
        elif tag.name == "select":
            option_tags = tag.find_all("option")
            options = [option.get("value", option.get_text()) for option in option_tags]
            selected = [option.get("value", option.get_text()) for option in option_tags if option.has_attr("selected")]
            if tag.has_attr("multiple"):
                by_name[name] = FormField(name, "select-multiple", selected, options)
            else:
                by_name[name] = FormField(name, "select", selected[0] if selected else "", options)
        elif tag.name == "button" or (tag.get("type") or "").lower() in {"submit", "image", "reset", "button"}:
            if (tag.get("type") or "submit").lower() == "submit":
                by_name.setdefault(name, FormField(name, "submit", tag.get("value", ""), keep=True))
        else:
            _add_input(by_name, name, tag)
    return list(by_name.values())


def _add_input(by_name: dict[str, FormField], name: str, tag) -> None:
    kind = (tag.get("type") or "text").lower()
    value = tag.get("value", "")
    if kind == "hidden" or name.endswith(MANAGEMENT_SUFFIXES) or name == "csrfmiddlewaretoken":
        by_name[name] = FormField(name, "hidden", value, keep=True)
    elif kind == "checkbox":
        value = tag.get("value", "on")
        existing = by_name.get(name)
        if existing is None:
            by_name[name] = FormField(name, "checkbox", value if tag.has_attr("checked") else "", [value])
        else:
            # A second checkbox with the same name: a group of choices.
            served = existing.value if isinstance(existing.value, list) else [existing.value]
            chosen = [item for item in served if item]
            if tag.has_attr("checked"):
                chosen.append(value)
            existing.kind, existing.value = "checkbox-group", chosen
            existing.options.append(value)
    elif kind == "radio":
        existing = by_name.setdefault(name, FormField(name, "radio", ""))
        existing.options.append(value)
        if tag.has_attr("checked"):
            existing.value = value
    else:
        by_name[name] = FormField(name, kind, value)


# --- Hostile values ---------------------------------------------------------------

_UNICODE_EDGES = [
    "\u202eevil\u202c",  # right-to-left override
    "\ufeffbom",  # byte-order mark
    "zero\u200bwidth\u200d",  # zero-width space and joiner
    "e\u0301" * 40,  # combining accents
    "👩‍👩‍👧‍👦🏳️‍🌈",  # emoji sequences (several code points each)
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",  # astral plane letters
    "１２３",  # full-width digits
    "٣٤٥",  # Arabic-Indic digits
    "Ω≈ç√∫",
    "ǅungla",
    "\u00a0\u2003\u3000",  # non-breaking and wide spaces only
    "İstanbul ß ﬁ",  # case folding oddities
]
_INJECTIONS = [
    SCRIPT_PAYLOAD,
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "' OR 1=1 --",
    "'; DROP TABLE stakeholders_user; --",
    "{{ 7*7 }}{% debug %}",
    "${jndi:ldap://x/a}",
    "../../../../etc/passwd",
    "%00%0d%0a",
    "=cmd|' /C calc'!A0",
    "a@b.com\r\nBcc: victim@example.com",
    "Subject\nInjected: header",
]
_NUMBERS = [
    "0",
    "-1",
    "-0",
    "1.5",
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "-inf",
    "0x10",
    "1_000",
    str(2**31),
    str(-(2**31) - 1),
    str(2**63),
    str(-(2**63) - 1),
    "9" * 40,
    "-" + "9" * 40,
    "0." + "0" * 60 + "1",
    "1" + "0" * 400,
    " 42 ",
]
_DATES = [
    "0000-00-00",
    "0001-01-01",
    "1899-12-31",
    "9999-12-31",
    "10000-01-01",
    "-0001-01-01",
    "2024-02-30",
    "2023-02-29",
    "2024-13-01",
    "2024-00-10",
    "31/12/2024",
    "12/31/99999",
    "today",
    "2024-01-01T25:61",
    "9999-12-31T23:59",
    "0001-01-01T00:00",
    "9999-12-31 23:59:59.999999",
    "24:00",
    "23:59:60",
    "-01:00",
]
_EMAILS = [
    "plainaddress",
    "@example.com",
    "a@",
    "a@b@c.com",
    "a..b@example.com",
    "a@example..com",
    "a" * 300 + "@example.com",
    "a@" + "b" * 300 + ".com",
    "a@-example.com",
    "用户@例子.广告",
    "a@[127.0.0.1]",
    'a"b(c)d,e:f;g<h>i[j\\k]l@example.com',
    "a@example.com\x00",
]
_URLS = [
    "http://",
    "http://" + "a" * 3000 + ".com",
    "http://[::1",
    "ftp://example.com",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example",
    "http://exa mple.com",
    "http://例子.测试",
    "https://example.com/" + "%" * 50,
]

_control_text = st.text(
    alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp", "Co"]), min_size=1, max_size=20
)
_long_text = st.builds(
    lambda piece, count: piece * count,
    st.sampled_from(["A", "ÿ", "😀", "<b>", "\x00", "9", " ", "\n"]),
    st.integers(min_value=1_000, max_value=20_000),
)
_any_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)  # never lone surrogates: not UTF-8
_with_nul = st.builds(lambda before, after: f"{before}\x00{after}", _any_text, _any_text)

SHORT = st.one_of(
    st.sampled_from(_UNICODE_EDGES + _INJECTIONS),
    _control_text,
    _with_nul,
    _any_text,
    st.sampled_from(_NUMBERS + _DATES),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.just(""),
)
GENERIC = st.one_of(SHORT, _long_text)

_BY_KIND = {
    "email": st.sampled_from(_EMAILS),
    "url": st.sampled_from(_URLS),
    "number": st.one_of(st.sampled_from(_NUMBERS), st.integers(min_value=-(10**30), max_value=10**30).map(str)),
    "range": st.sampled_from(_NUMBERS),
    "date": st.one_of(st.sampled_from(_DATES), st.dates().map(str)),
    "datetime-local": st.one_of(st.sampled_from(_DATES), st.datetimes().map(lambda value: value.isoformat())),
    "time": st.sampled_from(_DATES + ["12:00", "00:00", "99:99"]),
}


def _choices(form_field: FormField) -> st.SearchStrategy:
    valid = [option for option in form_field.options if option] or [""]
    invalid = st.one_of(SHORT, st.sampled_from(["-1", "0", str(2**63), "999999999", "true", "[]", "None"]))
    single = st.one_of(st.sampled_from(valid), invalid)
    return st.one_of(single, st.lists(single, min_size=2, max_size=40), _long_text)


def field_strategy(form_field: FormField) -> st.SearchStrategy:
    """Values for one field: served, hostile for its type, any hostile text, or many values."""
    if form_field.kind in {"select", "select-multiple", "checkbox-group", "radio", "checkbox"}:
        hostile = _choices(form_field)
    else:
        specific = _BY_KIND.get(form_field.kind)
        hostile = st.one_of(specific, GENERIC) if specific is not None else GENERIC
        hostile = st.one_of(hostile, st.lists(SHORT, min_size=2, max_size=40))
    served = st.just(form_field.value)
    omitted = st.just(None)
    return st.one_of(hostile, served, omitted)


def payload_strategy(form: PageForm) -> st.SearchStrategy:
    """A whole post: kept fields as served, every other field hostile, served or left out."""
    fuzzed = st.fixed_dictionaries({form_field.name: field_strategy(form_field) for form_field in form.fuzzable})
    kept = form.kept_data()

    def assemble(values: dict) -> dict:
        data = dict(kept)
        data.update({name: value for name, value in values.items() if value is not None})
        return data

    return fuzzed.map(assemble)


# One value per kind that is known to break careless code; posted for every
# field in turn, the rest of the form as served, before hypothesis takes over.
_WORST = {
    "number": str(2**63),
    "range": str(2**63),
    "date": "9999-12-31",
    "datetime-local": "9999-12-31T23:59",
    "time": "24:00",
    "email": "a" * 300 + "@example.com",
    "url": "http://" + "a" * 3000 + ".com",
}
_WORST_TEXT = "x\x00y" + "A" * 10_000
_WORST_CHOICE = str(2**63)


def explicit_payloads(form: PageForm) -> list[dict[str, str | list[str]]]:
    """For each field in turn: the form as served with that one field at its worst."""
    payloads = []
    for form_field in form.fuzzable:
        if form_field.kind in {"select", "select-multiple", "checkbox-group", "radio", "checkbox"}:
            worst = _WORST_CHOICE
        else:
            worst = _WORST.get(form_field.kind, _WORST_TEXT)
        payloads.append({**form.served_data(), form_field.name: worst})
    return payloads
