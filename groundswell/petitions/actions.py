"""Every change to petitions and signatures goes through these functions."""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.db.models.constants import OnConflict
from django.db.models.sql.subqueries import InsertQuery
from django.utils import timezone
from django.utils.translation import gettext as _

from groundswell.core import tokens
from groundswell.core.tokens import LinkOutcome
from groundswell.organizations import actions as organization_actions
from groundswell.organizations.actions import NotAllowed
from groundswell.organizations.models import InvitationState, Membership, Organization
from groundswell.people import actions as people_actions
from groundswell.people.addresses import normalize_email
from groundswell.people.models import Person
from groundswell.petitions import (
    counts,
    emails,
    integrity,
    records,
    signals,
    signing_facts,
    tasks,
)
from groundswell.petitions.models import (
    SUSPECT,
    CountChange,
    Invalidation,
    Petition,
    PetitionRef,
    PetitionResponse,
    PetitionUpdate,
    Signature,
    SignatureState,
    SponsorInvitation,
    Status,
    Target,
)

if TYPE_CHECKING:
    from groundswell.accounts.models import User

VERIFY_SALT = "groundswell.petitions.verify"


# --- Petitions -----------------------------------------------------------------------------


def create_petition(
    *,
    owner: Organization,
    created_by: User | None,
    targets: list[dict[str, str]],
    sponsors: list[Organization] | None = None,
    **fields: Any,
) -> Petition:
    """Create a draft petition with its decision makers; the `sponsors` named are invited
    to co-sponsor it (set_sponsors)."""
    with transaction.atomic():
        petition = Petition.objects.create(owner=owner, created_by=created_by, **fields)
        set_targets(petition, targets)
        if sponsors:
            set_sponsors(petition, sponsors, by=created_by)
    return petition


def set_targets(petition: Petition, targets: list[dict[str, str]]) -> None:
    """Make the petition's decision makers these, in this order.

    A decision maker kept by name keeps its row, so responses recorded from them stay
    tied to them; a response from one who is removed keeps their name as responder.
    """
    wanted = [t for t in targets if t.get("name")]
    with transaction.atomic():
        existing = {t.name: t for t in petition.targets.all()}
        for position, fields in enumerate(wanted):
            target = existing.pop(fields["name"], None) or Target(petition=petition)
            target.name = fields["name"]
            target.title = fields.get("title", "")
            target.office = fields.get("office", "")
            target.position = position
            target.save()
        for removed in existing.values():
            PetitionResponse.objects.filter(target=removed, responder="").update(
                responder=str(removed)
            )
            removed.delete()


# --- Co-sponsors ---------------------------------------------------------------------------
#
# Naming another organization as co-sponsor invites it. It co-sponsors (Petition.sponsors:
# "Sponsored by", a consent box on the sign form, the signers made known to it) only once
# an owner or admin of it accepts, and either side may end that later. Who may answer for
# an organization is organizations.actions' rule.


def set_sponsors(
    petition: Petition, organizations: Iterable[Organization], *, by: User | None
) -> None:
    """The owner's choice of co-sponsors. Each organization newly named is invited (its
    owners and admins are emailed); one no longer named has its invitation withdrawn,
    or stops co-sponsoring."""
    wanted = {o.pk: o for o in organizations if o.pk != petition.owner_id}
    with transaction.atomic():
        # Locked first: an invitation accepted meanwhile is then a co-sponsor below.
        pending = {
            i.organization_id: i
            for i in SponsorInvitation.objects.pending()
            .select_for_update()
            .filter(petition=petition)
        }
        current = set(petition.sponsors.values_list("pk", flat=True))
        for pk, organization in wanted.items():
            if pk not in current and pk not in pending:
                invite_sponsor(petition, organization, by=by)
        for pk, invitation in pending.items():
            if pk not in wanted:
                organization_actions.decide(invitation, InvitationState.WITHDRAWN, by=by)
        if gone := current - wanted.keys():
            petition.sponsors.remove(*gone)
    _forget_facts(petition.slug)


