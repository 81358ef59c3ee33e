"""Every change to mailings goes through these functions, and each checks who may make
it: organizers write, test and send; owners and admins set the approval rule and
approve a large mailing someone else asked to send.

A refusal raises Refused with a translated message and changes nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.core import outbox
from groundswell.mailings import audience, emails, merge
from groundswell.mailings.models import (
    Mailing,
    MailingSettings,
    MailingState,
    MailingVersion,
    Recipient,
    RecipientState,
)
from groundswell.organizations.models import Membership, Role


class Refused(Exception):
    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def _check_role(membership: Membership, minimum: str = Role.ORGANIZER) -> None:
    if not membership.has_role(minimum):
        raise Refused(_("Only an owner or admin of the organization may do this."))


def _check_own(membership: Membership, mailing: Mailing) -> None:
    if mailing.organization_id != membership.organization_id:
        raise Refused(_("This mailing belongs to another organization."))


def _check_text(subject: str, body: str) -> None:
    if not subject.strip() or not body.strip():
        raise Refused(_("A mailing needs a subject and a message."))
    bad = merge.unknown_fields(subject) + merge.unknown_fields(body)
    if bad:
        raise Refused(
            _(
                "%(tags)s is not a merge field. Use one of %(fields)s, for example "
                '{{ first_name|default:"friend" }}.'
            )
            % {
                "tags": ", ".join(dict.fromkeys(bad)),
                "fields": ", ".join("{{ " + name + " }}" for name in merge.FIELDS),
            }
        )


def _clean_audience(membership: Membership, chosen: dict[str, Any]) -> dict[str, Any]:
    """Only groups the organization has (a forged id is dropped, never widened)."""
    offered = audience.choices(membership.organization)
    clean: dict[str, Any] = {}
    for key in audience.KEYS:
        allowed = {value for value, _label in offered[key]}
        for prefix in ("", "exclude_"):
            values = [str(v) for v in chosen.get(f"{prefix}{key}") or [] if str(v) in allowed]
            if values:
                clean[f"{prefix}{key}"] = values
    return clean


def save_mailing(
    membership: Membership,
    mailing: Mailing | None,
    *,
    subject: str,
    body: str,
    language: str,
    chosen: dict[str, Any],
    versions: dict[str, tuple[str, str]] | None = None,
) -> Mailing:
    """Create a draft mailing or change one (only a draft changes). `chosen` is the
    audience (mailings.audience); `versions` maps other languages to (subject, body),
    an empty pair removing that language's version."""
    _check_role(membership)
    _check_text(subject, body)
    for other_subject, other_body in (versions or {}).values():
        if other_subject.strip() or other_body.strip():
            _check_text(other_subject, other_body)
    with transaction.atomic():
        if mailing is None:
            mailing = Mailing(organization=membership.organization, created_by=membership.user)
        else:
            _check_own(membership, mailing)
            mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
            if not mailing.editable:
                raise Refused(_("Only a draft can be changed; this mailing has been sent on."))
        mailing.subject = subject.strip()
        mailing.body = body
        mailing.language = language
        mailing.audience = _clean_audience(membership, chosen)
        mailing.save()
        for code, (other_subject, other_body) in (versions or {}).items():
            if code == language or not (other_subject.strip() and other_body.strip()):
                MailingVersion.objects.filter(mailing=mailing, language=code).delete()
                continue
            MailingVersion.objects.update_or_create(
                mailing=mailing,
                language=code,
                defaults={"subject": other_subject.strip(), "body": other_body},
            )
    return mailing


def approval_over(membership: Membership) -> int | None:
    found = MailingSettings.objects.filter(organization=membership.organization).first()
    return found.approval_over if found else None


def set_approval_over(membership: Membership, limit: int | None) -> MailingSettings:
    """Owners and admins: mailings to more than `limit` people wait for a second
    person's approval (None: never)."""
    _check_role(membership, Role.ADMIN)
    found, _created = MailingSettings.objects.update_or_create(
        organization=membership.organization, defaults={"approval_over": limit}
    )
    return found


