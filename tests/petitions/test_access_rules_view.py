"""An organization's access rules: /manage/<org>/petitions/rules/ (list and add) and
.../rules/<id>/delete/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization, Role
from groundswell.petitions import integrity
from groundswell.petitions.models import AccessRule, Petition, Signature
from tests.conftest import form_token, login, make_organizer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rules() -> Iterator[None]:
    integrity.forget_rules()
    yield
    integrity.forget_rules()


@pytest.fixture
def admin(action_now: Organization) -> User:
    """Lou is an admin at Action Now."""
    return make_organizer("lou@actionnow.example", action_now, Role.ADMIN)


def rules_url(org: str = "action-now") -> str:
    return reverse("petitions_manage:rules", args=[org])


def delete_url(rule: AccessRule, org: str = "action-now") -> str:
    return reverse("petitions_manage:rule_delete", args=[org, rule.pk])


def add_rule(client: Client, **data: str) -> Any:
    return client.post(rules_url(), {"action": "block", **data})


def rules() -> list[tuple[str, str, str]]:
    return list(AccessRule.objects.order_by("pk").values_list("kind", "value", "action"))


def sign(client: Client, petition: Petition, *, ip: str, email: str) -> Any:
    token = form_token()
    data = {
        "first_name": "Ana",
        "last_name": "Reyes",
        "email": email,
        "zip_code": "60608",
        "form_token": token,
    }
    return client.post(f"/petitions/{petition.slug}/sign", data, REMOTE_ADDR=ip)


# --- Who may ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["owner", "admin"])
def test_owners_and_admins_see_the_rules(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)

    response = login(client, user).get(rules_url())

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "<h1>Access rules</h1>" in response.content.decode()


def test_an_organizer_below_admin_gets_403_and_cannot_add_or_delete(
    client: Client, organizer: User, action_now: Organization
) -> None:
    rule = AccessRule.objects.create(
        organization=action_now, kind="ip", value="203.0.113.7", action="block"
    )
    login(client, organizer)

    assert client.get(rules_url()).status_code == 403
    assert add_rule(client, kind="ip", value="198.51.100.1").status_code == 403
    assert client.post(delete_url(rule)).status_code == 403
    assert rules() == [("ip", "203.0.113.7", "block")]


def test_an_admin_of_another_organization_gets_403_and_cannot_touch_its_rules(
    client: Client, outsider: User, action_now: Organization
) -> None:
    rule = AccessRule.objects.create(
        organization=action_now, kind="ip", value="203.0.113.7", action="block"
    )
    login(client, outsider)

    assert client.get(rules_url()).status_code == 403
    assert client.post(delete_url(rule)).status_code == 403
    assert client.post(delete_url(rule, "elsewhere")).status_code == 404
    assert rules() == [("ip", "203.0.113.7", "block")]


def test_a_visitor_who_is_not_signed_in_is_sent_to_log_in(client: Client) -> None:
    response = client.get(rules_url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_integrity_page_links_to_the_rules_for_admins_only(
    client: Client, owner: User, organizer: User, petition: Petition
) -> None:
    integrity_url = reverse("petitions_manage:integrity", args=["action-now", petition.slug])

    assert rules_url() in login(client, owner).get(integrity_url).content.decode()
    assert rules_url() not in login(client, organizer).get(integrity_url).content.decode()


# --- Listing ------------------------------------------------------------------------------


def test_the_page_lists_this_organizations_rules_and_the_sites_but_not_other_orgs(
    client: Client, owner: User, action_now: Organization, other_org: Organization
) -> None:
    AccessRule.objects.create(
        organization=action_now, kind="ip", value="203.0.113.0/24", action="block", note="bots"
    )
    AccessRule.objects.create(
        organization=None, kind="domain", value="spam.example", action="block"
    )
    AccessRule.objects.create(organization=other_org, kind="ip", value="192.0.2.1", action="allow")

    html = login(client, owner).get(rules_url()).content.decode()

    assert "<code>203.0.113.0/24</code>" in html
    assert "bots" in html
    site = html.split('id="site-rules-heading"', 1)[1]
    assert "<code>spam.example</code>" in site
    assert "192.0.2.1" not in html
    assert "within 30 seconds" in html


# --- Adding -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "typed", "stored"),
    [
        ("ip", " 203.0.113.7 ", "203.0.113.7"),
        ("ip", "203.0.113.7/24", "203.0.113.0/24"),
        ("ip", "2001:0DB8::/32", "2001:db8::/32"),
        ("ip", "2001:db8::1/128", "2001:db8::1"),
        ("domain", "@Spam.Example", "spam.example"),
        ("domain", " mail.spam.example ", "mail.spam.example"),
    ],
)
def test_an_admin_adds_a_rule_written_the_standard_way(
    client: Client, admin: User, action_now: Organization, kind: str, typed: str, stored: str
) -> None:
    response = add_rule(login(client, admin), kind=kind, value=typed, note="  too   many  ")

    assert response.status_code == 303
    assert response["Location"] == rules_url()
    rule = AccessRule.objects.get()
    assert (rule.organization, rule.kind, rule.value, rule.action) == (
        action_now,
        kind,
        stored,
        "block",
    )
    assert rule.note == "too many"
    assert rule.created_by == admin


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "ip", "value": "203.0.113.300"}, "is not an IP address or range"),
        ({"kind": "ip", "value": "10.0.0.0/33"}, "is not an IP address or range"),
        ({"kind": "ip", "value": "spam.example"}, "is not an IP address or range"),
        ({"kind": "domain", "value": "localhost"}, "is not an email domain"),
        ({"kind": "domain", "value": "ana@spam.example"}, "is not an email domain"),
        ({"kind": "domain", "value": ""}, "Type the IP address, range or email domain"),
        ({"kind": "", "value": "spam.example"}, "Choose an IP or a domain rule"),
        ({"kind": "domain", "value": "spam.example", "action": ""}, "Choose allow or block"),
        ({"kind": "domain", "value": "spam.example", "action": "ignore"}, "valid choice"),
    ],
)
def test_a_bad_rule_gets_a_clear_message_and_nothing_is_saved(
    client: Client, admin: User, data: dict[str, str], message: str
) -> None:
    response = add_rule(login(client, admin), **data)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was saved. Please fix the problems below." in html
    assert message in html
    assert rules() == []


def test_the_same_rule_twice_is_refused(
    client: Client, admin: User, action_now: Organization
) -> None:
    login(client, admin)
    add_rule(client, kind="domain", value="spam.example")

    response = add_rule(client, kind="domain", value="@SPAM.example", action="allow")

    assert response.status_code == 400
    assert "There is already a rule for spam.example" in response.content.decode()
    assert rules() == [("domain", "spam.example", "block")]


def test_the_same_value_may_be_ruled_by_two_organizations(
    client: Client, admin: User, other_org: Organization
) -> None:
    AccessRule.objects.create(
        organization=other_org, kind="domain", value="spam.example", action="block"
    )

    response = add_rule(login(client, admin), kind="domain", value="spam.example")

    assert response.status_code == 303
    assert AccessRule.objects.count() == 2


def test_a_new_block_rule_applies_to_the_next_signature_in_this_process(
    client: Client, admin: User, petition: Petition
) -> None:
    signer = Client()
    assert sign(signer, petition, ip="203.0.113.7", email="a@example.org").status_code == 303
    integrity.rules_for(petition.owner_id)  # cached now

    add_rule(login(client, admin), kind="ip", value="203.0.113.0/24")
    response = sign(signer, petition, ip="203.0.113.8", email="b@example.org")

    assert response.status_code == 403
    assert "Signatures from your network are not accepted here." in response.content.decode()
    assert list(Signature.objects.values_list("email", flat=True)) == ["a@example.org"]


def test_an_allowed_domain_signs_even_when_on_the_disposable_list(
    client: Client, admin: User, petition: Petition
) -> None:
    signer = Client()
    assert sign(signer, petition, ip="203.0.113.7", email="a@mailinator.com").status_code == 403

    add_rule(login(client, admin), kind="domain", value="mailinator.com", action="allow")

    assert sign(signer, petition, ip="203.0.113.7", email="a@mailinator.com").status_code == 303


# --- Deleting -----------------------------------------------------------------------------


def test_an_admin_deletes_a_rule_and_signing_is_open_again(
    client: Client, admin: User, petition: Petition, action_now: Organization
) -> None:
    rule = AccessRule.objects.create(
        organization=action_now, kind="ip", value="203.0.113.0/24", action="block"
    )
    signer = Client()
    assert sign(signer, petition, ip="203.0.113.7", email="a@example.org").status_code == 403

    response = login(client, admin).post(delete_url(rule), follow=True)

    assert response.redirect_chain == [(rules_url(), 303)]
    assert "The rule for 203.0.113.0/24 is deleted" in response.content.decode()
    assert rules() == []
    assert sign(signer, petition, ip="203.0.113.7", email="a@example.org").status_code == 303


def test_a_rule_of_another_organization_or_of_the_site_cannot_be_deleted_here(
    client: Client, admin: User, other_org: Organization
) -> None:
    theirs = AccessRule.objects.create(
        organization=other_org, kind="ip", value="192.0.2.1", action="block"
    )
    site = AccessRule.objects.create(kind="ip", value="192.0.2.2", action="block")
    login(client, admin)

    assert client.post(delete_url(theirs)).status_code == 404
    assert client.post(delete_url(site)).status_code == 404
    assert AccessRule.objects.count() == 2


def test_deleting_takes_only_a_post(client: Client, admin: User, action_now: Organization) -> None:
    rule = AccessRule.objects.create(
        organization=action_now, kind="ip", value="192.0.2.1", action="block"
    )

    assert login(client, admin).get(delete_url(rule)).status_code == 405
    assert AccessRule.objects.count() == 1


def test_the_form_offers_each_kind_and_action_with_no_blank_choice(
    client: Client, admin: User
) -> None:
    html = login(client, admin).get(rules_url()).content.decode()

    form = html.split('id="add-rule-heading"', 1)[1]
    assert 'name="kind" value="ip"' in form
    assert 'name="kind" value="domain"' in form
    assert 'name="action" value="allow"' in form
    assert 'name="action" value="block"' in form
    assert 'value=""' not in form.split("</form>")[0]


# --- The operator's admin -----------------------------------------------------------------


def test_an_operator_adds_a_rule_for_every_petition_in_the_admin_and_it_applies_at_once(
    client: Client, petition: Petition
) -> None:
    operator = User.objects.create_superuser("ops@groundswell.example", "x" * 12)
    integrity.rules_for(petition.owner_id)  # cached now
    add = reverse("admin:petitions_accessrule_add")
    bad = login(client, operator).post(add, {"kind": "ip", "value": "spam", "action": "block"})
    assert "is not an IP address or range" in bad.content.decode()
    assert not AccessRule.objects.exists()

    response = client.post(
        add, {"kind": "domain", "value": "@Spam.Example", "action": "block", "note": "abuse"}
    )

    assert response.status_code == 302
    rule = AccessRule.objects.get()
    assert (rule.organization, rule.created_by, rule.value) == (None, operator, "spam.example")
    refused = sign(Client(), petition, ip="198.51.100.1", email="a@spam.example")
    assert refused.status_code == 403
    assert client.get(reverse("admin:petitions_accessrule_changelist")).status_code == 200
