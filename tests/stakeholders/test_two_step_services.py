"""Two-step sign-in services: setting up an app, codes, recovery codes, throttling, removal,
an admin's reset and deactivation."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from benchmarks import harness
from stakeholders.demo import DEMO_TOTP_KEY, DEMO_TOTP_SECRET, seed_users
from stakeholders.models import SecurityEvent
from stakeholders.services import accounts, mfa
from tests.stakeholders.factories import UserFactory
from tests.two_step import add_authenticator, next_code, totp_code

pytestmark = pytest.mark.django_db

Action = SecurityEvent.Action
NOW = datetime.datetime(2026, 12, 4, 15, 0, 0, tzinfo=datetime.UTC)


def _events(action, user=None):
    events = SecurityEvent.objects.filter(action=action)
    return events.filter(object_id=str(user.pk)) if user is not None else events


def _enrolled(user):
    """``user`` with an app and recovery codes, as the setup page leaves them."""
    key = mfa.mfa_secret_new()
    device, codes = mfa.mfa_enrol_confirm(user=user, key=key, token=totp_code(key))
    return device, codes


def test_confirming_the_first_code_turns_two_step_sign_in_on_with_ten_recovery_codes(time_machine):
    """The app's current code confirms the secret: one confirmed app, ten single-use codes, logged."""
    time_machine.move_to(NOW, tick=False)
    user = UserFactory(roles=["Staff"])
    key = mfa.mfa_secret_new()

    device, codes = mfa.mfa_enrol_confirm(user=user, key=key, token=totp_code(key))

    assert device.confirmed and device.key == key and device.user == user
    assert mfa.mfa_is_enabled(user)
    assert len(codes) == mfa.RECOVERY_CODE_COUNT == len(set(codes))
    assert sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == sorted(codes)
    assert _events(Action.MFA_ENROLLED, user).get().actor == user


def test_a_wrong_code_sets_nothing_up(time_machine):
    """A code the secret does not give (or not six digits) is refused and nothing is stored."""
    time_machine.move_to(NOW, tick=False)
    user = UserFactory(roles=["Staff"])
    key = mfa.mfa_secret_new()
    other_key = mfa.mfa_secret_new()

    for token in (totp_code(other_key), "12345", "abcdef"):
        with pytest.raises(ValidationError) as error:
            mfa.mfa_enrol_confirm(user=user, key=key, token=token)
        assert "code" in error.value.message_dict

    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert not _events(Action.MFA_ENROLLED).exists()


def test_a_new_app_replaces_the_old_one_and_its_recovery_codes(time_machine):
    """Setting up again (a new phone): the old secret and the old codes stop working."""
    time_machine.move_to(NOW, tick=False)
    user = UserFactory(roles=["Staff"])
    old_device, old_codes = _enrolled(user)
    new_device, new_codes = _enrolled(user)

    assert list(TOTPDevice.objects.filter(user=user)) == [new_device]
    assert not set(old_codes) & set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert _events(Action.MFA_ENROLLED, user).count() == 2


def test_the_second_step_accepts_the_current_code_once(time_machine):
    """The app's code signs in; the same code cannot be used a second time (replay)."""
    time_machine.move_to(NOW, tick=False)
    user = UserFactory(roles=["Staff"])
    device, _codes = _enrolled(user)
    time_machine.shift(60)
    code = totp_code(device.key)

    assert mfa.mfa_verify(user=user, token=code) == device
    with pytest.raises(ValidationError):
        mfa.mfa_verify(user=user, token=code)


def test_a_wrong_code_is_refused_and_logged():
    """A wrong code raises on the form's code field, counts toward the throttle and is in the security log."""
    user = UserFactory(roles=["Staff"])
    device = add_authenticator(user)
    wrong = f"{(int(next_code(device)) + 1) % 1_000_000:06d}"

    with pytest.raises(ValidationError) as error:
        mfa.mfa_verify(user=user, token=wrong)

    assert error.value.message_dict["code"]
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    event = _events(Action.MFA_FAILED, user).get()
    assert event.actor == user
    assert event.detail == {"method": "authenticator", "throttled": False, "failures": 1}


def test_repeated_wrong_codes_lock_the_step_for_longer_each_time(time_machine):
    """django-otp's throttle: after n wrong codes in a row any code, even the right one, is refused
    for 2**(n-1) seconds (whatever the session or address), without counting as another failure;
    then the right code works and clears the count."""
    time_machine.move_to(NOW, tick=False)
    user = UserFactory(roles=["Staff"])
    device = add_authenticator(user)

    def wrong():
        return f"{(int(totp_code(device.key)) + 1) % 1_000_000:06d}"

    for failures in range(1, 6):
        with pytest.raises(ValidationError) as error:
            mfa.mfa_verify(user=user, token=wrong())
        assert error.value.error_dict["code"][0].code == "wrong"
        device.refresh_from_db()
        assert device.throttling_failure_count == failures
        time_machine.shift(2 ** (failures - 1) - 0.5)
        with pytest.raises(ValidationError) as error:
            mfa.mfa_verify(user=user, token=totp_code(device.key))
        assert error.value.error_dict["code"][0].code == "throttled"
        assert "Too many wrong codes" in error.value.message_dict["code"][0]
        time_machine.shift(0.5)

    assert _events(Action.MFA_FAILED, user).filter(detail__throttled=True).count() == 5
    assert mfa.mfa_verify(user=user, token=totp_code(device.key)) == device
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_recovery_code_signs_in_once(time_machine):
    """A recovery code passes the step and is spent: the second use is refused; the log says so."""
    time_machine.move_to(NOW, tick=False)
    user = UserFactory(roles=["Staff"])
    _device, codes = _enrolled(user)

    static_device, left = mfa.mfa_recovery_use(user=user, code=codes[0].upper())

    assert isinstance(static_device, StaticDevice) and left == 9
    assert mfa.mfa_recovery_codes_left(user) == 9
    with pytest.raises(ValidationError):
        mfa.mfa_recovery_use(user=user, code=codes[0])
    assert _events(Action.MFA_RECOVERY_USED, user).get().detail == {"codes_left": 9}
    assert _events(Action.MFA_FAILED, user).get().detail["method"] == "recovery code"


