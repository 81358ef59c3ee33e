"""Background work for petitions: the emails. Each task is safe to run again."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from groundswell.core.mail import build_message, deliver
from groundswell.people.actions import unsubscribe_token


def absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


@task()
def send_verification(signature_id: int, attempt: int = 0) -> None:
    """Email the signer the link that confirms their signature."""
    from groundswell.petitions.actions import verification_token
    from groundswell.petitions.models import Signature, SignatureState

    signature = Signature.objects.select_related("petition").filter(pk=signature_id).first()
    if signature is None or signature.state != SignatureState.PENDING:
        return
    link = absolute(reverse("petitions:verify", args=[verification_token(signature)]))
    message = build_message(
        to=signature.email,
        template="petitions/email/verify",
        context={"signature": signature, "petition": signature.petition, "link": link},
        language=signature.language,
    )
    deliver([message], task=send_verification, args=(signature_id,), attempt=attempt)


@task()
def send_already_signed(signature_id: int, attempt: int = 0) -> None:
    """Tell someone who signed again that their signature is already confirmed."""
    from groundswell.petitions.models import Signature, SignatureState

    signature = Signature.objects.select_related("petition").filter(pk=signature_id).first()
    if signature is None or signature.state != SignatureState.VERIFIED:
        return
    message = build_message(
        to=signature.email,
        template="petitions/email/already_signed",
        context={
            "signature": signature,
            "petition": signature.petition,
            "page": absolute(signature.petition.get_absolute_url()),
        },
        language=signature.language,
    )
    deliver([message], task=send_already_signed, args=(signature_id,), attempt=attempt)


@task()
def send_cleared_verifications(petition_id: int, cleared_at: str, after: int = 0) -> None:
    """Queue confirmation emails for suspects an organizer cleared, a batch at a time."""
    from groundswell.petitions.models import Signature, SignatureState

    batch = list(
        Signature.objects.filter(
            petition_id=petition_id,
            cleared_at=datetime.datetime.fromisoformat(cleared_at),
            state=SignatureState.PENDING,
            pk__gt=after,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[: settings.EMAIL_BATCH_SIZE]
    )
    for signature_id in batch:
        send_verification.enqueue(signature_id)
    if len(batch) == settings.EMAIL_BATCH_SIZE:
        send_cleared_verifications.enqueue(petition_id, cleared_at, after=batch[-1])


@task()
def send_milestone_notice(milestone_id: int, attempt: int = 0) -> None:
    """Tell the owner organization its petition reached a milestone."""
    from groundswell.petitions.models import Milestone

    with transaction.atomic():
        milestone = (
            Milestone.objects.select_for_update()
            .select_related("petition", "petition__owner")
            .filter(pk=milestone_id, notified_at__isnull=True)
            .first()
        )
        if milestone is None:
            return
        petition = milestone.petition
        dashboard = absolute(
            reverse("petitions_manage:dashboard", args=[petition.owner.slug, petition.slug])
        )
        messages = [
            build_message(
                to=recipient,
                template="petitions/email/milestone",
                context={
                    "milestone": milestone,
                    "petition": petition,
                    "dashboard": dashboard,
                    "page": absolute(petition.get_absolute_url()),
                },
            )
            for recipient in petition.owner.notice_recipients()
        ]
        if not deliver(messages, task=send_milestone_notice, args=(milestone_id,), attempt=attempt):
            return
        milestone.notified_at = timezone.now()
        milestone.save(update_fields=["notified_at"])


@task()
def send_update_batch(update_id: int, attempt: int = 0) -> None:
    """Email one batch of an update to verified signers who consented to the owner,
    then queue the next batch. Progress is kept on the update, so a rerun resumes."""
    from groundswell.petitions.models import Signature, Update

    with transaction.atomic():
        update = (
            Update.objects.select_for_update()
            .select_related("petition", "petition__owner")
            .filter(pk=update_id)
            .first()
        )
        if update is None:
            return
        petition = update.petition
        owner = petition.owner
        batch = list(
            Signature.objects.filter(petition=petition, pk__gt=update.emailed_through)
            .contactable_by(owner)
            .select_related("person")
            .order_by("pk")[: settings.EMAIL_BATCH_SIZE]
        )
        if not batch:
            update.emailed_at = update.emailed_at or timezone.now()
            update.save(update_fields=["emailed_at"])
            return
        page = absolute(petition.get_absolute_url())
        messages = []
        for signature in batch:
            person = signature.person
            assert person is not None
            unsubscribe = absolute(
                reverse("people:unsubscribe", args=[unsubscribe_token(person, owner)])
            )
            messages.append(
                build_message(
                    to=person.email,
                    template="petitions/email/update",
                    context={
                        "update": update,
                        "petition": petition,
                        "page": page,
                        "organization": owner,
                        "person": person,
                    },
                    language=signature.language,
                    unsubscribe_url=unsubscribe,
                )
            )
        if not deliver(messages, task=send_update_batch, args=(update_id,), attempt=attempt):
            return  # progress is not recorded: the retry sends this batch again
        update.emailed_through = batch[-1].pk
        update.emailed_count += len(batch)
        update.save(update_fields=["emailed_through", "emailed_count"])
        send_update_batch.enqueue(update.pk)
