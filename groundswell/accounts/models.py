from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class AccountManager(UserManager["User"]):
    """Organizer accounts sign in with their email address."""

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        email = self.normalize_email(email).lower()
        user = self.model(email=email, username=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """An organizer or operator. Supporters are people (groundswell.people), not users."""

    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    # Raised by "log out everywhere": every session signed with an older value ends.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[AccountManager] = AccountManager()

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        self.username = self.email
        super().save(*args, **kwargs)

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django signs each session with a hash of the password; we add the generation so
        # that raising it ends every session. Generation 0 keeps Django's own hash.
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]
        return salted_hmac(
            "groundswell.accounts.User.session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class TwoFactor(models.Model):
    """An account's authenticator app (TOTP), switched on once a code from it was typed."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="two_factor")
    # The shared secret, encrypted with a key derived from SECRET_KEY (accounts.sealing).
    sealed_secret = models.CharField(max_length=255)
    # The newest 30-second step whose code was accepted: no code at or before it works again.
    last_step = models.BigIntegerField(default=0)
    enabled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("two-factor authentication")
        verbose_name_plural = _("two-factor authentication")

    def __str__(self) -> str:
        return str(self.user)


class RecoveryCode(models.Model):
    """A single-use code for when the phone is lost; only a salted hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    salt = models.CharField(max_length=32)
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"recovery code of {self.user}"


class AttemptKind(models.TextChoices):
    LOGIN = "login", _("Failed login")  # a wrong password
    CODE = "code", _("Wrong two-factor code")
    RESET = "reset", _("Password reset request")


class LoginAttempt(models.Model):
    """One attempt that counts towards the login throttle (accounts.throttle).

    `account` is a hash of the address typed, so mistyped addresses of other people are
    not kept; rows older than the window are pruned by the worker. The throttle counts
    them per account and IP address, per IP address and per account, each one indexed.
    """

    kind = models.CharField(max_length=10, choices=AttemptKind.choices)
    account = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "account", "created_at"], name="attempt_account"),
            models.Index(fields=["kind", "account", "ip", "created_at"], name="attempt_account_ip"),
            models.Index(fields=["kind", "ip", "created_at"], name="attempt_ip"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} at {self.created_at}"
