"""A petition's status, by one set of rules for every interface (organizer screens,
the API, the admin): publishing, reopening, closing and declaring victory."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groundswell.petitions import (
    counts,
)
from groundswell.petitions.actions.sponsors import _forget_facts
from groundswell.petitions.models import (
    Petition,
    Status,
)

if TYPE_CHECKING:
    pass


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
