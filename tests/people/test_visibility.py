"""No organization learns anything about a person through another one: searches, counts,
pages, exports, tags, lists and error messages show only what the organization itself
was given, and contact details only with its own consent."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people import actions
from groundswell.people.models import Activity, ListMember, PersonList, Supporter, Tagging
from groundswell.people.search.queries import search
from groundswell.petitions.models import Petition
from tests.conftest import login
from tests.people.test_export import rows
from tests.people.test_search import add_supporter, names, people_url
from tests.petitions.test_export import sign

pytestmark = pytest.mark.django_db


def without_csrf(content: bytes) -> str:
    """A page's text with its per-response CSRF token (the logout form's) left out."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", content.decode())


@pytest.fixture
def zed(other_org: Organization) -> Supporter:
    """Zed is known only to Elsewhere Alliance, consented to it, and is tagged there."""
    zed = add_supporter(
        other_org, "Zed", "Zimmer", email="zed@example.org", phone="312-555-0177", city="Gary"
    )
    tag = actions.get_or_create_tag(other_org, "secret-tag")
    actions.tag_people(tag, [zed.person_id])
    elsewhere_list = actions.create_list(other_org, "Elsewhere list")
    actions.add_to_list(elsewhere_list, [zed.person_id])
    return zed


@pytest.fixture
def shared(action_now: Organization, other_org: Organization) -> Supporter:
    """Ana is known to both; Elsewhere has her phone, city, consent, tag and notes."""
    elsewhere = add_supporter(
        other_org,
        "Ana",
        "Reyes",
        email="ana@example.org",
        phone="312-555-0111",
        city="Evanston",
    )
    Supporter.objects.filter(pk=elsewhere.pk).update(custom_fields={"elsewhere note": "x"})
    actions.tag_people(actions.get_or_create_tag(other_org, "elsewhere-tag"), [elsewhere.person_id])
    actions.record_activity(elsewhere.person, other_org, Activity.Kind.FORM, summary="zzform")
    return actions.link(
        elsewhere.person, action_now, source="test", first_name="Ana", email="ana@example.org"
    )


def test_search_and_counts_never_include_another_organizations_people(
    client: Client, organizer: User, action_now: Organization, zed: Supporter
) -> None:
    add_supporter(action_now, "Ana")
    login(client, organizer)
    for params in ({}, {"q": "zed"}, {"q": "zed@example.org"}, {"q": "zimmer"}):
        response = client.get(people_url(**params))
        assert "Zed" not in names(response), params
        assert "Zimmer" not in response.content.decode()
        assert "555-0177" not in response.content.decode()
    assert client.get(people_url()).context["results"]["total"] == 1
    assert client.get(people_url(q="zed")).context["results"]["total"] == 0


def test_another_organizations_person_is_the_same_404_as_no_one(
    client: Client, organizer: User, zed: Supporter
) -> None:
    login(client, organizer)
    hidden_url = reverse("people_manage:person", args=["action-now", zed.pk])
    missing_url = reverse("people_manage:person", args=["action-now", 987654])
    hidden, missing = client.get(hidden_url), client.get(missing_url)
    assert hidden.status_code == missing.status_code == 404
    # The same page, but for the address itself (in the language switcher's links).
    assert without_csrf(hidden.content).replace(hidden_url, "") == without_csrf(
        missing.content
    ).replace(missing_url, "")
    edit = client.get(reverse("people_manage:edit", args=["action-now", zed.pk]))
    assert edit.status_code == 404


def test_a_person_page_shows_only_the_organizations_own_record(
    client: Client, organizer: User, shared: Supporter
) -> None:
    page = login(client, organizer).get(
        reverse("people_manage:person", args=["action-now", shared.pk])
    )
    text = page.content.decode()
    assert "Ana" in text
    for theirs in ("555-0111", "Evanston", "elsewhere-tag", "elsewhere note", "zzform", "Reyes"):
        assert theirs not in text, theirs
    assert "ana@example.org" not in text  # Action Now has no consent of its own
    consent_lines = [line["consent"] for line in page.context["consents"]]
    assert consent_lines == [None, None, None]


def test_exports_hold_only_the_organizations_people_and_fields(
    client: Client, organizer: User, zed: Supporter, shared: Supporter
) -> None:
    exported = rows(
        login(client, organizer).get(reverse("people_manage:export", args=["action-now"]))
    )
    assert [row["first_name"] for row in exported] == ["Ana"]
    ana = exported[0]
    assert (ana["last_name"], ana["email"], ana["phone"], ana["city"], ana["tags"]) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert ana["custom_fields"] == ""


