"""The row helpers every list page uses: one reverse() per page gives each row's link."""

from django.urls import reverse

from stakeholders.rows import choice_labels, person_name, pk_url, user_name


def test_pk_url_gives_what_reverse_gives_for_every_id():
    """With and without leading arguments, the formatted URL equals reverse()'s."""
    person_url = pk_url("stakeholders:person_detail")
    ally_url = pk_url("coalition:ally_detail", 7)
    for pk in (1, 42, 987654321):
        assert person_url(pk) == reverse("stakeholders:person_detail", args=[pk])
        assert ally_url(pk) == reverse("coalition:ally_detail", args=[7, pk])


def test_names_and_labels_read_as_the_models_show_them():
    """Preferred name first, a user's full name else username, and choice labels as text."""
    assert person_name("Robert", "Bob", "Okafor") == "Bob Okafor"
    assert person_name("Ada", "", "Lovelace") == "Ada Lovelace"
    assert user_name("", "", "staff") == "staff"
    assert user_name(None, None, None) == ""
    assert choice_labels([("a", "Alpha")]) == {"a": "Alpha"}
