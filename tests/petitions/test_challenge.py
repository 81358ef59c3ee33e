"""The proof-of-work challenge organizers switch on under a bot attack."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from typing import Any

import pytest
from django.test import Client

from groundswell.petitions import challenge, integrity
from groundswell.petitions.challenge import Problem
from groundswell.petitions.models import CountChange, Petition, Signature
from tests.conftest import SIGNER, login
from tests.petitions.test_manage_edit import edit_data, edit_url
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _easy(settings: Any) -> None:
    """A small search space keeps the brute force in these tests quick."""
    settings.CHALLENGE_MAX_NUMBER = 2000


def solve(issued: dict[str, Any]) -> dict[str, Any]:
    """What a signer's browser does: find the number, send it back with the rest."""
    for number in range(issued["maxnumber"] + 1):
        if hashlib.sha256(f"{issued['salt']}{number}".encode()).hexdigest() == issued["challenge"]:
            return {
                "algorithm": issued["algorithm"],
                "challenge": issued["challenge"],
                "number": number,
                "salt": issued["salt"],
                "signature": issued["signature"],
            }
    raise AssertionError("no solution")


def solution_for(petition: Petition, **changes: Any) -> str:
    return challenge.encode({**solve(challenge.issue(petition)), **changes})


# --- Issuing and verifying -------------------------------------------------------------------


def test_an_issued_challenge_has_the_altcha_shape(petition: Petition, settings: Any) -> None:
    issued = challenge.issue(petition, now=1_000_000)
    assert set(issued) == {"algorithm", "challenge", "maxnumber", "salt", "signature"}
    assert issued["algorithm"] == "SHA-256"
    assert issued["maxnumber"] == settings.CHALLENGE_MAX_NUMBER
    assert issued["salt"].endswith(
        f"?expires={1_000_000 + challenge.LIFETIME}&petition={petition.pk}&"
    )
    assert challenge.issue(petition)["salt"] != challenge.issue(petition)["salt"]


def test_a_solution_is_accepted_once(petition: Petition) -> None:
    payload = solution_for(petition)
    assert challenge.problem(petition, payload) == ""
    assert challenge.problem(petition, payload) == Problem.REPLAYED
    assert challenge.verify(petition, solution_for(petition))


def test_a_wrong_number_is_rejected(petition: Petition) -> None:
    solved = solve(challenge.issue(petition))
    payload = challenge.encode({**solved, "number": solved["number"] + 1})
    assert challenge.problem(petition, payload) == Problem.SOLUTION
    # ...and a rejected attempt does not use the challenge up.
    assert challenge.problem(petition, challenge.encode(solved)) == ""


def test_a_tampered_signature_is_rejected(petition: Petition) -> None:
    solved = solve(challenge.issue(petition))
    flipped = ("0" if solved["signature"][0] != "0" else "1") + solved["signature"][1:]
    assert challenge.problem(petition, challenge.encode({**solved, "signature": flipped})) == (
        Problem.SIGNATURE
    )


def test_a_challenge_made_up_by_the_client_is_rejected(petition: Petition) -> None:
    """Choosing one's own salt and number is free; the signature is what it cannot forge."""
    salt = f"{'ab' * 12}?expires={int(time.time()) + 60}&petition={petition.pk}&"
    made_up = hashlib.sha256(f"{salt}0".encode()).hexdigest()
    solved = solve(challenge.issue(petition))
    payload = challenge.encode({**solved, "salt": salt, "number": 0, "challenge": made_up})
    assert challenge.problem(petition, payload) == Problem.SIGNATURE


def test_a_challenge_signed_with_another_key_is_rejected(petition: Petition, settings: Any) -> None:
    issued = challenge.issue(petition)
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert challenge.problem(petition, challenge.encode(solve(issued))) == Problem.SIGNATURE


def test_a_challenge_signed_with_a_key_being_rotated_out_is_accepted(
    petition: Petition, settings: Any
) -> None:
    issued = challenge.issue(petition)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the-new-secret-key-" + "x" * 40
    assert challenge.problem(petition, challenge.encode(solve(issued))) == ""


