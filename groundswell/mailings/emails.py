"""A mailing's emails, sent through the outbox (groundswell.core.outbox): one per
recipient, and the test an organizer sends to themselves.

Each recipient's email is built when its turn comes, from the facts then: a mailing
cancelled meanwhile, or a person who unsubscribed, was erased or bounced, gets nothing
(their recipient row says "not sent"). Every one carries RFC 8058's one-click
unsubscribe (people's unsubscribe link, which takes the mail provider's POST) and the
header that lets a bounce or an abuse report name its mailing (mailings.bounces).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.safestring import mark_safe

from groundswell.core import outbox
from groundswell.core.mail import Frame, PreparedMessage, build_message, frame, slot
from groundswell.mailings import merge
from groundswell.mailings.models import Mailing, MailingState, Recipient, RecipientState
from groundswell.organizations.senders import sender
from groundswell.people.models import Person
from groundswell.people.tokens import unsubscribe_token

MAILING = "mailings.mailing"
TEST = "mailings.test"
# Names the mailing in each message, so a bounce or complaint that quotes it finds it.
HEADER = "X-Groundswell-Mailing"
TEMPLATE = "mailings/email/mailing"


def register() -> None:
    # No `sent` hook: mailings.sending.record_sent notes the sent emails in batches (a
    # commit per email fewer, on the busiest path).
    outbox.register(MAILING, build=build_one, build_many=build_many)
    outbox.register(TEST, build=build_test)


def key(mailing_id: int, person_id: int) -> str:
    return f"{MAILING}:{mailing_id}:{person_id}"


@dataclass(frozen=True)
class Version:
    language: str
    subject: merge.Compiled
    html: merge.Compiled
    text: merge.Compiled


_compiled: dict[tuple[int, str, str], dict[str, Version]] = {}


def versions(mailing: Mailing) -> dict[str, Version]:
    """The mailing's text in each of its languages, compiled once per process (only a
    draft can change, and a draft sends nothing but tests: the key has its time)."""
    cache_key = (mailing.pk, mailing.language, mailing.updated_at.isoformat())
    found = _compiled.get(cache_key)
    if found is None:
        texts = {mailing.language: (mailing.subject, mailing.body)}
        for version in mailing.versions.all():
            texts.setdefault(version.language, (version.subject, version.body))
        found = {
            language: Version(
                language,
                merge.compile_plain(subject),
                merge.compile_html(body),
                merge.compile_plain(body),
            )
            for language, (subject, body) in texts.items()
        }
        if len(_compiled) > 50:
            _compiled.clear()
        _compiled[cache_key] = found
    return found


def version_for(mailing: Mailing, language: str) -> Version:
    """The version in the person's language, else the mailing's own."""
    found = versions(mailing)
    base = language.split("-")[0]
    return found.get(language) or found.get(base) or found[mailing.language]


_senders: dict[tuple[str, ...], dict[str, str | None]] = {}


def _sender(mailing: Mailing, language: str) -> dict[str, str | None]:
    """The organization's sender (organizations.senders), asked once per organization's
    sender settings (as read with this batch) and language: From and Reply-To."""
    org = mailing.organization
    key = (
        str(org.pk),
        language,
        org.name,
        org.sender_name,
        org.sender_address,
        org.reply_to,
        *settings.MAIL_SENDER_DOMAINS,
    )
    found = _senders.get(key)
    if found is None:
        if len(_senders) > 200:
            _senders.clear()
        found = _senders[key] = sender(mailing.organization, language).headers()
    return found


def absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


def compose(
    mailing: Mailing,
    *,
    to: str,
    values: dict[str, str],
    language: str,
    unsubscribe_url: str | None,
    test: bool = False,
) -> EmailMessage:
    """The message of one mailing to one reader, in their language."""
    version = version_for(mailing, language)
    if unsubscribe_url is not None and not test:
        prepared = _frame(mailing, version)
        if prepared is not None:
            subject = " ".join(version.subject.fill(values).split())
            html = mark_safe(version.html.fill(values))  # cleaned; values escaped
            text = version.text.fill(values)
            message = PreparedMessage(
                prepared.frame,
                {"subject": subject, "html": html, "text": text, "unsubscribe": unsubscribe_url},
                lambda: compose_whole(mailing, version, to, values, unsubscribe_url, test),
                subject=subject,
                body=text,
                to=[to],
                from_email=prepared.from_email,
                reply_to=prepared.reply_to,
                headers={
                    "List-Unsubscribe": f"<{unsubscribe_url}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                    HEADER: str(mailing.pk),
                },
            )
            message.attach_alternative(html, "text/html")
            return message
    return compose_whole(mailing, version, to, values, unsubscribe_url, test)


def compose_whole(
    mailing: Mailing,
    version: Version,
    to: str,
    values: dict[str, str],
    unsubscribe_url: str | None,
    test: bool,
) -> EmailMessage:
    """The message built the usual way (templates, then the email package)."""
    message = build_message(
        to=to,
        template=TEMPLATE,
        context={
            "subject": version.subject.fill(values),
            "html": mark_safe(version.html.fill(values)),  # cleaned; values escaped
            "text": version.text.fill(values),
            "organization": mailing.organization,
            "test": test,
        },
        language=version.language,
        unsubscribe_url=unsubscribe_url,
        **_sender(mailing, version.language),
    )
    message.extra_headers[HEADER] = str(mailing.pk)
    return message


@dataclass(frozen=True)
class _Framed:
    frame: Frame
    from_email: str
    reply_to: list[str]


_frames: dict[tuple[object, ...], _Framed | None] = {}


def _frame(mailing: Mailing, version: Version) -> _Framed | None:
    """The MIME of this mailing's version, built once per process with slots for each
    reader's parts (core.mail.Frame); None if it cannot be (each is then built whole)."""
    sender_headers = _sender(mailing, version.language)
    cache_key = (
        mailing.pk,
        mailing.updated_at.isoformat(),
        version.language,
        mailing.organization.name,
        *sender_headers.values(),
    )
    if cache_key in _frames:
        return _frames[cache_key]
    model = build_message(
        to=slot("to"),
        template=TEMPLATE,
        context={
            "subject": slot("subject"),
            "html": mark_safe(slot("html")),
            "text": slot("text"),
            "organization": mailing.organization,
            "test": False,
        },
        language=version.language,
        unsubscribe_url=slot("unsubscribe"),
        **sender_headers,
    )
    model.extra_headers[HEADER] = str(mailing.pk)
    found = frame(model)
    framed = None
    if found is not None:
        framed = _Framed(found, model.from_email, list(model.reply_to))
    if len(_frames) > 200:
        _frames.clear()
    _frames[cache_key] = framed
    return framed


