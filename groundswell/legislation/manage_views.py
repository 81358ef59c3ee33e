"""The organizer area for legislation: /manage/<org>/legislation/.

The Council's records (decision makers, their terms, matters and their sponsors) are
shared by every organization: any organization's organizers may add and correct them,
and every change is kept with who made it and for which organization. A whip board
belongs to one organization: only its organizers see and change it here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groundswell.legislation import actions, boards
from groundswell.legislation.manage_forms import (
    BoardForm,
    BoardSettingsForm,
    DecisionMakerForm,
    MatterForm,
    SponsorForm,
    StanceForm,
    TermForm,
)
from groundswell.legislation.models import (
    DecisionMaker,
    Matter,
    Revision,
    Sponsorship,
    StanceSource,
    Term,
    WhipBoard,
)
from groundswell.legislation.views import board_context
from groundswell.organizations.models import Membership
from groundswell.organizations.permissions import membership_for, organizer_required

SECTION = "legislation"


def _see_other(url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(url, status=303)


def _page(
    request: HttpRequest, template: str, membership: Membership, status: int = 200, **context: Any
) -> HttpResponse:
    return render(
        request,
        f"legislation/manage/{template}",
        {
            "organization": membership.organization,
            "membership": membership,
            "section": SECTION,
            **context,
        },
        status=status,
    )


def _status(form: Any) -> int:
    return 400 if form.is_bound else 200


def _history(**record: Any) -> list[Revision]:
    return list(Revision.objects.filter(**record).select_related("changed_by", "organization")[:50])


# --- Overview ------------------------------------------------------------------------------


@organizer_required
@require_safe
def index(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    return _page(
        request,
        "index.html",
        membership,
        boards=list(WhipBoard.objects.kept_by(membership.organization).select_related("matter")),
        matters=list(Matter.objects.newest_first()[:20]),
    )


# --- Decision makers and terms -------------------------------------------------------------


@organizer_required
@require_safe
def people(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    query = request.GET.get("q", "")[:100]
    found = list(
        DecisionMaker.objects.matching(query).prefetch_related("terms__office", "terms__body")[:300]
    )
    return _page(request, "people.html", membership, people=found, query=query)


def _person_form_page(
    request: HttpRequest, membership: Membership, person: DecisionMaker | None
) -> HttpResponse:
    initial = {}
    if person is not None:
        initial = {field: getattr(person, field) for field in actions.records.PERSON_FIELDS}
        initial["photo"] = person.photo or None
    form = DecisionMakerForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        person = actions.save_decision_maker(
            person,
            by=membership.user,
            organization=membership.organization,
            photo=form.photo_change(),
            **form.person_fields(),
        )
        messages.success(request, _("%(name)s is saved.") % {"name": person.name})
        return _see_other(
            reverse("legislation_manage:person", args=[membership.organization.slug, person.slug])
        )
    return _page(
        request,
        "person_form.html",
        membership,
        status=_status(form),
        form=form,
        person=person,
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def person_create(request: HttpRequest, org: str) -> HttpResponse:
    return _person_form_page(request, membership_for(request, org), None)


@organizer_required
@require_safe
def person(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership = membership_for(request, org)
    item = get_object_or_404(DecisionMaker, slug=slug)
    return _page(
        request,
        "person.html",
        membership,
        person=item,
        terms=list(item.terms.select_related("office", "body")),
        history=_history(decision_maker=item),
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def person_edit(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    return _person_form_page(
        request, membership_for(request, org), get_object_or_404(DecisionMaker, slug=slug)
    )


def _term_form_page(
    request: HttpRequest, membership: Membership, person: DecisionMaker, term: Term | None
) -> HttpResponse:
    initial = {}
    if term is not None:
        initial = {
            "body": term.body_id,
            "office": term.office_id,
            "role": term.role,
            "start_date": term.start_date,
            "end_date": term.end_date,
        }
    form = TermForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_term(
                term,
                decision_maker=person,
                by=membership.user,
                organization=membership.organization,
                **form.cleaned_data,
            )
        except actions.RecordRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The term is saved."))
            return _see_other(
                reverse(
                    "legislation_manage:person", args=[membership.organization.slug, person.slug]
                )
            )
    return _page(
        request,
        "term_form.html",
        membership,
        status=_status(form),
        form=form,
        person=person,
        term=term,
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def term_create(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership = membership_for(request, org)
    return _term_form_page(request, membership, get_object_or_404(DecisionMaker, slug=slug), None)


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def term_edit(request: HttpRequest, org: str, slug: str, term: int) -> HttpResponse:
    membership = membership_for(request, org)
    person = get_object_or_404(DecisionMaker, slug=slug)
    item = get_object_or_404(Term, pk=term, decision_maker=person)
    return _term_form_page(request, membership, person, item)


# --- Matters -------------------------------------------------------------------------------


@organizer_required
@require_safe
def matters(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    query = request.GET.get("q", "")[:100]
    found = list(Matter.objects.matching(query).newest_first()[:300])
    return _page(request, "matters.html", membership, matters=found, query=query)


def _matter_form_page(
    request: HttpRequest, membership: Membership, matter: Matter | None
) -> HttpResponse:
    initial: dict[str, Any] = {}
    if matter is not None:
        initial = {field: getattr(matter, field) for field in actions.matters.MATTER_FIELDS}
        initial["body"] = matter.body_id
    form = MatterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        matter = actions.save_matter(
            matter, by=membership.user, organization=membership.organization, **form.cleaned_data
        )
        messages.success(request, _("The matter is saved."))
        return _see_other(
            reverse("legislation_manage:matter", args=[membership.organization.slug, matter.slug])
        )
    return _page(
        request, "matter_form.html", membership, status=_status(form), form=form, matter=matter
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def matter_create(request: HttpRequest, org: str) -> HttpResponse:
    return _matter_form_page(request, membership_for(request, org), None)


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def matter_edit(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    return _matter_form_page(
        request, membership_for(request, org), get_object_or_404(Matter, slug=slug)
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def matter(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    """A matter's record for organizers: its history, its sponsors (add one here), and
    this organization's whip board on it, if any."""
    membership = membership_for(request, org)
    item = get_object_or_404(Matter, slug=slug)
    form = SponsorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_sponsor(
                item, by=membership.user, organization=membership.organization, **form.cleaned_data
            )
        except actions.RecordRefused as exc:
            form.add_error("decision_maker", str(exc))
        else:
            messages.success(request, _("The sponsor is added."))
            return _see_other(request.path)
    return _page(
        request,
        "matter.html",
        membership,
        status=_status(form),
        matter=item,
        form=form,
        sponsorships=list(item.sponsorships.select_related("decision_maker")),
        board=WhipBoard.objects.filter(matter=item, organization=membership.organization).first(),
        history=_history(matter=item),
    )


