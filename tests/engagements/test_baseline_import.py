"""The census baseline import: a CSV shaped like an ACS table, checked line by line,
previewed, then saved all or nothing by an admin."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from engagements.models import BaselineRow, BreakdownOption, CensusBaseline
from engagements.services.baseline import MAX_FILE_BYTES, MAX_ROWS, baseline_import, baseline_parse
from stakeholders import importing
from tests.stakeholders.factories import NeighborhoodFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD = (
    "geography,category,population\n"
    'City,Language: Spanish,"12,400"\n'
    "whole city,age band: 18-24,9870\n"
    "District 3,Language: Spanish,2210\n"
    "Eastside,Language: Vietnamese,830\n"
)


@pytest.fixture(autouse=True)
def _city(tmp_path, monkeypatch):
    """Two neighborhoods in two districts; previewed files wait in a folder of this test's own."""
    monkeypatch.setattr(importing, "UPLOAD_DIR", tmp_path / "imports")
    NeighborhoodFactory(name="Eastside", council_district="District 3")
    NeighborhoodFactory(name="Riverside", council_district="District 1")


def _file(text: str | bytes, name: str = "acs.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text, content_type="text/csv")


def _counts() -> tuple[int, int]:
    return CensusBaseline.objects.count(), BaselineRow.objects.count()


def _messages(parse) -> list[str]:
    return [problem.message for problem in parse.problems]


# --- parsing ----------------------------------------------------------------------------


def test_a_good_file_parses_into_rows_of_each_kind_of_geography():
    """City words, a council district and a neighborhood are recognised, case and dashes aside;
    a quoted population may have thousands separators."""
    parse = baseline_parse(file=_file(GOOD))
    assert parse.ok, _messages(parse)
    rows = [(r.line, r.geography_kind, r.geography, r.category_label, r.population) for r in parse.rows]
    assert rows == [
        (2, "city", "", "Language: Spanish", 12400),
        (3, "city", "", "Age band: 18–24", 9870),
        (4, "council_district", "District 3", "Language: Spanish", 2210),
        (5, "neighborhood", "Eastside", "Language: Vietnamese", 830),
    ]
    assert parse.rows[3].neighborhood_id is not None
    assert parse.by_category() == [{"category": "Language", "rows": 3}, {"category": "Age band", "rows": 1}]


def test_a_bom_semicolons_and_spaced_headers_are_accepted():
    """Spreadsheets save a byte-order mark and, in some locales, semicolons."""
    text = "\ufeff Geography ; CATEGORY ;Population\nRiverside;Language: Spanish;40\n"
    parse = baseline_parse(file=_file(text))
    assert parse.ok, _messages(parse)
    assert parse.rows[0].geography == "Riverside"


def test_a_name_that_is_a_neighborhood_and_a_district_is_the_neighborhood():
    NeighborhoodFactory(name="District 1", council_district="District 9")
    parse = baseline_parse(file=_file("geography,category,population\ndistrict 1,Language: Spanish,5\n"))
    assert parse.rows[0].geography_kind == "neighborhood"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("geo,cat,pop\nCity,Language: Spanish,5\n", "Line 1, header: found the columns “geo, cat, pop”"),
        ("geography,category\nCity,Language: Spanish\n", "Line 1, header"),
        ("geography,category,population\nCity,Language: Spanish,-3\n", "Line 2, population: “-3” is not a whole"),
        ("geography,category,population\n\nCity,Language: Spanish,many\n", "Line 3, population: “many” is not"),
        ("geography,category,population\nCity,Language: Spanish,4.5\n", "Line 2, population: “4.5”"),
        ("geography,category,population\nCity,Language: Spanish,\n", "Line 2, population: empty"),
        ("geography,category,population\nCity,Language: Spanish,99999999999\n", "Line 2, population: “99999999999”"),
        ("geography,category,population\nWestside,Language: Spanish,5\n", "Line 2, geography: “Westside” is not"),
        ("geography,category,population\nDistrict 7,Language: Spanish,5\n", "Line 2, geography: “District 7”"),
        ("geography,category,population\n,Language: Spanish,5\n", "Line 2, geography: empty"),
        ("geography,category,population\nCity,Religion: None,5\n", "Line 2, category: There is no category “Religion”"),
        ("geography,category,population\nCity,Language: Klingon,5\n", "Line 2, category: “Language” has no option"),
        ("geography,category,population\nCity,Spanish,5\n", "Line 2, category: “Spanish” should name a category"),
        ("geography,category,population\nCity,Language: Spanish,12,400\n", "Line 2: found 4 values where 3"),
        ("", "The file is empty."),
        ("\n\n", "The file is empty."),
        ("geography,category,population\n", "no data rows"),
    ],
    ids=[
        "wrong headers",
        "missing column",
        "negative",
        "not a number",
        "fraction",
        "empty population",
        "too big",
        "unknown neighborhood",
        "unknown district",
        "empty geography",
        "unknown category",
        "unknown option",
        "no colon",
        "unquoted thousands",
        "empty file",
        "blank lines only",
        "header only",
    ],
)
def test_each_bad_input_is_named_by_line_and_column_and_nothing_parses(text, expected):
    """One clear message per problem; a file with any problem yields no rows."""
    parse = baseline_parse(file=_file(text))
    assert not parse.ok
    assert parse.rows == []
    assert any(message.startswith(expected) or expected in message for message in _messages(parse)), _messages(parse)


