"""core.screening, the one screening of every public form: a page's form token is good
for a few submissions from one network and for FORM_TOKEN_MAX_AGE, no more; a double
click still gets the page it always got; each form keeps its own policy."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import signing
from django.test import Client

from groundswell.campaigns.views import ENDORSEMENT_SCREEN
from groundswell.core import screening
from groundswell.events.models import RSVP, Event
from groundswell.events.views import PROPOSAL_SCREEN, RSVP_SCREEN
from groundswell.organizations.models import Organization
from groundswell.petitions.integrity import SIGN_SCREEN, Suspect
from groundswell.petitions.models import Petition, Signature
from groundswell.volunteers.models import Signup
from groundswell.volunteers.views import SIGNUP_SCREEN
from tests.conftest import SIGNER
from tests.events.conftest import ANA, make_event
from tests.volunteers.conftest import answers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def roomy_limits(settings: Any) -> Iterator[None]:
    """The per-network limits out of the way: these tests are about the token."""
    settings.SIGN_RATE_BURST = (100, 60)
    settings.VOLUNTEER_SIGNUP_RATE_IP = (100, 3600)
    settings.RSVP_RATE_IP = (100, 3600)
    yield


def sign(client: Client, petition: Petition, n: int, token: str, ip: str = "203.0.113.7") -> Any:
    data = {**SIGNER, "email": f"ana{n}@example.org", "form_token": token}
    return client.post(f"/petitions/{petition.slug}/sign", data, REMOTE_ADDR=ip)


def page_token(client: Client, url: str) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', client.get(url).content.decode())
    assert match is not None
    return match.group(1)


def aged(screen: screening.Screen, seconds: float = 60) -> str:
    return screen.token(now=time.time() - seconds)


def test_a_signing_pages_token_is_good_for_a_few_signatures_from_one_network(
    client: Client, petition: Petition, settings: Any
) -> None:
    """Before, one token was accepted for 12 hours by any number of submissions."""
    assert settings.FORM_TOKEN_USES[0] == 3
    token = aged(SIGN_SCREEN)
    for n in range(5):
        assert sign(client, petition, n, token).status_code == 303
    reasons = list(Signature.objects.order_by("pk").values_list("suspect_reason", flat=True))
    assert reasons == ["", "", "", Suspect.FORM_TOKEN_REUSED, Suspect.FORM_TOKEN_REUSED]
    # Another network reading the same cached page is not held to these uses.
    assert sign(client, petition, 9, token, ip="198.51.100.3").status_code == 303
    assert Signature.objects.get(email="ana9@example.org").suspect_reason == ""


def test_a_token_older_than_its_max_age_is_no_token(
    client: Client, petition: Petition, settings: Any
) -> None:
    assert settings.FORM_TOKEN_MAX_AGE == 4 * 3600
    sign(client, petition, 0, aged(SIGN_SCREEN, 5 * 3600))
    assert Signature.objects.get().suspect_reason == Suspect.NO_FORM_TOKEN


def test_a_double_click_gets_the_same_page_twice_and_one_signature(
    client: Client, petition: Petition
) -> None:
    token = aged(SIGN_SCREEN)
    first, second = sign(client, petition, 0, token), sign(client, petition, 0, token)
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    assert Signature.objects.get().suspect_reason == ""


def test_a_double_click_on_the_volunteer_form_is_no_error(
    client: Client, action_now: Organization
) -> None:
    data = answers(form_token=aged(SIGNUP_SCREEN))
    first = client.post(f"/volunteer/{action_now.slug}/", data)
    second = client.post(f"/volunteer/{action_now.slug}/", data)
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]


def test_the_volunteer_forms_token_used_up_asks_to_send_again(
    client: Client, action_now: Organization
) -> None:
    token = aged(SIGNUP_SCREEN)
    for n in range(3):
        sent = client.post(
            f"/volunteer/{action_now.slug}/", answers(email=f"v{n}@example.org", form_token=token)
        )
        assert sent.status_code == 303
    response = client.post(
        f"/volunteer/{action_now.slug}/", answers(email="v3@example.org", form_token=token)
    )
    assert response.status_code == 400
    assert "This form was open too long or came from elsewhere" in response.content.decode()
    assert not Signup.objects.filter(email="v3@example.org").exists()
    # The page that says so carries a fresh token, which works.
    fresh = re.search(r'name="form_token" value="([^"]+)"', response.content.decode())
    assert fresh is not None and fresh.group(1) != token


def test_an_rsvp_from_a_page_left_open_too_long_is_asked_again(
    client: Client, action_now: Organization
) -> None:
    event: Event = make_event(action_now)
    data = {
        **ANA,
        "guests": "0",
        "shifts": [s.pk for s in event.shifts.all()],
        "form_token": aged(RSVP_SCREEN, 5 * 3600),
    }
    response = client.post(f"/events/{event.pk}/rsvp", data)
    assert response.status_code == 400
    assert not RSVP.objects.exists()


def test_a_token_served_before_the_upgrade_still_works(client: Client, petition: Petition) -> None:
    old = signing.dumps(int(time.time() - 60), salt="groundswell.petitions.form")
    sign(client, petition, 0, old)
    assert Signature.objects.get().suspect_reason == ""


def test_each_form_reads_only_its_own_tokens() -> None:
    assert SIGN_SCREEN.token_age(aged(SIGNUP_SCREEN)) is None
    assert SIGNUP_SCREEN.token_age(aged(ENDORSEMENT_SCREEN)) is None
    # The RSVP and the proposal forms have always shared the events' salt.
    assert PROPOSAL_SCREEN.token_age(aged(RSVP_SCREEN)) is not None


def test_each_page_serves_its_own_token(client: Client, petition: Petition) -> None:
    url = f"/petitions/{petition.slug}/"
    assert page_token(client, url) != page_token(client, url)


def test_over_a_forms_limit_it_says_when_to_try_again(
    client: Client, action_now: Organization, settings: Any
) -> None:
    settings.VOLUNTEER_SIGNUP_RATE_IP = (1, 3600)
    for n in range(2):
        response = client.post(
            f"/volunteer/{action_now.slug}/",
            answers(email=f"v{n}@example.org", form_token=aged(SIGNUP_SCREEN)),
        )
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