def invite_sponsor(
    petition: Petition, organization: Organization, *, by: User | None
) -> SponsorInvitation:
    """Invite `organization` to co-sponsor the petition, and email its owners and admins."""
    if organization.pk == petition.owner_id:
        raise NotAllowed(_("An organization cannot co-sponsor its own petition."))
    with transaction.atomic():
        if petition.sponsors.filter(pk=organization.pk).exists():
            raise NotAllowed(
                _("%(organization)s already co-sponsors this petition.")
                % {"organization": organization.name}
            )
        invitation, created = SponsorInvitation.objects.pending().get_or_create(
            petition=petition, organization=organization, defaults={"invited_by": by}
        )
        if created:
            for answerer in organization.answerers():
                emails.send_sponsor_invitation.enqueue(invitation.pk, answerer.user_id)
    return invitation


def accept_sponsorship(actor: Membership, invitation: SponsorInvitation) -> None:
    """Co-sponsor the petition, on the word of an owner or admin of the invited
    organization: it then shows under "Sponsored by", signers may agree to hear from
    it, and the petition's confirmed signers become known to it (never how to reach
    them: they did not agree to that when they signed)."""
    with transaction.atomic():
        locked = organization_actions.lock_pending(invitation)
        actor = organization_actions.speaking_for(actor, locked.organization)
        organization_actions.decide(locked, InvitationState.ACCEPTED, by=actor.user)
        petition = Petition.objects.get(pk=locked.petition_id)
        petition.sponsors.add(locked.organization)
        records.link_signers(petition, [locked.organization])
    _forget_facts(petition.slug)


def decline_sponsorship(actor: Membership, invitation: SponsorInvitation) -> None:
    """Say no, as an owner or admin of the invited organization: nothing of it shows."""
    with transaction.atomic():
        locked = organization_actions.lock_pending(invitation)
        actor = organization_actions.speaking_for(actor, locked.organization)
        organization_actions.decide(locked, InvitationState.DECLINED, by=actor.user)


def stop_sponsoring(actor: Membership, petition: Petition) -> None:
    """End actor's organization's co-sponsorship, as an owner or admin of it: it leaves
    "Sponsored by" and the sign form. The supporters it learned of stay its own."""
    with transaction.atomic():
        actor = organization_actions.speaking_for(actor, actor.organization)
        if not petition.sponsors.filter(pk=actor.organization_id).exists():
            raise NotAllowed(
                _("%(organization)s does not co-sponsor this petition.")
                % {"organization": actor.organization.name}
            )
        petition.sponsors.remove(actor.organization)
    _forget_facts(petition.slug)


def _forget_facts(slug: str) -> None:
    """This process's signing facts (status, co-sponsors) of the petition: forgotten now,
    and again once the change is committed, so no sign POST keeps what it read before."""
    signing_facts.forget(slug)
    transaction.on_commit(lambda: signing_facts.forget(slug))


# --- Status --------------------------------------------------------------------------------
#
# The rules for a petition's status live here, so the organizer screen, the API, the admin
# and any command publish, close and reopen the same way: each asks, and turns a refusal
# into its own answer (an error message, a 400, an admin message).

VICTORY_FROM = frozenset({Status.OPEN, Status.CLOSED})


class StatusRefused(Exception):
    """The rules refuse this change of status; the message says why, in the reader's
    language. Nothing was changed."""


def not_ready(petition: Petition) -> str:
    """Why the petition cannot take signatures yet, or "": what publishing and
    reopening check, whoever asks."""
    if not petition.title.strip():
        return _("Give the petition a title before publishing.")
    if not petition.ask.strip():
        return _("Say what the petition asks for before publishing.")
    if not petition.targets.exists():
        return _("Add at least one decision maker before publishing.")
    if petition.deadline and petition.deadline < timezone.localdate():
        return _("The deadline has passed. Move it to a later day first.")
    if petition.signatures.filter(anonymized_at__isnull=False).exists():
        return _(
            "Its signers' details were erased after it closed, so the same people could "
            "sign twice. Start a new petition instead."
        )
    return ""


def victory_refused(petition: Petition) -> str:
    """Why the petition cannot declare victory now, or ""."""
    if petition.status not in VICTORY_FROM:
        return _("Only a published petition that has not already won can declare victory.")
    return ""


def _locked(petition: Petition, allowed_from: set[str], refused: str) -> Petition:
    """The petition's row, locked until the transaction ends, if its status (as it is
    now, not as the caller last read it) allows the change."""
    locked = Petition.objects.select_for_update().get(pk=petition.pk)
    if locked.status not in allowed_from:
        raise StatusRefused(refused)
    return locked


