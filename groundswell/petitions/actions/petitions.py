"""Creating and editing petitions, their decision makers, updates and responses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from groundswell.organizations.models import Organization
from groundswell.petitions import (
    counts,
    signing_facts,
    tasks,
)
from groundswell.petitions.actions.sponsors import set_sponsors
from groundswell.petitions.models import (
    Petition,
    PetitionResponse,
    PetitionUpdate,
    Target,
)

if TYPE_CHECKING:
    from groundswell.accounts.models import User


def create_petition(
    *,
    owner: Organization,
    created_by: User | None,
    targets: list[dict[str, Any]],
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


def set_targets(petition: Petition, targets: list[dict[str, Any]]) -> None:
    """Make the petition's decision makers these, in this order.

    Each is a name (with a title and office), or a decision maker on record
    (`decision_maker`, whose name it carries), with an optional `response_threshold`.
    A decision maker kept (the same record, or else the same name) keeps its row, so
    responses, deliveries and packets stay tied to them; a response from one who is
    removed keeps their name as responder.
    """
    wanted = [t for t in targets if t.get("name")]
    with transaction.atomic():
        existing = list(petition.targets.all())
        on_record = {t.decision_maker_id: t for t in existing if t.decision_maker_id}
        by_name = {t.name: t for t in existing}
        kept: set[int] = set()
        for position, fields in enumerate(wanted):
            decision_maker = fields.get("decision_maker")
            target = (on_record.get(decision_maker.pk) if decision_maker else None) or by_name.get(
                fields["name"]
            )
            if target is None or target.pk in kept:
                target = Target(petition=petition)
            target.name = fields["name"]
            target.title = fields.get("title", "")
            target.office = fields.get("office", "")
            target.decision_maker = decision_maker
            target.response_threshold = fields.get("response_threshold")
            target.position = position
            target.save()
            kept.add(target.pk)
        for removed in existing:
            if removed.pk in kept:
                continue
            PetitionResponse.objects.filter(target=removed, responder="").update(
                responder=str(removed)
            )
            removed.delete()


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
    """Record a decision maker's response, shown on the petition page; with
    `email_signers`, email it to consenting verified signers as updates are."""
    with transaction.atomic():
        response = PetitionResponse.objects.create(
            petition=petition, recorded_by=recorded_by, **fields
        )
        if response.email_signers:
            tasks.queue_response_emails.enqueue(response.pk)
    return response


def set_counts_unverified(petition: Petition, counts_unverified: bool) -> None:
    petition.counts_unverified = counts_unverified
    petition.save(update_fields=["counts_unverified", "updated_at"])
    counts.refresh_totals([petition.pk])


def update_petition(
    petition: Petition,
    *,
    targets: list[dict[str, Any]] | None = None,
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
