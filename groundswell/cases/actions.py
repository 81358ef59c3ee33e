"""Every change to cases goes through these functions; each writes its audit entry in
the same transaction, and the first staff action on a case stops its emergency clock."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from groundswell.cases import audit, documents, emails, vault
from groundswell.cases.case_types import DEFAULT_ACTIVITY_TYPES
from groundswell.cases.models import (
    BREAK_GLASS_HOURS,
    Activity,
    ActivityType,
    BreakGlass,
    Case,
    CaseManager,
    CaseRole,
    CaseStatus,
    CaseType,
    Note,
    RoleKind,
    Urgency,
    is_case_manager,
)
from groundswell.organizations.models import Membership, Organization, Role
from groundswell.people import actions as people_actions

if TYPE_CHECKING:
    from groundswell.accounts.models import User
    from groundswell.campaigns.models import Campaign


# The Alliance's case types: (slug, name, emergency, public, statuses, planned activities
# as (title, hours after the reference date)). Names are the organization's own words,
# stored as given (an organization renames or adds its types).
DEFAULT_TYPES: list[tuple[str, str, bool, bool, list[str], list[tuple[str, int]]]] = [
    (
        "medical-emergency",
        "Medical emergency",
        True,
        True,
        ["New", "Pressing the facility", "Care given"],
        [
            ("Call the facility's health care unit", 2),
            ("Follow up with the facility", 24),
            ("Check on the person with family", 72),
        ],
    ),
    (
        "torture-claim",
        "Torture claim",
        False,
        True,
        ["New", "Gathering evidence", "Filed at the TIRC", "Decided"],
        [("Meet the claimant", 14 * 24), ("TIRC filing deadline", 90 * 24)],
    ),
    (
        "wrongful-conviction",
        "Wrongful conviction",
        False,
        True,
        ["New", "Reviewing the record", "With counsel", "Resolved"],
        [("Request the trial record", 30 * 24)],
    ),
    (
        "brutality-by-staff",
        "Brutality by staff",
        False,
        True,
        ["New", "Documenting", "Complaint filed", "Resolved"],
        [("Document the injuries", 24), ("File a grievance", 7 * 24)],
    ),
    (
        "re-entry-support",
        "Re-entry support",
        False,
        False,
        ["New", "Planning", "Supporting", "Settled"],
        [("Plan housing before release", -30 * 24)],
    ),
    (
        "legal-defense",
        "Legal defense",
        False,
        False,
        ["New", "Court support", "Verdict"],
        [("Organize court support for the next hearing", 7 * 24)],
    ),
]
CLOSED_STATUS = "Closed"


def seed_case_types(organization: Organization) -> list[CaseType]:
    """Give the organization the default case types it does not have yet (by slug);
    running it again changes nothing."""
    made = []
    with transaction.atomic():
        for order, (slug, name, emergency, public, statuses, planned) in enumerate(DEFAULT_TYPES):
            case_type, created = CaseType.objects.get_or_create(
                organization=organization,
                slug=slug,
                defaults={"name": name, "emergency": emergency, "public": public, "order": order},
            )
            if not created:
                continue
            for number, status in enumerate([*statuses, CLOSED_STATUS]):
                CaseStatus.objects.create(
                    case_type=case_type, name=status, order=number, closes=status == CLOSED_STATUS
                )
            for title, hours in planned:
                case_type.planned.create(title=title, offset_hours=hours)
            for number, kind in enumerate(DEFAULT_ACTIVITY_TYPES):
                case_type.activity_types.create(name=kind, order=number)
            made.append(case_type)
    return made


def add_case_manager(organization: Organization, user: User, *, by: User | None) -> bool:
    """Make a staff member a case manager; returns False if they were one already."""
    if not Membership.objects.filter(organization=organization, user=user).exists():
        raise ValueError("only a member of the staff can manage cases")
    with transaction.atomic():
        _, created = CaseManager.objects.get_or_create(organization=organization, user=user)
        if created:
            audit.record(
                None, "manager_added", by=by, organization_id=organization.pk, detail=user.email
            )
    return created


def remove_case_manager(organization: Organization, user: User, *, by: User | None) -> bool:
    with transaction.atomic():
        removed, _ = CaseManager.objects.filter(organization=organization, user=user).delete()
        if removed:
            audit.record(
                None, "manager_removed", by=by, organization_id=organization.pk, detail=user.email
            )
    return bool(removed)


@dataclass(frozen=True)
class Requester:
    """Who asked for help on the public form (a family member, a friend)."""

    name: str
    email: str
    phone: str = ""
    language: str = "en"


def open_case(
    organization: Organization,
    *,
    case_type: CaseType,
    urgency: int = Urgency.ROUTINE,
    client_name: str = "",
    client_email: str = "",
    client_phone: str = "",
    facility: str = "",
    jurisdiction: str = "",
    idoc_number: str = "",
    tirc_number: str = "",
    reference_date: datetime.date | None = None,
    description: str = "",
    medical_details: str = "",
    legal_notes: str = "",
    by: User | None = None,
    source: str = Case.Source.INTAKE,
    requester: Requester | None = None,
) -> Case:
    """Open a case, its confidential fields sealed, its type's activities planned from
    the reference date. A case of an emergency type is an emergency and starts the clock
    (CASES_EMERGENCY_SLA_MINUTES). The client is recorded in the people registry when
    they can be reached (an address or number); the requester as the family contact."""
    if case_type.organization_id != organization.pk:
        raise ValueError("the case type belongs to another organization")
    now = timezone.now()
    reference_date = reference_date or timezone.localdate()
    if case_type.emergency:
        urgency = Urgency.EMERGENCY
    with transaction.atomic():
        client = None
        if client_email or client_phone:
            first, _, last = client_name.partition(" ")
            client = people_actions.record_person(
                email=client_email,
                phone=client_phone,
                first_name=first[:100],
                last_name=last[:100],
                organization=organization,
            )
        case = Case.objects.create(
            organization=organization,
            case_type=case_type,
            status=case_type.first_status(),
            urgency=urgency,
            client=client,
            facility=facility,
            jurisdiction=jurisdiction,
            idoc_number=idoc_number,
            tirc_number=tirc_number,
            reference_date=reference_date,
            source=source,
            opened_at=now,
            created_by=by,
            sla_due_at=(
                now + datetime.timedelta(minutes=settings.CASES_EMERGENCY_SLA_MINUTES)
                if urgency == Urgency.EMERGENCY
                else None
            ),
        )
        vault.seal(
            case,
            client_name=client_name,
            description=description,
            medical_details=medical_details,
            legal_notes=legal_notes,
        )
        if requester is not None:
            typed = " · ".join(
                part for part in (requester.name, requester.email, requester.phone) if part
            )
            vault.seal(case, requester=typed)
        case.save(
            update_fields=[
                "client_name",
                "requester",
                "description",
                "medical_details",
                "legal_notes",
            ]
        )
        start = datetime.datetime.combine(
            reference_date, datetime.time(9), tzinfo=timezone.get_current_timezone()
        )
        if case_type.emergency:
            start = now
        Activity.objects.bulk_create(
            Activity(
                case=case,
                title=planned.title,
                due_at=start + datetime.timedelta(hours=planned.offset_hours),
            )
            for planned in case_type.planned.all()
        )
        if requester is not None:
            first, _, last = requester.name.partition(" ")
            person = people_actions.record_person(
                email=requester.email,
                phone=requester.phone,
                first_name=first[:100],
                last_name=last[:100],
                language=requester.language,
                organization=organization,
            )
            CaseRole.objects.create(case=case, kind=RoleKind.FAMILY, person=person)
            # They hear that the request arrived (and nothing of what it says).
            emails.send_acknowledgment.enqueue(
                case.pk, person.pk, key=f"cases.acknowledgment:{case.pk}"
            )
        audit.record(case, "create", by=by, detail=source)
    return case


def _acted(case: Case, now: datetime.datetime) -> None:
    """A staff member acted on the case: its emergency clock stops."""
    if case.acted_at is None:
        case.acted_at = now
        Case.objects.filter(pk=case.pk, acted_at__isnull=True).update(acted_at=now)


def record_read(case: Case, *, by: User, what: str = "") -> None:
    """Someone opened the case's contents (its page, its export)."""
    audit.record(case, "read", by=by, detail=what)


