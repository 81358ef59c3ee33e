"""Email address normalization: one human, one key, however they type it."""

GMAIL_DOMAINS = {"gmail.com", "googlemail.com"}


def normalize_email(email: str) -> str:
    """Lower-case; drop +tags; drop dots in Gmail local parts (they are ignored there).

    >>> normalize_email(" Jane.Doe+petition@GoogleMail.com ")
    'janedoe@gmail.com'
    """
    email = email.strip().lower()
    local, sep, domain = email.rpartition("@")
    if not sep:
        return email
    local = local.split("+", 1)[0] or local
    if domain in GMAIL_DOMAINS:
        domain = "gmail.com"
        local = local.replace(".", "")
    return f"{local}@{domain}"