def test_an_expired_solution_is_rejected(petition: Petition) -> None:
    issued_at = time.time()
    payload = challenge.encode(solve(challenge.issue(petition, now=issued_at)))
    later = issued_at + challenge.LIFETIME + 1
    assert challenge.problem(petition, payload, now=later) == Problem.EXPIRED


def test_a_solution_for_another_petition_is_rejected(petition: Petition) -> None:
    other = Petition.objects.create(owner=petition.owner, slug="another", title="t", ask="a")
    assert challenge.problem(other, solution_for(petition)) == Problem.PETITION


def test_the_salt_cannot_be_spliced_with_the_number(
    petition: Petition, monkeypatch: pytest.MonkeyPatch
) -> None:
    """sha256(salt + number) must not be reusable with digits moved from the number into
    the salt ("...&petition=1&" + "23" is not "...&petition=12" + "3"): that would
    change the petition or extend the expiry. Salts must end with "&"."""
    monkeypatch.setattr(challenge.secrets, "randbelow", lambda n: 123)
    solved = solve(challenge.issue(petition))
    assert solved["number"] == 123
    spliced = {**solved, "salt": solved["salt"] + "1", "number": 23}
    assert challenge.problem(petition, challenge.encode(spliced)) == Problem.MALFORMED
    assert challenge.problem(petition, challenge.encode(solved)) == ""


@pytest.mark.parametrize(
    "payload",
    [
        "",
        "not base64!",
        base64.b64encode(b"not json").decode(),
        base64.b64encode(b"\xff\xfe").decode(),
        base64.b64encode(b"[1, 2]").decode(),
        base64.b64encode(json.dumps({"algorithm": "SHA-256"}).encode()).decode(),
        "A" * (challenge.MAX_PAYLOAD + 4),
    ],
)
def test_malformed_payloads_are_rejected(petition: Petition, payload: str) -> None:
    assert challenge.problem(petition, payload) == Problem.MALFORMED


@pytest.mark.parametrize(
    "changes",
    [
        {"algorithm": "SHA-512"},
        {"number": True},
        {"number": "12"},
        {"number": -1},
        {"number": 1.5},
        {"challenge": "ABC"},
        {"salt": None},
    ],
)
def test_solutions_of_the_wrong_shape_are_rejected(
    petition: Petition, changes: dict[str, Any]
) -> None:
    assert challenge.problem(petition, solution_for(petition, **changes)) == Problem.MALFORMED


# --- The endpoint ---------------------------------------------------------------------------


def test_the_endpoint_issues_a_fresh_uncached_challenge(client: Client, petition: Petition) -> None:
    url = f"/petitions/{petition.slug}/challenge.json"
    first, second = client.get(url), client.get(url)
    assert first.status_code == 200
    assert "no-store" in first["Cache-Control"]
    assert "Set-Cookie" not in first
    assert first.json()["salt"] != second.json()["salt"]
    assert challenge.verify(petition, challenge.encode(solve(first.json())))


def test_the_endpoint_knows_only_published_petitions(
    client: Client, draft_petition: Petition
) -> None:
    assert client.get(f"/petitions/{draft_petition.slug}/challenge.json").status_code == 404
    assert client.get("/petitions/nothing-here/challenge.json").status_code == 404


def test_the_endpoint_only_answers_reads(client: Client, petition: Petition) -> None:
    assert client.post(f"/petitions/{petition.slug}/challenge.json").status_code == 405


# --- Signing a protected petition -----------------------------------------------------------


@pytest.fixture
def protected(petition: Petition, settings: Any) -> Petition:
    settings.SIGN_MIN_FILL_SECONDS = 0
    petition.requires_challenge = True
    petition.save(update_fields=["requires_challenge"])
    return petition


def sign(client: Client, petition: Petition, **extra: Any) -> Any:
    data = {**SIGNER, "form_token": integrity.SIGN_SCREEN.token(), **extra}
    return client.post(f"/petitions/{petition.slug}/sign", data)


def emails_queued() -> int:
    """Confirmation emails waiting in the outbox."""
    return Signature.objects.filter(verification_due=True).count()