def assign(case: Case, user: User, *, kind: str = RoleKind.ADVOCATE, by: User) -> CaseRole:
    """Assign a staff member of the case's organization (who then sees the case)."""
    if not Membership.objects.filter(organization_id=case.organization_id, user=user).exists():
        raise ValueError("only a member of the staff can be assigned")
    with transaction.atomic():
        role, created = CaseRole.objects.get_or_create(case=case, kind=kind, user=user)
        if created:
            audit.record(case, "assign", by=by, detail=f"{kind}: {user.email}")
        _acted(case, timezone.now())
    return role


def unassign(role: CaseRole, *, by: User) -> None:
    """Take a staff member off a case (a case manager's decision): they no longer see it."""
    membership = Membership.objects.filter(organization_id=role.case.organization_id, user=by)
    if not any(is_case_manager(found) for found in membership):
        raise PermissionError("only a case manager takes someone off a case")
    if role.user_id is None:
        raise ValueError("only a staff member's role is taken off here")
    with transaction.atomic():
        audit.record(role.case, "unassign", by=by, detail=f"{role.kind}: {role.user or ''}")
        role.delete()


def link_campaign(case: Case, campaign: Campaign | None, *, public: bool, by: User) -> None:
    """Link (or unlink, with None) the campaign that supports the case. A public link
    counts the case in the campaign page's figures, never anything about it alone."""
    if campaign is not None and campaign.owner_id != case.organization_id:
        raise ValueError("the campaign belongs to another organization")
    public = public and campaign is not None
    with transaction.atomic():
        case.campaign, case.campaign_public = campaign, public
        case.save(update_fields=["campaign", "campaign_public"])
        detail = f"campaign {campaign.pk}, {'public' if public else 'private'}" if campaign else ""
        audit.record(case, "campaign", by=by, detail=detail or "none")


