"""The operator's admin: a change to a decision maker is kept in their history."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.legislation import actions
from groundswell.legislation.models import RevisionSource

pytestmark = pytest.mark.django_db


def test_an_operators_change_in_the_admin_is_kept_in_the_history(client: Client) -> None:
    operator = User.objects.create_superuser("operator@example.org", "x" * 20)
    person = actions.save_decision_maker(None, name="Pat Example")
    client.force_login(operator)
    change_url = reverse("admin:legislation_decisionmaker_change", args=[person.pk])
    form = client.get(change_url)
    assert form.status_code == 200
    # The inlines' management forms and ids, as the page has them.
    hidden = dict(
        re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form.content.decode())
    )
    hidden.pop("csrfmiddlewaretoken", None)

    response = client.post(
        change_url,
        {
            **hidden,
            "name": "Pat Example",
            "sort_name": "Example, Pat",
            "slug": person.slug,
            "phone": "312-555-0101",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    latest = person.revisions.first()
    assert latest is not None
    assert (latest.source, latest.changed_by) == (RevisionSource.ADMIN, operator)
    assert latest.changes["phone"] == {"from": "", "to": "312-555-0101"}


def test_the_admin_lists_render(client: Client) -> None:
    client.force_login(User.objects.create_superuser("operator@example.org", "x" * 20))

    for model in ("body", "office", "decisionmaker", "term", "matter", "whipboard"):
        assert client.get(reverse(f"admin:legislation_{model}_changelist")).status_code == 200
