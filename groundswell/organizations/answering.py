"""An organization's answer to another, as the organizer pages carry it out: accepting
or declining an invitation (to co-sponsor a petition, to partner in a campaign), or
ending what it accepted. The rule of who may answer lives in the action (through
organizations.actions.speaking_for); these helpers only find the invitation addressed to
the organization in the URL and turn the action's outcome into a message and a redirect,
the same way for every kind of invitation."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404

from groundswell.organizations.actions import NotAllowed
from groundswell.organizations.models import Membership, OrganizationInvitation

Invited = TypeVar("Invited", bound=OrganizationInvitation)


def invitation_to(model: type[Invited], membership: Membership, pk: int, *related: str) -> Invited:
    """The invitation `pk` if it is addressed to the member's organization; 404 for any
    other, so an organization cannot learn of others' invitations."""
    return get_object_or_404(
        model._default_manager.select_related(*related),
        pk=pk,
        organization=membership.organization,
    )


def answer(
    request: HttpRequest,
    act: Callable[[], object],
    *,
    done: str,
    then: str,
    refused: str,
) -> HttpResponseRedirect:
    """Run the action `act`; on success say `done` and go to `then`, on refusal
    (NotAllowed: not an owner or admin, already answered) say why and go to `refused`.
    Nothing changes when it is refused."""
    try:
        act()
    except NotAllowed as refusal:
        messages.error(request, str(refusal))
        return HttpResponseRedirect(refused, status=303)
    messages.success(request, done)
    return HttpResponseRedirect(then, status=303)