def test_new_recovery_codes_replace_the_old_ones(time_machine):
    """After a code from the app, ten new codes; the old ones no longer work."""
    time_machine.move_to(NOW, tick=False)
    user = UserFactory(roles=["Staff"])
    device, old_codes = _enrolled(user)
    time_machine.shift(60)

    new_codes = mfa.mfa_recovery_codes_regenerate(user=user, token=totp_code(device.key))

    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    with pytest.raises(ValidationError):
        mfa.mfa_recovery_use(user=user, code=old_codes[1])
    time_machine.shift(1)  # the refused old code holds the next try back for a second
    assert mfa.mfa_recovery_use(user=user, code=new_codes[1])[1] == 9
    assert _events(Action.MFA_CODES_REGENERATED, user).count() == 1


def test_a_user_turns_off_their_own_two_step_sign_in_with_a_code(time_machine):
    """A wrong code changes nothing; a right one deletes the app and the codes, logged as theirs."""
    time_machine.move_to(NOW, tick=False)
    user = UserFactory(roles=["Staff"])
    device, _codes = _enrolled(user)
    time_machine.shift(60)

    with pytest.raises(ValidationError):
        mfa.mfa_device_remove(user=user, token="000000" if totp_code(device.key) != "000000" else "111111")
    assert mfa.mfa_is_enabled(user)

    time_machine.shift(60)
    mfa.mfa_device_remove(user=user, token=totp_code(device.key))

    assert not mfa.mfa_is_enabled(user)
    assert not StaticDevice.objects.filter(user=user).exists()
    assert _events(Action.MFA_REMOVED, user).get().actor == user


def test_an_admin_resets_another_users_two_step_sign_in():
    """The reset deletes every device and the log names the admin who did it."""
    admin = UserFactory(roles=["Admin"])
    user = UserFactory(roles=["Staff"], two_step=True)

    assert mfa.mfa_reset(user=user, by=admin) is True

    assert not mfa.mfa_is_enabled(user)
    event = _events(Action.MFA_RESET, user).get()
    assert event.actor == admin and event.object_type == "stakeholders.user"
    assert mfa.mfa_reset(user=user, by=admin) is False  # nothing left to reset: not logged again
    assert _events(Action.MFA_RESET, user).count() == 1


def test_deactivating_a_user_removes_their_devices(time_machine):
    """A deactivated user's app and recovery codes are deleted with the deactivation."""
    time_machine.move_to(NOW, tick=False)
    admin = UserFactory(roles=["Admin"])
    user = UserFactory(roles=["Staff"])
    _enrolled(user)

    accounts.user_deactivate(user=user, by=admin)

    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert mfa.mfa_is_enabled(admin)  # only theirs


def test_deactivating_through_the_user_form_removes_devices_too():
    """user_update with is_active cleared goes through the same deactivation."""
    admin = UserFactory(roles=["Admin"])
    other_admin = UserFactory(roles=["Admin"])

    accounts.user_update(
        user=other_admin,
        email=other_admin.email,
        first_name="",
        last_name="",
        roles=["Admin"],
        is_active=False,
        by=admin,
    )

    assert not TOTPDevice.objects.filter(user=other_admin).exists()


def test_the_secret_is_shown_as_authenticator_apps_take_it():
    """Base32 in groups of four; the QR code carries the same secret with the issuer."""
    key = b"coalition-demo-admin".hex()
    user = UserFactory(username="ada")

    assert mfa.mfa_secret_for_humans(key) == "MNXW C3DJ ORUW 63RN MRSW 23ZN MFSG 22LO"
    url = mfa.mfa_setup_url(user=user, key=key)
    assert url.startswith("otpauth://totp/Coalition%3Aada?secret=MNXWC3DJORUW63RNMRSW23ZNMFSG22LO")
    assert "issuer=Coalition" in url


def test_the_command_line_resets_the_last_admins_two_step_sign_in():
    """`manage.py two_step_reset USER` for when no other admin can; the log says it came from there."""
    admin = UserFactory(username="only-admin", roles=["Admin"])
    out = StringIO()

    call_command("two_step_reset", "only-admin", stdout=out)

    assert "is reset" in out.getvalue()
    assert not mfa.mfa_is_enabled(admin)
    event = _events(Action.MFA_RESET, admin).get()
    assert event.actor is None and event.detail == {"by": "manage.py two_step_reset"}
    with pytest.raises(CommandError):
        call_command("two_step_reset", "nobody")


def test_the_demo_admins_share_the_published_secret():
    """`make run` must not stop the demo admins at setting up: they have the README's secret;
    the benchmark harness signs in with the same one."""
    users = {user.username: user for user in seed_users()}

    for username in ("admin", "admin2"):
        device = TOTPDevice.objects.get(user=users[username])
        assert device.confirmed and device.key == DEMO_TOTP_KEY
    assert not TOTPDevice.objects.filter(user__username__in=["staff", "coordinator", "liaison"]).exists()
    assert mfa.mfa_secret_for_humans(DEMO_TOTP_KEY) == DEMO_TOTP_SECRET
    assert DEMO_TOTP_SECRET.replace(" ", "") == harness.DEMO_TOTP_SECRET
    seed_users()  # again: nothing new
    assert TOTPDevice.objects.filter(user__username="admin").count() == 1
