"""Every change to ladders goes through these functions, and each checks who may make it
(an organizer of the ladder's organization) and that what it names is the
organization's own. A refusal raises Refused with a translated message and changes
nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.events.models import Event
from groundswell.ladders.models import Ladder, Step, StepKind, StopCondition, Trigger
from groundswell.mailings import merge
from groundswell.organizations.models import Membership, Role
from groundswell.people.models import PersonList, Tag
from groundswell.petitions.models import Petition

MAX_WAIT_HOURS = 24 * 365


class Refused(Exception):
    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def _check(membership: Membership, ladder: Ladder | None = None) -> None:
    if not membership.has_role(Role.ORGANIZER):
        raise Refused(_("Only an organizer of the organization may do this."))
    if ladder is not None and ladder.organization_id != membership.organization_id:
        raise Refused(_("This follow-up belongs to another organization."))


def _own(membership: Membership, model: Any, pk: Any) -> Any:
    """The organization's own petition, event, tag or list with this id, else Refused."""
    organization = membership.organization
    found: QuerySet[Any]
    if model is Petition:
        found = Petition.objects.involving(organization)
    elif model is Event:
        found = Event.objects.involving(organization)
    else:
        found = model.objects.filter(organization=organization)
    item = found.filter(pk=pk).first() if str(pk or "").isdigit() else None
    if item is None:
        raise Refused(_("Choose one of your organization's own."))
    return item


@transaction.atomic
def save_ladder(
    membership: Membership, ladder: Ladder | None, *, name: str, trigger: str, target: Any
) -> Ladder:
    """Create a ladder (paused), or rename one and change what starts it."""
    _check(membership, ladder)
    name = " ".join(name.split())[:200]
    if not name:
        raise Refused(_("A follow-up needs a name."))
    objects = {
        Trigger.SIGNED: ("petition", Petition),
        Trigger.RSVPED: ("event", Event),
        Trigger.ATTENDED: ("event", Event),
        Trigger.VOLUNTEERED: (None, None),
        Trigger.TAGGED: ("tag", Tag),
        Trigger.JOINED: ("person_list", PersonList),
    }
    if trigger not in objects:
        raise Refused(_("Choose what starts the follow-up."))
    field, model = objects[Trigger(trigger)]
    item = None if model is None else _own(membership, model, target)
    if ladder is None:
        ladder = Ladder(organization=membership.organization)
    ladder.name, ladder.trigger = name, trigger
    ladder.petition = ladder.event = ladder.tag = ladder.person_list = None
    if field is not None:
        setattr(ladder, field, item)
    ladder.save()
    return ladder


@transaction.atomic
def set_active(membership: Membership, ladder: Ladder, active: bool) -> Ladder:
    """Start or pause the ladder. Paused, nobody is enrolled and nobody moves; started
    again, it enrolls who acts from then on and the people on it go on."""
    _check(membership, ladder)
    if active and not ladder.steps.exists():
        raise Refused(_("Add a step before starting the follow-up."))
    if active and not ladder.active:
        now = timezone.now()
        ladder.activated_at = ladder.swept_until = now
    ladder.active = active
    ladder.save(update_fields=["active", "activated_at", "swept_until"])
    return ladder


@transaction.atomic
def save_step(membership: Membership, ladder: Ladder, step: Step | None, **fields: Any) -> Step:
    """Add a step at the end of the ladder, or change one. `fields`: kind, wait_hours,
    subject, body, condition, tag, person_list, event, petition (ids)."""
    _check(membership, ladder)
    if step is not None and step.ladder_id != ladder.pk:
        raise Refused(_("This follow-up belongs to another organization."))
    kind = fields.get("kind")
    if kind not in StepKind.values:
        raise Refused(_("Choose a kind of step."))
    if step is None:
        last = ladder.steps.aggregate(last=Max("position"))["last"]
        step = Step(ladder=ladder, position=0 if last is None else last + 1)
    step.kind = kind
    step.wait_hours, step.subject, step.body, step.condition = 0, "", "", ""
    step.tag = step.person_list = step.event = step.petition = None
    if kind == StepKind.WAIT:
        hours = fields.get("wait_hours") or 0
        if not 1 <= int(hours) <= MAX_WAIT_HOURS:
            raise Refused(_("Wait at least one hour and at most a year."))
        step.wait_hours = int(hours)
    elif kind == StepKind.EMAIL:
        step.subject = str(fields.get("subject") or "").strip()[:200]
        step.body = str(fields.get("body") or "").strip()
        if not step.subject or not step.body:
            raise Refused(_("An email needs a subject and a message."))
        bad = merge.unknown_fields(step.subject) + merge.unknown_fields(step.body)
        if bad:
            raise Refused(
                _("%(tags)s is not a merge field. Use one of %(fields)s.")
                % {
                    "tags": ", ".join(dict.fromkeys(bad)),
                    "fields": ", ".join("{{ " + name + " }}" for name in merge.FIELDS),
                }
            )
    elif kind == StepKind.TAG:
        step.tag = _own(membership, Tag, fields.get("tag"))
    elif kind == StepKind.LIST:
        step.person_list = _own(membership, PersonList, fields.get("person_list"))
        if step.person_list.kind != PersonList.Kind.STATIC:
            raise Refused(_("People can be added to a list, not to a saved search."))
    else:
        condition = fields.get("condition")
        step.condition = condition or ""
        if condition == StopCondition.HAS_TAG:
            step.tag = _own(membership, Tag, fields.get("tag"))
        elif condition == StopCondition.RSVPED:
            step.event = _own(membership, Event, fields.get("event"))
        elif condition == StopCondition.SIGNED:
            step.petition = _own(membership, Petition, fields.get("petition"))
        else:
            raise Refused(_("Choose when the follow-up stops."))
    step.save()
    return step


@transaction.atomic
def delete_step(membership: Membership, step: Step) -> None:
    """Remove a step; the steps after it move up one place."""
    ladder = step.ladder
    _check(membership, ladder)
    position = step.position
    step.delete()
    for later in ladder.steps.filter(position__gt=position).order_by("position"):
        Step.objects.filter(pk=later.pk).update(position=later.position - 1)
