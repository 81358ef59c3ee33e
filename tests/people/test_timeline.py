"""people.timeline: stored activities and providers' entries, as one organization sees them."""

from __future__ import annotations

from typing import Any

import pytest

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people import actions
from groundswell.people.models import Activity
from groundswell.people.timeline import timeline
from groundswell.petitions import actions as petition_actions
from groundswell.petitions.models import Petition
from tests.people.test_supporters import sign_and_confirm

pytestmark = pytest.mark.django_db


def test_a_signature_is_on_the_owners_and_co_sponsors_timeline_only(
    petition: Petition, action_now: Organization, ocad: Organization, other_org: Organization
) -> None:
    person = sign_and_confirm(petition)
    entries = timeline(person, action_now)
    assert [(e.kind, e.summary) for e in entries] == [("signature", petition.title)]
    assert entries[0].url.endswith(f"/manage/action-now/petitions/{petition.slug}/")
    assert [e.kind for e in timeline(person, ocad)] == ["signature"]
    assert timeline(person, other_org) == []


def test_one_organizations_consent_changes_are_not_shown_to_another(
    action_now: Organization, ocad: Organization
) -> None:
    person = actions.record_person(email="ana@example.org")
    actions.grant_consent(person, action_now, source="form")
    actions.link(person, ocad, source="form")
    assert [e.label for e in timeline(person, action_now)] == ["Consent given"]
    assert [e.summary for e in timeline(person, action_now)] == ["Email"]
    assert timeline(person, ocad) == []


def test_an_emailed_update_is_on_the_timeline_of_everyone_it_reached(
    petition: Petition, action_now: Organization, owner: User, mailbox: Any, drain: Any
) -> None:
    person = sign_and_confirm(petition, consents=[action_now.pk])
    mailbox.clear()
    petition_actions.post_update(
        petition, author=owner, title="Hearing on Monday", body="Come.", email_signers=True
    )
    drain()
    assert len(mailbox.to("ana.reyes@example.org")) == 1
    sent = Activity.objects.get(kind=Activity.Kind.EMAIL_SENT)
    assert (sent.person, sent.organization, sent.summary) == (
        person,
        action_now,
        "Hearing on Monday",
    )
    assert timeline(person, action_now)[0].kind == Activity.Kind.EMAIL_SENT
