import pytest

from groundswell.people.addresses import normalize_email


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("Ana@Example.org", "ana@example.org"),
        ("  ana@example.org ", "ana@example.org"),
        ("ana+petition@example.org", "ana@example.org"),
        ("a.n.a@gmail.com", "ana@gmail.com"),
        ("A.N.A+x@GoogleMail.com", "ana@gmail.com"),
        ("a.n.a@example.org", "a.n.a@example.org"),
        ("not-an-email", "not-an-email"),
        ("user@bücher.example", "user@xn--bcher-kva.example"),
        ("User@BÜCHER.Example", "user@xn--bcher-kva.example"),
        ("user@xn--bcher-kva.example", "user@xn--bcher-kva.example"),
    ],
)
def test_it_normalizes_case_tags_gmail_dots_and_international_domains(
    raw: str, normalized: str
) -> None:
    assert normalize_email(raw) == normalized
