"""Screening what the public forms receive (signing a petition, a coalition sign-on,
volunteering, an RSVP, proposing an event) before anything is stored: the traps that
tell a bot from a person, and the limits per network.

Every form goes through the same steps here. What a form does with a submission a step
catches is its own policy, declared once next to the form (a `Screen`): drop it quietly
(the bot sees the usual thanks page and nothing is kept), refuse it with a clear
message and status, or keep it as suspect (signatures, for organizers to review).

The steps, in order; the first that catches a submission decides:

1. the cap (optional): a limit counted for every submission, caught or not, so that a
   flood past it stores nothing at all (signing: SIGN_RATE_HARD);
2. the honeypot: a field people never see (hidden, and out of the tab order) that bots
   fill in;
3. the puzzle: a proof of work the form may ask for (petitions.challenge); the caller
   says whether it was solved;
4. the form token: a signed timestamp each page carries (`Screen.token`). Missing,
   forged or older than FORM_TOKEN_MAX_AGE, the form has no token; sent sooner than
   SIGN_MIN_FILL_SECONDS after the page was served, too fast;
5. the token's uses: one page's token is good for FORM_TOKEN_USES submissions from one
   network, no more;
6. the limits (core.ratelimit domains), in the order declared.

Whatever is counted (the cap, the token's use, the limits) is counted in one
core.ratelimit round trip. A submission an allow rule vouches for skips steps 4 to 6
(`exempt`), and the cap too when the rule vouches for its network (`cap_exempt`).

Why a token is good a few times per network rather than once: pages are cached (a proxy
and the reader cache hand one copy, with one token, to everyone who reads the page for
a few seconds), so a token shared by a crowd cannot be good only once in all; and a
person double-clicks, or sends the form again to have the email sent again, and must
see the same page as the first time. Counted per network, a bot that fetched one page
no longer posts with it all day: after a few posts it must fetch another page and wait
like a person. The count is kept (core.ratelimit) in windows as long as a token lives,
and a token's life spans at most two of them: at most twice FORM_TOKEN_USES in all.
FORM_TOKEN_MAX_AGE is 4 hours by default (12 before): a page left open over a long
afternoon still submits, and a token harvested by a bot is good for hours, not a day.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import math
import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from groundswell.core import ratelimit, tokens
from groundswell.core.http import client_ip

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

logger = logging.getLogger(__name__)

TOKEN_FIELD = "form_token"  # noqa: S105 - a form field's name, not a secret
TOKEN_USE_DOMAIN = "form_token_use"  # noqa: S105 - a core.ratelimit domain
# The public forms' refusal of a token that is missing, too old or used up; the page
# that says it carries a fresh one.
FORM_EXPIRED = _("This form was open too long or came from elsewhere. Please send it again.")


class Action(enum.Enum):
    DROP = "drop"  # answer as if it went through; keep nothing
    REFUSE = "refuse"  # say why, with a status; keep nothing
    SUSPECT = "suspect"  # keep it, marked, out of the counts


@dataclass(frozen=True)
class Outcome:
    """What a form does with a submission one step caught."""

    action: Action
    status: int = 200
    message: _StrPromise | str = ""
    reason: str = ""  # a suspect's mark, as stored


def drop() -> Outcome:
    return Outcome(Action.DROP)


def refuse(status: int, message: _StrPromise | str) -> Outcome:
    return Outcome(Action.REFUSE, status, message)


def suspect(reason: str) -> Outcome:
    return Outcome(Action.SUSPECT, reason=reason)


@dataclass(frozen=True)
class Limit:
    """A core.ratelimit domain counted for each submission from one network (per
    `scope` too, a petition or an organization, when `scoped`), and what the form does
    with a submission over it."""

    domain: str
    outcome: Outcome
    scoped: bool = False


class Step(enum.StrEnum):
    """The traps (a limit is named by its domain)."""

    HONEYPOT = "honeypot"
    PUZZLE = "puzzle"
    NO_TOKEN = "no-token"  # noqa: S105 - a step's name
    TOO_FAST = "too-fast"
    TOKEN_SPENT = "token-spent"  # noqa: S105 - a step's name


@dataclass(frozen=True)
class Verdict:
    """What happens to one submission: let through (no outcome), or what its form does
    with it, and which step said so."""

    outcome: Outcome | None = None
    step: str = ""
    retry_after: int | None = None  # seconds until the limit that caught it lets go

    @property
    def dropped(self) -> bool:
        return self.outcome is not None and self.outcome.action == Action.DROP

    @property
    def refusal(self) -> _StrPromise | str | None:
        if self.outcome is None or self.outcome.action != Action.REFUSE:
            return None
        return self.outcome.message

    @property
    def status(self) -> int:
        return self.outcome.status if self.outcome is not None else 200

    @property
    def suspect_reason(self) -> str:
        if self.outcome is None or self.outcome.action != Action.SUSPECT:
            return ""
        return self.outcome.reason

    def finish(self, response: HttpResponse) -> HttpResponse:
        """The refusal's response, told when to try again if a limit caught it."""
        if self.retry_after is not None:
            response["Retry-After"] = str(self.retry_after)
        return response


