"""The petitions' emails, each sent through the outbox (groundswell.core.outbox):
confirmations, "you already signed", milestone notices, updates, decision makers'
responses and invitations to co-sponsor.

Each builder looks the facts up again when the email's turn comes, and returns None
when the email is no longer called for (a confirmed or erased signature, a withdrawn
consent), so nothing is sent on stale grounds.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from groundswell.core import outbox
from groundswell.core.mail import build_message
from groundswell.organizations.emails import invitation_to_answer
from groundswell.organizations.senders import sender
from groundswell.people.models import Activity
from groundswell.people.tokens import unsubscribe_token

CONFIRMATION = "petitions.confirmation"
ALREADY_SIGNED = "petitions.already_signed"
MILESTONE = "petitions.milestone"
UPDATE = "petitions.update"
RESPONSE = "petitions.response"


def absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


def register() -> None:
    outbox.register(CONFIRMATION, build=build_confirmation, build_many=build_confirmations)
    outbox.register(ALREADY_SIGNED, build=build_already_signed)
    outbox.register(MILESTONE, build=build_milestone)
    outbox.register(UPDATE, build=build_update, sent=update_sent, build_many=build_updates)
    outbox.register(RESPONSE, build=build_response, sent=response_sent, build_many=build_responses)
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

    found = Signature.objects.select_related("petition", "petition__owner").in_bulk(
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
                **sender(signature.petition.owner, signature.language).headers(),
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

    signature = (
        Signature.objects.select_related("petition", "petition__owner")
        .filter(pk=args["signature"])
        .first()
    )
    if signature is None or signature.state != SignatureState.VERIFIED or not signature.email:
        return None
    return build_message(
        **sender(signature.petition.owner, signature.language).headers(),
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
        # From the organization's sender identity, as its other petition emails: its
        # staff filter and reply as they do for those.
        **sender(petition.owner).headers(),
    )


# --- Updates and responses ----------------------------------------------------------------
#
# An update posted by the owner and a decision maker's response recorded by it reach the
# same people the same way: one email per verified signer who consented to the owner,
# queued in batches that remember how far they got (`emailed_through`), counted as they
# go out (`emailed_count`). One path for both; `News` says what differs.


@dataclass(frozen=True)
class News:
    kind: str  # the outbox kind, and the argument naming the row ("update", "response")
    arg: str
    model_name: str
    template: str

    @property
    def model(self) -> Any:
        from django.apps import apps

        return apps.get_model("petitions", self.model_name)

    def group(self, pk: int) -> str:
        return f"{self.kind}:{pk}"

    def summary(self, item: Any) -> str:
        """What the person's timeline says was sent (in the organization's records)."""
        if self.arg == "update":
            return str(item.title)
        return gettext("Response from %(who)s") % {"who": item.who}


UPDATES = News(
    kind=UPDATE, arg="update", model_name="PetitionUpdate", template="petitions/email/update"
)
RESPONSES = News(
    kind=RESPONSE,
    arg="response",
    model_name="PetitionResponse",
    template="petitions/email/response",
)


def update_group(update_id: int) -> str:
    return UPDATES.group(update_id)


def queue_update_recipients(update_id: int) -> int:
    """Queue the update's emails (queue_news_recipients)."""
    return queue_news_recipients(UPDATES, update_id)


def queue_response_recipients(response_id: int) -> int:
    """Queue the response's emails (queue_news_recipients)."""
    return queue_news_recipients(RESPONSES, response_id)


def queue_news_recipients(news: News, pk: int) -> int:
    """Queue one email per verified signer who consented to the owner, a batch per
    short transaction, remembering how far it got on the update or response
    (`emailed_through`): a run that is cut off and run again resumes there, and the
    emails' keys make any batch it repeats a no-op. Returns how many were queued by
    this run."""
    from groundswell.petitions.models import Signature

    queued = 0
    while True:
        with transaction.atomic():
            item = (
                news.model.objects.select_for_update()
                .select_related("petition", "petition__owner")
                .filter(pk=pk)
                .first()
            )
            if item is None or item.emailed_at is not None or not item.email_signers:
                return queued
            batch = list(
                Signature.objects.filter(petition=item.petition, pk__gt=item.emailed_through)
                .contactable_by(item.petition.owner)
                .order_by("pk")
                .values_list("pk", "person_id")[: settings.EMAIL_BATCH_SIZE]
            )
            if not batch:
                item.emailed_at = timezone.now()  # every recipient is queued
                item.save(update_fields=["emailed_at"])
                return queued
            summary = news.summary(item)[:300]
            outbox.enqueue_many(
                news.kind,
                (
                    (
                        f"{news.kind}:{item.pk}:person:{person_id}",
                        {
                            news.arg: item.pk,
                            "signature": pk,
                            "person": person_id,
                            "organization": item.petition.owner_id,
                            "petition": item.petition.slug,
                            "title": summary,
                        },
                    )
                    for pk, person_id in batch
                ),
                group=news.group(item.pk),
                priority=outbox.BULK,
            )
            item.emailed_through = batch[-1][0]
            item.save(update_fields=["emailed_through"])
        queued += len(batch)


def build_update(args: dict[str, Any]) -> EmailMessage | None:
    return build_news(UPDATES, [args])[0]


def build_updates(many: list[dict[str, Any]]) -> list[EmailMessage | None]:
    return build_news(UPDATES, many)


def build_response(args: dict[str, Any]) -> EmailMessage | None:
    return build_news(RESPONSES, [args])[0]


def build_responses(many: list[dict[str, Any]]) -> list[EmailMessage | None]:
    return build_news(RESPONSES, many)


def build_news(news: News, many: list[dict[str, Any]]) -> list[EmailMessage | None]:
    """Update or response emails, each item and its recipients' signatures read once. A
    consent withdrawn since the email was queued stops it."""
    from groundswell.petitions.models import Signature

    items = news.model.objects.select_related("petition", "petition__owner").in_bulk(
        {args[news.arg] for args in many}
    )
    signatures = {
        signature.pk: signature
        for item in items.values()
        for signature in Signature.objects.filter(
            pk__in=[a["signature"] for a in many if a[news.arg] == item.pk],
            petition=item.petition,
        )
        .contactable_by(item.petition.owner)
        .select_related("person")
    }
    messages: list[EmailMessage | None] = []
    for args in many:
        item = items.get(args[news.arg])
        signature = signatures.get(args["signature"])
        person = signature.person if signature else None
        if item is None or signature is None or person is None or not person.email:
            messages.append(None)
            continue
        petition, owner = item.petition, item.petition.owner
        unsubscribe = reverse("people:unsubscribe", args=[unsubscribe_token(person, owner)])
        messages.append(
            build_message(
                **sender(owner, signature.language).headers(),
                to=person.email,
                template=news.template,
                context={
                    news.arg: item,
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
    news_sent(UPDATES, args)


def response_sent(args: dict[str, Any]) -> None:
    news_sent(RESPONSES, args)


def news_sent(news: News, args: dict[str, Any]) -> None:
    """Count the email on its update or response and note it on the person's timeline
    (what that needs was written into the email's arguments when it was queued)."""
    outbox.bump(news.model, args[news.arg], "emailed_count")
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

    found = invitation_to_answer(
        SponsorInvitation, invitation_id, user_id, "petition", "petition__owner"
    )
    if found is None:
        return None
    invitation, answerer = found
    page = reverse("petitions_manage:sponsorships", args=[invitation.organization.slug])
    return build_message(
        **sender(invitation.petition.owner, answerer.user.language).headers(),
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
