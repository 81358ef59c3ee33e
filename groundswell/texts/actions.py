"""Every change to text blasts goes through these functions, and each checks who may
make it: any organizer (or higher) of the organization writes, sends and cancels its
own blasts. A refusal raises Refused with a translated message and changes nothing.

What a reply does (STOP, START) is in texts.inbound; sending is texts.sending's.
"""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.organizations.models import Membership, Role
from groundswell.texts import audience
from groundswell.texts.compose import MAX_SEGMENTS, measure
from groundswell.texts.models import (
    Blast,
    BlastState,
    Recipient,
    RecipientState,
    TextSettings,
)

LANGUAGES = ("en", "es")


class Refused(Exception):
    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def _check(membership: Membership, blast: Blast | None = None) -> None:
    if not membership.has_role(Role.ORGANIZER):
        raise Refused(_("Only the organization's organizers may send texts."))
    if blast is not None and blast.organization_id != membership.organization_id:
        raise Refused(_("This text belongs to another organization."))


def _clean_audience(membership: Membership, chosen: dict[str, Any]) -> dict[str, Any]:
    """Only groups the organization has (a forged id is dropped, never widened)."""
    offered = audience.choices(membership.organization)
    clean: dict[str, Any] = {}
    for key in audience.KEYS:
        allowed = {value for value, _label in offered[key]}
        values = [str(v) for v in chosen.get(key) or [] if str(v) in allowed]
        if values:
            clean[key] = values
    return clean


def save_blast(
    membership: Membership,
    blast: Blast | None,
    *,
    body: str,
    language: str,
    chosen: dict[str, Any],
) -> Blast:
    """Write a new draft text, or change one; returns it."""
    _check(membership, blast)
    if blast is not None and not blast.editable:
        raise Refused(_("Only a draft can be changed."))
    body = body.strip()
    if not body:
        raise Refused(_("Write the message."))
    if language not in LANGUAGES:
        raise Refused(_("Choose the language the message is written in."))
    clean = _clean_audience(membership, chosen)
    if audience.empty(clean):
        raise Refused(_("Choose at least one tag or list to text."))
    parts = measure(membership.organization.name, body, language).count
    if parts > MAX_SEGMENTS:
        raise Refused(
            _("This text would take %(parts)d parts; shorten it to at most %(max)d.")
            % {"parts": parts, "max": MAX_SEGMENTS}
        )
    if blast is None:
        blast = Blast(organization=membership.organization, created_by=membership.user)
    blast.body, blast.language, blast.audience = body, language, clean
    blast.save()
    return blast


def send_now(membership: Membership, blast: Blast) -> Blast:
    """Start sending a draft: the worker fixes its recipients and texts them."""
    _check(membership, blast)
    if audience.count(blast.organization, blast.audience) == 0:
        raise Refused(_("Nobody in this audience can be texted."))
    started = Blast.objects.filter(pk=blast.pk, state=BlastState.DRAFT).update(
        state=BlastState.SENDING, started_at=timezone.now()
    )
    if not started:
        raise Refused(_("This text is already on its way."))
    blast.refresh_from_db()
    return blast


def cancel(membership: Membership, blast: Blast) -> Blast:
    """Stop a sending blast: nobody still waiting is texted (one already handed to the
    provider may still arrive)."""
    _check(membership, blast)
    with transaction.atomic():
        stopped = Blast.objects.filter(pk=blast.pk, state=BlastState.SENDING).update(
            state=BlastState.CANCELLED, finished_at=timezone.now()
        )
        if not stopped:
            raise Refused(_("Only a text being sent can be cancelled."))
        Recipient.objects.filter(blast=blast, state=RecipientState.PENDING).update(
            state=RecipientState.CANCELLED
        )
    blast.refresh_from_db()
    return blast


def delete_draft(membership: Membership, blast: Blast) -> None:
    _check(membership, blast)
    if not blast.editable:
        raise Refused(_("Only a draft can be deleted."))
    blast.delete()


def set_time_zone(membership: Membership, zone: str) -> None:
    """The time zone the organization's quiet hours are read in (owners and admins)."""
    if not membership.has_role(Role.ADMIN):
        raise Refused(_("Only an owner or admin of the organization may do this."))
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise Refused(_("Choose a time zone from the list.")) from None
    TextSettings.objects.update_or_create(
        organization=membership.organization, defaults={"time_zone": zone}
    )
