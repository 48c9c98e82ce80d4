"""Which language a page is in: the user's profile, else the switch's cookie, else the browser."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from stakeholders.models import User
from stakeholders.services.accounts import user_language_set
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


def _lang(response) -> str:
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


def test_the_browser_language_chooses_the_page_language(client):
    """With nothing chosen, Accept-Language decides: a Spanish browser gets the sign-in page in Spanish."""
    # given no profile and no cookie
    # when
    spanish = client.get(reverse("login"), headers={"accept-language": "es-MX,es;q=0.9,en;q=0.5"})
    english = client.get(reverse("login"), headers={"accept-language": "en-US,en;q=0.9"})
    # then
    assert _lang(spanish) == "es" and spanish["Content-Language"] == "es"
    assert "Iniciar sesión" in spanish.content.decode()
    assert _lang(english) == "en" and "Sign in" in english.content.decode()


def test_the_profile_setting_beats_the_browser(client):
    """A user who chose Spanish reads Spanish from an English browser, and back."""
    user = UserFactory(roles=["Staff"], language="es")
    client.force_login(user)
    response = client.get(reverse("home"), headers={"accept-language": "en"})
    assert _lang(response) == "es"
    assert "Inicio" in response.content.decode()
    user_language_set(user=user, language="en")
    response = client.get(reverse("home"), headers={"accept-language": "es"})
    assert _lang(response) == "en"


def test_following_the_browser_is_the_default(client):
    """A user with no language set follows their browser."""
    client.force_login(UserFactory(roles=["Staff"]))
    assert _lang(client.get(reverse("home"), headers={"accept-language": "es"})) == "es"
    assert _lang(client.get(reverse("home"), headers={"accept-language": "en"})) == "en"


def test_the_profile_page_saves_the_language_and_answers_in_it(client):
    """Choosing Spanish on the profile page saves it and confirms in Spanish."""
    user = UserFactory(roles=["Liaison"])
    client.force_login(user)
    page = client.get(reverse("stakeholders:profile"))
    assert 'name="language"' in page.content.decode()
    response = client.post(reverse("stakeholders:profile"), {"language": "es"}, follow=True)
    user.refresh_from_db()
    assert user.language == "es"
    assert _lang(response) == "es"
    assert "Se guardaron sus preferencias" in response.content.decode()


def test_the_profile_page_refuses_an_unknown_language(client):
    """A language not offered is a field error, and nothing changes."""
    user = UserFactory(roles=["Staff"], language="en")
    client.force_login(user)
    response = client.post(reverse("stakeholders:profile"), {"language": "klingon"})
    assert response.status_code == 200
    assert 'id="error_1_id_language"' in response.content.decode() or "is-invalid" in response.content.decode()
    user.refresh_from_db()
    assert user.language == "en"


def test_the_switch_keeps_the_page_and_remembers_the_choice(client):
    """Anyone (no sign-in) switches to Spanish and lands on the same page, now in Spanish."""
    page = reverse("password_reset") + "?from=switch"
    response = client.post(reverse("stakeholders:language_set"), {"language": "es", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    again = client.get(page, headers={"accept-language": "en"})
    assert _lang(again) == "es"


def test_the_switch_saves_a_signed_in_users_choice(client):
    """For a signed-in user the switch becomes their profile setting (so emails follow)."""
    user = UserFactory(roles=["Coordinator"])
    client.force_login(user)
    client.post(reverse("stakeholders:language_set"), {"language": "es", "next": reverse("home")})
    user.refresh_from_db()
    assert user.language == "es"


def test_the_switch_refuses_other_sites_and_unknown_languages(client):
    """An outside `next` goes home instead; an unknown language is a 400 that sets nothing."""
    response = client.post(reverse("stakeholders:language_set"), {"language": "es", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    refused = client.post(reverse("stakeholders:language_set"), {"language": "xx", "next": "/"})
    assert refused.status_code == 400
    assert settings.LANGUAGE_COOKIE_NAME not in refused.cookies


def test_every_page_offers_the_switch_with_each_language_named_in_itself(client):
    """The switch names each language in that language, with its lang attribute."""
    body = client.get(reverse("login")).content.decode()
    assert 'data-testid="language-switch"' in body
    assert 'lang="es"' in body and "Español" in body
    assert 'lang="en"' in body and "English" in body


def test_an_admin_sets_a_new_users_language(client, admin_user, mailoutbox, django_capture_on_commit_callbacks):
    """The admin's user form has the language; the invitation goes out in it."""
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("stakeholders:user_create"),
            {
                "username": "lucia",
                "email": "lucia@example.org",
                "language": "es",
                "roles": ["Liaison"],
                "is_active": "on",
            },
        )
    user = User.objects.get(username="lucia")
    assert user.language == "es"
    assert len(mailoutbox) == 1
    assert "contraseña" in mailoutbox[0].body


def test_roles_and_language_names_follow_the_page_language(client):
    """A Spanish page names roles and languages in Spanish: "Coordinador", "vietnamita"."""
    from stakeholders.models import Language
    from tests.engagements.factories import EngagementFactory

    user = UserFactory(roles=["Coordinator"], language="es")
    engagement = EngagementFactory(title="Sesión en Harbor Point")
    engagement.languages.set(Language.objects.filter(code__in=["vi", "es"]))
    client.force_login(user)
    home = client.get(reverse("home")).content.decode()
    assert ">Coordinador</span>" in home
    listing = client.get(reverse("engagements:list")).content.decode()
    assert "español, vietnamita" in listing