def _save_status(petition: Petition, locked: Petition, fields: list[str]) -> None:
    """Save the locked row's changed fields, and show them on the caller's instance."""
    locked.save(update_fields=[*fields, "updated_at"])
    for name in [*fields, "updated_at"]:
        setattr(petition, name, getattr(locked, name))
    _forget_facts(locked.slug)


def _open(petition: Petition, locked: Petition) -> None:
    problem = not_ready(locked)
    if problem:
        raise StatusRefused(problem)
    locked.status = Status.OPEN
    locked.published_at = locked.published_at or timezone.now()
    locked.closed_at = None
    _save_status(petition, locked, ["status", "published_at", "closed_at"])
    counts.refresh_totals([locked.pk])


def publish(petition: Petition) -> None:
    """Open a draft for signatures; StatusRefused if it is not ready to take them (no
    decision maker, no ask, a deadline passed…)."""
    with transaction.atomic():
        _open(petition, _locked(petition, {Status.DRAFT}, _("This petition is already published.")))


def reopen(petition: Petition) -> None:
    """Let a closed petition take signatures again, if it still may (StatusRefused)."""
    with transaction.atomic():
        _open(
            petition,
            _locked(petition, {Status.CLOSED}, _("Only a closed petition can be reopened.")),
        )


def close(petition: Petition) -> None:
    """Stop taking signatures; the page stays up with its count. Only an open petition."""
    with transaction.atomic():
        locked = _locked(petition, {Status.OPEN}, _("Only an open petition can be closed."))
        locked.status = Status.CLOSED
        locked.closed_at = timezone.now()
        _save_status(petition, locked, ["status", "closed_at"])


def declare_victory(petition: Petition, *, note: str = "", note_es: str = "") -> None:
    """Mark an open or closed petition won; it stops taking signatures and shows a
    victory banner."""
    with transaction.atomic():
        locked = Petition.objects.select_for_update().get(pk=petition.pk)
        problem = victory_refused(locked)
        if problem:
            raise StatusRefused(problem)
        now = timezone.now()
        locked.status = Status.WON
        locked.won_at = now
        locked.closed_at = locked.closed_at or now
        locked.victory_note = note
        locked.victory_note_es = note_es
        _save_status(
            petition, locked, ["status", "won_at", "closed_at", "victory_note", "victory_note_es"]
        )


def change_status(petition: Petition, status: str) -> None:
    """Bring the petition to `status` as the organizer screen would: publish a draft,
    reopen a closed petition, close an open one, declare victory. For the interfaces
    that name the status they want (the API, the admin); StatusRefused as the others."""
    if status == Status.OPEN:
        (publish if petition.status == Status.DRAFT else reopen)(petition)
    elif status == Status.CLOSED:
        close(petition)
    elif status == Status.WON:
        declare_victory(petition)
    else:
        raise StatusRefused(_("A published petition cannot become a draft."))


# --- Updates and responses -----------------------------------------------------------------


def post_update(petition: Petition, *, author: User | None, **fields: Any) -> PetitionUpdate:
    """Publish an update on the petition page; email it to consenting verified signers."""
    with transaction.atomic():
        update = PetitionUpdate.objects.create(petition=petition, author=author, **fields)
        if update.email_signers:
            tasks.queue_update_emails.enqueue(update.pk)
    return update


def record_response(
    petition: Petition, *, recorded_by: User | None, **fields: Any
) -> PetitionResponse:
    """Record a decision maker's response, shown on the petition page."""
    return PetitionResponse.objects.create(petition=petition, recorded_by=recorded_by, **fields)


def set_counts_unverified(petition: Petition, counts_unverified: bool) -> None:
    petition.counts_unverified = counts_unverified
    petition.save(update_fields=["counts_unverified", "updated_at"])
    counts.refresh_totals([petition.pk])


# --- Signing -------------------------------------------------------------------------------


class SignOutcome(enum.Enum):
    SIGNED = "signed"  # new signature, verification email queued
    RESENT = "resent"  # already signed, not verified yet: email sent again
    PENDING = "pending"  # already signed, not verified, resend limit reached
    ALREADY_VERIFIED = "already_verified"


@dataclass(frozen=True)
class SignResult:
    outcome: SignOutcome
    signature: Signature


