"""Admins manage user accounts and roles; nobody else can."""

import pytest
from django.core import mail
from django.urls import reverse

from stakeholders.models import User, UserSession
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["Staff", "Coordinator", "Liaison"])
def test_non_admins_cannot_reach_user_management(client, role):
    """Staff, coordinators and liaisons get 403 on every user-management page."""
    target = UserFactory()
    client.force_login(UserFactory(roles=[role]))
    for url in (
        reverse("stakeholders:user_list"),
        reverse("stakeholders:user_create"),
        reverse("stakeholders:user_edit", args=[target.pk]),
    ):
        assert client.get(url).status_code == 403
        # The list answers only GET (405); the forms refuse the role (403).
        assert client.post(url, {"username": "x", "email": "x@x.example"}).status_code in (403, 405)
    assert not User.objects.filter(username="x").exists()


def test_admin_creates_a_user_who_is_invited_by_email(client, admin_user, django_capture_on_commit_callbacks):
    """A new user gets the chosen roles and an email with a link to set a password."""
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("stakeholders:user_create"),
            {
                "username": "newbie",
                "first_name": "New",
                "last_name": "Person",
                "email": "new@city.example",
                "roles": ["Staff", "Coordinator"],
                "is_active": "on",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert user.role_names == {"Staff", "Coordinator"}
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_bad_input_keeps_what_was_typed_and_names_the_problem(client, admin_user):
    """A duplicate email re-shows the form with every value kept and the error tied to the field."""
    UserFactory(email="taken@city.example")
    client.force_login(admin_user)
    response = client.post(
        reverse("stakeholders:user_create"),
        {
            "username": "fresh",
            "first_name": "Keep",
            "last_name": "Me",
            "email": "TAKEN@city.example",
            "roles": ["Staff"],
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Another user already has this email address." in content
    assert 'value="Keep"' in content and 'value="fresh"' in content
    assert 'href="#id_email"' in content  # the error summary links to the field
    assert 'aria-describedby="id_email_helptext id_email_error"' in content  # the error is tied to the field
    assert 'id="id_email_error"' in content
    assert not User.objects.filter(username="fresh").exists()


def test_admin_deactivating_a_user_ends_their_sessions(client, admin_user):
    """Clearing 'Active' on the edit page signs the user out everywhere."""
    target = UserFactory(roles=["Staff"])
    from django.test import Client

    device = Client()
    device.force_login(target)
    assert UserSession.objects.filter(user=target).exists()
    client.force_login(admin_user)
    response = client.post(
        reverse("stakeholders:user_edit", args=[target.pk]),
        {"first_name": target.first_name, "last_name": target.last_name, "email": target.email, "roles": ["Staff"]},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_active is False
    assert not UserSession.objects.filter(user=target).exists()
    assert device.get(reverse("home")).status_code == 302


def test_admin_cannot_deactivate_themselves(client, admin_user):
    """An admin cannot lock themselves out by accident."""
    client.force_login(admin_user)
    response = client.post(
        reverse("stakeholders:user_edit", args=[admin_user.pk]),
        {"first_name": "A", "last_name": "B", "email": admin_user.email, "roles": ["Admin"]},
    )
    assert response.status_code == 200
    assert "You cannot deactivate your own account" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active


@pytest.mark.parametrize("rows", [1, 50])
def test_user_list_runs_a_fixed_number_of_queries(client, admin_user, django_assert_max_num_queries, rows):
    """The user list costs the same queries for 1 or 50 users: session, user, the admin's authenticator
    app (django-otp checks the one the session passed the second step with), count, the page with roles."""
    UserFactory.create_batch(rows, roles=["Staff"])
    client.force_login(admin_user)
    client.get(reverse("stakeholders:user_list"))  # the first request after signing in may save the session
    with django_assert_max_num_queries(5):
        response = client.get(reverse("stakeholders:user_list"))
    assert response.status_code == 200


def test_user_list_rows_show_roles_and_link_to_the_edit_page(client, admin_user):
    """Each row names the account, links to its edit page (for those who may edit) and lists its roles by name."""
    account = UserFactory(first_name="Ines", last_name="Roldan", roles=["Staff", "Coordinator"])
    client.force_login(admin_user)
    content = client.get(reverse("stakeholders:user_list"), {"q": "Roldan"}).content.decode()
    link = f'<a href="{reverse("stakeholders:user_edit", args=[account.pk])}">Ines Roldan</a>'
    row = content[content.index(link) :]
    row = row[: row.index("</tr>")]
    assert row.index(">Coordinator<") < row.index(">Staff<")


def test_user_list_filters_by_role_and_search(client, admin_user):
    """Search and role filter narrow the list; htmx gets only the results fragment."""
    UserFactory(username="maria", first_name="Maria", roles=["Liaison"])
    UserFactory(username="bob", first_name="Bob", roles=["Staff"])
    client.force_login(admin_user)
    response = client.get(reverse("stakeholders:user_list"), {"role": "Liaison"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "maria" in content and "bob" not in content
    assert "<html" not in content
    response = client.get(reverse("stakeholders:user_list"), {"q": "bob"})
    assert "bob" in response.content.decode() and "maria" not in response.content.decode()
