"""What a column of an organizer's CSV file can become: the person fields, their labels
and limits, and the guesses from a header's name."""

from __future__ import annotations

import re
import unicodedata

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Checked as every form and the API check an address (one rule: people.addresses).
from groundswell.people.addresses import validate_email as validate_email

# Where a mapped column goes. "custom" keeps the column under its header in
# Supporter.custom_fields; "skip" leaves it out.
PERSON_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "address",
    "city",
    "state",
    "zip_code",
    "language",
)


FIELD_LABELS: dict[str, Promise] = {
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "email": gettext_lazy("Email"),
    "phone": gettext_lazy("Phone"),
    "address": gettext_lazy("Street address"),
    "city": gettext_lazy("City"),
    "state": gettext_lazy("State"),
    "zip_code": gettext_lazy("ZIP code"),
    "language": gettext_lazy("Language"),
    "tags": gettext_lazy("Tags (comma-separated)"),
    "custom": gettext_lazy("Custom field (keep under the column's name)"),
    "skip": gettext_lazy("Skip this column"),
}


FIELDS = tuple(FIELD_LABELS)


# The model's column sizes (people.models.Supporter); a longer value fails its row.
MAX_LENGTHS = {
    "first_name": 100,
    "last_name": 100,
    "email": 254,
    "address": 255,
    "city": 100,
    "state": 50,
    "zip_code": 10,
    "language": 10,
}


TAG_MAX = 100


CUSTOM_MAX = 1000


# Common header names in English and Spanish, normalized (see normalize_header).
GUESSES = {
    "first_name": {
        "first name", "firstname", "first", "given name", "nombre", "nombres",
        "primer nombre", "nombre de pila",
    },
    "last_name": {
        "last name", "lastname", "last", "surname", "family name", "apellido", "apellidos",
    },
    "email": {
        "email", "e mail", "email address", "e mail address", "mail", "correo",
        "correo electronico", "correo e", "direccion de correo electronico", "emails",
    },
    "phone": {
        "phone", "phone number", "mobile", "mobile phone", "mobile number", "cell",
        "cell phone", "telephone", "tel", "telefono", "numero de telefono", "celular",
        "telefono celular", "movil",
    },
    "address": {
        "address", "street", "street address", "address 1", "address1", "address line 1",
        "direccion", "domicilio", "calle",
    },
    "city": {"city", "town", "ciudad", "municipio", "localidad"},
    "state": {"state", "province", "region", "estado", "provincia"},
    "zip_code": {
        "zip", "zip code", "zipcode", "zip5", "postal code", "postcode", "zip postal code",
        "codigo postal", "cp",
    },
    "language": {"language", "lang", "preferred language", "idioma", "lengua"},
    "tags": {"tags", "tag", "labels", "etiquetas", "etiqueta"},
}  # fmt: skip


GUESS_BY_HEADER = {name: field for field, names in GUESSES.items() for name in names}


EMAIL_LIKE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def normalize_header(header: str) -> str:
    """The key a remembered mapping and the guesses use: "Correo electrónico" →
    "correo electronico", "E-mail" → "e mail"."""
    text = unicodedata.normalize("NFKD", header)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())[:200]


def guess_field(header: str) -> str:
    return GUESS_BY_HEADER.get(normalize_header(header), "skip")


def column_name(headers: list[str], index: int) -> str:
    """How the page names a column: its header, or "Column 3" when it has none."""
    name = headers[index].strip() if index < len(headers) else ""
    return name or _("Column %(number)s") % {"number": index + 1}
