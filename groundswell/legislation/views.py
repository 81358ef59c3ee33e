"""Public pages: /council/ (who holds which office, by ward), a decision maker, the
matters and each matter's record, and an organization's public whip board.

These pages hold no personal data beyond what officials publish about themselves; a
private whip board is a 404 here, the same as one that does not exist.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from groundswell.legislation import boards, registry
from groundswell.legislation.models import (
    Body,
    DecisionMaker,
    Matter,
    Office,
    RollCall,
    Sponsorship,
    Term,
    Vote,
    WhipBoard,
)


def holders(offices: list[Office]) -> dict[int, list[DecisionMaker]]:
    """Who holds each office today, by office id."""
    found: dict[int, list[DecisionMaker]] = defaultdict(list)
    terms = (
        Term.objects.current()
        .filter(office__in=offices)
        .select_related("decision_maker")
        .order_by("start_date", "pk")
    )
    for term in terms:
        assert term.office_id is not None
        found[term.office_id].append(term.decision_maker)
    return found


@require_safe
def council(request: HttpRequest) -> HttpResponse:
    bodies = list(Body.objects.exclude(classification="committee").order_by("classification"))
    offices = list(
        Office.objects.filter(body__in=bodies)
        .select_related("body", "district", "district__set")
        .order_by("number", "label")
    )
    held = holders(offices)
    sections = []
    for body in bodies:
        rows = [
            (office, held.get(office.pk, [])) for office in offices if office.body_id == body.pk
        ]
        if rows:
            sections.append({"body": body, "rows": rows})
    chairs = (
        Term.objects.current()
        .filter(body__classification="committee")
        .select_related("decision_maker", "body")
        .order_by("body__name")
    )
    committees = [t for t in chairs if t.is_chair()]
    shown = [p for rows in held.values() for p in rows] + [t.decision_maker for t in committees]
    return render(
        request,
        "legislation/council.html",
        {
            "sections": sections,
            "committees": committees,
            "demo": any(p.demo for p in shown),
        },
    )


@require_safe
def decision_maker(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(DecisionMaker, slug=slug)
    terms = list(person.terms.select_related("office", "body", "office__district"))
    sponsored = list(
        Sponsorship.objects.filter(decision_maker=person)
        .select_related("matter")
        .order_by("-matter__introduced_on", "-pk")[:50]
    )
    votes = list(
        Vote.objects.filter(decision_maker=person)
        .select_related("roll_call", "roll_call__matter")
        .order_by("-roll_call__date", "-pk")[:50]
    )
    return render(
        request,
        "legislation/decision_maker.html",
        {
            "person": person,
            "current": [t for t in terms if t.is_current()],
            "ward_office": any(
                t.office is not None and t.office.number is not None
                for t in terms
                if t.is_current()
            ),
            "past": [t for t in terms if not t.is_current()],
            "sponsored": sponsored,
            "votes": votes,
        },
    )


@require_safe
def matter_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    matters = list(Matter.objects.matching(query).newest_first().select_related("body")[:200])
    return render(
        request,
        "legislation/matter_list.html",
        {"matters": matters, "query": query, "demo": any(m.demo for m in matters)},
    )


@require_safe
def matter(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(Matter.objects.select_related("body"), slug=slug)
    roll_calls = list(
        RollCall.objects.filter(matter=item)
        .select_related("body")
        .prefetch_related(Prefetch("votes", queryset=Vote.objects.select_related("decision_maker")))
        .order_by("date", "pk")
    )
    sponsorships = list(item.sponsorships.select_related("decision_maker"))
    return render(
        request,
        "legislation/matter.html",
        {
            "matter": item,
            "sponsors": [s for s in sponsorships if s.primary],
            "cosponsors": [s for s in sponsorships if not s.primary],
            "referrals": list(item.referrals.select_related("committee")),
            "actions": list(item.actions.select_related("body")),
            "roll_calls": [(roll_call, roll_call.tally()) for roll_call in roll_calls],
            "boards": list(item.whip_boards.public().select_related("organization")),
            "demo": item.demo
            or any(s.decision_maker and s.decision_maker.demo for s in sponsorships),
        },
    )


@require_safe
def whip_board(request: HttpRequest, slug: str, org: str) -> HttpResponse:
    board = (
        WhipBoard.objects.public()
        .select_related("organization", "matter", "matter__body")
        .filter(matter__slug=slug, organization__slug=org)
        .first()
    )
    if board is None:
        raise Http404
    found = boards.members(board)
    return render(
        request,
        "legislation/whip_board.html",
        board_context(board, found),
    )


def board_context(board: WhipBoard, found: list[boards.Member]) -> dict[str, object]:
    """What both the public and the organizer's board page show."""
    sections = registry.board_sections(board)
    return {
        "sections": sections,
        "column_notes": [note for section in sections for note in section.columns],
        "board": board,
        "matter": board.matter,
        "groups": boards.grouped(found),
        "count": boards.count(board, found),
        "outcome": boards.outcome(board, found),
        "show_signers": any(m.signers is not None for m in found),
        "demo": board.matter.demo or any(m.decision_maker.demo for m in found),
    }
