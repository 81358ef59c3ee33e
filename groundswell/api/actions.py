"""Writes about API tokens: making one (shown once) and revoking it."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.utils import timezone

from groundswell.api.models import ApiToken
from groundswell.organizations.models import Organization

if TYPE_CHECKING:
    from groundswell.accounts.models import User

TOKEN_PREFIX = "gs_"  # noqa: S105 (the visible start of every token)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(
    organization: Organization, *, name: str, by: User | None = None
) -> tuple[ApiToken, str]:
    """A new token for the organization; returns it with the secret, which is not stored
    and cannot be shown again."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organization=organization,
        name=" ".join(name.split())[:100] or "API",
        prefix=raw[:10],
        token_hash=hash_token(raw),
        created_by=by,
    )
    return token, raw


def revoke_token(token: ApiToken, *, by: User | None = None) -> bool:
    """Stop the token working at once; True if it was active."""
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    token.refresh_from_db()
    return revoked > 0


def authenticate(raw: str) -> ApiToken | None:
    """The active token with this secret, or None."""
    if not raw or len(raw) > 200:
        return None
    return (
        ApiToken.objects.active()
        .select_related("organization")
        .filter(token_hash=hash_token(raw))
        .first()
    )
