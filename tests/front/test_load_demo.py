"""`manage.py load_demo`: the seed pages as a working demo, safe to run again."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import Client

from groundswell.accounts.models import User
from groundswell.events.models import Event
from groundswell.organizations.models import CoalitionMember, Membership, Organization, Role
from groundswell.people.models import Consent, Person, Supporter
from groundswell.petitions.models import (
    Milestone,
    Petition,
    PetitionCount,
    PetitionUpdate,
    Signature,
    SignatureState,
    Status,
)

# Transactional: the command recounts outside its own transaction, as it does for real.
pytestmark = pytest.mark.django_db(transaction=True)

DEFEND_CHICAGO = "defy-trump-defend-chicago-expand-sanctuary"
REJECT_FOP_TIES = "reject-police-union-white-supremacist-ties"


@pytest.fixture
def var_dir(settings: Any, tmp_path: Path) -> Path:
    """Keep the demo password and drawn logos out of the repository's var/."""
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def totals() -> dict[str, int]:
    return {
        "organizations": Organization.objects.count(),
        "coalition members": CoalitionMember.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "petitions": Petition.objects.count(),
        "signatures": Signature.objects.count(),
        "people": Person.objects.count(),
        "consents": Consent.objects.count(),
        "supporters": Supporter.objects.count(),
        "events": Event.objects.count(),
        "milestones": Milestone.objects.count(),
        "updates": PetitionUpdate.objects.count(),
    }


def test_it_loads_the_seed_organizations_petitions_and_signatures(var_dir: Path) -> None:
    load_demo()

    action_now = Organization.objects.get(slug="action-now")
    alliance = Organization.objects.get(slug="chicago-alliance")
    ocad = Organization.objects.get(slug="ocad")
    assert alliance.name == "Chicago Alliance Against Racist and Political Repression"
    assert "direct democratic control" in action_now.description
    assert not action_now.website, "the seeds name no website: none is invented"
    assert action_now.logo and (var_dir / "media" / action_now.logo.name).exists()
    coalition = Organization.objects.get(slug="expand-sanctuary-coalition")
    assert coalition.is_coalition
    assert set(coalition.members.values_list("slug", flat=True)) >= {"ocad", "mijente", "swop"}

    defend = Petition.objects.get(slug=DEFEND_CHICAGO)
    assert defend.title == (
        "Tell Mayor Rahm Emanuel to Defy Trump, Defend Chicago, and Expand Sanctuary"
    )
    assert defend.status == Status.OPEN and defend.published_at is not None
    assert defend.owner == ocad
    assert defend.sponsors.count() == 17, "16 local organizations and Mijente co-sponsor it"
    assert list(defend.targets.values_list("name", "title", "office")) == [
        ("Rahm Emanuel", "Mayor", "City of Chicago")
    ]
    assert "\n1. Pass the amendments" in defend.ask and "\n2. Pass a resolution" in defend.ask
    assert defend.ask.count("Welcoming City Ordinance,") == 1, "seed duplicates appear once"
    assert defend.why.count("Mijente") == 1
    assert defend.title_es and defend.ask_es.count("\n1. ") == 1 and defend.why_es

    fop = Petition.objects.get(slug=REJECT_FOP_TIES)
    assert fop.title == "Reject the Chicago police union's white supremacist ties"
    assert fop.owner == action_now
    assert list(fop.sponsors.all()) == [alliance]
    assert list(fop.targets.values_list("name", "title", "office")) == [
        ("Lori Lightfoot", "Mayor", "City of Chicago")
    ]

    defend_count = PetitionCount.objects.get(petition=defend)
    assert defend_count.shown > 1000
    assert defend_count.pending > 0
    assert defend_count.goal == 2500
    assert list(defend.milestones.values_list("threshold", flat=True)) == [1000]
    assert 400 < PetitionCount.objects.get(petition=fop).shown < 1000

    update = defend.updates.get()
    assert update.title == "Both resolutions introduced to City Council"
    assert not update.email_signers


def test_consent_follows_only_confirmed_signatures_and_ticked_boxes(var_dir: Path) -> None:
    load_demo()

    assert not Signature.objects.filter(state=SignatureState.PENDING, person__isnull=False)
    assert not Signature.objects.filter(state=SignatureState.VERIFIED, person__isnull=True)
    for signature in Signature.objects.filter(state=SignatureState.VERIFIED).select_related(
        "petition"
    )[:300]:
        allowed = {o.pk for o in signature.petition.organizations}
        assert set(signature.consents) <= allowed
        granted = set(
            Consent.objects.filter(person=signature.person_id).values_list(
                "organization", flat=True
            )
        )
        assert set(signature.consents) <= granted
    pending_people = Person.objects.filter(signatures__state=SignatureState.PENDING).exclude(
        signatures__state=SignatureState.VERIFIED
    )
    assert not pending_people.exists(), "a signer who never confirmed is not a person yet"
    for signature in Signature.objects.filter(state=SignatureState.VERIFIED)[:100]:
        known_to = set(
            Supporter.objects.filter(person=signature.person_id).values_list(
                "organization", flat=True
            )
        )
        assert {o.pk for o in signature.petition.organizations} <= known_to
    # As confirming does: contact details only for an organization the signer consented to.
    for supporter in Supporter.objects.exclude(email="", address="")[:300]:
        assert Consent.objects.filter(
            person=supporter.person_id, organization=supporter.organization_id
        ).exists(), "a signer's contact details reached an organization they did not tick"
    assert Supporter.objects.filter(email="").exists()
    consenting = Signature.objects.exclude(consents=[]).count()
    assert 0.4 < consenting / Signature.objects.count() < 0.8


