"""A canvass's figures, read from the visit log: doors knocked, contacts, contact rate,
survey answers by ward and precinct, canvassers active, time between doors; and a
captain's precinct completion. A door counts as knocked once however many visits it
had, and as contacted if any visit talked to someone there."""

from __future__ import annotations

import datetime
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from groundswell.canvass.models import Canvass, Door, Question, Result, Visit
from groundswell.districts.models import District

ACTIVE_MINUTES = 60
MAX_GAP = datetime.timedelta(minutes=30)  # longer is a break, not the walk to a door


@dataclass
class Area:
    label: str
    doors: int = 0
    knocked: int = 0
    contacted: int = 0

    @property
    def rate(self) -> float:
        return self.contacted / self.knocked if self.knocked else 0.0

    @property
    def completion(self) -> float:
        return self.knocked / self.doors if self.doors else 0.0


@dataclass
class QuestionResults:
    question: Question
    counts: list[tuple[str, int]]
    average: float | None = None
    by_area: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # by ward
    by_precinct: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


@dataclass
class Figures:
    doors: int
    knocked: int
    contacted: int
    visits: int
    results: list[tuple[str, int]]
    wards: list[Area]
    precincts: list[Area]
    questions: list[QuestionResults]
    canvassers_active: int
    median_seconds_between_doors: float | None

    @property
    def rate(self) -> float:
        return self.contacted / self.knocked if self.knocked else 0.0


def _labels(ids: set[int]) -> dict[int, str]:
    return {d.pk: d.label() for d in District.objects.filter(pk__in=ids).select_related("set")}


def _areas(canvass: Canvass, field_name: str) -> list[Area]:
    rows = (
        Door.objects.filter(canvass=canvass)
        .values(field_name)
        .annotate(
            doors=Count("pk", distinct=True),
            knocked=Count("pk", filter=Q(visits__isnull=False), distinct=True),
            contacted=Count("pk", filter=Q(visits__result=Result.CONTACTED), distinct=True),
        )
        .order_by(field_name)
    )
    labels = _labels({r[field_name] for r in rows if r[field_name]})
    return [
        Area(labels.get(r[field_name], "—"), r["doors"], r["knocked"], r["contacted"]) for r in rows
    ]


def _question_results(canvass: Canvass) -> list[QuestionResults]:
    questions = list(Question.objects.filter(canvass=canvass))
    tallies: dict[int, Counter[str]] = {q.pk: Counter() for q in questions}
    by_ward: dict[int, dict[str, Counter[str]]] = {q.pk: defaultdict(Counter) for q in questions}
    by_precinct: dict[int, dict[str, Counter[str]]] = {
        q.pk: defaultdict(Counter) for q in questions
    }
    scales: dict[int, list[int]] = defaultdict(list)
    rows = (
        Visit.objects.filter(canvass=canvass)
        .exclude(answers={})
        .values_list("answers", "door__ward", "door__precinct")
    )
    labels = _labels({w for _a, w, _p in rows if w} | {p for _a, _w, p in rows if p})
    for answers, ward, precinct in rows:
        for question in questions:
            value: Any = answers.get(str(question.pk))
            if value is None or value == "" or value == []:
                continue
            values = value if isinstance(value, list) else [value]
            if question.kind == Question.Kind.TEXT:
                values = ["…"]
            for v in values:
                tallies[question.pk][str(v)] += 1
                by_ward[question.pk][labels.get(ward, "—")][str(v)] += 1
                by_precinct[question.pk][labels.get(precinct, "—")][str(v)] += 1
            if question.kind == Question.Kind.SCALE and isinstance(value, int):
                scales[question.pk].append(value)
    results = []
    for question in questions:
        order = (
            question.choices
            if question.choices
            else (["1", "2", "3", "4", "5"] if question.kind == Question.Kind.SCALE else ["…"])
        )
        counts = [(choice, tallies[question.pk][choice]) for choice in order]
        results.append(
            QuestionResults(
                question,
                counts,
                statistics.fmean(scales[question.pk]) if scales[question.pk] else None,
                {
                    area: [(choice, tally[choice]) for choice in order]
                    for area, tally in sorted(by_ward[question.pk].items())
                },
                {
                    area: [(choice, tally[choice]) for choice in order]
                    for area, tally in sorted(by_precinct[question.pk].items())
                },
            )
        )
    return results


def _median_gap(canvass: Canvass) -> float | None:
    gaps: list[float] = []
    last: dict[int | None, datetime.datetime] = {}
    for canvasser, at in (
        Visit.objects.filter(canvass=canvass, canvasser__isnull=False)
        .order_by("canvasser", "visited_at")
        .values_list("canvasser", "visited_at")
    ):
        before = last.get(canvasser)
        if before is not None and datetime.timedelta(0) < at - before <= MAX_GAP:
            gaps.append((at - before).total_seconds())
        last[canvasser] = at
    return statistics.median(gaps) if gaps else None


def figures(canvass: Canvass) -> Figures:
    doors = Door.objects.filter(canvass=canvass)
    since = timezone.now() - datetime.timedelta(minutes=ACTIVE_MINUTES)
    results = Counter(
        dict(Visit.objects.filter(canvass=canvass).values_list("result").annotate(n=Count("pk")))
    )
    return Figures(
        doors=doors.count(),
        knocked=doors.filter(visits__isnull=False).distinct().count(),
        contacted=doors.filter(visits__result=Result.CONTACTED).distinct().count(),
        visits=sum(results.values()),
        results=[(str(label), results.get(value, 0)) for value, label in Result.choices],
        wards=_areas(canvass, "ward"),
        precincts=_areas(canvass, "precinct"),
        questions=_question_results(canvass),
        canvassers_active=Visit.objects.filter(canvass=canvass, received_at__gte=since)
        .values("canvasser")
        .distinct()
        .count(),
        median_seconds_between_doors=_median_gap(canvass),
    )


@dataclass
class Completion:
    precinct: str
    total: Area
    turfs: list[Area]


def precinct_completion(canvass: Canvass, precinct_id: int) -> Completion:
    """How much of one precinct's doors were knocked and talked to, turf by turf."""
    rows = (
        Door.objects.filter(canvass=canvass, precinct_id=precinct_id)
        .values("turf__name")
        .annotate(
            doors=Count("pk", distinct=True),
            knocked=Count("pk", filter=Q(visits__isnull=False), distinct=True),
            contacted=Count("pk", filter=Q(visits__result=Result.CONTACTED), distinct=True),
        )
        .order_by("turf__name")
    )
    turfs = [Area(r["turf__name"] or "—", r["doors"], r["knocked"], r["contacted"]) for r in rows]
    label = _labels({precinct_id}).get(precinct_id, "—")
    total = Area(
        label,
        sum(t.doors for t in turfs),
        sum(t.knocked for t in turfs),
        sum(t.contacted for t in turfs),
    )
    return Completion(label, total, turfs)