def test_an_unknown_geography_lists_the_known_ones():
    parse = baseline_parse(file=_file("geography,category,population\nWestside,Language: Spanish,5\n"))
    [message] = _messages(parse)
    assert "City, District 1, District 3, Eastside, Riverside" in message


def test_wrong_headers_say_what_is_expected():
    parse = baseline_parse(file=_file("area,group,people\nCity,Language: Spanish,5\n"))
    [message] = _messages(parse)
    assert "found the columns “area, group, people”" in message
    assert "expected exactly “geography, category, population”" in message


def test_a_duplicate_row_names_both_lines():
    """The same geography and category twice (however it is spelled) is refused, naming both lines."""
    text = (
        "geography,category,population\n"
        "City,Language: Spanish,5\n"
        "Riverside,Language: Spanish,3\n"
        "Citywide,language: SPANISH,6\n"
    )
    parse = baseline_parse(file=_file(text))
    [message] = _messages(parse)
    assert message.startswith("Line 4, geography and category:")
    assert "also on line 2" in message
    assert parse.rows == []


def test_every_bad_row_is_reported_not_only_the_first():
    text = "geography,category,population\nCity,Language: Spanish,-1\nWestside,Language: Spanish,2\nCity,Nope: x,y\n"
    parse = baseline_parse(file=_file(text))
    lines = [(problem.line, problem.column) for problem in parse.problems]
    assert lines == [(2, "population"), (3, "geography"), (4, "category"), (4, "population")]


def test_a_file_that_is_not_utf8_is_refused_naming_the_line():
    content = "geography,category,population\nCity,Language: Español,5\n".encode("latin-1")
    parse = baseline_parse(file=_file(content))
    [message] = _messages(parse)
    assert message.startswith("Line 2: the file is not UTF-8 text.")


def test_a_nul_character_is_refused():
    parse = baseline_parse(file=_file("geography,category,population\nCity\x00,Language: Spanish,5\n"))
    assert _messages(parse)[0].startswith("Line 2: the file holds a NUL character")


class _HugeFile(io.BytesIO):
    """Says it is 50 MB and fails if anyone reads it."""

    size = 50 * 1024 * 1024
    name = "huge.csv"

    def read(self, *args):
        raise AssertionError("a file over the limit was read")


def test_a_file_over_the_limit_is_refused_before_it_is_read():
    parse = baseline_parse(file=_HugeFile())
    [message] = _messages(parse)
    assert "The file is 50.0\xa0MB; the largest file accepted is 2.0\xa0MB." in message


def test_a_file_that_misstates_its_size_is_still_cut_at_the_limit():
    upload = _file(b"x" * (MAX_FILE_BYTES + 10))
    upload.size = 10
    parse = baseline_parse(file=upload)
    assert "the largest file accepted is 2.0\xa0MB" in _messages(parse)[0]


def test_more_rows_than_the_cap_are_refused():
    """Rows past the cap are refused, said first, with the line where the cap was passed."""
    lines = [f"Riverside,Language: Spanish,{n}" for n in range(MAX_ROWS + 1)]
    parse = baseline_parse(file=_file("geography,category,population\n" + "\n".join(lines)))
    assert _messages(parse)[0].startswith(f"Line {MAX_ROWS + 2}: the file has more than 20,000 data rows.")
    assert parse.rows == []