def add_note(case: Case, text: str, *, by: User) -> Note:
    """Add a note, sealed with the case's key."""
    with transaction.atomic():
        note = Note.objects.create(case=case, body=vault.seal_note(case, text), author=by)
        audit.record(case, "note", by=by)
        _acted(case, note.created_at)
    return note


def update_case(case: Case, *, by: User, **fields: Any) -> list[str]:
    """Change a case's fields (sealed ones sealed); the audit entry names the fields
    that changed, never their values."""
    sealed = {name: value for name, value in fields.items() if name in vault.SEALED_FIELDS}
    plain = {name: value for name, value in fields.items() if name not in sealed}
    current = vault.opened(case)
    changed = [name for name, value in sealed.items() if current[name] != value]
    changed += [name for name, value in plain.items() if getattr(case, name) != value]
    if not changed:
        return []
    with transaction.atomic():
        vault.seal(case, **{name: sealed[name] for name in changed if name in sealed})
        for name in changed:
            if name in plain:
                setattr(case, name, plain[name])
        case.save(update_fields=changed)
        audit.record(case, "update", by=by, detail=", ".join(changed))
        _acted(case, timezone.now())
    return changed


def set_status(case: Case, status: CaseStatus, *, by: User) -> None:
    """Move the case to one of its type's statuses; a closing one closes it."""
    if status.case_type_id != case.case_type_id:
        raise ValueError("that status belongs to another case type")
    now = timezone.now()
    with transaction.atomic():
        case.status = status
        case.closed_at = (case.closed_at or now) if status.closes else None
        case.save(update_fields=["status", "closed_at"])
        audit.record(case, "close" if status.closes else "status", by=by, detail=status.name)
        _acted(case, now)


def close_case(case: Case, *, by: User) -> None:
    closing = case.case_type.closing_status()
    if closing is None:
        raise ValueError("this case type has no closing status")
    set_status(case, closing, by=by)


def complete_activity(activity: Activity, *, by: User) -> bool:
    now = timezone.now()
    with transaction.atomic():
        done = Activity.objects.filter(pk=activity.pk, done_at__isnull=True).update(
            done_at=now, done_by=by
        )
        if done:
            # The activity's number, never its title: the log is read by owners who may
            # not read the case, and an activity's title can say what the case holds.
            audit.record(activity.case, "activity_done", by=by, detail=f"activity {activity.pk}")
            _acted(activity.case, now)
    return bool(done)


