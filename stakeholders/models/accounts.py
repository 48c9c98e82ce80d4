from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ..roles import Role


class TimeStampedModel(models.Model):
    """Shared base: when a row was created and last changed."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class User(AbstractUser):
    """A person who signs in. Roles are the groups the user belongs to."""

    email = models.EmailField(_("email address"), blank=True)
    # Blank: pages follow the browser's Accept-Language (or the language switch);
    # emails, which have no browser to ask, use the site's default language.
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language of pages and emails. Leave empty to follow your browser."),
    )

    class Meta(AbstractUser.Meta):
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_unique_ci",
                violation_error_message=_("Another user already has this email address."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:user_edit", args=[self.pk])

    @cached_property
    def role_names(self) -> frozenset[str]:
        """The names of the roles (groups) this user holds."""
        if not self.is_authenticated or not self.pk:
            return frozenset()
        return frozenset(group.name for group in self.groups.all())

    def has_role(self, *roles: Role | str) -> bool:
        return any(str(role) in self.role_names for role in roles)

    @property
    def email_language(self) -> str:
        """The language to write this user's emails in: their own choice, else the site's."""
        return self.language or settings.LANGUAGE_CODE


class UserSession(AbstractBaseSession):
    """A database session that remembers whose it is, so that all of a
    user's sessions can be ended at once (see ``user_deactivate``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sessions",
    )

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls):
        from ..sessions import SessionStore

        return SessionStore
