"""Short names that other routes use cannot name an organization."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from groundswell.organizations.models import Organization

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", ["confirm", "new", "Verify"])
def test_a_reserved_word_is_refused_with_a_reason(slug: str) -> None:
    organization = Organization(name="Confirm Collective", slug=slug)
    with pytest.raises(ValidationError, match="used by the site itself"):
        organization.full_clean()


def test_an_ordinary_short_name_is_fine() -> None:
    Organization(name="Confirmed Voices", slug="confirmed-voices").full_clean()
