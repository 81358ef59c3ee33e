"""Step-up goals and milestones: 1,000 → 2,500 → 5,000 → 10,000 → 25,000 → …"""

from collections.abc import Iterator

FIRST_GOAL = 1000
STEP_FACTORS = (1, 2.5, 5)


def goal_steps() -> Iterator[int]:
    magnitude = FIRST_GOAL
    while True:
        for factor in STEP_FACTORS:
            yield int(factor * magnitude)
        magnitude *= 10


def goal_for(count: int) -> int:
    """The next goal: the first step above `count` (reaching a goal raises it)."""
    for step in goal_steps():
        if step > count:
            return step
    raise AssertionError("unreachable")


def milestones_reached(count: int) -> list[int]:
    """Every step at or below `count`."""
    reached: list[int] = []
    for step in goal_steps():
        if step > count:
            return reached
        reached.append(step)
    raise AssertionError("unreachable")