def test_problems_are_capped_with_a_count_of_the_rest():
    text = "geography,category,population\n" + "City,Language: Spanish,bad\n" * 80
    parse = baseline_parse(file=_file(text))
    assert len(parse.problems) == 50
    assert parse.problem_count == 80
    assert parse.more_problems == 30


# --- importing --------------------------------------------------------------------------


def test_an_import_saves_every_row_and_becomes_the_baseline_in_use(admin_user):
    parse = baseline_parse(file=_file(GOOD))
    baseline = baseline_import(actor=admin_user, name="ACS 2023", file_name="acs.csv", rows=parse.rows)
    assert baseline.is_current and baseline.imported_by == admin_user and baseline.source_file == "acs.csv"
    saved = set(baseline.rows.values_list("geography_kind", "geography", "population"))
    assert saved == {
        ("city", "", 12400),
        ("city", "", 9870),
        ("council_district", "District 3", 2210),
        ("neighborhood", "Eastside", 830),
    }


def test_a_second_import_replaces_the_one_in_use_and_keeps_the_first(admin_user):
    first = baseline_import(
        actor=admin_user, name="2022", file_name="a.csv", rows=baseline_parse(file=_file(GOOD)).rows
    )
    second = baseline_import(
        actor=admin_user, name="2023", file_name="b.csv", rows=baseline_parse(file=_file(GOOD)).rows
    )
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert list(CensusBaseline.objects.filter(is_current=True)) == [second]
    assert first.rows.count() == second.rows.count() == 4


def test_an_import_without_a_name_or_rows_writes_nothing(admin_user):
    rows = baseline_parse(file=_file(GOOD)).rows
    with pytest.raises(ValidationError, match="name"):
        baseline_import(actor=admin_user, name="  ", file_name="a.csv", rows=rows)
    with pytest.raises(ValidationError):
        baseline_import(actor=admin_user, name="Empty", file_name="a.csv", rows=[])
    with pytest.raises(ValidationError):
        baseline_import(actor=admin_user, name="Twice", file_name="a.csv", rows=[*rows, rows[0]])
    assert _counts() == (0, 0)


def test_an_import_whose_option_was_deleted_meanwhile_writes_nothing(admin_user):
    rows = baseline_parse(file=_file(GOOD)).rows
    BreakdownOption.objects.filter(label="Vietnamese").delete()
    with pytest.raises(ValidationError, match="deleted meanwhile"):
        baseline_import(actor=admin_user, name="Late", file_name="a.csv", rows=rows)
    assert _counts() == (0, 0)


# --- the pages --------------------------------------------------------------------------

URL = "/equity/baseline/"
CONFIRM_URL = "/equity/baseline/confirm/"


def test_the_urls_are_where_the_issue_says():
    assert reverse("equity:baseline") == URL and reverse("equity:baseline_confirm") == CONFIRM_URL


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in (URL, CONFIRM_URL):
        response = client.post(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get(URL)["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["Staff", "Coordinator", "Liaison"])
def test_only_admins_may_import(client, role):
    client.force_login(UserFactory(roles=[role]))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"name": "X", "file": _file(GOOD)}).status_code == 403
    assert client.post(CONFIRM_URL).status_code == 403
    assert _counts() == (0, 0)


def test_an_admin_sees_the_form_and_the_format(client, admin_user):
    client.force_login(admin_user)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "No baseline has been imported yet" in html
    assert "geography,category,population" in html
    assert 'enctype="multipart/form-data"' in html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("geo,cat,pop\nCity,Language: Spanish,5\n", "Line 1, header"),
        (
            "geography,category,population\nCity,Language: Spanish,-3\n",
            "Line 2, population: “-3” is not a whole number of 0 or more.",
        ),
        ("geography,category,population\nAtlantis,Language: Spanish,3\n", "Line 2, geography: “Atlantis”"),
        ("geography,category,population\nCity,Language: Spanish,3\nCity,Language: Spanish,4\n", "also on line 2"),
        ("", "The file is empty."),
    ],
    ids=["headers", "negative", "unknown geography", "duplicate", "empty"],
)
def test_a_bad_file_is_shown_with_its_problems_on_the_file_field_and_nothing_is_saved(
    client, admin_user, text, expected
):
    client.force_login(admin_user)
    response = client.post(URL, {"name": "ACS", "file": _file(text)})
    assert response.status_code == 422
    form = response.context["form"]
    assert any(expected in error for error in form.errors["file"]), form.errors
    html = response.content.decode()
    assert "data-error-summary" in html
    assert 'aria-describedby="' in html and "error_1_id_file" in html
    assert _counts() == (0, 0)
    assert "equity-baseline-preview" not in client.session


