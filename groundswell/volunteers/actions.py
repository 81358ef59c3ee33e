"""Every change to volunteer sign-ups and the follow-up pipeline goes through here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from groundswell.campaigns.models import Campaign
from groundswell.core import tokens
from groundswell.core.tokens import LinkOutcome
from groundswell.organizations.models import Organization
from groundswell.people import actions as people_actions
from groundswell.people.models import Person
from groundswell.volunteers import tasks
from groundswell.volunteers.models import (
    Interest,
    PipelineChange,
    Signup,
    Stage,
    Volunteer,
    VolunteerDetails,
    VolunteerForm,
)

if TYPE_CHECKING:
    from groundswell.accounts.models import User
    from groundswell.organizations.models import Membership

CONFIRM_SALT = "groundswell.volunteers.confirm"
# Confirmation emails for one address and organization within a day, however often the
# form is sent with it: enough for a lost email, too few to bother a stranger with.
MAX_SENDS_PER_DAY = 3


def source_of(organization: Organization, campaign: Campaign | None) -> str:
    """How the organization came to know a volunteer, for people's Supporter.source."""
    return f"volunteer:{campaign.slug}" if campaign else f"volunteer:{organization.slug}"


# --- Signing up ----------------------------------------------------------------------------


def record_signup(
    organization: Organization,
    *,
    campaign: Campaign | None,
    interests: list[Interest],
    email_normalized: str,
    consent: bool,
    language: str,
    ip_address: str | None,
    **details: Any,
) -> Signup:
    """Store a sign-up waiting for its email to be confirmed, and queue that email.

    The same address sending the form again gets at most MAX_SENDS_PER_DAY emails a day
    for the organization; the page the sender sees is the same whatever happened.
    """
    unknown = set(details) - set(VolunteerDetails.DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"not volunteer fields: {sorted(unknown)}")
    since = timezone.now() - datetime.timedelta(days=1)
    with transaction.atomic():
        recent = Signup.objects.filter(
            organization=organization,
            email_normalized=email_normalized,
            created_at__gte=since,
        ).count()
        signup = Signup.objects.create(
            organization=organization,
            campaign=campaign,
            email_normalized=email_normalized,
            consent=consent,
            language=language,
            ip_address=ip_address,
            confirmation_sends=0 if recent >= MAX_SENDS_PER_DAY else 1,
            **details,
        )
        signup.interests.set([i for i in interests if i.organization_id == organization.pk])
        if signup.confirmation_sends:
            tasks.send_confirmation.enqueue(signup.pk)
    return signup


CONFIRM_LINK = tokens.ConfirmationLink[Signup](
    salt=CONFIRM_SALT,
    id_key="s",
    find=lambda pk: (
        Signup.objects.select_related("organization", "campaign")
        .filter(pk=pk, erased_at__isnull=True)
        .first()
    ),
    confirmed=lambda signup: signup.confirmed_at is not None,
)


def confirmation_token(signup: Signup) -> str:
    """A signed, expiring token naming the sign-up; no lookup table needed."""
    return CONFIRM_LINK.token(signup)


@dataclass(frozen=True)
class ConfirmResult:
    outcome: LinkOutcome
    signup: Signup | None = None


def check_confirmation(token: str) -> ConfirmResult:
    """What confirming with this link would do, changing nothing (the confirm page)."""
    return ConfirmResult(*CONFIRM_LINK.check(token))


def confirm_signup(token: str) -> ConfirmResult:
    """Confirm a sign-up from its emailed link: the person becomes known to the
    organization, its consent applies if ticked, and they join the pipeline as "new"
    (or, already in it, their answers are brought up to date)."""
    with transaction.atomic():
        result = check_confirmation(token)
        if result.outcome != LinkOutcome.PENDING or result.signup is None:
            return result
        signup = Signup.objects.select_for_update().get(pk=result.signup.pk)
        if signup.confirmed_at is not None:
            return ConfirmResult(LinkOutcome.ALREADY_CONFIRMED, signup)
        signup.organization = result.signup.organization
        signup.campaign = result.signup.campaign
        person = people_actions.record_person(
            email=signup.email,
            first_name=signup.first_name,
            last_name=signup.last_name,
            language=signup.language,
        )
        source = source_of(signup.organization, signup.campaign)
        contact = {"email": signup.email, "phone": signup.phone} if signup.consent else {}
        people_actions.link(
            person,
            signup.organization,
            source=source,
            first_name=signup.first_name,
            last_name=signup.last_name,
            language=signup.language,
            **contact,
        )
        if signup.consent:
            people_actions.grant_consent(
                person, signup.organization, source=source, given_at=signup.created_at
            )
        now = timezone.now()
        signup.confirmed_at = now
        signup.volunteer = _join_pipeline(signup, person, now)
        signup.save(update_fields=["confirmed_at", "volunteer"])
    return ConfirmResult(LinkOutcome.CONFIRMED, signup)


