"""Two-step sign-in in tests: codes computed from a device's key, and a test client whose
``force_login`` passes the second step the way a real sign-in does.

Admins must use two-step sign-in, so every admin the factories make has a confirmed
authenticator app (``UserFactory(roles=["Admin"])``; ``two_step=False`` for one without).
``Client.force_login`` skips the password (as Django's does) and, when the user has an
app, marks the session verified with it, as ``django_otp.login`` does after a right code.
A user without an app gets a session that still owes the step: an admin without one is
sent to set it up, exactly as in production.
"""

from __future__ import annotations

import time

from django.test import Client as DjangoClient
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from stakeholders.middleware import TWO_STEP_SESSION_KEY


def authenticator_of(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def add_authenticator(user, key: str | None = None) -> TOTPDevice:
    """Give ``user`` a confirmed authenticator app (a new random key unless ``key`` is given)."""
    device = TOTPDevice(user=user, name="Authenticator app", confirmed=True)
    if key:
        device.key = key
    device.save()
    return device


def totp_code(key_hex: str, *, at: float | None = None, step: int = 30) -> str:
    """The code an authenticator app holding ``key_hex`` shows at time ``at`` (now)."""
    totp = TOTP(bytes.fromhex(key_hex), step=step)
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def next_code(device: TOTPDevice) -> str:
    """A code ``device`` will accept now: django-otp refuses a time step it has already
    accepted, so after a recent sign-in this is a later step's code, within the device's
    tolerance (waiting for the clock when even that was used)."""
    device.refresh_from_db()
    now = time.time()
    current_t = int((now - device.t0) // device.step)
    wanted_t = max(current_t, device.last_t + 1)
    if wanted_t > current_t + device.tolerance:  # a third sign-in within one 30-second step
        time.sleep(device.t0 + (wanted_t - device.tolerance) * device.step - now + 0.05)
    return totp_code(device.key, at=device.t0 + wanted_t * device.step + 1, step=device.step)


class Client(DjangoClient):
    def force_login(self, user, backend=None, *, second_step: bool = True):
        """Sign ``user`` in without a password; with ``second_step`` (the default) the session
        has also passed the second step with the user's own app, if they have one."""
        super().force_login(user, backend)
        device = authenticator_of(user) if second_step else None
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session[TWO_STEP_SESSION_KEY] = True
            session.save()
