import email.message
import email.policy
from email import message_from_bytes
from html import escape

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from groundswell.core.mail import build_message


def test_plain_text_parts_are_not_html_escaped_but_html_parts_are(db: None) -> None:
    class Petition:
        display_title = "Don't <deport> A & B"

    class Signature:
        first_name = "O'Hara"

    message = build_message(
        to="x@example.org",
        template="petitions/email/verify",
        context={"petition": Petition(), "signature": Signature(), "link": "http://x/v/1/"},
        unsubscribe_url="http://x/u/1/",
    )
    assert "Don't <deport> A & B" in message.subject
    assert "Hello O'Hara," in message.body
    html = str(message.alternatives[0].content)
    assert "Don&#x27;t &lt;deport&gt; A &amp; B" in html
    assert message.extra_headers["List-Unsubscribe"] == "<http://x/u/1/>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.send() == 1
    assert len(mail.outbox) == 1


def _prepared(first_name: str, paragraph: str) -> tuple[bytes, bytes]:
    """One reader's message from a frame, and the same built whole by the email package."""
    from django.utils.safestring import mark_safe

    from groundswell.core.mail import PreparedMessage, frame, slot

    def whole(values: dict[str, str]) -> EmailMultiAlternatives:
        message = build_message(
            to=values["to"],
            template="mailings/email/mailing",
            context={
                "subject": values["subject"],
                "html": mark_safe(values["html"]),
                "text": values["text"],
                "organization": {"name": "Acción Ya"},
                "test": False,
            },
            language="es",
            unsubscribe_url=values["unsubscribe"],
            from_email="Acción Ya <news@example.org>",
        )
        message.extra_headers["Message-ID"] = "<1.abc@example.org>"
        return message

    names = ("to", "subject", "html", "text", "unsubscribe")
    prepared = frame(whole({name: slot(name) for name in names}))
    assert prepared is not None
    values = {
        "to": "ana@example.org",
        "subject": " ".join(f"Noticias para {first_name}".split()),
        "html": f"<p>Hola {escape(first_name)}, {escape(paragraph)}</p>",
        "text": f"Hola {first_name},\n\n{paragraph}\n",
        "unsubscribe": "https://gs.example/people/unsubscribe/WzEsMV0:1x:8j/",
    }
    reference = whole(values)
    message = PreparedMessage(
        prepared,
        {**values, "html": mark_safe(values["html"])},
        lambda: whole(values),
        to=[values["to"]],
        headers=dict(reference.extra_headers),
    )
    return (
        message.message().as_bytes(linesep="\r\n"),
        reference.message().as_bytes(linesep="\r\n"),
    )


def _parts(raw: bytes) -> list[tuple[str, str]]:
    parsed = message_from_bytes(raw, policy=email.policy.default)
    headers = [(k, str(parsed[k])) for k in ("Subject", "From", "To", "List-Unsubscribe")]
    assert isinstance(parsed, email.message.EmailMessage)
    bodies = [(part.get_content_type(), part.get_content()) for part in parsed.iter_parts()]
    return headers + bodies


@pytest.mark.parametrize("first_name", ["Ana", "Begoña <b>", "Zoë\nX"])
def test_a_prepared_message_reads_as_the_one_built_whole(first_name: str, db: None) -> None:
    prepared, reference = _prepared(first_name, "Le esperamos el sábado.")
    assert _parts(prepared) == _parts(reference)


def test_a_line_too_long_for_smtp_falls_back_to_the_email_package(db: None) -> None:
    prepared, reference = _prepared("Ana", "sábado " * 200)
    assert b"quoted-printable" in prepared
    assert _parts(prepared) == _parts(reference)