def record_signature(
    petition: PetitionRef,
    *,
    first_name: str,
    last_name: str,
    email: str,
    email_normalized: str,
    zip_code: str,
    address: str = "",
    comment: str = "",
    public: bool = False,
    consents: list[int] | None = None,
    source: str = "",
    language: str = "en",
    ip_address: str | None = None,
    suspect_reason: str = "",
    send_email: bool = True,
) -> SignResult:
    """Store a pending signature and queue its verification email, in one transaction.

    The hot path: one INSERT for the signature (which is also its email's outbox
    entry) and one for its count change. It never updates a shared row. The same
    normalized email on the same petition never makes a second signature. A suspect
    signature (`suspect_reason`) is kept but stays out of the counts until an
    organizer clears it.
    """
    signature = Signature(
        petition_id=petition.pk,
        first_name=first_name,
        last_name=last_name,
        email=email,
        email_normalized=email_normalized,
        zip_code=zip_code,
        address=address,
        comment=comment,
        public=public,
        consents=sorted(set(consents or [])),
        source=source,
        language=language,
        ip_address=ip_address,
        suspect_reason=suspect_reason,
        verification_due=send_email,
    )
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        if _insert_in_one_statement(signature):
            return SignResult(SignOutcome.SIGNED, signature)
        return _signed_again(petition, email_normalized)
    try:
        with transaction.atomic():
            signature.save(force_insert=True)
            if signature.counts:
                counts.record_change(signature, total=1)
        return SignResult(SignOutcome.SIGNED, signature)
    except IntegrityError:
        pass
    return _signed_again(petition, email_normalized)


