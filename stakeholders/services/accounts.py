"""Writes for the stakeholders app. Every path (views, admin, commands, tasks)
calls these, so each behaves the same way."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .. import events
from ..models import User, UserSession
from ..roles import Role
from ..security_log import Action, security_event_record
from .mfa import mfa_devices_remove_all
from .tokens import api_tokens_revoke_all


def _set_roles(user: User, roles: Iterable[Role | str]) -> None:
    user.groups.set(Group.objects.filter(name__in=[str(role) for role in roles]))
    user.__dict__.pop("role_names", None)


def user_create(
    *,
    username: str,
    email: str,
    first_name: str = "",
    last_name: str = "",
    roles: Iterable[Role | str] = (),
    password: str | None = None,
    send_invitation: bool = True,
    language: str = "",
) -> User:
    """Create a user with the given roles.

    Without a password the account has an unusable one and, when
    ``send_invitation`` is set, the user is emailed a link to choose one once the
    row is committed, in the user's ``language`` (blank: the site's).
    """
    with transaction.atomic():
        user = User(username=username, email=email, first_name=first_name, last_name=last_name, language=language)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        _set_roles(user, roles)
        if send_invitation and not password and email:
            transaction.on_commit(lambda: _send_set_password_email(user))
    return user


def _send_set_password_email(user: User) -> None:
    # Django's PasswordResetForm skips users without a usable password, which is
    # exactly what a new account has; so build the same one-time link here.
    protocol, domain = settings.SITE_URL.split("://", 1)
    context = {
        "user": user,
        "protocol": protocol,
        "domain": domain,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    with translation.override(user.email_language):
        subject = "".join(render_to_string("registration/invitation_subject.txt", context).splitlines())
        body = render_to_string("registration/invitation_email.txt", context)
    send_mail(subject, body, None, [user.email])


def user_update(
    *,
    user: User,
    email: str,
    first_name: str,
    last_name: str,
    roles: Iterable[Role | str],
    is_active: bool,
    by: User | None = None,
    language: str | None = None,
) -> User:
    """Change a user's details and roles (and language, when given). Deactivating ends all their sessions."""
    with transaction.atomic():
        was_active = user.is_active
        user.email = email
        user.first_name = first_name
        user.last_name = last_name
        if language is not None:
            user.language = language
        user.full_clean(exclude=["password"])
        user.save(update_fields=["email", "first_name", "last_name", "language"])
        _set_roles(user, roles)
        if was_active and not is_active:
            user_deactivate(user=user, by=by)
        elif is_active and not was_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
    return user


def user_language_set(*, user: User, language: str) -> User:
    """Set the language ``user`` reads pages and emails in ("" follows the browser)."""
    if language not in {"", *(code for code, _name in settings.LANGUAGES)}:
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


def user_deactivate(*, user: User, by: User | None = None) -> int:
    """Deactivate ``user``, end every one of their sessions at once, delete their
    two-step sign-in devices and revoke their API tokens; ``by`` (the admin) is written
    to the security log.

    Returns how many sessions were ended.
    """
    with transaction.atomic():
        security_event_record(action=Action.USER_DEACTIVATED, actor=by, obj=user)
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        ended, _ = UserSession.objects.filter(user=user).delete()
        mfa_devices_remove_all(user=user)
        api_tokens_revoke_all(user=user)  # they stop anyway (an inactive user's token fails); this says so
        transaction.on_commit(lambda: events.user_deactivated.send(sender=User, user=user))
    return ended