def test_the_page_loads_the_script_only_when_the_challenge_is_on(
    client: Client, petition: Petition
) -> None:
    page = client.get(f"/petitions/{petition.slug}/").content.decode()
    assert "challenge.js" not in page
    assert 'name="altcha"' not in page
    petition.requires_challenge = True
    petition.save(update_fields=["requires_challenge"])
    page = client.get(f"/petitions/{petition.slug}/").content.decode()
    assert '<script src="/static/petitions/challenge.js" defer></script>' in page
    assert f'data-challenge-url="/petitions/{petition.slug}/challenge.json"' in page
    assert 'data-challenge-working="Checking your browser…"' in page
    assert '<input type="hidden" name="altcha" value="">' in page
    assert "<noscript>" in page
    assert 'role="status" aria-live="polite" data-challenge-status' in page


def test_without_a_solution_the_signature_is_kept_as_suspect_and_not_emailed(
    client: Client, protected: Petition, mailbox: Mailbox, drain: Any
) -> None:
    response = sign(client, protected)
    # The signer (or bot) goes to the usual thanks page: nothing tells a bot what failed.
    solved = sign(client, protected, email="solved@example.org", altcha=solution_for(protected))
    assert response.status_code == solved.status_code == 303
    assert response["Location"] == solved["Location"]
    assert response["Location"].startswith(f"/petitions/{protected.slug}/thanks")
    signature = Signature.objects.get(email_normalized=SIGNER["email"])
    assert signature.suspect_reason == integrity.Suspect.CHALLENGE
    assert not signature.counts
    assert list(Signature.objects.counted()) == [Signature.objects.get(email="solved@example.org")]
    assert CountChange.objects.count() == 1  # the solved one's
    assert emails_queued() == 1  # the solved one's
    drain()
    assert [m["To"] for m in mailbox.wait_for(1)] == ["solved@example.org"]


@pytest.mark.parametrize("bad", ["garbage", "wrong-number", "replayed"])
def test_a_bad_solution_is_kept_as_suspect(
    client: Client, protected: Petition, settings: Any, bad: str
) -> None:
    solved = solve(challenge.issue(protected))
    if bad == "garbage":
        payload = "garbage"
    elif bad == "wrong-number":
        payload = challenge.encode({**solved, "number": solved["number"] + 1})
    else:
        payload = challenge.encode(solved)
        sign(client, protected, email="first@example.org", altcha=payload)
        assert Signature.objects.get().suspect_reason == ""
    sign(client, protected, altcha=payload)
    signature = Signature.objects.get(email_normalized=SIGNER["email"])
    assert signature.suspect_reason == integrity.Suspect.CHALLENGE


def test_with_a_solution_the_signature_is_stored_as_usual(
    client: Client, protected: Petition, mailbox: Mailbox, drain: Any
) -> None:
    issued = client.get(f"/petitions/{protected.slug}/challenge.json").json()
    response = sign(client, protected, altcha=challenge.encode(solve(issued)))
    assert response.status_code == 303
    signature = Signature.objects.get()
    assert signature.suspect_reason == ""
    assert signature.counts
    assert emails_queued() == 1
    drain()
    [message] = mailbox.wait_for(1)
    assert message["To"] == SIGNER["email"]


def test_with_the_challenge_off_no_solution_is_needed(
    client: Client, petition: Petition, settings: Any
) -> None:
    settings.SIGN_MIN_FILL_SECONDS = 0
    sign(client, petition, altcha="whatever")
    assert Signature.objects.get().suspect_reason == ""


# --- Organizers switch it on ----------------------------------------------------------------


def test_an_organizer_switches_the_challenge_on_and_off(
    client: Client, organizer: Any, petition: Petition
) -> None:
    login(client, organizer)
    page = client.get(edit_url(petition)).content.decode()
    assert "Ask signers&#x27; browsers to solve a small puzzle" in page
    response = client.post(edit_url(petition), edit_data(petition, requires_challenge="on"))
    assert response.status_code == 303
    petition.refresh_from_db()
    assert petition.requires_challenge
    client.post(edit_url(petition), edit_data(petition))
    petition.refresh_from_db()
    assert not petition.requires_challenge
