"""Public pages of the research desk, at /research/: what a demand cites (clauses with
their quoted text, statistics with their source and date), a clause beside its newest
version, a data set's statistics with their CSV export, and the money behind decision
makers and whip boards."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from groundswell.campaigns.models import Campaign, Demand
from groundswell.core.spreadsheets import csv_lines
from groundswell.legislation.models import DecisionMaker, WhipBoard
from groundswell.research import charts, clauses, money, statistics, text
from groundswell.research.models import ChartCitation, Clause, Committee, Dataset

MEASURES = list(ChartCitation.Measure)


def _public(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        patch_cache_control(response, public=True, max_age=0, s_maxage=60)
    return response


def drawn(dataset: Dataset, measure: str, filters: statistics.Filters, uid: str) -> dict[str, Any]:
    """A statistic as the pages show it: the figure, its chart, and its filters."""
    figure = statistics.figure(dataset, measure, filters)
    description = "; ".join(f"{label}: {count}" for label, count in figure.rows)
    return {
        "figure": figure,
        "svg": charts.bars(figure.rows, title=figure.title, description=description, uid=uid),
        "filters": filters,
        "dataset": dataset,
    }


@require_safe
def demand(request: HttpRequest, pk: int) -> HttpResponse:
    """The research a demand cites."""
    item = get_object_or_404(
        Demand.objects.select_related("campaign", "campaign__owner").filter(
            campaign__in=Campaign.objects.published()
        ),
        pk=pk,
    )
    cited = [
        drawn(c.dataset, c.measure, statistics.Filters.from_mapping(c.filters), f"chart-{c.pk}")
        for c in ChartCitation.objects.filter(demand=item).select_related("dataset")
    ]
    response = render(
        request,
        "research/demand.html",
        {
            "demand": item,
            "campaign": item.campaign,
            "clauses": clauses.cited_by(item),
            "charts": cited,
        },
    )
    return _public(response, request)


@require_safe
def clause(request: HttpRequest, pk: int) -> HttpResponse:
    """A cited clause's section beside the same section of the newest version."""
    item = get_object_or_404(
        Clause.objects.select_related("document", "section", "section__version")
        .filter(demands__campaign__in=Campaign.objects.published())
        .distinct(),
        pk=pk,
    )
    standing = clauses.standing(item)
    rows = []
    if standing.state != clauses.NEWEST:
        after = standing.newest_section.text if standing.newest_section else ""
        rows = text.difference(item.section.text, after)
    demands = item.demands.filter(campaign__in=Campaign.objects.published()).select_related(
        "campaign"
    )
    response = render(
        request,
        "research/clause.html",
        {"clause": item, "standing": standing, "rows": rows, "demands": demands},
    )
    return _public(response, request)


@require_safe
def dataset(request: HttpRequest, pk: int) -> HttpResponse:
    """Every statistic of a data set, with the filters of the query string."""
    data = get_object_or_404(Dataset, pk=pk)
    filters = statistics.Filters.from_mapping(request.GET)
    shown = [drawn(data, m, filters, f"chart-{m}") for m in MEASURES]
    categories = data.allegations.order_by("category").values_list("category", flat=True).distinct()
    response = render(
        request,
        "research/dataset.html",
        {
            "dataset": data,
            "filters": filters,
            "charts": shown,
            "categories": list(categories),
            "query": request.GET.urlencode(),
        },
    )
    return _public(response, request)


@require_safe
def export(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The rows behind the statistics, exactly as filtered, as CSV."""
    data = get_object_or_404(Dataset, pk=pk)
    rows = statistics.export_rows(data, statistics.Filters.from_mapping(request.GET))
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="allegations-{data.pk}.csv"'
    return response


@require_safe
def money_index(request: HttpRequest) -> HttpResponse:
    people = DecisionMaker.objects.filter(
        pk__in=Committee.objects.exclude(decision_maker=None).values("decision_maker")
    )
    return _public(render(request, "research/money_index.html", {"people": people}), request)


@require_safe
def money_of(request: HttpRequest, slug: str) -> HttpResponse:
    """An alderperson's (or the Mayor's) money: top donors, totals by donor type and by
    year, and the chain from them to their committees, donors and the donors' employers."""
    person = get_object_or_404(DecisionMaker, slug=slug)
    found = money.for_decision_maker(person)
    if not found.committees:
        raise Http404
    return _public(render(request, "research/money.html", {"money": found}), request)


@require_safe
def board_money(request: HttpRequest, pk: int) -> HttpResponse:
    """The money behind the yes and the no columns of a public whip board."""
    board = get_object_or_404(
        WhipBoard.objects.select_related("matter", "organization"), pk=pk, is_public=True
    )
    yes, no = money.behind_board(board)
    return _public(
        render(request, "research/board_money.html", {"board": board, "sides": [yes, no]}), request
    )
