"""Two-step sign-in over HTTP: required for admins, optional for everyone else; the step, the
recovery code, setting up, recovery codes, turning it off and an admin's reset."""

from __future__ import annotations

import base64
import datetime
import re
from urllib.parse import quote

import pytest
from django.test import Client as PlainClient
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from stakeholders.models import SecurityEvent
from stakeholders.services import mfa
from tests.stakeholders.factories import PASSWORD, UserFactory
from tests.two_step import Client as SecondStepClient
from tests.two_step import add_authenticator, authenticator_of, next_code, totp_code

pytestmark = pytest.mark.django_db

Action = SecurityEvent.Action
NOW = datetime.datetime(2026, 12, 4, 15, 0, 0, tzinfo=datetime.UTC)
VERIFY = reverse("stakeholders:mfa_verify")
ENROL = reverse("stakeholders:mfa_enrol")


def _sign_in_with_password(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return response


def _key_from_page(html: str) -> str:
    secret = re.search(r'data-testid="mfa-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    return base64.b32decode(secret + "=" * (-len(secret) % 8)).hex()


# --- Admins must use it -------------------------------------------------------------


def test_an_admin_without_two_step_sign_in_is_sent_to_set_it_up_before_anything_else(client, time_machine):
    """After the password, every page but setting it up, signing out and health sends an admin
    without an app to set one up, keeping the page asked for."""
    time_machine.move_to(NOW, tick=False)
    admin = UserFactory(roles=["Admin"], two_step=False)
    _sign_in_with_password(client, admin)

    for url in (reverse("home"), reverse("stakeholders:user_list"), reverse("stakeholders:profile"), "/backoffice/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == f"{ENROL}?next={quote(url, safe='/')}"
    assert client.get(reverse("healthz")).status_code == 200
    assert client.post(reverse("stakeholders:user_create"), {}).url == ENROL  # no next for a POST

    page = client.get(ENROL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Admins must use two-step sign-in" in html
    assert '<svg role="img"' in html and "<title>QR code to scan with your authenticator app</title>" in html
    assert 'data-testid="main-nav"' not in html  # nothing to wander off to
    assert page.context["second_step_owed"] is True


def test_an_admin_sets_it_up_and_sees_the_recovery_codes_once(client, time_machine):
    """The code from the secret on the page turns it on; ten codes are shown once, then every page opens."""
    time_machine.move_to(NOW, tick=False)
    admin = UserFactory(roles=["Admin"], two_step=False)
    _sign_in_with_password(client, admin)
    key = _key_from_page(client.get(f"{ENROL}?next=/users/").content.decode())

    wrong = client.post(f"{ENROL}?next=/users/", {"code": f"{(int(totp_code(key)) + 1) % 10**6:06d}"})
    assert wrong.status_code == 200 and "That code is not right" in wrong.content.decode()
    assert _key_from_page(wrong.content.decode()) == key  # the same secret until it is confirmed

    response = client.post(f"{ENROL}?next=/users/", {"code": totp_code(key)})
    assert response.status_code == 302
    assert response.url == f"{reverse('stakeholders:mfa_codes')}?next=/users/"
    codes_page = client.get(response.url)
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page.content.decode())
    assert len(codes) == 10
    assert 'href="/users/"' in codes_page.content.decode()
    assert not re.findall(r"<li><code>", client.get(response.url).content.decode())  # shown once
    assert client.get(reverse("stakeholders:user_list")).status_code == 200
    assert authenticator_of(admin).key == key
    assert SecurityEvent.objects.filter(action=Action.MFA_ENROLLED, actor=admin).exists()


def test_an_admin_with_an_app_enters_a_code_before_any_page(client, time_machine):
    """The step comes after the password; a wrong code is refused and logged; the right one opens
    the page first asked for."""
    time_machine.move_to(NOW, tick=False)
    admin = UserFactory(roles=["Admin"])
    _sign_in_with_password(client, admin)

    response = client.get(reverse("stakeholders:user_list"))
    assert response.url == f"{VERIFY}?next=/users/"
    assert client.get(ENROL).url == f"{VERIFY}?next={quote(ENROL, safe='/')}"  # a password alone replaces nothing
    assert client.get(reverse("stakeholders:mfa_codes")).url.startswith(VERIFY)
    assert client.get(reverse("stakeholders:mfa_remove")).url.startswith(VERIFY)

    device = authenticator_of(admin)
    wrong = client.post(f"{VERIFY}?next=/users/", {"code": f"{(int(totp_code(device.key)) + 1) % 10**6:06d}"})
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    assert SecurityEvent.objects.filter(action=Action.MFA_FAILED, actor=admin).count() == 1
    shape = client.post(VERIFY, {"code": "12ab"})
    assert "Enter the 6 digits" in shape.content.decode()

    time_machine.shift(2)  # the wrong code holds the next try back for a second
    response = client.post(f"{VERIFY}?next=/users/", {"code": totp_code(device.key)})
    assert response.status_code == 302 and response.url == "/users/"
    assert client.get(reverse("stakeholders:user_list")).status_code == 200
    assert client.get(VERIFY).url == reverse("home")  # nothing owed any more


def test_the_step_never_redirects_off_site(client, time_machine):
    """A next address on another host is dropped for the home page."""
    time_machine.move_to(NOW, tick=False)
    admin = UserFactory(roles=["Admin"])
    _sign_in_with_password(client, admin)
    response = client.post(f"{VERIFY}?next=https://evil.example/", {"code": totp_code(authenticator_of(admin).key)})
    assert response.url == reverse("home")


def test_signing_out_and_the_language_switch_work_before_the_step(client):
    """Someone who cannot pass the step can still sign out, and read the step in Spanish."""
    admin = UserFactory(roles=["Admin"])
    _sign_in_with_password(client, admin)
    assert client.post(reverse("stakeholders:language_set"), {"language": "es", "next": VERIFY}).url == VERIFY
    assert client.get(VERIFY).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).url.startswith(reverse("login"))


def test_an_htmx_request_before_the_step_sends_the_whole_page_there(client):
    """A fragment request gets HX-Redirect, so the step is never drawn inside a page part."""
    admin = UserFactory(roles=["Admin"])
    _sign_in_with_password(client, admin)
    response = client.get(reverse("engagements:followup_count"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(VERIFY)


def test_a_session_signed_in_without_the_step_gets_nothing_but_the_step():
    """What the permission matrix relies on: force_login alone (a password, in effect) leaves an
    admin's session owing the step; the matrix's admin passes it (tests/two_step.py)."""
    admin = UserFactory(roles=["Admin"])
    plain = PlainClient()
    plain.force_login(admin)
    assert plain.get(reverse("stakeholders:user_list")).url == f"{VERIFY}?next=/users/"

    helper_signed_in = SecondStepClient()
    helper_signed_in.force_login(admin)
    assert helper_signed_in.get(reverse("stakeholders:user_list")).status_code == 200
    helper_signed_in.force_login(UserFactory(roles=["Admin"], two_step=False))
    assert helper_signed_in.get(reverse("home")).url.startswith(ENROL)  # no app, no pass


# --- Everyone else may use it ----------------------------------------------------------


def test_staff_without_two_step_sign_in_sign_in_with_the_password_alone(client):
    """Optional for others: no step, and the profile offers to set it up."""
    staff = UserFactory(roles=["Staff"])
    _sign_in_with_password(client, staff)
    assert client.get(reverse("home")).status_code == 200
    profile = client.get(reverse("stakeholders:profile")).content.decode()
    assert "Two-step sign-in" in profile and f'href="{ENROL}"' in profile


def test_staff_who_set_it_up_enter_a_code_at_each_sign_in(client, time_machine):
    """From the profile: set up; at the next sign-in the step is asked for."""
    time_machine.move_to(NOW, tick=False)
    staff = UserFactory(roles=["Staff"])
    _sign_in_with_password(client, staff)
    key = _key_from_page(client.get(ENROL).content.decode())
    client.post(ENROL, {"code": totp_code(key)})
    assert "unused recovery codes" in client.get(reverse("stakeholders:profile")).content.decode()
    client.post(reverse("logout"))

    time_machine.shift(60)
    _sign_in_with_password(client, staff)
    assert client.get(reverse("home")).url == f"{VERIFY}?next=/"
    assert client.post(f"{VERIFY}?next=/", {"code": totp_code(key)}).url == "/"
    assert client.get(reverse("home")).status_code == 200


def test_a_recovery_code_signs_in_without_the_phone_and_offers_a_new_app(client, time_machine):
    """The lost-phone path: a recovery code passes the step once; the profile then offers to
    set up a new authenticator app; the spent code does not work again."""
    time_machine.move_to(NOW, tick=False)
    staff = UserFactory(roles=["Staff"])
    key = mfa.mfa_secret_new()
    _device, codes = mfa.mfa_enrol_confirm(user=staff, key=key, token=totp_code(key))
    _sign_in_with_password(client, staff)

    step = client.get(f"{VERIFY}?next=/").content.decode()
    assert f'href="{reverse("stakeholders:mfa_recovery")}?next=/"' in step
    response = client.post(reverse("stakeholders:mfa_recovery"), {"code": codes[0]})
    assert response.url == reverse("stakeholders:profile")
    profile = client.get(response.url).content.decode()
    assert "You signed in with a recovery code. You have 9 codes left." in profile
    assert "set up a new authenticator app now" in profile
    assert client.get(ENROL).status_code == 200  # passed the step: may replace the app
    assert SecurityEvent.objects.filter(action=Action.MFA_RECOVERY_USED, actor=staff).exists()

    client.post(reverse("logout"))
    _sign_in_with_password(client, staff)
    spent = client.post(reverse("stakeholders:mfa_recovery"), {"code": codes[0]})
    assert spent.status_code == 200 and "That code is not right" in spent.content.decode()


def test_new_recovery_codes_after_a_code(client, time_machine):
    """The codes page says how many are left and makes ten new ones after a code from the app."""
    time_machine.move_to(NOW, tick=False)
    staff = UserFactory(roles=["Staff"])
    key = mfa.mfa_secret_new()
    device, _codes = mfa.mfa_enrol_confirm(user=staff, key=key, token=totp_code(key))
    client.force_login(staff)
    page = client.get(reverse("stakeholders:mfa_codes")).content.decode()
    assert "You have 10 unused recovery codes." in page

    time_machine.shift(60)
    response = client.post(reverse("stakeholders:mfa_codes"), {"code": totp_code(key)})
    assert response.status_code == 302
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", client.get(response.url).content.decode())
    assert len(codes) == 10
    assert SecurityEvent.objects.filter(action=Action.MFA_CODES_REGENERATED, actor=staff).exists()


def test_a_user_turns_it_off_with_a_code_and_an_admin_must_set_it_up_again(client, time_machine):
    """Turning off takes a code; staff then sign in with the password alone, an admin is sent to set up."""
    time_machine.move_to(NOW, tick=False)
    admin = UserFactory(roles=["Admin"])
    client.force_login(admin)
    device = authenticator_of(admin)

    refused = client.post(reverse("stakeholders:mfa_remove"), {"code": "abcdefgh"})
    assert refused.status_code == 200 and TOTPDevice.objects.filter(user=admin).exists()

    time_machine.shift(60)
    response = client.post(reverse("stakeholders:mfa_remove"), {"code": next_code(device)})
    assert response.url == reverse("stakeholders:profile")
    assert not TOTPDevice.objects.filter(user=admin).exists()
    assert client.get(reverse("stakeholders:profile")).url.startswith(ENROL)
    assert SecurityEvent.objects.filter(action=Action.MFA_REMOVED, actor=admin).exists()


# --- An admin's reset --------------------------------------------------------------------


def test_an_admin_resets_another_users_two_step_sign_in_from_the_user_page(client, admin_user):
    """The user page shows it on with a reset button; the reset is logged with the admin's name."""
    staff = UserFactory(roles=["Staff"], two_step=True)
    client.force_login(admin_user)
    edit = reverse("stakeholders:user_edit", args=[staff.pk])
    page = client.get(edit).content.decode()
    reset_url = reverse("stakeholders:user_mfa_reset", args=[staff.pk])
    assert f'action="{reset_url}"' in page

    response = client.post(reset_url)

    assert response.url == edit
    assert not mfa.mfa_is_enabled(staff)
    event = SecurityEvent.objects.get(action=Action.MFA_RESET)
    assert event.actor == admin_user and event.object_id == str(staff.pk)
    assert f'action="{reset_url}"' not in client.get(edit).content.decode()


def test_an_admins_own_user_page_points_to_the_profile(client, admin_user):
    """Their own user page sends them to the profile instead of offering a reset."""
    client.force_login(admin_user)
    page = client.get(reverse("stakeholders:user_edit", args=[admin_user.pk])).content.decode()
    assert "You manage your own on your profile page." in page
    assert reverse("stakeholders:user_mfa_reset", args=[admin_user.pk]) not in page


@pytest.mark.parametrize("role", ["Staff", "Coordinator", "Liaison"])
def test_only_admins_reset_two_step_sign_in(client, role):
    """Everyone else gets 403 and nothing changes."""
    target = UserFactory(roles=["Staff"], two_step=True)
    client.force_login(UserFactory(roles=[role]))
    assert client.post(reverse("stakeholders:user_mfa_reset", args=[target.pk])).status_code == 403
    assert mfa.mfa_is_enabled(target)


def test_a_reset_admin_sets_it_up_again_at_the_next_request(client, admin_user):
    """A reset ends the verified state: an admin signed in elsewhere is sent to set up a new app."""
    client.force_login(admin_user)
    other_admin = UserFactory(roles=["Admin"])
    mfa.mfa_reset(user=admin_user, by=other_admin)
    # The session remembers an app: the step finds none and sends the admin on to set one up.
    chain = client.get(reverse("home"), follow=True).redirect_chain
    assert [url for url, _status in chain] == [f"{VERIFY}?next=/", "/", f"{ENROL}?next=/"]


def test_the_security_log_names_the_new_entries(client, admin_user):
    """The log page shows two-step sign-in events in words."""
    staff = UserFactory(roles=["Staff"])
    add_authenticator(staff)
    mfa.mfa_reset(user=staff, by=admin_user)
    client.force_login(admin_user)
    assert "Reset a user&#x27;s two-step sign-in" in client.get(reverse("stakeholders:security_log")).content.decode()
