"""How many people sit where on a ladder: waiting before each step, finished, stopped."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Sum

from groundswell.ladders.models import Enrollment, EnrollmentState, Ladder, Step


@dataclass(frozen=True)
class StepFigure:
    step: Step
    waiting: int  # people whose next step is this one


@dataclass(frozen=True)
class Figures:
    steps: list[StepFigure]
    done: int
    stopped: int
    total: int
    emails_skipped: int


def figures(ladder: Ladder) -> Figures:
    enrollments = Enrollment.objects.filter(ladder=ladder)
    at = dict(
        enrollments.filter(state=EnrollmentState.ACTIVE)
        .values_list("position")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("position", "n")
    )
    by_state = dict(
        enrollments.values_list("state")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("state", "n")
    )
    steps = list(ladder.steps.select_related("tag", "person_list", "event", "petition"))
    # An enrollment past the last step (after a final wait) is as good as done.
    beyond = sum(n for position, n in at.items() if position >= len(steps))
    return Figures(
        steps=[StepFigure(step, at.get(i, 0)) for i, step in enumerate(steps)],
        done=by_state.get(EnrollmentState.DONE, 0) + beyond,
        stopped=by_state.get(EnrollmentState.STOPPED, 0),
        total=sum(by_state.values()),
        emails_skipped=enrollments.aggregate(n=Sum("emails_skipped"))["n"] or 0,
    )