def test_another_organizations_tags_and_lists_cannot_be_used_or_seen(
    client: Client,
    organizer: User,
    action_now: Organization,
    other_org: Organization,
    zed: Supporter,
) -> None:
    ana = add_supporter(action_now, "Ana")
    their_tag = other_org.tags.get()
    their_list = PersonList.objects.get(organization=other_org)
    login(client, organizer)
    for params in ({"tag": their_tag.pk}, {"list": their_list.pk}):
        response = client.get(people_url(**params))
        assert names(response) == []
        assert "does not exist" in response.content.decode()
    assert (
        "secret-tag"
        not in client.get(reverse("people_manage:tags", args=["action-now"])).content.decode()
    )
    assert (
        "Elsewhere list"
        not in client.get(reverse("people_manage:lists", args=["action-now"])).content.decode()
    )
    for name, args in (
        ("tag_edit", [their_tag.pk]),
        ("list_detail", [their_list.pk]),
        ("list_export", [their_list.pk]),
        ("list_delete", [their_list.pk]),
    ):
        assert (
            client.get(reverse(f"people_manage:{name}", args=["action-now", *args])).status_code
            == 404
        )
    assert (
        client.post(
            reverse("people_manage:tag_delete", args=["action-now", their_tag.pk])
        ).status_code
        == 404
    )
    bulk = reverse("people_manage:bulk", args=["action-now"])
    client.post(bulk, {"scope": "all", "operation": "add_to_list", "person_list": their_list.pk})
    client.post(bulk, {"scope": "all", "operation": "untag", "tag_name": "secret-tag"})
    assert list(
        ListMember.objects.filter(person_list=their_list).values_list("person_id", flat=True)
    ) == [zed.person_id]
    assert Tagging.objects.filter(tag=their_tag).count() == 1
    assert not Tagging.objects.filter(person=ana.person).exists()
    assert list(search(action_now, {"tag": their_tag.pk})) == []


def test_another_organizations_person_ids_are_refused_in_bulk(
    client: Client, organizer: User, action_now: Organization, zed: Supporter
) -> None:
    response = login(client, organizer).post(
        reverse("people_manage:bulk", args=["action-now"]),
        {"scope": "selected", "people": [zed.person_id], "operation": "tag", "tag_name": "mine"},
        follow=True,
    )
    assert "not your supporters" in response.content.decode()
    assert not Tagging.objects.filter(tag__organization=action_now).exists()
    assert not action_now.tags.exists()


def test_adding_an_email_known_elsewhere_reveals_nothing(
    client: Client, organizer: User, action_now: Organization, zed: Supporter
) -> None:
    login(client, organizer)
    url = reverse("people_manage:add", args=["action-now"])
    form: dict[str, Any] = {"language": "en", "consent": "none"}
    known = client.post(url, {**form, "first_name": "Z", "email": "ZED@example.org"}, follow=True)
    fresh = client.post(url, {**form, "first_name": "Y", "email": "new@example.org"}, follow=True)
    assert [str(m) for m in known.context["messages"]] == [
        str(m) for m in fresh.context["messages"]
    ]
    text = known.content.decode()
    for theirs in ("Zimmer", "555-0177", "Gary", "secret-tag", "Elsewhere", "zed@example.org"):
        assert theirs not in text, theirs
    mine = Supporter.objects.get(organization=action_now, person=zed.person)
    assert (mine.first_name, mine.last_name, mine.city, mine.phone) == ("Z", "", "", "")


def test_a_co_sponsor_sees_a_signer_but_not_their_email_without_its_own_consent(
    client: Client,
    ocad_organizer: User,
    organizer: User,
    petition: Petition,
    action_now: Organization,
) -> None:
    signature = sign(petition, "Ana", consents=[action_now.pk], email="ana.signer@example.org")
    login(client, ocad_organizer)
    assert names(client.get(people_url("ocad"))) == ["Ana Reyes"]
    assert names(client.get(people_url("ocad", q="ana.signer@"))) == []
    theirs = Supporter.objects.get(organization__slug="ocad", person=signature.person_id)
    assert (theirs.email, theirs.address) == ("", "")  # never given to OCAD, not just hidden
    page = client.get(reverse("people_manage:person", args=["ocad", theirs.pk]))
    assert "ana.signer@example.org" not in page.content.decode()
    ocad_rows = rows(client.get(reverse("people_manage:export", args=["ocad"])))
    assert ocad_rows[0]["email"] == ""
    login(client, organizer)
    assert names(client.get(people_url(q="ana.signer@"))) == ["Ana Reyes"]


def test_actions_offered_and_accepted_are_only_the_organizations_own(
    client: Client, outsider: User, petition: Petition, other_org: Organization
) -> None:
    sign(petition, "Ana", consents=[])
    add_supporter(other_org, "Bo")
    login(client, outsider)
    response = client.get(people_url("elsewhere"))
    assert f"petition:{petition.pk}" not in dict(response.context["form"].fields["action"].choices)
    forged = client.get(people_url("elsewhere", action=f"petition:{petition.pk}"))
    assert names(forged) == []
    assert "not one of yours" in forged.content.decode()
