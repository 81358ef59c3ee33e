"""The provider adapter: SMS_URL read with clear errors, Twilio's REST shape against a
local server, and what each answer means for the sender."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from groundswell.texts import providers
from groundswell.texts.config import provider_config, quiet_hours
from groundswell.texts.providers import Outcome, twilio_signature
from tests.texts.conftest import SENDER, SID, TOKEN, FakeTwilio


def test_sms_url_is_read_with_the_plus_of_the_sending_number_kept() -> None:
    config = provider_config(f"twilio://{SID}:{TOKEN}@api.twilio.com?from=+13125550100")
    assert config.base_url == "https://api.twilio.com"
    assert (config.account, config.token, config.sender) == (SID, TOKEN, "+13125550100")
    assert provider_config("console:").kind == "console"


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("twilio://api.twilio.com?from=+13125550100", "account SID and auth token"),
        (f"twilio://{SID}:{TOKEN}@api.twilio.com", "E.164"),
        (f"twilio://{SID}:{TOKEN}@api.twilio.com?from=3125550100", "E.164"),
        ("smtp://x", "must start with"),
    ],
)
def test_a_wrong_sms_url_says_what_to_fix(url: str, says: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=says):
        provider_config(url)


def test_quiet_hours_must_be_two_times() -> None:
    assert [t.hour for t in quiet_hours("21:00-09:00")] == [21, 9]
    with pytest.raises(ImproperlyConfigured, match="21:00-09:00"):
        quiet_hours("9pm to 9am")


def test_a_text_is_posted_in_twilios_shape(twilio: FakeTwilio) -> None:
    result = providers.provider().send("+13125550101", "¿Vienes? ✊")
    assert result.outcome == Outcome.SENT and result.provider_id == "SM1"
    (request,) = twilio.received
    assert request.path == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert request.form == {"To": "+13125550101", "From": SENDER, "Body": "¿Vienes? ✊"}
    expected = base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
    assert request.headers["Authorization"] == f"Basic {expected}"
    assert request.headers["Content-Type"].startswith("application/x-www-form-urlencoded")


@pytest.mark.parametrize(
    ("status", "outcome"),
    [(429, Outcome.RETRY), (503, Outcome.RETRY), (400, Outcome.FAILED), (500, Outcome.UNKNOWN)],
)
def test_each_answer_tells_whether_the_text_may_be_tried_again(
    twilio: FakeTwilio, status: int, outcome: Outcome
) -> None:
    twilio.answers = [status]
    assert providers.provider().send("+13125550101", "Hi").outcome == outcome


def test_a_provider_that_cannot_be_reached_took_nothing_so_it_is_retried(settings: Any) -> None:
    # Port 9 (discard) on 127.0.0.1 is closed here: the connection is refused.
    settings.SMS_URL = f"twilio+http://{SID}:{TOKEN}@127.0.0.1:9?from={SENDER}"
    providers._cache.clear()
    try:
        assert providers.provider().send("+13125550101", "Hi").outcome == Outcome.RETRY
    finally:
        providers._cache.clear()


def test_twilios_signature_matches_its_documented_example() -> None:
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+12349013030",
        "Digits": "1234",
        "From": "+12349013030",
        "To": "+18005551212",
    }
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert twilio_signature("12345", url, params) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
