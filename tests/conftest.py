"""Shared test setup: named personas built through the same actions users trigger,
a real SMTP server, and a way to run the background work that is ready."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.core import worker
from groundswell.organizations.models import Membership, Organization, Role
from groundswell.petitions import actions as petition_actions
from groundswell.petitions.models import Petition
from tests.smtp import Mailbox, SMTPServer


def redis_test_url(db: int) -> str:
    """The Redis database a test module may flush. CI runs the SQLite and PostgreSQL
    suites at once; TEST_REDIS_DB_SHIFT gives the second its own databases."""
    return f"redis://127.0.0.1:6379/{db - int(os.environ.get('TEST_REDIS_DB_SHIFT', '0'))}"


PASSWORD = "correct horse battery staple"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """PostgreSQL-only tests are left out (not skipped) when the suite runs on SQLite."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker("postgresql") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """With CI=true, a browser or PostgreSQL test that skips is a failure, not a pass."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    strict = os.environ.get("CI", "").lower() == "true"
    if (
        strict
        and report.skipped
        and (item.get_closest_marker("browser") or item.get_closest_marker("postgresql"))
    ):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true: {report.longrepr}"


@pytest.fixture(autouse=True)
def fresh_process_state() -> Iterator[None]:
    """What an app process remembers between requests (signing facts, access rules, a
    mail-server failure) starts empty in each test, as in a new process."""
    from groundswell.core import outbox
    from groundswell.petitions import integrity, signing_facts

    def forget() -> None:
        from django.core.cache import cache

        cache.clear()
        outbox.pause.reset()
        signing_facts.forget()
        integrity.forget_rules()

    forget()
    yield
    forget()


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SMTPServer]:
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(smtp_server: SMTPServer, settings: Any) -> Mailbox:
    """Send this test's email over real SMTP to a server the test started."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    smtp_server.mailbox.clear()
    return smtp_server.mailbox


@pytest.fixture
def drain() -> Any:
    """Run the queued tasks and periodic jobs (count folding) now."""
    return worker.drain


def make_organizer(email: str, organization: Organization, role: str = Role.ORGANIZER) -> User:
    user = User.objects.create_user(email, PASSWORD, first_name=email.split("@")[0].title())
    Membership.objects.create(user=user, organization=organization, role=role)
    return user


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def action_now(db: None) -> Organization:
    return Organization.objects.create(
        name="Action Now",
        slug="action-now",
        email="staff@actionnow.example",
        website="https://actionnow.example",
    )


@pytest.fixture
def ocad(db: None) -> Organization:
    return Organization.objects.create(
        name="Organized Communities Against Deportations",
        slug="ocad",
        email="info@ocad.example",
    )


@pytest.fixture
def other_org(db: None) -> Organization:
    return Organization.objects.create(name="Elsewhere Alliance", slug="elsewhere")


@pytest.fixture
def owner(action_now: Organization) -> User:
    """Maria owns Action Now."""
    return make_organizer("maria@actionnow.example", action_now, Role.OWNER)


@pytest.fixture
def organizer(action_now: Organization) -> User:
    """Dee organizes at Action Now."""
    return make_organizer("dee@actionnow.example", action_now, Role.ORGANIZER)


@pytest.fixture
def ocad_organizer(ocad: Organization) -> User:
    return make_organizer("rosa@ocad.example", ocad, Role.ORGANIZER)


@pytest.fixture
def outsider(other_org: Organization) -> User:
    """Sam organizes at an organization with no part in Action Now's petitions."""
    return make_organizer("sam@elsewhere.example", other_org, Role.OWNER)


def answerer_of(organization: Organization) -> Membership:
    """Who answers invitations for the organization: an owner or admin of it, or
    owner@<slug>.example made its owner if it has none."""
    answerer = organization.answerers().first()
    if answerer is None:
        user = make_organizer(f"owner@{organization.slug}.example", organization, Role.OWNER)
        answerer = Membership.objects.get(user=user, organization=organization)
    return answerer


def co_sponsor(petition: Petition, organization: Organization) -> None:
    """`organization` co-sponsors `petition` the only way it can: the owner's invitation,
    accepted by an owner or admin of it."""
    invitation = petition_actions.invite_sponsor(petition, organization, by=None)
    petition_actions.accept_sponsorship(answerer_of(organization), invitation)


@pytest.fixture
def draft_petition(action_now: Organization, ocad: Organization, owner: User) -> Petition:
    """Action Now's draft, co-sponsored by OCAD (invited and accepted)."""
    draft = petition_actions.create_petition(
        owner=action_now,
        created_by=owner,
        sponsors=[ocad],
        targets=[{"name": "Rahm Emanuel", "title": "Mayor", "office": "City of Chicago"}],
        slug="defend-chicago",
        title="Tell Mayor Rahm Emanuel to Defy Trump, Defend Chicago, and Expand Sanctuary",
        ask="Specifically, we are asking the City of Chicago to:\n\n"
        "1. Pass the amendments to the Welcoming City Ordinance.\n"
        "2. Pass a resolution to reduce police violence.",
        why="Chicago has a history of over-policing and criminalization.",
        title_es="Dígale al alcalde Rahm Emanuel que desafíe a Trump y defienda Chicago",
    )
    co_sponsor(draft, ocad)
    return draft


@pytest.fixture
def petition(draft_petition: Petition) -> Petition:
    """An open petition owned by Action Now and co-sponsored by OCAD."""
    petition_actions.publish(draft_petition)
    return draft_petition


def form_token(age: float = 60) -> str:
    """The sign form's token as a page would have served it `age` seconds ago."""
    import time

    from groundswell.petitions.integrity import SIGN_SCREEN

    return SIGN_SCREEN.token(now=time.time() - age)


SIGNER = {
    "first_name": "Ana",
    "last_name": "Reyes",
    "email": "ana.reyes@example.org",
    "zip_code": "60608",
}
