"""Two-step sign-in: an authenticator app (TOTP) with recovery codes, through django-otp.

A user with two-step sign-in has one confirmed ``TOTPDevice`` (the app) and one
``StaticDevice`` holding their unused recovery codes; each code works once.
django-otp throttles wrong codes per device (it refuses any code for 1, 2, 4, 8 …
seconds after each consecutive failure, see ``OTP_TOTP_THROTTLE_FACTOR``), so
neither a new session nor a new address gets more guesses. Every refusal is in the
security log.

Which requests need the second step is decided in
``stakeholders.middleware.SecondStepMiddleware``; the views only call these.
"""

from __future__ import annotations

import math
import re
from base64 import b32encode
from binascii import unhexlify
from time import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import device_classes
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from ..models import User
from ..security_log import Action, security_event_record

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"
# What the authenticator shows: six digits. Recovery codes are eight letters and digits.
TOTP_CODE = re.compile(r"\d{6}")


def mfa_secret_new() -> str:
    """A new random secret for an authenticator app (hex, 20 bytes as RFC 4226 recommends)."""
    return random_hex(20)


def mfa_secret_for_humans(key: str) -> str:
    """The secret as authenticator apps ask for it when typed in: base32, in groups of four."""
    text = b32encode(unhexlify(key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def mfa_setup_url(*, user: User, key: str) -> str:
    """The ``otpauth://`` address a QR code carries for ``key`` (the device is not saved)."""
    return TOTPDevice(user=user, key=key).config_url


def mfa_is_enabled(user: User) -> bool:
    """Whether ``user`` has set up two-step sign-in."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def mfa_recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _normalize(token: str) -> str:
    return re.sub(r"[\s-]", "", str(token)).lower()


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_CODES_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _devices_delete(user: User) -> int:
    """Delete every OTP device of ``user`` (authenticator, recovery codes, unconfirmed ones)."""
    return sum(model.objects.filter(user=user).delete()[0] for model in device_classes())


def _wrong_code(locked_until=None) -> ValidationError:
    """The error for the form's ``code`` field: wrong, or refused for now by the throttle."""
    if locked_until is None:
        message = _("That code is not right. Check the code in your app, or wait for the next one, and try again.")
        return ValidationError({"code": ValidationError(message, code="wrong")})
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    if seconds < 120:
        message = ngettext(
            "Too many wrong codes. Wait %(count)s second, then try again.",
            "Too many wrong codes. Wait %(count)s seconds, then try again.",
            seconds,
        ) % {"count": seconds}
    else:
        minutes = math.ceil(seconds / 60)
        message = ngettext(
            "Too many wrong codes. Wait %(count)s minute, then try again.",
            "Too many wrong codes. Wait %(count)s minutes, then try again.",
            minutes,
        ) % {"count": minutes}
    return ValidationError({"code": ValidationError(message, code="throttled")})


def _check(user: User, device, token: str, *, method: str) -> ValidationError | None:
    """None when ``device`` accepts ``token``; otherwise the error to show, once the refusal is logged.

    The device row is locked while it checks, so two tries at once cannot both use one code,
    and django-otp's failure count (the throttle) is committed before the caller raises.
    """
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, info = device.verify_is_allowed()
        accepted = allowed and device.verify_token(token)
    if accepted:
        return None
    security_event_record(
        action=Action.MFA_FAILED,
        actor=user,
        obj=user,
        detail={"method": method, "throttled": not allowed, "failures": device.throttling_failure_count},
    )
    return _wrong_code(info["locked_until"] if not allowed else None)


def _totp_device(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise ValidationError({"code": ValidationError(_("You have not set up two-step sign-in."), code="off")})
    return device


def mfa_verify(*, user: User, token: str) -> TOTPDevice:
    """The second step of signing in: the six-digit code from ``user``'s authenticator app.

    Returns the device that accepted it (for ``django_otp.login``); raises ValidationError
    for a wrong code, or while django-otp's throttle refuses codes after repeated failures.
    A code is accepted once: django-otp refuses a code of the same time step again.
    """
    device = _totp_device(user)
    token = _normalize(token)
    if not TOTP_CODE.fullmatch(token):
        raise _wrong_code()  # not a code at all: the form says so before it gets here
    error = _check(user, device, token, method="authenticator")
    if error is not None:
        raise error
    return device


def mfa_recovery_use(*, user: User, code: str) -> tuple[StaticDevice, int]:
    """Sign in with one of ``user``'s recovery codes (the phone is lost): the code is spent.

    Returns the device that accepted it and how many codes are left; raises ValidationError
    for a wrong or spent code.
    """
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise ValidationError({"code": ValidationError(_("You have no recovery codes left."), code="none_left")})
    error = _check(user, device, _normalize(code), method="recovery code")
    if error is not None:
        raise error
    left = device.token_set.count()
    security_event_record(action=Action.MFA_RECOVERY_USED, actor=user, obj=user, detail={"codes_left": left})
    return device, left


def _verify_any(user: User, token: str) -> None:
    """Check a code a signed-in user types again to confirm a change: app code or recovery code."""
    if TOTP_CODE.fullmatch(_normalize(token)):
        mfa_verify(user=user, token=token)
    else:
        mfa_recovery_use(user=user, code=token)


def mfa_enrol_confirm(*, user: User, key: str, token: str) -> tuple[TOTPDevice, list[str]]:
    """Set up two-step sign-in with the authenticator app holding ``key``, once ``token``
    shows the app has it. Replaces any earlier app and recovery codes.

    Returns the new device and the ten new recovery codes (shown to the user once).
    """
    token = _normalize(token)
    totp = TOTP(unhexlify(key))
    totp.time = time()
    if not TOTP_CODE.fullmatch(token) or not totp.verify(int(token), tolerance=1):
        raise ValidationError(
            {"code": _("That code is not right. Check that the app shows Coalition and enter its current code.")},
            code="wrong",
        )
    with transaction.atomic():
        replaced = _devices_delete(user)
        device = TOTPDevice(user=user, name=AUTHENTICATOR_NAME, key=key, confirmed=True, last_t=totp.t())
        device.full_clean(exclude=["user"])
        device.save()
        codes = _new_recovery_codes(user)
        security_event_record(action=Action.MFA_ENROLLED, actor=user, obj=user, detail={"replaced": bool(replaced)})
    return device, codes


def mfa_recovery_codes_regenerate(*, user: User, token: str) -> list[str]:
    """Ten new recovery codes for ``user`` (the old ones stop working), once ``token``
    (a code from their app, or a recovery code) confirms it is them."""
    _verify_any(user, token)
    with transaction.atomic():
        _totp_device(user)
        codes = _new_recovery_codes(user)
        security_event_record(action=Action.MFA_CODES_REGENERATED, actor=user, obj=user)
    return codes


def mfa_device_remove(*, user: User, token: str) -> None:
    """Turn off ``user``'s own two-step sign-in, once ``token`` (a code from their app, or a
    recovery code) confirms it is them. Admins are then asked to set it up again."""
    _verify_any(user, token)
    with transaction.atomic():
        _devices_delete(user)
        security_event_record(action=Action.MFA_REMOVED, actor=user, obj=user)


def mfa_reset(*, user: User, by: User | None) -> bool:
    """An admin (``by``) turns off ``user``'s two-step sign-in, e.g. after a lost phone with no
    recovery codes left. ``user`` sets it up again at their next sign-in (admins must).
    ``by`` is None from the command line (``manage.py two_step_reset``), for the last admin.

    Returns whether there was anything to reset.
    """
    with transaction.atomic():
        removed = _devices_delete(user)
        if removed:
            detail = {} if by is not None else {"by": "manage.py two_step_reset"}
            security_event_record(action=Action.MFA_RESET, actor=by, obj=user, detail=detail)
    return bool(removed)


def mfa_authenticator_add(*, user: User, key: str) -> TOTPDevice:
    """Give ``user`` a confirmed authenticator app with a known secret ``key`` (hex), without
    recovery codes: for demo data, whose secret is published for local use."""
    with transaction.atomic():
        device = TOTPDevice(user=user, name=AUTHENTICATOR_NAME, key=key, confirmed=True)
        device.full_clean(exclude=["user"])
        device.save()
        security_event_record(action=Action.MFA_ENROLLED, actor=user, obj=user, detail={"seeded": True})
    return device


def mfa_devices_remove_all(*, user: User) -> int:
    """Delete every device of ``user`` without logging (the caller logs why: deactivation)."""
    return _devices_delete(user)
