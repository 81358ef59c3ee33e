"""A ladder's email step: one message per (enrollment, step), through the outbox.

Its key names the enrollment and the step, so a step run again never queues a second
email. The message is built when it goes out, with mailings' merge fields, safe Markdown
and email template, and only if the person may still be mailed then (mailings.audience's
`mailable`, the one consent rule): someone who unsubscribed meanwhile gets nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.safestring import mark_safe

from groundswell.core import outbox
from groundswell.core.mail import build_message
from groundswell.ladders.models import Enrollment, Step
from groundswell.mailings import merge
from groundswell.mailings.audience import mailable
from groundswell.mailings.emails import TEMPLATE, absolute
from groundswell.organizations.senders import sender
from groundswell.people.tokens import unsubscribe_token

KIND = "ladders.step"


def register() -> None:
    outbox.register(KIND, build=build_step_email)


def key(enrollment_id: int, step_id: int) -> str:
    return f"{KIND}:{enrollment_id}:{step_id}"


def queue(enrollment: Enrollment, step: Step) -> None:
    """Queue the step's email to the enrolled person, in the caller's transaction."""
    outbox.enqueue(
        KIND,
        key(enrollment.pk, step.pk),
        {"enrollment": enrollment.pk, "step": step.pk},
        priority=outbox.BULK,
    )


def build_step_email(args: dict[str, Any]) -> EmailMessage | None:
    enrollment = (
        Enrollment.objects.select_related("person", "ladder__organization")
        .filter(pk=args["enrollment"])
        .first()
    )
    step = Step.objects.filter(pk=args["step"]).first()
    if enrollment is None or step is None:
        return None
    organization = enrollment.ladder.organization
    person = enrollment.person
    if not mailable(organization).filter(pk=person.pk).exists():
        return None
    values = merge.values_for(
        first_name=person.first_name,
        last_name=person.last_name,
        city=person.city,
        organization=organization.name,
    )
    token = unsubscribe_token(person, organization)
    return build_message(
        to=person.email,
        template=TEMPLATE,
        context={
            "subject": merge.compile_plain(step.subject).fill(values),
            # Cleaned by the safe-Markdown renderer; each value escaped.
            "html": mark_safe(merge.compile_html(step.body).fill(values)),
            "text": merge.compile_plain(step.body).fill(values),
            "organization": organization,
            "test": False,
        },
        language=person.language,
        unsubscribe_url=absolute(reverse("people:unsubscribe", args=[token])),
        **sender(organization, person.language).headers(),
    )