def test_a_50_mb_upload_is_refused_with_a_clear_message(client, admin_user):
    """Django keeps an upload this large in a temporary file; the page refuses it by its size."""
    client.force_login(admin_user)
    huge = _file(b"geography,category,population\n" + b"x" * (50 * 1024 * 1024))
    response = client.post(URL, {"name": "Huge", "file": huge})
    assert response.status_code == 422
    [error] = response.context["form"].errors["file"]
    assert "The file is 50.0\xa0MB; the largest file accepted is 2.0\xa0MB." in error
    assert _counts() == (0, 0)


def test_a_post_without_a_file_asks_for_one(client, admin_user):
    client.force_login(admin_user)
    response = client.post(URL, {"name": "ACS"})
    assert response.status_code == 422
    assert response.context["form"].errors["file"]


def test_preview_then_confirm_imports_the_previewed_file(client, admin_user):
    # given a previewed file
    client.force_login(admin_user)
    preview = client.post(URL, {"name": "ACS 2023 5-year", "file": _file(GOOD, "b16001.csv")})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Nothing has been saved yet." in html and "Import 4 rows" in html
    assert _counts() == (0, 0)
    digest = preview.context["parse"].digest
    # when it is confirmed
    response = client.post(CONFIRM_URL, {"digest": digest}, follow=True)
    # then it is the baseline in use, shown on the page
    baseline = CensusBaseline.objects.get()
    assert (baseline.name, baseline.source_file, baseline.imported_by, baseline.rows.count()) == (
        "ACS 2023 5-year",
        "b16001.csv",
        admin_user,
        4,
    )
    page = response.content.decode()
    assert "imported with 4 rows" in page
    assert "ACS 2023 5-year" in page and "12,400" in page and "District 3" in page


def test_confirming_twice_imports_once(client, admin_user):
    client.force_login(admin_user)
    digest = client.post(URL, {"name": "ACS", "file": _file(GOOD)}).context["parse"].digest
    assert client.post(CONFIRM_URL, {"digest": digest}).status_code == 302
    again = client.post(CONFIRM_URL, {"digest": digest}, follow=True)
    assert "already been imported" in again.content.decode()
    assert _counts() == (1, 4)


def test_confirming_a_preview_that_a_newer_upload_replaced_imports_nothing(client, admin_user):
    client.force_login(admin_user)
    old = client.post(URL, {"name": "Old", "file": _file(GOOD)}).context["parse"].digest
    client.post(URL, {"name": "New", "file": _file(GOOD.replace("830", "831"))})
    response = client.post(CONFIRM_URL, {"digest": old}, follow=True)
    assert "A newer file was uploaded" in response.content.decode()
    assert _counts() == (0, 0)


def test_confirming_with_nothing_previewed_says_so(client, admin_user):
    client.force_login(admin_user)
    response = client.post(CONFIRM_URL, follow=True)
    assert "There is nothing to import" in response.content.decode()
    assert client.get(CONFIRM_URL).status_code == 405


def test_the_confirmation_checks_the_file_again(client, admin_user):
    """A neighborhood renamed between preview and confirmation: the file is refused, nothing saved."""
    client.force_login(admin_user)
    digest = client.post(URL, {"name": "ACS", "file": _file(GOOD)}).context["parse"].digest
    from stakeholders.models import Neighborhood

    Neighborhood.objects.filter(name="Eastside").update(name="East Side")
    response = client.post(CONFIRM_URL, {"digest": digest})
    assert response.status_code == 422
    assert any("Line 5, geography: “Eastside”" in error for error in response.context["form"].errors["file"])
    assert _counts() == (0, 0)


def test_the_page_shows_the_baseline_in_use_a_page_of_rows_at_a_time(client, admin_user, django_assert_max_num_queries):
    rows = "\n".join(f"Riverside,Age band: {label},{n}" for n, label in enumerate(["Under 18", "18–24"]))
    baseline_import(actor=admin_user, name="ACS", file_name="a.csv", rows=baseline_parse(file=_file(GOOD + rows)).rows)
    client.force_login(admin_user)
    with django_assert_max_num_queries(20):
        response = client.get(URL)
    html = response.content.decode()
    assert "6" in html and "Riverside" in html and "Whole city" in html
    assert html.index("Whole city") < html.index("District 3") < html.index("Eastside") < html.index("Riverside")