def add_activity(
    case: Case,
    title: str,
    due_at: datetime.datetime | None,
    *,
    by: User,
    activity_type: ActivityType | None = None,
) -> Activity:
    """Add an activity (of one of the case type's kinds, if given; titled by its kind
    when no title is given)."""
    if activity_type is not None and activity_type.case_type_id != case.case_type_id:
        raise ValueError("that kind of activity belongs to another case type")
    title = title.strip() or (activity_type.name if activity_type else "")
    if not title:
        raise ValueError("an activity needs a title or a kind")
    with transaction.atomic():
        activity = Activity.objects.create(
            case=case, title=title, due_at=due_at, activity_type=activity_type
        )
        audit.record(case, "activity_added", by=by, detail=f"activity {activity.pk}")
        _acted(case, timezone.now())
    return activity


def break_glass(case: Case, membership: Membership, reason: str) -> BreakGlass:
    """A case manager opens a case they are not assigned to, saying why: logged, listed
    to the owners, and open to them for BREAK_GLASS_HOURS."""
    reason = reason.strip()
    if not reason:
        raise ValueError("a reason is required")
    now = timezone.now()
    with transaction.atomic():
        opened = BreakGlass.objects.create(
            case=case,
            user=membership.user,
            reason=reason,
            at=now,
            until=now + datetime.timedelta(hours=BREAK_GLASS_HOURS),
        )
        audit.record(case, "break_glass", by=membership.user, detail=reason)
    return opened


def delete_case(case: Case, *, by: User) -> None:
    """Delete a case and its data key: what remains of its ciphertext anywhere (a backup)
    can no longer be read. The audit log keeps that it existed and who deleted it."""
    stored = list(case.documents.values_list("stored_as", flat=True))
    with transaction.atomic():
        audit.record(case, "delete", by=by)
        case.delete()
        transaction.on_commit(lambda: documents.remove_files(stored))


def delete_expired(now: datetime.datetime | None = None) -> int:
    """The periodic job: delete the cases closed more than CASES_RETENTION_DAYS ago (0
    keeps them), each with its key and files as delete_case does; the audit log keeps
    that each existed and was deleted for retention. Returns how many."""
    days = settings.CASES_RETENTION_DAYS
    if days <= 0:
        return 0
    before = (now or timezone.now()) - datetime.timedelta(days=days)
    deleted = 0
    for case in Case.objects.filter(closed_at__lt=before).order_by("pk")[:500]:
        stored = list(case.documents.values_list("stored_as", flat=True))
        with transaction.atomic():
            # Only if it is still closed long enough (reopened meanwhile: kept).
            locked = (
                Case.objects.select_for_update().filter(pk=case.pk, closed_at__lt=before).first()
            )
            if locked is None:
                continue
            audit.record(locked, "delete", detail=f"retention: closed over {days} days")
            locked.delete()
            transaction.on_commit(partial(documents.remove_files, stored))
        deleted += 1
    return deleted


def escalate_overdue(now: datetime.datetime | None = None) -> int:
    """The periodic job: each emergency whose clock ran out with nobody acting is
    escalated once, by email to the organization's case managers and owners. The case
    is marked in the transaction that queues its emails (claimed FOR UPDATE SKIP LOCKED,
    so several workers share the work and none is queued twice)."""
    now = now or timezone.now()
    escalated = 0
    while True:
        with transaction.atomic():
            batch = list(
                Case.objects.overdue_emergencies(now)
                .select_for_update(skip_locked=True)
                .order_by("pk")[:50]
            )
            if not batch:
                break
            for case in batch:
                for user_id in escalation_recipients(case.organization_id):
                    emails.send_escalation.enqueue(
                        case.pk, user_id, key=f"cases.escalation:{case.pk}:{user_id}"
                    )
                audit.record(case, "escalated")
            Case.objects.filter(pk__in=[case.pk for case in batch]).update(escalated_at=now)
        escalated += len(batch)
    return escalated


def escalation_recipients(organization_id: int) -> list[int]:
    """The users an escalation goes to: the case managers and the owners."""
    managers = CaseManager.objects.filter(organization_id=organization_id).values_list(
        "user_id", flat=True
    )
    owners = Membership.objects.filter(
        organization_id=organization_id, role=Role.OWNER
    ).values_list("user_id", flat=True)
    return sorted(set(managers) | set(owners))