def unsubscribe_url(person: Person, mailing: Mailing) -> str:
    """people's one-click unsubscribe link (its path resolved once per process)."""
    global _unsubscribe_prefix
    if not _unsubscribe_prefix:
        _unsubscribe_prefix = absolute(reverse("people:unsubscribe", args=["TOKEN"]))
    token = unsubscribe_token(person, mailing.organization)
    return _unsubscribe_prefix.replace("TOKEN", token)


_unsubscribe_prefix = ""


def person_values(person: Person, mailing: Mailing) -> dict[str, str]:
    return merge.values_for(
        first_name=person.first_name,
        last_name=person.last_name,
        city=person.city,
        organization=mailing.organization.name,
    )


def build_one(args: dict[str, Any]) -> EmailMessage | None:
    return build_many([args])[0]


def build_many(many: list[dict[str, Any]]) -> list[EmailMessage | None]:
    """The recipients' emails, their mailings, rows and consents read once for all; a
    recipient no longer mailable (or of a cancelled mailing) is marked not sent."""
    from groundswell.mailings.audience import mailable

    mailings = Mailing.objects.select_related("organization").in_bulk(
        {args["mailing"] for args in many}
    )
    recipients = Recipient.objects.select_related("person").in_bulk(
        [args["recipient"] for args in many]
    )
    reachable: set[int] = set()
    for under_way in mailings.values():
        if under_way.state in (MailingState.SENDING, MailingState.PAUSED):
            ids = [r.person_id for r in recipients.values() if r.mailing_id == under_way.pk]
            reachable |= set(
                mailable(under_way.organization).filter(pk__in=ids).values_list("pk", flat=True)
            )
    messages: list[EmailMessage | None] = []
    unreachable: list[int] = []
    for args in many:
        mailing = mailings.get(args["mailing"])
        recipient = recipients.get(args["recipient"])
        if mailing is None or recipient is None:
            messages.append(None)
            continue
        if recipient.person_id not in reachable:
            unreachable.append(recipient.pk)
            messages.append(None)
            continue
        person = recipient.person
        messages.append(
            compose(
                mailing,
                to=person.email,
                values=person_values(person, mailing),
                language=person.language,
                unsubscribe_url=unsubscribe_url(person, mailing),
            )
        )
    if unreachable:
        Recipient.objects.filter(pk__in=unreachable, state=RecipientState.QUEUED).update(
            state=RecipientState.SKIPPED
        )
    return messages


def build_test(args: dict[str, Any]) -> EmailMessage | None:
    """The mailing as its first reader would get it, to the organizer who asked."""
    from groundswell.accounts.models import User

    mailing = Mailing.objects.select_related("organization").filter(pk=args["mailing"]).first()
    user = User.objects.filter(pk=args["user"], is_active=True).first()
    if mailing is None or user is None or not user.email:
        return None
    values = merge.values_for(
        first_name=user.first_name,
        last_name=user.last_name,
        city="",
        organization=mailing.organization.name,
    )
    return compose(
        mailing,
        to=user.email,
        values=values,
        language=args.get("language") or mailing.language,
        unsubscribe_url=None,
        test=True,
    )
