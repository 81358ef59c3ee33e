import pytest
from django.core.exceptions import ImproperlyConfigured

from groundswell.env import email_settings, env_bool, env_int, env_url


def test_env_bool_reads_words_and_refuses_others(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "off")
    assert env_bool("FLAG", True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be true or false"):
        env_bool("FLAG")


def test_env_int_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "80a")
    with pytest.raises(ImproperlyConfigured, match="PORT must be a whole number"):
        env_int("PORT", 8000)
    monkeypatch.setenv("PORT", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("PORT", 8000, minimum=1)


def test_env_url_needs_an_absolute_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BASE_URL", "example.org")
    with pytest.raises(ImproperlyConfigured, match="absolute"):
        env_url("BASE_URL", "http://x")
    monkeypatch.setenv("BASE_URL", "https://example.org/")
    assert env_url("BASE_URL", "http://x") == "https://example.org"


def test_email_urls() -> None:
    smtp = email_settings("smtp://user:p%40ss@mail.example.org:587?tls=true")
    assert smtp["EMAIL_HOST"] == "mail.example.org"
    assert smtp["EMAIL_PORT"] == 587
    assert smtp["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert smtp["EMAIL_USE_TLS"] is True
    assert email_settings("smtps://mail.example.org")["EMAIL_PORT"] == 465
    assert email_settings("console:")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    assert email_settings("file:/tmp/mail")["EMAIL_FILE_PATH"] == "/tmp/mail"
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL must start with"):
        email_settings("pigeon://coop")
