"""Email addresses: which we accept, and normalization (one human, one key, however
they type it)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

GMAIL_DOMAINS = {"gmail.com", "googlemail.com"}
MAX_LOCAL_PART = 64  # RFC 5321, 4.5.3.1.1
MAX_ADDRESS = 254  # the longest path a mail server must take (RFC 5321, 4.5.3.1.3)


class AddressValidator(EmailValidator):
    """Django's check, stricter where an address must reach a person: not a bare host
    (Django allows `x@localhost`), not an address literal (`test@[127.0.0.1]`), a local
    part of at most 64 characters and an address of at most 254. Every form that takes
    an address from the public, and the API, checks with `validate_email`."""

    domain_allowlist: list[str] = []  # Django allows "localhost" here

    def __call__(self, value: Any) -> None:
        super().__call__(value)
        local = str(value).rpartition("@")[0]
        if len(local) > MAX_LOCAL_PART or len(str(value)) > MAX_ADDRESS:
            raise ValidationError(self.message, code=self.code, params={"value": value})

    def validate_domain_part(self, domain_part: str) -> bool:
        return bool(self.domain_regex.match(domain_part))


validate_email = AddressValidator()


class EmailAddressField(forms.EmailField):
    """A form's email field, checked with validate_email."""

    default_validators = [validate_email]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MAX_ADDRESS)
        super().__init__(**kwargs)


def normalize_email(email: str) -> str:
    """Lower-case; the domain in its ASCII (IDNA) form, so that `user@bücher.example` and
    `user@xn--bcher-kva.example` are one address, as they are one mailbox; drop +tags;
    drop dots in Gmail local parts (they are ignored there).

    >>> normalize_email(" Jane.Doe+petition@GoogleMail.com ")
    'janedoe@gmail.com'
    >>> normalize_email("User@Bücher.example")
    'user@xn--bcher-kva.example'
    """
    email = email.strip().lower()
    local, sep, domain = email.rpartition("@")
    if not sep:
        return email
    domain = _ascii_domain(domain)
    local = local.split("+", 1)[0] or local
    if domain in GMAIL_DOMAINS:
        domain = "gmail.com"
        local = local.replace(".", "")
    return f"{local}@{domain}"


def _ascii_domain(domain: str) -> str:
    """The domain as mail servers look it up (IDNA, "punycode"); a domain that has no
    such form (validate_email refuses it anyway) is kept as typed."""
    if domain.isascii():
        return domain
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain
