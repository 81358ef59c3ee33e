"""The cases' emails: an emergency nobody acted on, escalated to the case managers and
owners. It says which case and how long it waited, never what is in it. A case manager
gets a link to the case; an owner who is not one (and cannot open it) a link to the page
where owners name case managers."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.urls import reverse

from groundswell.core import outbox
from groundswell.core.mail import build_message


@outbox.email("cases.escalation")
def send_escalation(case_id: int, user_id: int) -> EmailMessage | None:
    """Built when it is sent: nothing if someone acted meanwhile, the case is gone, or
    the recipient no longer manages cases or owns the organization."""
    from groundswell.cases.actions import escalation_recipients
    from groundswell.cases.models import Case, CaseManager

    case = Case.objects.select_related("organization", "case_type").filter(pk=case_id).first()
    if case is None or case.acted_at is not None or case.closed_at is not None:
        return None
    if user_id not in escalation_recipients(case.organization_id):
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return None
    if not case.organization.still_reaches(user.email, user_id=user.pk):
        return None
    minutes = settings.CASES_EMERGENCY_SLA_MINUTES
    # A case manager opens the case; an owner who is not one cannot, and is sent to the
    # page where owners name case managers.
    manager = CaseManager.objects.filter(organization=case.organization, user=user).exists()
    slug = case.organization.slug
    path = (
        reverse("cases_manage:detail", args=[slug, case.pk])
        if manager
        else reverse("cases_manage:managers", args=[slug])
    )
    return build_message(
        to=user.email,
        template="cases/email/escalation",
        context={
            "case": case,
            "minutes": minutes,
            "link": settings.BASE_URL + path,
            "manager": manager,
        },
        language=getattr(user, "language", None),
    )


@outbox.email("cases.acknowledgment")
def send_acknowledgment(case_id: int, person_id: int) -> EmailMessage | None:
    """To whoever asked for help on the public form: it arrived, and someone will be in
    touch. It names the organization and the request's number, never the person helped,
    the kind of case or what it says (someone else may read this mailbox)."""
    from groundswell.cases.models import Case, CaseRole, RoleKind
    from groundswell.people.models import Person

    case = Case.objects.select_related("organization").filter(pk=case_id).first()
    if case is None:
        return None
    on_case = CaseRole.objects.filter(case=case, person_id=person_id, kind=RoleKind.FAMILY)
    person = Person.objects.filter(pk=person_id, email__gt="").first()
    if person is None or not on_case.exists():
        return None  # erased meanwhile, or taken off the case
    return build_message(
        to=person.email,
        template="cases/email/acknowledgment",
        context={"case": case, "organization": case.organization},
        language=person.language,
        reply_to=case.organization.email or None,
    )
