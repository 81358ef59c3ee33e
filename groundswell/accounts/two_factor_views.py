"""/accounts/two-factor/: an organizer switches two-factor authentication on and off,
and replaces their recovery codes. Pages that show a secret or codes are never cached."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groundswell.accounts import sessions, two_factor
from groundswell.accounts.forms import PasswordConfirmForm, TwoFactorSetupForm
from groundswell.accounts.models import TwoFactor, User
from groundswell.core.http import client_ip


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _status_page(
    request: HttpRequest,
    *,
    disable_form: PasswordConfirmForm | None = None,
    recovery_form: PasswordConfirmForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    device = TwoFactor.objects.filter(user=user).first()
    ip = client_ip(request)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "device": device,
            "codes_left": two_factor.recovery_codes_left(user) if device else 0,
            "requiring": list(two_factor.requiring_organizations(user)),
            "disable_form": disable_form or PasswordConfirmForm(user=user, ip=ip, prefix="disable"),
            "recovery_form": recovery_form
            or PasswordConfirmForm(user=user, ip=ip, prefix="recovery"),
        },
        status=status,
    )


@never_cache
@require_safe
@login_required
def status(request: HttpRequest) -> HttpResponse:
    return _status_page(request)


@never_cache
@sensitive_post_parameters("password", "code")
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Show a new secret (QR code and text), and switch on once a code from it is typed."""
    user = _user(request)
    if two_factor.is_enabled(user):
        return redirect("accounts:two_factor")
    next_url = _safe_next(request)
    secret = sessions.setup_secret(request, two_factor.new_secret)
    form = TwoFactorSetupForm(request.POST or None, user=user, ip=client_ip(request))
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.enable(user, secret, form.cleaned_data["code"])
        except two_factor.NotAllowed as refusal:
            form.add_error("code", str(refusal))
        else:
            sessions.drop_setup_secret(request)
            sessions.mark_verified(request)
            messages.success(request, _("Two-factor authentication is on."))
            return _recovery_codes_page(request, codes, next_url)
    uri = two_factor.provisioning_uri(secret, user)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "qr_svg": two_factor.qr_svg(uri, _("QR code to scan with your authenticator app")),
            "requiring": list(two_factor.requiring_organizations(user)),
        },
    )


def _recovery_codes_page(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    # Rendered straight from the POST: the codes are never stored in clear, not even in
    # the session, and cannot be shown again.
    return render(
        request,
        "accounts/two_factor_recovery_codes.html",
        {"codes": codes, "next": next_url or resolve_url(settings.LOGIN_REDIRECT_URL)},
    )


@never_cache
@sensitive_post_parameters("recovery-password")
@require_POST
@login_required
def recovery(request: HttpRequest) -> HttpResponse:
    """Replace the recovery codes (the old ones stop working), after the password."""
    user = _user(request)
    form = PasswordConfirmForm(request.POST, user=user, ip=client_ip(request), prefix="recovery")
    if not form.is_valid():
        return _status_page(request, recovery_form=form, status=200)
    try:
        codes = two_factor.regenerate_recovery_codes(user)
    except two_factor.NotAllowed as refusal:
        messages.error(request, str(refusal))
        return redirect("accounts:two_factor")
    messages.success(request, _("New recovery codes are ready. The old ones no longer work."))
    return _recovery_codes_page(request, codes, "")


@never_cache
@sensitive_post_parameters("disable-password")
@require_POST
@login_required
def disable(request: HttpRequest) -> HttpResponse:
    """Switch two-factor off, after the password; refused while an organization requires it."""
    user = _user(request)
    form = PasswordConfirmForm(request.POST, user=user, ip=client_ip(request), prefix="disable")
    if not form.is_valid():
        return _status_page(request, disable_form=form, status=200)
    try:
        two_factor.disable(user)
    except two_factor.NotAllowed as refusal:
        messages.error(request, str(refusal))
        return redirect("accounts:two_factor")
    request.session.pop(sessions.VERIFIED, None)
    messages.success(request, _("Two-factor authentication is off."))
    return HttpResponseRedirect(resolve_url("accounts:two_factor"))
