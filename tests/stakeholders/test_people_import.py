"""CSV import of people and organizations: preview, plain-words errors, matching, all or nothing, speed."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stakeholders import importing
from stakeholders.models import Organization, Person
from tests.stakeholders.factories import NeighborhoodFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db

PEOPLE_HEADER = "first_name,last_name,email,phone,preferred_language,languages,neighborhood,tags,may_contact,may_share"


def _upload(client, kind, text, name="import.csv"):
    return client.post(
        reverse("stakeholders:import_upload", args=[kind]),
        {"file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")},
    )


def test_preview_says_new_update_or_error_per_row_and_writes_nothing(client, admin_user):
    """The preview marks each row new, update (matched by email ignoring case) or error in plain words;
    nothing is saved."""
    NeighborhoodFactory(name="Riverside")
    existing = PersonFactory(email="known@example.org", first_name="Old")
    text = "\n".join(
        [
            PEOPLE_HEADER,
            "Ana,Ruiz,ana@example.org,,es,es;en,Riverside,youth,yes,no",
            "Known,Person,KNOWN@example.org,555,,,,,,",
            ",NoFirst,nofirst@example.org,,,,,,,",
            "Bad,Email,not-an-email,,,,,,,",
            "Bad,Language,bl@example.org,,klingon,,,,,",
            "Bad,Place,bp@example.org,,,,Atlantis,,maybe,",
            "Dup,Row,ana@example.org,,,,,,,",
        ]
    )
    client.force_login(admin_user)
    response = _upload(client, "people", text)
    assert response.status_code == 302
    response = client.get(response["Location"])
    preview = response.context["preview"]
    actions = [(row.line, row.action) for row in preview.rows]
    assert actions == [(2, "new"), (3, "update"), (4, "error"), (5, "error"), (6, "error"), (7, "error"), (8, "error")]
    assert preview.rows[1].existing_pk == existing.pk
    content = response.content.decode()
    assert "“first_name” is empty; every row needs one." in content
    assert "“not-an-email” is not a valid email address." in content
    assert "“klingon” is not a language we know." in content
    assert "There is no neighborhood called “Atlantis”." in content
    assert "“may_contact” should be yes or no, not “maybe”." in content
    assert "This email is also on line 2." in content
    assert Person.objects.count() == 1
    # confirming a file with problems writes nothing
    client.post(reverse("stakeholders:import_preview", args=["people"]))
    assert Person.objects.count() == 1
    existing.refresh_from_db()
    assert existing.first_name == "Old"


def test_confirm_creates_and_updates_in_one_go(client, admin_user):
    """Confirming adds new people, updates matched ones (empty cells keep the recorded value) and links
    languages, neighborhoods and tags."""
    riverside = NeighborhoodFactory(name="Riverside")
    existing = PersonFactory(email="known@example.org", first_name="Old", phone="111")
    text = "\n".join(
        [
            PEOPLE_HEADER,
            "Ana,Ruiz,ana@example.org,,Spanish,es;en,riverside,Youth;Housing,yes,no",
            "New,Name,Known@Example.org,,,vi,,,,",
        ]
    )
    client.force_login(admin_user)
    _upload(client, "people", text)
    response = client.post(reverse("stakeholders:import_preview", args=["people"]))
    assert response.status_code == 302
    ana = Person.objects.get(email="ana@example.org")
    assert ana.neighborhood == riverside and ana.may_contact and not ana.may_share
    assert ana.preferred_language_id == "es"
    assert set(ana.languages.values_list("code", flat=True)) == {"es", "en"}
    assert set(ana.tags.values_list("name", flat=True)) == {"Youth", "Housing"}
    assert ana.created_by == admin_user
    existing.refresh_from_db()
    assert existing.first_name == "New" and existing.phone == "111"
    assert list(existing.languages.values_list("code", flat=True)) == ["vi"]
    assert Person.objects.count() == 2
    # the stored file is gone: the preview asks for a new upload
    assert client.get(reverse("stakeholders:import_preview", args=["people"])).status_code == 302


def test_confirm_is_all_or_nothing(admin_user, monkeypatch):
    """When writing fails halfway, nothing of the file is kept."""
    text = PEOPLE_HEADER + "\nA,One,a1@example.org,,,,,,,\nB,Two,b2@example.org,,,,,,,\n"

    def fail_after_create(self, preview, actor):
        Person.objects.create(first_name="Half")
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing.PeopleImporter, "apply", fail_after_create)
    with pytest.raises(RuntimeError):
        importing.import_confirm(kind="people", content=text.encode(), actor=admin_user)
    assert Person.objects.count() == 0


def test_unknown_or_missing_columns_are_explained(client, admin_user):
    """A file without the required column, or with unknown columns, is explained and cannot be imported."""
    client.force_login(admin_user)
    _upload(client, "people", "last_name,email\nRuiz,a@example.org\n")
    response = client.get(reverse("stakeholders:import_preview", args=["people"]))
    assert "The header row has no “first_name” column." in response.content.decode()
    assert not response.context["preview"].can_import
    _upload(client, "people", "first_name,shoe_size\nAna,7\n")
    response = client.get(reverse("stakeholders:import_preview", args=["people"]))
    assert "These columns are not known: shoe_size." in response.content.decode()


def test_non_utf8_file_is_refused_at_the_field(client, admin_user):
    """A file that is not UTF-8 is refused with advice on how to save it."""
    client.force_login(admin_user)
    response = client.post(
        reverse("stakeholders:import_upload", args=["people"]),
        {"file": SimpleUploadedFile("x.csv", "first_name\nJosé\n".encode("latin-1"))},
    )
    assert response.status_code == 200
    assert "CSV UTF-8" in response.content.decode()


@pytest.mark.parametrize("role", ["Staff", "Coordinator", "Liaison"])
def test_only_admins_import(client, role):
    """Import pages are for admins only."""
    from tests.stakeholders.factories import UserFactory

    client.force_login(UserFactory(roles=[role]))
    for kind in ("people", "organizations"):
        assert client.get(reverse("stakeholders:import_upload", args=[kind])).status_code == 403
        assert client.post(reverse("stakeholders:import_preview", args=[kind])).status_code == 403


def test_organizations_import_matches_by_name(client, admin_user):
    """Organizations are matched by name ignoring case; sectors and neighborhoods are checked."""
    NeighborhoodFactory(name="Riverside")
    existing = OrganizationFactory(name="Unity Church", kind="faith")
    text = "\n".join(
        [
            "name,sector,partner,neighborhoods,languages,tags,website",
            "unity church,faith,yes,Riverside,es,,https://unity.example",
            "Riverton Makers,Business,no,,,makers,",
            "Broken,spaceship,,,,,",
        ]
    )
    client.force_login(admin_user)
    _upload(client, "organizations", text)
    preview = client.get(reverse("stakeholders:import_preview", args=["organizations"])).context["preview"]
    assert [row.action for row in preview.rows] == ["update", "new", "error"]
    assert "“spaceship” is not a sector." in preview.rows[2].errors[0]
    fixed = text.replace("Broken,spaceship", "Fixed,media")
    _upload(client, "organizations", fixed)
    client.post(reverse("stakeholders:import_preview", args=["organizations"]))
    existing.refresh_from_db()
    assert existing.is_partner and existing.website == "https://unity.example"
    assert list(existing.neighborhoods.values_list("name", flat=True)) == ["Riverside"]
    assert Organization.objects.get(name="Riverton Makers").kind == "business"
    assert Organization.objects.count() == 3


def test_five_thousand_people_import_in_under_thirty_seconds(admin_user):
    """A 5,000-row file (half new, half updates) is previewed and imported in under 30 seconds."""
    NeighborhoodFactory(name="Riverside")
    Person.objects.bulk_create(
        [Person(first_name=f"Existing{n}", email=f"person{n}@bulk.example") for n in range(0, 5000, 2)]
    )
    lines = [PEOPLE_HEADER]
    for n in range(5000):
        lines.append(f"First{n},Last{n},person{n}@bulk.example,555-{n:04d},es,es;en,Riverside,bulk;t{n % 20},yes,no")
    content = "\n".join(lines).encode()

    started = time.perf_counter()
    preview = importing.import_preview("people", content)
    assert preview.can_import and preview.new_count == 2500 and preview.update_count == 2500
    result = importing.import_confirm(kind="people", content=content, actor=admin_user)
    elapsed = time.perf_counter() - started

    print(f"\n5,000-row people import (preview + confirm): {elapsed:.2f} s")
    assert result == {"created": 2500, "updated": 2500}
    assert Person.objects.count() == 5000
    assert Person.objects.get(email="person4998@bulk.example").first_name == "First4998"
    assert Person.languages.through.objects.count() == 10000
    assert elapsed < 30
