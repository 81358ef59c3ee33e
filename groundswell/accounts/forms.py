"""Sign-in, password and invitation sign-up forms for organizer accounts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin import forms as admin_forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from groundswell.accounts import emails, throttle
from groundswell.accounts.models import AttemptKind, User
from groundswell.core.http import client_ip


class ThrottledLoginMixin(forms.Form):
    """Counts each password tried against the account and the IP address (see
    accounts.throttle) and refuses, before checking it, once one is over its limit."""

    request: HttpRequest | None

    def clean(self) -> dict[str, Any]:
        email = str(self.cleaned_data.get("username") or "")
        if not email or not self.cleaned_data.get("password"):
            return super().clean() or {}
        ip = client_ip(self.request) if self.request is not None else None
        try:
            attempt = throttle.reserve(
                AttemptKind.LOGIN,
                email=email,
                ip=ip,
                known_device=throttle.is_known_device(self.request, email),
            )
        except throttle.Throttled as refusal:
            raise forms.ValidationError(str(refusal), code="throttled") from None
        cleaned = super().clean() or {}  # a wrong password raises: the attempt stays counted
        throttle.passed(attempt)
        return cleaned


class LoginForm(ThrottledLoginMixin, auth_forms.AuthenticationForm):
    """Email and password, throttled per account and IP address (accounts.throttle)."""

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _(
            "That email address and password do not match an account. "
            "Note that the password is case-sensitive."
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


class AdminLoginForm(ThrottledLoginMixin, admin_forms.AdminAuthenticationForm):
    """The operator admin's login, under the same throttle."""

    def clean_username(self) -> str:
        return str(self.cleaned_data.get("username") or "").strip().lower()


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form; our email, with a link on BASE_URL (not the Host header), is
    sent by the worker. Requests are throttled per address asked for and per IP."""

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["email"].label = _("Email address")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email = str(cleaned.get("email") or "").strip().lower()
        if email:
            ip = client_ip(self.request) if self.request is not None else None
            try:
                throttle.reserve(AttemptKind.RESET, email=email, ip=ip)
            except throttle.Throttled as refusal:
                raise forms.ValidationError(str(refusal), code="throttled") from None
        return cleaned

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
        emails.send_password_reset.enqueue(user.pk)


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


class CodeForm(forms.Form):
    """The second step of a login: a code from the app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_(
            "The 6-digit code your authenticator app shows now, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autofocus": True,
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip()


class PasswordConfirmForm(forms.Form):
    """The account's current password, asked again before a change to its security."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, ip: str | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.ip = ip

    def clean_password(self) -> str:
        # Under the login throttle too: a borrowed session must not become a way to guess.
        password = str(self.cleaned_data["password"])
        try:
            attempt = throttle.reserve(AttemptKind.LOGIN, email=self.user.email, ip=self.ip)
        except throttle.Throttled as refusal:
            raise forms.ValidationError(str(refusal), code="throttled") from None
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("That is not your password. Nothing was changed."), code="password_incorrect"
            )
        throttle.passed(attempt)
        return password


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form, with the current password under the login throttle: a borrowed
    session must not become a way to guess it."""

    def __init__(self, user: User, *args: Any, ip: str | None = None, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.ip = ip

    def clean_old_password(self) -> str:
        old = str(self.cleaned_data["old_password"])
        try:
            attempt = throttle.reserve(AttemptKind.LOGIN, email=self.user.email, ip=self.ip)
        except throttle.Throttled as refusal:
            raise forms.ValidationError(str(refusal), code="throttled") from None
        if not self.user.check_password(old):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        throttle.passed(attempt)
        return old


class TwoFactorSetupForm(PasswordConfirmForm):
    """Confirms the app is set up: a code it shows now, and the account's password."""

    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        help_text=_("The 6-digit code your authenticator app shows for this account."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    field_order = ["code", "password"]

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(
                _("Type the 6 digits the app shows, without spaces."), code="invalid"
            )
        return code