def send(
    membership: Membership, mailing: Mailing, *, at: datetime.datetime | None = None
) -> Mailing:
    """Send the draft now or at `at`: scheduled for the worker, or, over the
    organization's approval limit, waiting for an owner or admin other than the
    sender. Refused with no recipients, or a time in the past."""
    _check_role(membership)
    _check_own(membership, mailing)
    now = timezone.now()
    if at is not None and at < now - datetime.timedelta(minutes=1):
        raise Refused(_("That time has passed. Choose a time to come, or send now."))
    recipients = audience.count(membership.organization, mailing.audience)
    if recipients == 0:
        raise Refused(
            _(
                "Nobody would receive this mailing: choose recipients who agreed to "
                "hear from your organization by email."
            )
        )
    limit = approval_over(membership)
    waits = limit is not None and recipients > limit
    with transaction.atomic():
        changed = Mailing.objects.filter(pk=mailing.pk, state=MailingState.DRAFT).update(
            state=MailingState.AWAITING_APPROVAL if waits else MailingState.SCHEDULED,
            send_at=at or now,
            requested_by=membership.user,
            updated_at=now,
        )
    if not changed:
        raise Refused(_("This mailing has already been sent on."))
    mailing.refresh_from_db()
    return mailing


def approve(membership: Membership, mailing: Mailing) -> Mailing:
    """An owner or admin other than the one who asked lets a large mailing go."""
    _check_role(membership, Role.ADMIN)
    _check_own(membership, mailing)
    if mailing.requested_by_id == membership.user_id:
        raise Refused(_("Someone other than the person who asked to send it must approve it."))
    now = timezone.now()
    changed = Mailing.objects.filter(pk=mailing.pk, state=MailingState.AWAITING_APPROVAL).update(
        state=MailingState.SCHEDULED,
        approved_by=membership.user,
        send_at=max(mailing.send_at or now, now),
        updated_at=now,
    )
    if not changed:
        raise Refused(_("This mailing is not waiting for approval."))
    mailing.refresh_from_db()
    return mailing


def back_to_draft(membership: Membership, mailing: Mailing) -> Mailing:
    """Take back a mailing that waits (for its time or an approval), to change it."""
    _check_role(membership)
    _check_own(membership, mailing)
    changed = Mailing.objects.filter(
        pk=mailing.pk, state__in=[MailingState.SCHEDULED, MailingState.AWAITING_APPROVAL]
    ).update(state=MailingState.DRAFT, approved_by=None, updated_at=timezone.now())
    if not changed:
        raise Refused(_("Only a mailing that has not started sending can be taken back."))
    mailing.refresh_from_db()
    return mailing


def pause(membership: Membership, mailing: Mailing) -> Mailing:
    """Stop handing the mailing's recipients to the outbox (resume goes on)."""
    return _move(membership, mailing, MailingState.SENDING, MailingState.PAUSED)


def resume(membership: Membership, mailing: Mailing) -> Mailing:
    return _move(membership, mailing, MailingState.PAUSED, MailingState.SENDING)


def _move(membership: Membership, mailing: Mailing, start: str, end: str) -> Mailing:
    _check_role(membership)
    _check_own(membership, mailing)
    if not Mailing.objects.filter(pk=mailing.pk, state=start).update(
        state=end, updated_at=timezone.now()
    ):
        raise Refused(_("The mailing's state changed meanwhile; look again."))
    mailing.refresh_from_db()
    return mailing


def cancel(membership: Membership, mailing: Mailing) -> Mailing:
    """Stop the mailing for good: nobody still waiting gets it (emails the outbox has
    already handed to the mail server are gone)."""
    _check_role(membership)
    _check_own(membership, mailing)
    with transaction.atomic():
        changed = Mailing.objects.filter(
            pk=mailing.pk,
            state__in=[
                MailingState.SCHEDULED,
                MailingState.AWAITING_APPROVAL,
                MailingState.SENDING,
                MailingState.PAUSED,
            ],
        ).update(state=MailingState.CANCELLED, finished_at=timezone.now())
        if not changed:
            raise Refused(_("This mailing can no longer be cancelled."))
        outbox.cancel(f"{emails.MAILING}:{mailing.pk}:")
        Recipient.objects.filter(
            mailing=mailing, state__in=[RecipientState.PENDING, RecipientState.QUEUED]
        ).update(state=RecipientState.CANCELLED)
    mailing.refresh_from_db()
    return mailing


def send_test(membership: Membership, mailing: Mailing, language: str | None = None) -> str:
    """Queue the mailing to the organizer themselves, marked as a test; returns the
    address it goes to."""
    _check_role(membership)
    _check_own(membership, mailing)
    if not membership.user.email:
        raise Refused(_("Your account has no email address to send the test to."))
    outbox.enqueue(
        emails.TEST,
        outbox.unique_key(f"{emails.TEST}:{mailing.pk}"),
        {"mailing": mailing.pk, "user": membership.user_id, "language": language or ""},
    )
    return str(membership.user.email)
