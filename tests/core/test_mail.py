from django.core import mail

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
