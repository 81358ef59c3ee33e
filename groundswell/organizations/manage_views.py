"""The organization's part of /manage/: overview, settings, staff and coalition members.

Every view starts with `membership_for`, which answers 403 to anyone below the role.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groundswell.organizations import actions, sections
from groundswell.organizations.forms import (
    CoalitionMemberForm,
    InviteForm,
    OrganizationForm,
    RoleForm,
)
from groundswell.organizations.models import (
    ROLE_RANK,
    CoalitionInvitation,
    Invitation,
    InvitationState,
    Membership,
    Organization,
    Role,
)
from groundswell.organizations.permissions import membership_for


def _members_url(membership: Membership) -> str:
    return reverse("organizations_manage:members", args=[membership.organization.slug])


def _coalition_url(membership: Membership) -> str:
    return reverse("organizations_manage:coalition", args=[membership.organization.slug])


@require_safe
@login_required
def home(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    organization = membership.organization
    waiting = sections.waiting(membership)
    invitations = CoalitionInvitation.objects.pending().addressed_to(organization).count()
    if invitations:
        text = ngettext(
            "An invitation to join a coalition",
            "%(count)s invitations to join a coalition",
            invitations,
        ) % {"count": invitations}
        waiting.append(sections.Waiting(text=text, url=_coalition_url(membership)))
    # The apps above add their parts (petitions and what waits on them) through
    # organizations.sections; the template reads the parts, this view the waiting list.
    return render(
        request,
        "organizations/manage/home.html",
        {
            "membership": membership,
            "organization": organization,
            "section": "home",
            "staff_count": organization.memberships.count(),
            # Waiting for an owner's or admin's answer.
            "waiting": waiting,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def edit_settings(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org, Role.ADMIN)
    organization = membership.organization
    # The form edits its own copy, so a rejected name never shows in the page heading.
    editable = Organization.objects.get(pk=organization.pk)
    previous_logo = editable.logo.name or ""
    # Requiring two-factor of the staff is the owners' decision; admins see it read-only.
    security = {
        "can_require_two_factor": membership.role == Role.OWNER,
        "has_two_factor": bool(getattr(request, "two_factor_verified", False)),
    }
    if request.method == "POST":
        form = OrganizationForm(request.POST, request.FILES, instance=editable, **security)
        if form.is_valid():
            actions.update_profile(form.instance, previous_logo=previous_logo)
            messages.success(request, _("The organization's profile is saved."))
            return redirect("organizations_manage:settings", org=organization.slug)
    else:
        form = OrganizationForm(instance=editable, **security)
    return render(
        request,
        "organizations/manage/settings.html",
        {
            "membership": membership,
            "organization": organization,
            "section": "settings",
            "form": form,
        },
    )


def _members_page(
    request: HttpRequest, membership: Membership, invite_form: InviteForm | None = None
) -> HttpResponse:
    organization = membership.organization
    roles = actions.grantable_roles(membership)
    staff = sorted(
        organization.memberships.select_related("user"),
        key=lambda m: (-ROLE_RANK[Role(m.role)], str(m.user).lower()),
    )
    rows = [
        {
            "membership": member,
            "is_me": member.pk == membership.pk,
            "can_manage": actions.can_manage(membership, member),
            "role_form": RoleForm(
                initial={"role": member.role}, roles=roles, prefix=f"member-{member.pk}"
            ),
        }
        for member in staff
    ]
    invitations = [
        {"invitation": invitation, "expires_at": actions.invitation_expires_at(invitation)}
        for invitation in organization.invitations.filter(
            accepted_at=None, revoked_at=None
        ).select_related("invited_by")
    ]
    if invite_form is None and roles:
        invite_form = InviteForm(roles=roles)
    return render(
        request,
        "organizations/manage/members.html",
        {
            "membership": membership,
            "organization": organization,
            "section": "members",
            "rows": rows,
            "invitations": invitations,
            "now": timezone.now(),
            "invite_form": invite_form,
            "can_invite": bool(roles),
        },
    )


@require_safe
@login_required
def members(request: HttpRequest, org: str) -> HttpResponse:
    return _members_page(request, membership_for(request, org))


@require_POST
@login_required
def invite(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org, Role.ADMIN)
    form = InviteForm(request.POST, roles=actions.grantable_roles(membership))
    if form.is_valid():
        try:
            invitation = actions.invite_staff(
                membership, form.cleaned_data["email"], form.cleaned_data["role"]
            )
        except actions.NotAllowed as refusal:
            form.add_error("email", str(refusal))
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return HttpResponseRedirect(_members_url(membership))
    return _members_page(request, membership, invite_form=form)


@require_POST
@login_required
def change_role(request: HttpRequest, org: str, member: int) -> HttpResponse:
    membership = membership_for(request, org, Role.ADMIN)
    target = get_object_or_404(
        Membership.objects.select_related("user"), pk=member, organization=membership.organization
    )
    form = RoleForm(
        request.POST, roles=actions.grantable_roles(membership), prefix=f"member-{target.pk}"
    )
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles offered."))
        return HttpResponseRedirect(_members_url(membership))
    try:
        actions.change_role(membership, target, form.cleaned_data["role"])
    except actions.NotAllowed as refusal:
        messages.error(request, str(refusal))
    else:
        target.refresh_from_db()
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {"name": target.user, "role": target.get_role_display()},
        )
    if target.pk == membership.pk and target.role != membership.role:
        # Stepped down: the members page may no longer offer them the same controls.
        return redirect("organizations_manage:home", org=membership.organization.slug)
    return HttpResponseRedirect(_members_url(membership))


@require_POST
@login_required
def remove_member(request: HttpRequest, org: str, member: int) -> HttpResponse:
    membership = membership_for(request, org)
    target = get_object_or_404(
        Membership.objects.select_related("user"), pk=member, organization=membership.organization
    )
    try:
        actions.remove_member(membership, target)
    except actions.NotAllowed as refusal:
        messages.error(request, str(refusal))
        return HttpResponseRedirect(_members_url(membership))
    if target.pk == membership.pk:
        messages.success(
            request,
            _("You left %(organization)s.") % {"organization": membership.organization.name},
        )
        return redirect("front_manage:index")
    messages.success(request, _("%(name)s was removed from the staff.") % {"name": target.user})
    return HttpResponseRedirect(_members_url(membership))


@require_POST
@login_required
def revoke_invitation(request: HttpRequest, org: str, invitation: int) -> HttpResponse:
    membership = membership_for(request, org, Role.ADMIN)
    target = get_object_or_404(Invitation, pk=invitation, organization=membership.organization)
    try:
        actions.revoke_invitation(membership, target)
    except actions.NotAllowed as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("The invitation to %(email)s was withdrawn.") % {"email": target.email}
        )
    return HttpResponseRedirect(_members_url(membership))


def _coalition_page(
    request: HttpRequest, membership: Membership, form: CoalitionMemberForm | None = None
) -> HttpResponse:
    organization = membership.organization
    can_edit = organization.is_coalition and membership.has_role(Role.ADMIN)
    context: dict[str, Any] = {
        "membership": membership,
        "organization": organization,
        "section": "coalition",
        "members": organization.members.all(),
        "coalitions": organization.coalitions.all(),
        "can_edit": can_edit,
        "can_answer": membership.has_role(Role.ADMIN),
        "invitations": CoalitionInvitation.objects.pending()
        .addressed_to(organization)
        .select_related("coalition", "invited_by"),
    }
    if organization.is_coalition:
        context["invited"] = CoalitionInvitation.objects.filter(
            coalition=organization,
            state__in=[InvitationState.PENDING, InvitationState.DECLINED],
        ).select_related("organization")
    if can_edit:
        context["form"] = form or CoalitionMemberForm(coalition=organization)
        context["candidates"] = (
            Organization.objects.exclude(pk=organization.pk)
            .exclude(pk__in=organization.members.values("pk"))
            .only("slug", "name")
        )
    return render(request, "organizations/manage/coalition.html", context)


@require_safe
@login_required
def coalition(request: HttpRequest, org: str) -> HttpResponse:
    return _coalition_page(request, membership_for(request, org))


@require_POST
@login_required
def invite_coalition_member(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org, Role.ADMIN)
    form = CoalitionMemberForm(request.POST, coalition=membership.organization)
    if form.is_valid():
        member = form.cleaned_data["organization"]
        try:
            actions.invite_to_coalition(membership, member)
        except actions.NotAllowed as refusal:
            if not membership.organization.is_coalition:  # no form on its page to show it
                messages.error(request, str(refusal))
                return HttpResponseRedirect(_coalition_url(membership))
            form.add_error("organization", str(refusal))
        else:
            messages.success(
                request,
                _(
                    "%(name)s is invited. It joins the coalition when one of its owners or "
                    "admins accepts."
                )
                % {"name": member.name},
            )
            return HttpResponseRedirect(_coalition_url(membership))
    return _coalition_page(request, membership, form)


@require_POST
@login_required
def withdraw_coalition_invitation(request: HttpRequest, org: str, invitation: int) -> HttpResponse:
    membership = membership_for(request, org, Role.ADMIN)
    target = get_object_or_404(
        CoalitionInvitation.objects.select_related("organization"),
        pk=invitation,
        coalition=membership.organization,
    )
    try:
        actions.withdraw_coalition_invitation(membership, target)
    except actions.NotAllowed as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("The invitation to %(name)s was withdrawn.") % {"name": target.organization.name},
        )
    return HttpResponseRedirect(_coalition_url(membership))


def _invitation_to(membership: Membership, invitation: int) -> CoalitionInvitation:
    """An invitation addressed to the organization in the URL; 404 for any other."""
    return get_object_or_404(
        CoalitionInvitation.objects.select_related("coalition"),
        pk=invitation,
        organization=membership.organization,
    )


@require_POST
@login_required
def accept_coalition_invitation(request: HttpRequest, org: str, invitation: int) -> HttpResponse:
    membership = membership_for(request, org)
    target = _invitation_to(membership, invitation)
    try:
        actions.accept_coalition_invitation(membership, target)
    except actions.NotAllowed as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("%(organization)s is now a member of %(coalition)s.")
            % {"organization": membership.organization.name, "coalition": target.coalition.name},
        )
    return HttpResponseRedirect(_coalition_url(membership))


@require_POST
@login_required
def decline_coalition_invitation(request: HttpRequest, org: str, invitation: int) -> HttpResponse:
    membership = membership_for(request, org)
    target = _invitation_to(membership, invitation)
    try:
        actions.decline_coalition_invitation(membership, target)
    except actions.NotAllowed as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("You declined the invitation to join %(coalition)s.")
            % {"coalition": target.coalition.name},
        )
    return HttpResponseRedirect(_coalition_url(membership))


@require_POST
@login_required
def remove_coalition_member(request: HttpRequest, org: str, member: str) -> HttpResponse:
    membership = membership_for(request, org, Role.ADMIN)
    organization = get_object_or_404(Organization, slug=member)
    try:
        actions.remove_coalition_member(membership, organization)
    except actions.NotAllowed as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("%(name)s left the coalition.") % {"name": organization.name})
    return HttpResponseRedirect(_coalition_url(membership))


@require_POST
@login_required
def leave_coalition(request: HttpRequest, org: str, coalition: str) -> HttpResponse:
    membership = membership_for(request, org)
    target = get_object_or_404(Organization, slug=coalition)
    try:
        actions.leave_coalition(membership, target)
    except actions.NotAllowed as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("%(organization)s left %(coalition)s.")
            % {"organization": membership.organization.name, "coalition": target.name},
        )
    return HttpResponseRedirect(_coalition_url(membership))
