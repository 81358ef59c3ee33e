"""Sign in and out, passwords, and joining an organization's staff from an invitation."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from groundswell.accounts import actions as account_actions
from groundswell.accounts import emails, sessions, throttle, two_factor
from groundswell.accounts.forms import (
    CodeForm,
    InvitationSignupForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
)
from groundswell.accounts.models import AttemptKind, User
from groundswell.core.http import client_ip
from groundswell.organizations import actions as organization_actions


class LoginView(auth_views.LoginView):
    """The password step. An account with two-factor on is not logged in yet: the
    session remembers who typed the right password, for a few minutes, and the code
    step finishes the login. A wrong password reads the same with or without 2FA."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        assert isinstance(user, User)
        if two_factor.is_enabled(user):
            backend = str(getattr(user, "backend", "") or settings.AUTHENTICATION_BACKENDS[0])
            sessions.start_pending(self.request, user, backend, self.get_success_url())
            return redirect("accounts:login_code")
        throttle.forget_failures(user.email, client_ip(self.request))
        response = super().form_valid(form)
        throttle.remember_device(response, user.email)
        return response


login_view = LoginView.as_view()
logout_view = auth_views.LogoutView.as_view()


@never_cache
@sensitive_post_parameters("code")
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of a login: a code from the app, or a recovery code."""
    state = sessions.pending(request)
    if state is None:
        sessions.drop_pending(request)
        messages.error(request, _("Your login took too long or has ended. Log in again."))
        return redirect("accounts:login")
    user, backend, next_url = state
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        try:
            # Codes have their own strict limit, per account and IP and per account.
            attempt = throttle.reserve(AttemptKind.CODE, email=user.email, ip=ip)
        except throttle.Throttled as refusal:
            form.add_error(None, str(refusal))
        else:
            if two_factor.verify(user, form.cleaned_data["code"]):
                throttle.passed(attempt)
                throttle.forget_failures(user.email, ip)
                sessions.drop_pending(request)
                login(request, user, backend=backend)
                sessions.mark_verified(request)
                response = HttpResponseRedirect(
                    next_url or resolve_url(settings.LOGIN_REDIRECT_URL)
                )
                throttle.remember_device(response, user.email)
                return response
            form.add_error(
                "code",
                _(
                    "That code does not work. Codes change every 30 seconds and work once: "
                    "type the one the app shows now, or a recovery code."
                ),
            )
    return render(request, "accounts/login_code.html", {"form": form})


@require_POST
@login_required
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of this account, on every device, this one included."""
    user = request.user
    assert isinstance(user, User)
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    logout(request)
    messages.success(request, _("You are logged out on every device. Log in again here."))
    return redirect("accounts:login")


class PasswordResetView(auth_views.PasswordResetView):
    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # Whoever was guessing the old password: the account starts afresh.
        throttle.forget_account(form.user.email)
        emails.send_security_notice.enqueue(form.user.pk, emails.PASSWORD_RESET)
        return response


password_reset = PasswordResetView.as_view(
    template_name="accounts/password_reset_form.html",
    form_class=PasswordResetForm,
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html",
)
password_reset_confirm = PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html",
)


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "ip": client_ip(self.request)}

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        emails.send_security_notice.enqueue(form.user.pk, emails.PASSWORD_CHANGED)
        return response


password_change = PasswordChangeView.as_view()
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html",
)


def _invitation_refused(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "accounts/invitation_invalid.html", {"reason": reason}, status=400)


@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "HEAD", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Join an organization's staff from an emailed link.

    An existing account must be signed in to accept; a new address gets a sign-up form.
    Opening the link (GET) changes nothing, so mail scanners that follow links are harmless.
    """
    try:
        invitation = organization_actions.open_invitation(token)
    except organization_actions.InvitationInvalid as refusal:
        return _invitation_refused(request, str(refusal))
    account_exists = User.objects.filter(email__iexact=invitation.email).exists()
    user = request.user
    signed_in_as_other = user.is_authenticated and user.email.lower() != invitation.email
    context = {
        "invitation": invitation,
        "organization": invitation.organization,
        "expires_at": organization_actions.invitation_expires_at(invitation),
        "account_exists": account_exists,
        "signed_in_as_other": signed_in_as_other,
        "login_url": f"{reverse('accounts:login')}?{urlencode({'next': request.path})}",
    }
    if signed_in_as_other or (account_exists and not user.is_authenticated):
        return render(request, "accounts/invitation.html", context)

    if user.is_authenticated:
        assert isinstance(user, User)
        if request.method == "POST":
            try:
                organization_actions.accept_invitation(invitation, user)
            except organization_actions.InvitationInvalid as refusal:
                return _invitation_refused(request, str(refusal))
            return _welcome(request, invitation.organization.slug, invitation.organization.name)
        return render(request, "accounts/invitation.html", context)

    form = InvitationSignupForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            new_user = account_actions.create_account_and_accept(
                invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except organization_actions.InvitationInvalid as refusal:
            return _invitation_refused(request, str(refusal))
        login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
        return _welcome(request, invitation.organization.slug, invitation.organization.name)
    return render(request, "accounts/invitation.html", {**context, "form": form})


def _welcome(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    messages.success(
        request, _("Welcome to the staff of %(organization)s.") % {"organization": name}
    )
    return redirect("organizations_manage:home", org=slug)
