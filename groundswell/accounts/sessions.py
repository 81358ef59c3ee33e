"""What an organizer's session remembers about its own safety: when it started, when it
was last used, whether it passed the second factor, and a login halfway through."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from groundswell.accounts import sealing
from groundswell.accounts.models import User

STARTED = "accounts:started"
LAST_SEEN = "accounts:last_seen"
VERIFIED = "accounts:two_factor_verified"
PENDING = "accounts:two_factor_pending"
SETUP_SECRET = "accounts:two_factor_setup_secret"  # noqa: S105 (a session key)

PENDING_SECONDS = 5 * 60  # to type the code after the password
SETUP_SECONDS = 30 * 60  # to scan the QR code and confirm


@receiver(user_logged_in, dispatch_uid="accounts.sessions.start")
def start(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """Every login (ours, the admin's, a test's) starts the clocks."""
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[STARTED] = now
    request.session[LAST_SEEN] = now
    request.session.pop(PENDING, None)


def mark_verified(request: HttpRequest) -> None:
    request.session[VERIFIED] = True


def is_verified(request: HttpRequest) -> bool:
    return bool(request.session.get(VERIFIED))


def start_pending(request: HttpRequest, user: User, backend: str, next_url: str) -> None:
    """The password was right; the second factor is still to come. Nobody is logged in."""
    request.session[PENDING] = {
        "user": user.pk,
        "hash": user.get_session_auth_hash(),
        "backend": backend,
        "next": next_url,
        "until": int(time.time()) + PENDING_SECONDS,
    }


def pending(request: HttpRequest) -> tuple[User, str, str] | None:
    """The user halfway through logging in (with their backend and where they were
    going), or None if there is none or it took too long or their password changed."""
    state = request.session.get(PENDING)
    if not isinstance(state, dict) or int(state.get("until", 0)) < time.time():
        return None
    user_id = state.get("user")
    if not isinstance(user_id, int):
        return None
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if not isinstance(user, User) or user.get_session_auth_hash() != state.get("hash"):
        return None
    return user, str(state["backend"]), str(state.get("next") or "")


def drop_pending(request: HttpRequest) -> None:
    request.session.pop(PENDING, None)


def backend_of(request: HttpRequest) -> str:
    return str(request.session.get(BACKEND_SESSION_KEY, ""))


def setup_secret(request: HttpRequest, create: Any) -> str:
    """The secret being set up in this session, kept until confirmed or for half an hour,
    so the QR code does not change under the user while they scan it."""
    state = request.session.get(SETUP_SECRET)
    if isinstance(state, dict) and int(state.get("until", 0)) >= time.time():
        try:
            return sealing.unseal(str(state["sealed"]))
        except (KeyError, sealing.Unsealable):
            pass
    secret = str(create())
    request.session[SETUP_SECRET] = {
        "sealed": sealing.seal(secret),
        "until": int(time.time()) + SETUP_SECONDS,
    }
    return secret


def drop_setup_secret(request: HttpRequest) -> None:
    request.session.pop(SETUP_SECRET, None)