def _join_pipeline(signup: Signup, person: Person, now: datetime.datetime) -> Volunteer:
    details = {name: getattr(signup, name) for name in VolunteerDetails.DETAIL_FIELDS}
    volunteer = (
        Volunteer.objects.select_for_update()
        .filter(organization=signup.organization, person=person)
        .first()
    )
    if volunteer is None:
        try:
            with transaction.atomic():
                volunteer = Volunteer.objects.create(
                    organization=signup.organization,
                    person=person,
                    campaign=signup.campaign,
                    signed_up_at=now,
                    stage_changed_at=now,
                    **details,
                )
        except IntegrityError:
            # A second confirmation of the same person, a moment ago: update that one.
            volunteer = Volunteer.objects.select_for_update().get(
                organization=signup.organization, person=person
            )
        else:
            volunteer.interests.set(signup.interests.all())
            PipelineChange.objects.create(
                volunteer=volunteer, kind=PipelineChange.Kind.SIGNED_UP, to_stage=Stage.NEW, at=now
            )
            return volunteer
    # They signed up again: their latest answers stand; someone inactive is new again.
    for name, value in details.items():
        setattr(volunteer, name, value)
    volunteer.campaign = signup.campaign or volunteer.campaign
    before = volunteer.stage
    if before == Stage.INACTIVE:
        volunteer.stage = Stage.NEW
        volunteer.stage_changed_at = now
    volunteer.save()
    volunteer.interests.add(*signup.interests.all())
    PipelineChange.objects.create(
        volunteer=volunteer,
        kind=PipelineChange.Kind.SIGNED_UP,
        from_stage=before,
        to_stage=volunteer.stage,
        at=now,
    )
    return volunteer


# --- The pipeline --------------------------------------------------------------------------


def move_stage(volunteer: Volunteer, stage: str, *, by: User | None, note: str = "") -> bool:
    """Move the volunteer to another stage, noting who and why; False if already there."""
    with transaction.atomic():
        locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if locked.stage == stage:
            return False
        now = timezone.now()
        PipelineChange.objects.create(
            volunteer=locked,
            kind=PipelineChange.Kind.STAGE,
            from_stage=locked.stage,
            to_stage=stage,
            note=note.strip(),
            by=by,
            at=now,
        )
        locked.stage = stage
        locked.stage_changed_at = now
        locked.save(update_fields=["stage", "stage_changed_at"])
    volunteer.stage, volunteer.stage_changed_at = locked.stage, locked.stage_changed_at
    return True


def assign(volunteer: Volunteer, assignee: User | None, *, by: User | None) -> bool:
    """Make `assignee` (a staff member of the organization, or nobody) responsible for
    following up; False if nothing changed."""
    if (
        assignee is not None
        and not assignee.memberships.filter(organization_id=volunteer.organization_id).exists()
    ):
        raise ValueError("the assignee is not on the organization's staff")
    with transaction.atomic():
        locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if locked.assignee_id == (assignee.pk if assignee else None):
            return False
        locked.assignee = assignee
        locked.save(update_fields=["assignee"])
        PipelineChange.objects.create(
            volunteer=locked,
            kind=PipelineChange.Kind.ASSIGNED,
            note=(assignee.get_full_name() or assignee.email) if assignee else "",
            by=by,
        )
    volunteer.assignee = assignee
    return True


def unassign_member(membership: Membership, successor: Membership | None = None) -> int:
    """A member leaves the organization's staff: the volunteers assigned to them go to
    `successor`, or are nobody's again (each change in their history), so the daily
    reminder goes to the organization's contacts instead. Returns how many
    (organizations.departures)."""
    volunteers = Volunteer.objects.filter(
        organization_id=membership.organization_id, assignee_id=membership.user_id
    )
    taker = successor.user if successor is not None else None
    return sum(1 for volunteer in volunteers if assign(volunteer, taker, by=None))


def add_note(volunteer: Volunteer, note: str, *, by: User | None) -> PipelineChange:
    """An organizer's note on the follow-up ("left a voicemail")."""
    return PipelineChange.objects.create(
        volunteer=volunteer, kind=PipelineChange.Kind.NOTE, note=note.strip(), by=by
    )


# --- The organization's form ---------------------------------------------------------------


def save_form_settings(organization: Organization, **fields: Any) -> VolunteerForm:
    form, _ = VolunteerForm.objects.update_or_create(organization=organization, defaults=fields)
    return form


def add_interest(organization: Organization, name: str, name_es: str = "") -> Interest:
    """Add (or bring back, if archived) one of the organization's interests."""
    name = " ".join(name.split())[:100]
    with transaction.atomic():
        interest = Interest.objects.filter(organization=organization, name__iexact=name).first()
        if interest is not None:
            interest.archived = False
            interest.name_es = name_es or interest.name_es
            interest.save(update_fields=["archived", "name_es"])
            return interest
        last = Interest.objects.filter(organization=organization).order_by("-position").first()
        return Interest.objects.create(
            organization=organization,
            name=name,
            name_es=" ".join(name_es.split())[:100],
            position=(last.position + 1) if last else 0,
        )


def archive_interest(interest: Interest) -> None:
    """Take an interest off the form; volunteers who chose it keep it."""
    interest.archived = True
    interest.save(update_fields=["archived"])
