"""Fixtures petitions tests borrow: the ward map and a local geocoder (tests/districts),
a City Council (tests/legislation)."""

from tests.districts.conftest import fresh_index, geocoder_server, wards  # noqa: F401
from tests.legislation.conftest import council  # noqa: F401