def test_the_calendar_has_upcoming_public_events(var_dir: Path) -> None:
    from django.utils import timezone

    load_demo()
    upcoming = Event.objects.filter(shifts__starts_at__gt=timezone.now()).distinct()
    assert upcoming.count() == 3
    assert set(upcoming.values_list("owner__slug", flat=True)) == {
        "action-now",
        "chicago-alliance",
    }


def test_it_prints_working_logins(var_dir: Path) -> None:
    output = load_demo()

    password = (var_dir / "demo_password").read_text().strip()
    assert len(password) >= 12
    assert oct((var_dir / "demo_password").stat().st_mode & 0o777) == "0o600"
    assert "http://127.0.0.1:8000" in output
    assert f"Action Now: maria@action-now.example / {password}" in output
    assert f"Organized Communities Against Deportations: rosa@ocad.example / {password}" in output
    assert f"admin@groundswell.example / {password}" in output
    for organization in Organization.objects.all():
        assert f"{organization.name}: " in output, f"no login printed for {organization}"

    maria = authenticate(email="maria@action-now.example", password=password)
    assert maria is not None
    assert maria.memberships.get().role == Role.OWNER
    admin = authenticate(email="admin@groundswell.example", password=password)
    assert admin is not None and admin.is_superuser and admin.is_staff


def test_running_it_again_adds_nothing(var_dir: Path) -> None:
    load_demo()
    before = totals()
    shown = dict(PetitionCount.objects.values_list("petition__slug", "shown"))
    logo = Organization.objects.get(slug="ocad").logo.name
    password = (var_dir / "demo_password").read_text()

    output = load_demo()

    assert totals() == before
    assert dict(PetitionCount.objects.values_list("petition__slug", "shown")) == shown
    assert Organization.objects.get(slug="ocad").logo.name == logo
    assert len(list((var_dir / "media" / "logos").iterdir())) == before["organizations"]
    assert (var_dir / "demo_password").read_text() == password
    assert "nothing new to add" in output


def test_the_made_up_signers_get_no_confirmation_email(var_dir: Path) -> None:
    from groundswell.petitions.emails import queue_confirmations
    from groundswell.petitions.models import Signature

    call_command("load_demo", stdout=io.StringIO())
    assert not Signature.objects.filter(verification_due=True).exists()
    assert queue_confirmations() == 0


def test_a_new_worker_finds_no_demo_email_to_send(var_dir: Path, mailbox: Any, drain: Any) -> None:
    from groundswell.core.models import OutboundEmail

    load_demo()
    decided = OutboundEmail.objects.values_list("kind", flat=True)
    # The actions decided them as in real life (invitations, a milestone, volunteers'
    # confirmations), and none is left for a worker.
    assert {"petitions.sponsor_invitation", "volunteers.confirmation"} <= set(decided)
    assert not OutboundEmail.objects.filter(state=OutboundEmail.State.QUEUED).exists()
    drain()
    # What a worker sends now is its own periodic work for the staff (the volunteers
    # waiting to hear from them), never an email the demo's loading decided.
    staff = set(User.objects.values_list("email", flat=True))
    assert {m["To"] for m in mailbox.messages} <= staff
    assert not [m for m in mailbox.messages if "invit" in m["Subject"].lower()]


def test_the_demo_signers_are_spread_over_the_wards_by_the_worker_routine(
    var_dir: Path,
) -> None:
    from groundswell.campaigns.models import Demand
    from groundswell.legislation import demo as legislation_demo
    from groundswell.legislation.models import WhipBoard
    from groundswell.petitions import counts

    load_demo()

    defend = Petition.objects.get(slug=DEFEND_CHICAGO)
    located = Signature.objects.filter(petition=defend)
    assert not located.filter(located_at__isnull=True).exists()
    assert set(located.values_list("district_precision", flat=True)) == {"point"}
    figures = counts.district_figures(defend)
    assert len(figures.by_district) >= 40, "spread over (nearly) all 50 wards"
    assert figures.in_districts == PetitionCount.objects.get(petition=defend).verified
    assert figures.low_precision == figures.unlocated == figures.not_found == 0

    welcoming = Demand.objects.get(matter__slug=legislation_demo.WELCOMING_CITY.slug)
    assert welcoming.campaign.slug == "expand-sanctuary"
    assert Demand.objects.filter(matter__slug=legislation_demo.ECPS.slug).exists()
    board = WhipBoard.objects.get(matter=welcoming.matter)
    page = Client().get(board.get_absolute_url()).content.decode()
    assert "Verified signers" in page

    before = dict(figures.by_district)
    load_demo()
    assert counts.by_district(defend) == before, "a second run moves nobody"
