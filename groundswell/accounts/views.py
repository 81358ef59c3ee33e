"""Sign in and out, passwords, and joining an organization's staff from an invitation."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from groundswell.accounts.forms import InvitationSignupForm, LoginForm, PasswordResetForm
from groundswell.accounts.models import User
from groundswell.organizations import actions as organization_actions

login_view = auth_views.LoginView.as_view(
    template_name="accounts/login.html",
    authentication_form=LoginForm,
    redirect_authenticated_user=True,
)
logout_view = auth_views.LogoutView.as_view()

password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset_form.html",
    form_class=PasswordResetForm,
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html",
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html",
)
password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change_form.html",
    success_url=reverse_lazy("accounts:password_change_done"),
)
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
            new_user = organization_actions.create_account_and_accept(
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