@organizer_required
@require_POST
def sponsor_remove(request: HttpRequest, org: str, slug: str, sponsorship: int) -> HttpResponse:
    membership = membership_for(request, org)
    item = get_object_or_404(Sponsorship, pk=sponsorship, matter__slug=slug)
    actions.remove_sponsor(item, by=membership.user, organization=membership.organization)
    messages.success(request, _("%(name)s is no longer listed as a sponsor.") % {"name": item.name})
    return _see_other(reverse("legislation_manage:matter", args=[org, slug]))


# --- Whip boards ---------------------------------------------------------------------------


def _board(membership: Membership, board: int) -> WhipBoard:
    """One of this organization's boards (404 for another organization's)."""
    return get_object_or_404(
        WhipBoard.objects.select_related("matter", "matter__body", "organization"),
        pk=board,
        organization=membership.organization,
    )


def _board_url(board: WhipBoard) -> str:
    return reverse("legislation_manage:board", args=[board.organization.slug, board.pk])


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def board_create(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    initial = {}
    if request.GET.get("matter", "").isdigit():
        initial["matter"] = request.GET["matter"]
    form = BoardForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            board = actions.create_board(
                membership.organization,
                form.cleaned_data["matter"],
                is_public=form.cleaned_data["is_public"],
                votes_needed=form.cleaned_data["votes_needed"],
                by=membership.user,
            )
        except actions.BoardExists as exc:
            messages.info(request, str(exc))
            return _see_other(_board_url(exc.board))
        messages.success(request, _("The whip board is ready."))
        return _see_other(_board_url(board))
    return _page(request, "board_form.html", membership, status=_status(form), form=form)


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def board(request: HttpRequest, org: str, board: int) -> HttpResponse:
    """The board as its organizers see it, public or not, with its settings."""
    membership = membership_for(request, org)
    item = _board(membership, board)
    form = BoardSettingsForm(
        request.POST or None,
        initial={"is_public": item.is_public, "votes_needed": item.votes_needed},
    )
    if request.method == "POST" and form.is_valid():
        actions.update_board(item, **form.cleaned_data)
        messages.success(request, _("Your changes are saved."))
        return _see_other(_board_url(item))
    found = boards.members(item)
    return _page(
        request,
        "board.html",
        membership,
        status=_status(form),
        form=form,
        **board_context(item, found),
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def stance(request: HttpRequest, org: str, board: int, person: str) -> HttpResponse:
    """Record a change of one member's stance, with its source; their history below."""
    membership = membership_for(request, org)
    item = _board(membership, board)
    member = get_object_or_404(DecisionMaker, slug=person)
    form = StanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.record_stance(
            item,
            member,
            value=data["value"],
            source=data["source"],
            note=data["note"],
            url=data["url"] if data["source"] == StanceSource.LINK else "",
            on=data["on"],
            by=membership.user,
        )
        messages.success(
            request,
            _("%(name)s's stance change is recorded.") % {"name": member.name},
        )
        return _see_other(_board_url(item) + f"#member-{member.pk}")
    current = item.stances.filter(decision_maker=member).first()
    return _page(
        request,
        "stance.html",
        membership,
        status=_status(form),
        form=form,
        board=item,
        member=member,
        current=current,
        history=list(
            item.changes.filter(decision_maker=member).select_related(
                "recorded_by", "roll_call", "sponsorship"
            )
        ),
    )
