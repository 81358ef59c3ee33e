from typing import Any

from django.test import RequestFactory

from groundswell.core.http import client_ip

factory = RequestFactory()


def request(remote: str, forwarded: str = "") -> Any:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return factory.get("/", REMOTE_ADDR=remote, **extra)


def test_without_trusted_proxies_the_peer_is_the_client(settings: Any) -> None:
    settings.TRUSTED_PROXIES = []
    assert client_ip(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_a_trusted_proxy_the_forwarded_client_is_used(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request("10.0.0.2", "198.51.100.1")) == "198.51.100.1"
    # Two proxies of ours in a row, and a forged address the client put first:
    assert client_ip(request("10.0.0.2", "6.6.6.6, 198.51.100.1, 10.0.0.9")) == "198.51.100.1"


def test_an_untrusted_peer_cannot_forge_its_address(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_garbage_in_the_header_falls_back_to_the_proxy(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request("10.0.0.2", "not-an-ip")) == "10.0.0.2"
