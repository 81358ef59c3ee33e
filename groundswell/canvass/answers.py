"""The one rule for a survey answer, wherever it comes from: a phone's upload
(groundswell.canvass.sync) or a walk sheet keyed in by an organizer (actions.key_in).

Answers are kept by question id (a string): one of the choices for a single-choice
question, a list of distinct choices for a multiple-choice one, a whole number from 1
to 5 for a scale, and a string of at most MAX_TEXT characters for a text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from groundswell.canvass.models import Question

MAX_TEXT = 1000


def problem(question: Question, value: Any) -> str | None:
    """What is wrong with `value` as an answer to `question`, or None."""
    kind = question.kind
    if kind == Question.Kind.SINGLE:
        return None if isinstance(value, str) and value in question.choices else "choice"
    if kind == Question.Kind.MULTIPLE:
        ok = isinstance(value, list) and all(
            isinstance(v, str) and v in question.choices for v in value
        )
        return None if ok and len(set(value)) == len(value) else "choices"
    if kind == Question.Kind.SCALE:
        ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5
        return None if ok else "scale"
    return None if isinstance(value, str) and len(value) <= MAX_TEXT else "text"


def fit(questions: Mapping[str, Question], answers: Any) -> bool:
    """Whether `answers` is an object whose every key is one of `questions` (by id) and
    every value fits its question."""
    if not isinstance(answers, dict):
        return False
    for key, value in answers.items():
        question = questions.get(str(key))
        if question is None or problem(question, value) is not None:
            return False
    return True