def record_vouched_signature(
    petition: Petition,
    person: Person,
    *,
    organization: Organization,
    first_name: str,
    last_name: str,
    email: str,
    zip_code: str = "",
    address: str = "",
    comment: str = "",
    language: str = "en",
    consent: bool = False,
) -> SignResult:
    """Record a signature an organization vouches for (collected on paper, at a door,
    or by its own tools) and sends over the API: verified at once, no confirmation
    email, with `api:<organization slug>` as its source.

    As with a confirmed signature, it counts and the signer becomes known to the
    petition's owner and co-sponsors; consent is not granted here (the caller records
    the organization's word on it). An address that already signed keeps its signature
    as it is: the outcome is then ALREADY_VERIFIED or PENDING. `consent` notes on the
    signature that the signer agreed to hear from the vouching organization.
    """
    key = normalize_email(email)
    signature = Signature(
        petition=petition,
        first_name=first_name,
        last_name=last_name,
        email=email,
        email_normalized=key,
        zip_code=zip_code,
        address=address,
        comment=comment,
        language=language or "en",
        source=f"api:{organization.slug}"[:40],
        consents=[organization.pk] if consent else [],
        state=SignatureState.VERIFIED,
        verified_at=timezone.now(),
        verification_due=False,
        verification_sends=0,
        person=person,
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                signature.save(force_insert=True)
        except IntegrityError:
            existing = Signature.objects.get(petition=petition, email_normalized=key)
            verified = existing.state == SignatureState.VERIFIED
            outcome = SignOutcome.ALREADY_VERIFIED if verified else SignOutcome.PENDING
            return SignResult(outcome, existing)
        organizations = petition.organizations
        for each in organizations:
            people_actions.link(person, each, **records.fields_of(signature, each))
        if signature.counts:
            counts.record_change(signature, total=1, verified=1)
            signals.announce_verified(signature, organizations)
    return SignResult(SignOutcome.SIGNED, signature)


def _insert_in_one_statement(signature: Signature) -> bool:
    """PostgreSQL: insert the signature and, if it counts, its count change, in one
    statement that commits on its own: one round trip, no BEGIN and COMMIT. False if
    this address had already signed (ON CONFLICT DO NOTHING inserted nothing).

    The INSERT is compiled by Django from the model, so its columns follow the model.
    """
    fields = [f for f in Signature._meta.concrete_fields if not f.primary_key]
    query = InsertQuery(
        Signature,
        on_conflict=OnConflict.IGNORE,
        unique_fields=[Signature._meta.get_field(n) for n in ("petition", "email_normalized")],
    )
    query.insert_values(fields, [signature])
    compiler = query.get_compiler(using=DEFAULT_DB_ALIAS)
    compiler.returning_fields = [Signature._meta.pk]
    [(insert_sql, insert_params)] = compiler.as_sql()
    change = CountChange._meta.db_table
    # Only Django-compiled SQL and a table name are formatted in; values are parameters.
    sql = (
        f"WITH signed AS ({insert_sql}), "  # noqa: S608
        f"counted AS (INSERT INTO {change} (petition_id, day, source, total, verified) "
        f"SELECT %s, %s, %s, 1, 0 FROM signed WHERE %s) "
        f"SELECT id FROM signed"
    )
    params = [
        *insert_params,
        signature.petition_id,
        signature.day,
        signature.source,
        signature.counts,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    signature.pk = row[0]
    signature._state.adding = False
    return True


def _signed_again(petition: PetitionRef, email_normalized: str) -> SignResult:
    """The same person signing again is told so by email, at most a few times.

    The page they see is the same whatever happened, so nobody can learn from it
    whether an address has signed. Once the first link has expired, the count starts
    over, so a signer who waited too long can still get a working link.
    """
    with transaction.atomic():
        existing = Signature.objects.select_for_update().get(
            petition_id=petition.pk, email_normalized=email_normalized
        )
        verified = existing.state == SignatureState.VERIFIED
        outcome = SignOutcome.ALREADY_VERIFIED if verified else SignOutcome.RESENT
        expired_before = timezone.now() - datetime.timedelta(
            days=settings.VERIFICATION_MAX_AGE_DAYS
        )
        if existing.verification_sends >= settings.VERIFICATION_MAX_SENDS:
            if verified or existing.created_at > expired_before:
                return SignResult(
                    SignOutcome.ALREADY_VERIFIED if verified else SignOutcome.PENDING, existing
                )
            existing.verification_sends = 0
        if existing.suspect_reason and existing.cleared_at is None:
            return SignResult(outcome, existing)  # no mail on a suspect's behalf
        existing.verification_sends += 1
        existing.verification_due = not verified
        existing.save(update_fields=["verification_sends", "verification_due"])
        if verified:
            emails.queue_already_signed(existing.pk)
        return SignResult(outcome, existing)


VERIFY_LINK = tokens.ConfirmationLink[Signature](
    salt=VERIFY_SALT,
    id_key="s",
    find=lambda pk: (
        Signature.objects.select_related("petition", "petition__owner").filter(pk=pk).first()
    ),
    confirmed=lambda signature: signature.state == SignatureState.VERIFIED,
    compress=True,
)


def verification_token(signature: Signature) -> str:
    """A signed, expiring token; validating it needs no lookup table."""
    return VERIFY_LINK.token(signature)


@dataclass(frozen=True)
class VerifyResult:
    outcome: LinkOutcome
    signature: Signature | None = None


def check_verification(token: str) -> VerifyResult:
    """What confirming with this link would do, changing nothing (for the confirm page)."""
    return VerifyResult(*VERIFY_LINK.check(token))


def verify_signature(token: str) -> VerifyResult:
    """Confirm a signature from its emailed link: it then counts and its consents apply.

    Consent ticked on the form is not renewed for an organization the person has
    unsubscribed from since signing: the later choice wins.
    """
    with transaction.atomic():
        result = check_verification(token)
        if result.outcome != LinkOutcome.PENDING or result.signature is None:
            return result
        signature = Signature.objects.select_for_update().get(pk=result.signature.pk)
        signature.petition = result.signature.petition
        if signature.state == SignatureState.VERIFIED:
            return VerifyResult(LinkOutcome.ALREADY_CONFIRMED, signature)
        person = people_actions.record_person(
            email=signature.email,
            first_name=signature.first_name,
            last_name=signature.last_name,
            zip_code=signature.zip_code,
            address=signature.address,
            language=signature.language,
        )
        allowed = {org.pk: org for org in signature.petition.organizations}
        for organization in allowed.values():
            people_actions.link(person, organization, **records.fields_of(signature, organization))
        for organization_id in signature.consents:
            if organization_id in allowed:
                people_actions.grant_consent(
                    person,
                    allowed[organization_id],
                    source=f"petition:{signature.petition.slug}",
                    given_at=signature.created_at,
                )
        signature.state = SignatureState.VERIFIED
        signature.verified_at = timezone.now()
        signature.person = person
        signature.save(update_fields=["state", "verified_at", "person"])
        if signature.counts:
            counts.record_change(signature, verified=1)
            signals.announce_verified(signature, allowed.values())
    return VerifyResult(LinkOutcome.CONFIRMED, signature)


# --- Integrity ----------------------------------------------------------------------------


def clear_suspects(petition: Petition, signatures: QuerySet[Signature]) -> int:
    """Let suspect signatures count after an organizer looked at them; returns how many.

    One UPDATE marks them, then one GROUP BY over exactly those rows adds them to the
    counts, so clearing a quarter million after an attack takes seconds, not minutes.
    Those still waiting for confirmation get their confirmation email then.
    """
    now = timezone.now()
    with transaction.atomic():
        cleared = (
            Signature.objects.suspect()
            .filter(petition=petition, pk__in=signatures.values("pk"))
            .update(cleared_at=now)
        )
        just_cleared = Signature.objects.filter(petition=petition, cleared_at=now)
        counts.record_changes(petition, just_cleared.counted(), direction=1)
        just_cleared.filter(state=SignatureState.PENDING, verification_sent_at=None).update(
            verification_due=True
        )
    return cleared


def invalidate(
    petition: Petition,
    *,
    kind: str,
    reason: str,
    by: User | None,
    value: str = "",
    starts_at: datetime.datetime | None = None,
    ends_at: datetime.datetime | None = None,
) -> Invalidation:
    """Take every signature matching an IP, a CIDR range, an email domain or a time
    window out of the counts, recording who did it, when and why. Reversible.

    The UPDATE comes first: it locks the rows, so a confirmation racing it is either
    already in the counts it subtracts or finds the signature invalidated.
    """
    invalidation = Invalidation(
        petition=petition,
        kind=kind,
        value=value,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        created_by=by,
    )
    with transaction.atomic():
        invalidation.save()
        matched = (
            integrity.matching(
                petition, kind=kind, value=value, starts_at=starts_at, ends_at=ends_at
            )
            .filter(invalidation__isnull=True)
            .update(invalidation=invalidation)
        )
        were_counted = invalidation.signatures.exclude(SUSPECT)
        counts.record_changes(petition, were_counted, direction=-1)
        invalidation.signature_count = matched
        invalidation.save(update_fields=["signature_count"])
    return invalidation


def reverse_invalidation(invalidation: Invalidation, *, by: User | None) -> int:
    """Undo an invalidation: its signatures count again as they did before."""
    with transaction.atomic():
        locked = Invalidation.objects.select_for_update().get(pk=invalidation.pk)
        if locked.reversed_at is not None:
            return 0
        # Lock the rows first, so none is confirmed between counting and restoring.
        list(locked.signatures.select_for_update().values_list("pk", flat=True))
        counts.record_changes(locked.petition, locked.signatures.exclude(SUSPECT), direction=1)
        restored = locked.signatures.update(invalidation=None)
        locked.reversed_at = timezone.now()
        locked.reversed_by = by
        locked.save(update_fields=["reversed_at", "reversed_by"])
    invalidation.refresh_from_db()
    return restored


# --- Organizer area ---


def update_petition(
    petition: Petition,
    *,
    targets: list[dict[str, str]] | None = None,
    sponsors: list[Organization] | None = None,
    by: User | None = None,
    **fields: Any,
) -> Petition:
    """Save an organizer's edits (`by`): texts and settings, decision makers, and the
    organizations named as co-sponsors (set_sponsors: new ones are invited).

    Only the given fields are written, so an edit never undoes a concurrent publish or
    close. Switching `counts_unverified` refreshes the counts; a replaced image's file
    is removed once the change is committed.
    """
    counts_unverified = fields.pop("counts_unverified", None)
    old_image = petition.image.name if "image" in fields else ""
    with transaction.atomic():
        for name, value in fields.items():
            setattr(petition, name, value)
        petition.save(update_fields=[*fields, "updated_at"])
        if targets is not None:
            set_targets(petition, targets)
        if sponsors is not None:
            set_sponsors(petition, sponsors, by=by)
        if counts_unverified is not None and counts_unverified != petition.counts_unverified:
            set_counts_unverified(petition, counts_unverified)
        if old_image and old_image != petition.image.name:
            storage = petition.image.storage
            transaction.on_commit(lambda: storage.delete(old_image))
    signing_facts.forget(petition.slug)
    return petition
