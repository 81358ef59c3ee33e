"""The petitions' emails, each sent through the outbox (groundswell.core.outbox):
confirmations, "you already signed", milestone notices, updates and invitations to
co-sponsor.

Each builder looks the facts up again when the email's turn comes, and returns None
when the email is no longer called for (a confirmed or erased signature, a withdrawn
consent), so nothing is sent on stale grounds.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from groundswell.core import outbox
from groundswell.core.mail import build_message
from groundswell.people.models import Activity
from groundswell.people.tokens import unsubscribe_token

CONFIRMATION = "petitions.confirmation"
ALREADY_SIGNED = "petitions.already_signed"
MILESTONE = "petitions.milestone"
UPDATE = "petitions.update"


def absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


def register() -> None:
    outbox.register(CONFIRMATION, build=build_confirmation, build_many=build_confirmations)
    outbox.register(ALREADY_SIGNED, build=build_already_signed)
    outbox.register(MILESTONE, build=build_milestone)
    outbox.register(UPDATE, build=build_update, sent=update_sent, build_many=build_updates)
    outbox.register_feeder(CONFIRMATION, queue_confirmations)


# --- Confirmations -------------------------------------------------------------------------


def queue_confirmations() -> int:
    """Move the confirmations waiting on their signatures' rows into the outbox.

    The sign POST only marks its signature `verification_due` (one INSERT on the hot
    path); this turns a batch of them into outbox rows and clears the mark, in one
    short transaction: a signature leaves the batch as its email enters the outbox, so
    a run repeated after a crash queues none twice, and signing again (which marks the
    signature due again) queues a new email. Returns how many were queued.
    """
    from groundswell.petitions.models import Signature

    queued = 0
    while Signature.objects.filter(verification_due=True).exists():  # a read when idle
        with transaction.atomic():
            batch = list(
                Signature.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(verification_due=True)
                .order_by("pk")
                .values_list("pk", flat=True)[: settings.EMAIL_BATCH_SIZE]
            )
            if not batch:
                return queued
            outbox.enqueue_many(
                CONFIRMATION,
                ((outbox.unique_key(f"{CONFIRMATION}:{pk}"), {"signature": pk}) for pk in batch),
            )
            Signature.objects.filter(pk__in=batch).update(
                verification_due=False, verification_sent_at=timezone.now()
            )
        queued += len(batch)
        if len(batch) < settings.EMAIL_BATCH_SIZE:
            return queued
    return queued


def oldest_due_confirmation() -> datetime.datetime | None:
    """When the longest-waiting confirmation not yet in the outbox was asked for."""
    from groundswell.petitions.models import Signature

    return (
        Signature.objects.filter(verification_due=True)
        .order_by("pk")
        .values_list("created_at", flat=True)
        .first()
    )


def build_confirmation(args: dict[str, Any]) -> EmailMessage | None:
    return build_confirmations([args])[0]


def build_confirmations(many: list[dict[str, Any]]) -> list[EmailMessage | None]:
    """Confirmations, their signatures read in one query (the busiest email of all)."""
    from groundswell.petitions.actions import verification_token
    from groundswell.petitions.models import Signature, SignatureState

    found = Signature.objects.select_related("petition").in_bulk(
        [args["signature"] for args in many]
    )
    messages: list[EmailMessage | None] = []
    for args in many:
        signature = found.get(args["signature"])
        if signature is None or signature.state != SignatureState.PENDING or not signature.email:
            messages.append(None)
            continue
        link = absolute(reverse("petitions:verify", args=[verification_token(signature)]))
        messages.append(
            build_message(
                to=signature.email,
                template="petitions/email/verify",
                context={"signature": signature, "petition": signature.petition, "link": link},
                language=signature.language,
            )
        )
    return messages


def queue_already_signed(signature_id: int) -> None:
    """Tell someone who signed again that their signature is already confirmed
    (in the caller's transaction)."""
    outbox.enqueue(
        ALREADY_SIGNED,
        outbox.unique_key(f"{ALREADY_SIGNED}:{signature_id}"),
        {"signature": signature_id},
    )


def build_already_signed(args: dict[str, Any]) -> EmailMessage | None:
    from groundswell.petitions.models import Signature, SignatureState

    signature = Signature.objects.select_related("petition").filter(pk=args["signature"]).first()
    if signature is None or signature.state != SignatureState.VERIFIED or not signature.email:
        return None
    return build_message(
        to=signature.email,
        template="petitions/email/already_signed",
        context={
            "signature": signature,
            "petition": signature.petition,
            "page": absolute(signature.petition.get_absolute_url()),
        },
        language=signature.language,
    )


# --- Milestones ----------------------------------------------------------------------------


def queue_milestone_notice(milestone: Any) -> None:
    """Tell the owner organization its petition reached a milestone (in the caller's
    transaction, the one that notes the milestone)."""
    recipients = milestone.petition.owner.notice_recipients()
    outbox.enqueue_many(
        MILESTONE,
        (
            (f"{MILESTONE}:{milestone.pk}:{to}", {"milestone": milestone.pk, "to": to})
            for to in recipients
        ),
    )
    type(milestone).objects.filter(pk=milestone.pk).update(notified_at=timezone.now())


def build_milestone(args: dict[str, Any]) -> EmailMessage | None:
    from groundswell.petitions.models import Milestone

    milestone = (
        Milestone.objects.select_related("petition", "petition__owner")
        .filter(pk=args["milestone"])
        .first()
    )
    if milestone is None or args["to"] not in milestone.petition.owner.notice_recipients():
        return None  # the recipient is no longer the organization's contact
    petition = milestone.petition
    dashboard = reverse("petitions_manage:dashboard", args=[petition.owner.slug, petition.slug])
    return build_message(
        to=args["to"],
        template="petitions/email/milestone",
        context={
            "milestone": milestone,
            "petition": petition,
            "dashboard": absolute(dashboard),
            "page": absolute(petition.get_absolute_url()),
        },
    )


# --- Updates -------------------------------------------------------------------------------


def update_group(update_id: int) -> str:
    return f"{UPDATE}:{update_id}"


def queue_update_recipients(update_id: int) -> int:
    """Queue one email per verified signer who consented to the owner, a batch per
    short transaction, remembering how far it got on the update (`emailed_through`):
    a run that is cut off and run again resumes there, and the emails' keys make any
    batch it repeats a no-op. Returns how many were queued by this run."""
    from groundswell.petitions.models import PetitionUpdate, Signature

    queued = 0
    while True:
        with transaction.atomic():
            update = (
                PetitionUpdate.objects.select_for_update()
                .select_related("petition", "petition__owner")
                .filter(pk=update_id)
                .first()
            )
            if update is None or update.emailed_at is not None:
                return queued
            batch = list(
                Signature.objects.filter(petition=update.petition, pk__gt=update.emailed_through)
                .contactable_by(update.petition.owner)
                .order_by("pk")
                .values_list("pk", "person_id")[: settings.EMAIL_BATCH_SIZE]
            )
            if not batch:
                update.emailed_at = timezone.now()  # every recipient is queued
                update.save(update_fields=["emailed_at"])
                return queued
            outbox.enqueue_many(
                UPDATE,
                (
                    (
                        f"{UPDATE}:{update.pk}:person:{person_id}",
                        {
                            "update": update.pk,
                            "signature": pk,
                            "person": person_id,
                            "organization": update.petition.owner_id,
                            "petition": update.petition.slug,
                            "title": update.title[:300],
                        },
                    )
                    for pk, person_id in batch
                ),
                group=update_group(update.pk),
                priority=outbox.BULK,
            )
            update.emailed_through = batch[-1][0]
            update.save(update_fields=["emailed_through"])
        queued += len(batch)


def build_update(args: dict[str, Any]) -> EmailMessage | None:
    return build_updates([args])[0]


def build_updates(many: list[dict[str, Any]]) -> list[EmailMessage | None]:
    """Update emails, each update and its recipients' signatures read once. A consent
    withdrawn since the email was queued stops it."""
    from groundswell.petitions.models import PetitionUpdate, Signature

    updates = PetitionUpdate.objects.select_related("petition", "petition__owner").in_bulk(
        {args["update"] for args in many}
    )
    signatures = {
        signature.pk: signature
        for update in updates.values()
        for signature in Signature.objects.filter(
            pk__in=[a["signature"] for a in many if a["update"] == update.pk],
            petition=update.petition,
        )
        .contactable_by(update.petition.owner)
        .select_related("person")
    }
    messages: list[EmailMessage | None] = []
    for args in many:
        update = updates.get(args["update"])
        signature = signatures.get(args["signature"])
        person = signature.person if signature else None
        if update is None or signature is None or person is None or not person.email:
            messages.append(None)
            continue
        petition, owner = update.petition, update.petition.owner
        unsubscribe = reverse("people:unsubscribe", args=[unsubscribe_token(person, owner)])
        messages.append(
            build_message(
                to=person.email,
                template="petitions/email/update",
                context={
                    "update": update,
                    "petition": petition,
                    "page": absolute(petition.get_absolute_url()),
                    "organization": owner,
                    "person": person,
                },
                language=signature.language,
                unsubscribe_url=absolute(unsubscribe),
            )
        )
    return messages


def update_sent(args: dict[str, Any]) -> None:
    """Count the email on the update and note it on the person's timeline (what that
    needs was written into the email's arguments when it was queued)."""
    from groundswell.petitions.models import PetitionUpdate

    outbox.bump(PetitionUpdate, args["update"], "emailed_count")
    if args.get("person"):
        Activity.objects.create(
            person_id=args["person"],
            organization_id=args["organization"],
            kind=Activity.Kind.EMAIL_SENT,
            summary=args["title"][:300],
            source=f"petition:{args['petition']}",
        )


# --- Invitations to co-sponsor -------------------------------------------------------------


@outbox.email("petitions.sponsor_invitation")
def send_sponsor_invitation(invitation_id: int, user_id: int) -> EmailMessage | None:
    """Tell one owner or admin of the invited organization that another asks it to
    co-sponsor a petition, with the page where they answer. Not sent once the invitation
    is answered or withdrawn, or to someone who no longer answers for the organization."""
    from groundswell.petitions.models import SponsorInvitation

    invitation = (
        SponsorInvitation.objects.pending()
        .select_related("petition", "petition__owner", "organization", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return None
    answerer = invitation.organization.answerers().filter(user_id=user_id).first()
    if answerer is None:
        return None
    page = reverse("petitions_manage:sponsorships", args=[invitation.organization.slug])
    return build_message(
        to=answerer.user.email,
        template="petitions/email/sponsor_invitation",
        context={
            "invitation": invitation,
            "petition": invitation.petition,
            "owner": invitation.petition.owner,
            "organization": invitation.organization,
            "link": absolute(page),
        },
        language=answerer.user.language,
    )
