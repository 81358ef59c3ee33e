"""Guards every signed-in request: sessions end after SESSION_COOKIE_AGE in all and after
SESSION_IDLE_SECONDS unused; an account with two-factor on must have passed it in this
session; and an organization that requires two-factor sends the staff without it to
set it up."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from groundswell.accounts import sessions, two_factor
from groundswell.accounts.models import User
from groundswell.organizations.permissions import TwoFactorRequired

TOUCH_SECONDS = 60  # write the last-seen time at most once a minute, not on every request


class SessionGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Read by organizations.permissions.membership_for (False when not signed in).
        request.two_factor_verified = False  # type: ignore[attr-defined]
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            # No session, so nobody signed in: leave the session untouched (no Vary:
            # Cookie on public pages and count.json).
            return self.get_response(request)
        user = request.user
        if user.is_authenticated:
            assert isinstance(user, User)
            refusal = self._guard(request, user)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _guard(self, request: HttpRequest, user: User) -> HttpResponse | None:
        session = request.session
        now = int(time.time())
        started = int(session.get(sessions.STARTED) or now)
        last_seen = int(session.get(sessions.LAST_SEEN) or now)
        if now - started > settings.SESSION_COOKIE_AGE:
            logout(request)
            hours = max(1, round(settings.SESSION_COOKIE_AGE / 3600))
            messages.info(
                request,
                ngettext(
                    "You were logged out: a session lasts at most %(hours)d hour.",
                    "You were logged out: a session lasts at most %(hours)d hours.",
                    hours,
                )
                % {"hours": hours},
            )
            return None  # the page goes on for a visitor; organizer pages ask for login
        if now - last_seen > settings.SESSION_IDLE_SECONDS:
            logout(request)
            messages.info(request, _("You were logged out after a while without activity."))
            return None
        if sessions.STARTED not in session:
            session[sessions.STARTED] = started
        if now - last_seen >= TOUCH_SECONDS or sessions.LAST_SEEN not in session:
            session[sessions.LAST_SEEN] = now

        enabled = two_factor.is_enabled(user)
        if enabled and not sessions.is_verified(request):
            # Signed in by a way that skipped the code (an older session, the admin's
            # login page): back to the code step, as after a password.
            backend = sessions.backend_of(request)
            next_url = request.get_full_path() if request.method in ("GET", "HEAD") else ""
            logout(request)
            sessions.start_pending(request, user, backend, next_url)
            messages.info(request, _("Enter the code from your authenticator app to continue."))
            return HttpResponseRedirect(reverse("accounts:login_code"))
        if not enabled and sessions.is_verified(request):
            session.pop(sessions.VERIFIED, None)  # switched off, e.g. by an operator
        request.two_factor_verified = enabled  # type: ignore[attr-defined]
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, TwoFactorRequired):
            return None
        messages.warning(
            request,
            _(
                "%(organization)s requires two-factor authentication of its staff. "
                "Set it up to continue."
            )
            % {"organization": exception.organization.name},
        )
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('accounts:two_factor_setup')}?{query}")
