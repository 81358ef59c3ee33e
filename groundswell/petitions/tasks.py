"""Background work for petitions: the emails. Each task is safe to run again."""

from __future__ import annotations

import logging
import smtplib
import time

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from groundswell.core.mail import build_message, deliver, send_messages
from groundswell.people.actions import unsubscribe_token
from groundswell.people.models import Activity

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


VERIFICATION_BACKOFF_MAX = 300.0
_backoff = {"until": 0.0, "delay": 0.0}


def reset_backoff() -> None:
    """Forget a past mail-server failure (a new worker process starts fresh too)."""
    _backoff.update(until=0.0, delay=0.0)


def send_due_verifications(*, now: float | None = None) -> int:
    """Send the confirmation emails waiting in the outbox (signatures marked due), a
    batch at a time over one SMTP connection; returns how many were sent.

    A batch is claimed with SELECT … FOR UPDATE SKIP LOCKED, so several workers share
    the work. If the mail server fails, the batch's transaction rolls back (the emails
    stay due) and this job waits, doubling the wait up to five minutes, before trying
    again.
    """
    from groundswell.petitions.actions import verification_token
    from groundswell.petitions.models import Signature, SignatureState

    now = time.monotonic() if now is None else now
    if now < _backoff["until"]:
        return 0
    sent = 0
    while True:
        try:
            with transaction.atomic():
                batch = list(
                    Signature.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(verification_due=True)
                    .select_related("petition")
                    .order_by("pk")[: settings.EMAIL_BATCH_SIZE]
                )
                if not batch:
                    _backoff["delay"] = 0.0
                    return sent
                messages = [
                    build_message(
                        to=signature.email,
                        template="petitions/email/verify",
                        context={
                            "signature": signature,
                            "petition": signature.petition,
                            "link": absolute(
                                reverse("petitions:verify", args=[verification_token(signature)])
                            ),
                        },
                        language=signature.language,
                    )
                    for signature in batch
                    if signature.state == SignatureState.PENDING
                ]
                send_messages(messages)
                Signature.objects.filter(pk__in=[s.pk for s in batch]).update(
                    verification_due=False, verification_sent_at=timezone.now()
                )
        except (smtplib.SMTPException, OSError) as exc:
            delay = min(max(_backoff["delay"] * 2, 5.0), VERIFICATION_BACKOFF_MAX)
            _backoff.update(delay=delay, until=now + delay)
            logger.warning("Confirmation emails not sent (%s); trying again in %ss", exc, delay)
            return sent
        sent += len(messages)
        if len(batch) < settings.EMAIL_BATCH_SIZE:
            _backoff["delay"] = 0.0
            return sent


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
        Activity.objects.bulk_create(
            Activity(
                person=signature.person,
                organization=owner,
                kind=Activity.Kind.EMAIL_SENT,
                summary=update.title[:300],
                source=f"petition:{petition.slug}",
            )
            for signature in batch
        )
        send_update_batch.enqueue(update.pk)