@dataclass(frozen=True)
class Screen:
    """One public form's screening and its policy. `salt` signs the form's token: each
    form keeps the one it always had, so pages served before an upgrade still work."""

    name: str  # for the log
    salt: str
    honeypot: Outcome
    no_token: Outcome
    too_fast: Outcome
    token_spent: Outcome
    limits: tuple[Limit, ...] = ()
    cap: Limit | None = None
    puzzle: Outcome | None = None
    honeypot_field: str = "website"

    def token(self, *, now: float | None = None) -> str:
        """The form token for a page served now (or at `now`): when, and a nonce, so
        that each page served has its own."""
        issued = int(now if now is not None else time.time())
        return tokens.make([issued, secrets.token_urlsafe(6)], salt=self.salt)

    def token_age(self, token: str) -> float | None:
        """Seconds since the page with this token was served, or None for a missing,
        forged or too old token. A token of the old form (the time alone) still reads."""
        max_age = settings.FORM_TOKEN_MAX_AGE
        payload = tokens.read(token, salt=self.salt, max_age=max_age).payload
        issued = payload[0] if isinstance(payload, list) and payload else payload
        if not isinstance(issued, int) or isinstance(issued, bool):
            return None
        age = time.time() - issued
        return age if age <= max_age else None

    def check(
        self,
        request: HttpRequest,
        *,
        scope: object = "",
        exempt: bool = False,
        cap_exempt: bool = False,
        puzzle_solved: bool = True,
    ) -> Verdict:
        """Screen this POST (already valid as a form) in the steps above."""
        ip = client_ip(request)
        client = ratelimit.client_key(ip) if ip else None
        token = request.POST.get(TOKEN_FIELD, "")
        caught = self._trap(request, token, exempt=exempt, puzzle_solved=puzzle_solved)
        # What this submission counts against: each limit (None: the token's uses) and
        # the subject counted, the cap first.
        counted: list[tuple[Limit | None, str]] = []
        if client is not None:
            if self.cap is not None and not cap_exempt:
                counted.append((self.cap, self._subject(self.cap, scope, client)))
            if caught is None and not exempt:
                digest = hashlib.sha256(token.encode()).hexdigest()[:32]
                counted.append((None, f"{digest}:{client}"))
                counted += [(limit, self._subject(limit, scope, client)) for limit in self.limits]
        verdict = self._decide(caught, _over(counted))
        if verdict.outcome is not None:
            logger.info("%s %s: %s", self.name, verdict.outcome.action.value, verdict.step)
        return verdict

    def _trap(
        self, request: HttpRequest, token: str, *, exempt: bool, puzzle_solved: bool
    ) -> Step | None:
        """The first trap (steps 2-4) this submission springs, or None."""
        if request.POST.get(self.honeypot_field):
            return Step.HONEYPOT
        if not puzzle_solved and self.puzzle is not None:
            return Step.PUZZLE
        if exempt:
            return None
        age = self.token_age(token)
        if age is None:
            return Step.NO_TOKEN
        if age < settings.SIGN_MIN_FILL_SECONDS:
            return Step.TOO_FAST
        return None

    def _decide(
        self, caught: Step | None, over: list[tuple[Limit | None, ratelimit.Hit]]
    ) -> Verdict:
        limit, hit = over[0] if over else (None, None)
        if limit is not None and hit is not None and limit is self.cap:
            # Past the cap nothing is kept, whatever else is true.
            return Verdict(limit.outcome, limit.domain, hit.retry_after)
        if caught is not None:
            return Verdict(self._trapped(caught), caught)
        if hit is None:
            return Verdict()
        if limit is None:
            return Verdict(self.token_spent, Step.TOKEN_SPENT)
        return Verdict(limit.outcome, limit.domain, hit.retry_after)

    def _trapped(self, step: Step) -> Outcome:
        outcomes = {
            Step.HONEYPOT: self.honeypot,
            Step.PUZZLE: self.puzzle,
            Step.NO_TOKEN: self.no_token,
            Step.TOO_FAST: self.too_fast,
        }
        outcome = outcomes[step]
        assert outcome is not None  # the puzzle step springs only for a form that has one
        return outcome

    @staticmethod
    def _subject(limit: Limit, scope: object, client: str) -> str:
        return f"{scope}:{client}" if limit.scoped else client


def _over(counted: list[tuple[Limit | None, str]]) -> list[tuple[Limit | None, ratelimit.Hit]]:
    """Count them all in one round trip; those over their limit, in the order given."""
    if not counted:
        return []
    hits = ratelimit.hit_all(
        [(limit.domain if limit else TOKEN_USE_DOMAIN, subject) for limit, subject in counted]
    )
    return [(limit, hit) for (limit, _), hit in zip(counted, hits, strict=True) if not hit.allowed]


def public_form(
    name: str,
    *,
    salt: str,
    limit: str,
    over_limit: _StrPromise | str,
    scoped: bool = False,
    honeypot_field: str = "website",
) -> Screen:
    """The policy the public forms other than signing share: a bot a trap catches sees
    the usual thanks page and nothing is kept; a token that is missing, too old or used
    up gets a 400 asking to send the form again (the page then carries a fresh one);
    past its limit (a core.ratelimit domain) the form says `over_limit`, with a 429."""
    return Screen(
        name=name,
        salt=salt,
        honeypot=drop(),
        no_token=refuse(400, FORM_EXPIRED),
        too_fast=drop(),
        token_spent=refuse(400, FORM_EXPIRED),
        limits=(Limit(limit, refuse(429, over_limit), scoped=scoped),),
        honeypot_field=honeypot_field,
    )


def too_many_response(verdict: Verdict, *, what: str, back: str) -> HttpResponse:
    """The page for a submission past a cap: nothing was saved, and when to try again.
    Rendered without the request, like the busy page, so it costs no query."""
    minutes = math.ceil((verdict.retry_after or 60) / 60)
    html = render_to_string("429.html", {"what": what, "back": back, "minutes": minutes})
    response = verdict.finish(HttpResponse(html, status=429))
    response["Cache-Control"] = "no-store"
    return response
