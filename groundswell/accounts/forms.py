"""Sign-in, password and invitation sign-up forms for organizer accounts."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from groundswell.accounts import tasks
from groundswell.accounts.models import User

logger = logging.getLogger(__name__)

LOGIN_FAILURE_LIMIT = 10
LOGIN_FAILURE_WINDOW = 15 * 60  # seconds


def _failures_key(email: str) -> str:
    digest = hashlib.sha256(email.encode()).hexdigest()[:32]
    return f"accounts:login-failures:{digest}"


class LoginForm(auth_forms.AuthenticationForm):
    """Email and password; after repeated failures for one address, a pause.

    The pause slows password guessing against one account; it counts per address
    (shared through the cache, so across app servers when Redis is configured).
    """

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _(
            "That email address and password do not match an account. "
            "Note that the password is case-sensitive."
        ),
        "throttled": _(
            "Too many failed attempts for this address. Wait 15 minutes, or reset your password."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email address")
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True, "maxlength": 254}
        )

    def clean_username(self) -> str:
        return str(self.cleaned_data.get("username") or "").strip().lower()

    def clean(self) -> dict[str, Any]:
        email = self.cleaned_data.get("username") or ""
        key = _failures_key(email)
        if email and (cache.get(key) or 0) >= LOGIN_FAILURE_LIMIT:
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            return super().clean()
        except forms.ValidationError:
            if email:
                cache.add(key, 0, LOGIN_FAILURE_WINDOW)
                try:
                    cache.incr(key)
                except ValueError:  # expired between add and incr
                    cache.set(key, 1, LOGIN_FAILURE_WINDOW)
            raise


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form; our email, with a link on BASE_URL (not the Host header), is
    sent by the worker."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email address")

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # Queued: the page must answer as fast for an unknown address as for a known one.
        user: User = context["user"]
        tasks.send_password_reset.enqueue(user.pk)


class InvitationSignupForm(forms.Form):
    """The new organizer's name and password; the address comes from the invitation."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("The same password, to catch typing mistakes."),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_first_name(self) -> str:
        return " ".join(self.cleaned_data["first_name"].split())

    def clean_last_name(self) -> str:
        return " ".join(self.cleaned_data["last_name"].split())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1:
            candidate = User(
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ. Type them again."))
        return cleaned
