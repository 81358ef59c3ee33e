"""Running an import: matching people, the organization's own rows, consent, tags,
idempotence, and resuming after the worker dies."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people import actions
from groundswell.people.imports import actions as import_actions
from groundswell.people.models import (
    Activity,
    AuditEvent,
    Consent,
    ImportJob,
    Person,
    PersonEmail,
    PersonPhone,
    Supporter,
    Tagging,
)
from groundswell.petitions.models import Petition
from tests.conftest import login
from tests.people.importing import ANA, HEADER, LUIS, base, import_csv, map_columns, uploaded
from tests.petitions.test_export import sign

pytestmark = pytest.mark.django_db

MANY = HEADER + "".join(
    f'P{i},Person,p{i}@example.org,(312) 555-{i:04d},60608,"volunteer, ward {i % 3}"\n'
    for i in range(7)
)


def test_it_creates_people_and_the_organizations_supporters(
    client: Client, organizer: User, action_now: Organization, drain: Any
) -> None:
    login(client, organizer)
    job = import_csv(client, action_now, HEADER + ANA + LUIS, drain)
    assert (job.status, job.rows_done, job.created_count, job.failed_count) == ("done", 2, 2, 0)
    ana = Supporter.objects.get(organization=action_now, email="ana@example.org")
    assert (ana.first_name, ana.phone, ana.zip_code, ana.source) == (
        "Ana",
        "+13125550101",
        "60608",
        f"import:{job.pk}",
    )
    assert Person.objects.get(pk=ana.person_id).email_normalized == "ana@example.org"
    # Known by her address: the number stays on Action Now's row, not on the shared person.
    assert not PersonPhone.objects.exists()
    imported = Activity.objects.filter(kind=Activity.Kind.IMPORTED, organization=action_now)
    assert imported.count() == 2
    assert set(imported.values_list("source", flat=True)) == {f"import:{job.pk}"}
    assert not job.file  # the uploaded file is deleted once imported


def test_importing_the_same_file_again_changes_nothing(
    client: Client, organizer: User, action_now: Organization, drain: Any
) -> None:
    login(client, organizer)
    options = {"consent_basis": "email", "consent_note": "Sign-up sheet", "tags": "march"}
    first = import_csv(client, action_now, MANY, drain, **options)
    assert first.created_count == 7
    counts = (Activity.objects.count(), Consent.objects.count(), Tagging.objects.count())
    supporters = list(Supporter.objects.values().order_by("pk"))
    again = import_csv(client, action_now, MANY, drain, **options)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 7)
    assert (Activity.objects.count(), Consent.objects.count(), Tagging.objects.count()) == counts
    assert list(Supporter.objects.values().order_by("pk")) == supporters
    assert Person.objects.count() == 7


def test_it_matches_a_known_person_by_email_and_one_known_by_phone_alone_by_phone(
    client: Client, organizer: User, action_now: Organization, drain: Any
) -> None:
    by_email = actions.record_person(email="Ana.Reyes+petition@GMail.com")
    by_phone = actions.record_person(phone="312-555-0199")
    login(client, organizer)
    content = "Email,Phone,First name\nanareyes@gmail.com,,Ana\n,+1 312 555 0199,Bea\n"
    job = import_csv(client, action_now, content, drain)
    assert job.created_count == 2  # new supporters of Action Now, not new people
    assert Person.objects.count() == 2
    assert Supporter.objects.get(person=by_email).first_name == "Ana"
    by_phone.refresh_from_db()
    assert by_phone.first_name == "Bea"


def test_an_address_in_a_row_never_becomes_that_of_someone_known_by_the_rows_phone(
    client: Client, organizer: User, action_now: Organization, ocad: Organization, drain: Any
) -> None:
    # A file is typed by an organizer: its address could be anyone's, and would receive
    # everything held about whoever the phone number belongs to.
    by_phone = actions.record_person(phone="312-555-0199", first_name="Luis")
    victim = actions.record_person(email="vic@example.org", first_name="Vic")
    actions.link(victim, ocad, source="import:1", phone="312-555-0123", address="1 Secret St")
    PersonPhone.objects.create(person=victim, number="+13125550123")  # as stored before
    login(client, organizer)
    content = "Email,Phone,First name\nnew@example.org,+1 312 555 0199,Bea\n,312-555-0123,Someone\n"
    job = import_csv(client, action_now, content, drain)
    assert (job.created_count, job.failed_count) == (2, 0)
    by_phone.refresh_from_db()
    assert (by_phone.email_normalized, by_phone.first_name) == (None, "Luis")
    assert not PersonEmail.objects.exists()
    bea = Supporter.objects.get(organization=action_now, first_name="Bea").person
    assert bea.email_normalized == "new@example.org" and bea != by_phone
    # A number held by someone with an address leads no other organization's row to them.
    someone = Supporter.objects.get(organization=action_now, first_name="Someone")
    assert someone.person != victim
    assert not Supporter.objects.filter(organization=action_now, person=victim).exists()


def test_another_organizations_data_is_neither_shown_nor_changed(
    client: Client, organizer: User, action_now: Organization, ocad: Organization, drain: Any
) -> None:
    person = actions.record_person(email="ana@example.org", first_name="Ana", zip_code="60608")
    actions.link(
        person, ocad, source="petition:x", first_name="Ana", phone="312-555-0101", city="Chicago"
    )
    login(client, organizer)
    job = import_csv(client, action_now, "Email,First name\nana@example.org,Anita\n", drain)
    assert job.created_count == 1  # new to Action Now, whoever else knows her
    theirs = Supporter.objects.get(organization=ocad, person=person)
    assert (theirs.first_name, theirs.phone, theirs.city) == ("Ana", "+13125550101", "Chicago")
    ours = Supporter.objects.get(organization=action_now, person=person)
    assert (ours.first_name, ours.phone, ours.city, ours.zip_code) == ("Anita", "", "", "")
    person.refresh_from_db()
    assert person.first_name == "Ana"  # shared fields are only filled in where blank
    page = client.get(f"{base(action_now)}{job.pk}/").content.decode()
    assert "Chicago" not in page and "0101" not in page


def test_an_address_the_organization_cannot_see_is_new_to_it_and_joined_to_nothing(
    client: Client,
    ocad_organizer: User,
    petition: Petition,
    action_now: Organization,
    ocad: Organization,
    drain: Any,
) -> None:
    # Ana signed Action Now's petition, co-sponsored by OCAD, agreeing to hear from
    # Action Now only: OCAD knows her name and ZIP code, never her address.
    signature = sign(petition, "Ana", consents=[action_now.pk], email="ana@example.org")
    theirs = Supporter.objects.get(organization=ocad, person=signature.person)
    login(client, ocad_organizer)
    content = "Email,First name,Phone\nana@example.org,Luz,312-555-0177\nnew@example.org,Ben,\n"
    job = import_csv(client, ocad, content, drain, consent_basis="email", consent_note="sheet")
    assert (job.created_count, job.updated_count, job.unchanged_count) == (2, 0, 0)
    theirs.refresh_from_db()
    assert (theirs.first_name, theirs.email, theirs.phone) == ("Ana", "", "")
    assert not Supporter.objects.visible_to(ocad).get(pk=theirs.pk).contactable
    luz = Supporter.objects.get(organization=ocad, first_name="Luz")
    assert (luz.email, luz.last_name, luz.zip_code) == ("ana@example.org", "", "")
    assert luz.person.holder == signature.person
    again = import_csv(client, ocad, content, drain)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)


def test_a_later_file_updates_the_organizations_own_rows(
    client: Client, organizer: User, action_now: Organization, drain: Any
) -> None:
    login(client, organizer)
    import_csv(client, action_now, HEADER + ANA, drain)
    job = import_csv(client, action_now, "Email,ZIP,First name\nana@example.org,60609,\n", drain)
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 0)
    ana = Supporter.objects.get(organization=action_now)
    assert (ana.zip_code, ana.first_name) == ("60609", "Ana")  # a blank cell erases nothing
    assert Activity.objects.filter(kind=Activity.Kind.IMPORTED, person=ana.person).count() == 2


def test_consent_is_recorded_with_how_it_was_given(
    client: Client, organizer: User, action_now: Organization, drain: Any
) -> None:
    login(client, organizer)
    content = HEADER + ANA + "Phone,Only,,312-555-0123,,\n"
    job = import_csv(
        client,
        action_now,
        content,
        drain,
        consent_basis="email",
        consent_note="Signed our sheet at the May 1 march",
    )
    consent = Consent.objects.get()
    assert consent.organization == action_now
    assert consent.person.email_normalized == "ana@example.org"  # no email, no email consent
    assert consent.source == f"import:{job.pk}: Signed our sheet at the May 1 march"
    assert Activity.objects.filter(kind=Activity.Kind.CONSENT_GIVEN).count() == 1
    assert job.consent_basis == ImportJob.ConsentBasis.EMAIL


def test_without_consent_nobody_becomes_emailable(
    client: Client, organizer: User, action_now: Organization, drain: Any
) -> None:
    login(client, organizer)
    import_csv(client, action_now, HEADER + ANA, drain)
    assert not Consent.objects.exists()
    assert not Supporter.objects.visible_to(action_now).get().contactable


def test_an_import_does_not_renew_a_withdrawn_consent(
    client: Client, organizer: User, action_now: Organization, drain: Any
) -> None:
    person = actions.record_person(email="ana@example.org")
    actions.grant_consent(person, action_now, source="petition:x")
    actions.withdraw_email_consent(person, action_now, source="unsubscribe")
    login(client, organizer)
    import_csv(
        client, action_now, HEADER + ANA, drain, consent_basis="email", consent_note="Old list"
    )
    assert not Consent.objects.active().exists()


def test_the_import_is_audited(
    client: Client, organizer: User, action_now: Organization, drain: Any
) -> None:
    login(client, organizer)
    import_csv(client, action_now, HEADER + ANA + LUIS, drain, name="march sign-ups.csv")
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORTED)
    assert (event.organization, event.user, event.detail, event.records) == (
        action_now,
        organizer,
        "march sign-ups.csv",
        2,
    )


def test_repeated_people_in_one_file_become_one_supporter(
    client: Client, organizer: User, action_now: Organization, drain: Any
) -> None:
    login(client, organizer)
    content = (
        "Email,Phone,City\n"
        "ana@example.org,,\n"
        "ANA@example.org,312-555-0101,Chicago\n"
        ",312-555-0101,\n"
    )
    job = import_csv(client, action_now, content, drain)
    assert (job.created_count, job.updated_count, job.unchanged_count) == (1, 1, 1)
    supporter = Supporter.objects.get()
    assert (supporter.city, supporter.phone) == ("Chicago", "+13125550101")


def started(client: Client, organization: Organization, content: str) -> ImportJob:
    job = uploaded(client, organization, content.encode())
    assert map_columns(client, job).status_code == 303
    assert client.post(f"{base(organization)}{job.pk}/preview/").status_code == 303
    job.refresh_from_db()
    return job


def test_an_import_killed_mid_way_resumes_after_its_last_batch(
    client: Client, organizer: User, action_now: Organization, drain: Any
) -> None:
    login(client, organizer)
    job = started(client, action_now, MANY + "Bad,Row,nope,,,\n")
    # A worker claims the task, commits two batches of three rows, and is killed.
    task = DBTaskResult.objects.get(task_path=import_actions.TASK_PATH)
    task.claim("killed-worker")
    import_actions.run_import(job.pk, 0, batches=2, batch_size=3)
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.created_count) == ("running", 6, 6)
    assert not import_actions.is_stalled(job)  # its worker may still be busy
    DBTaskResult.objects.filter(pk=task.pk).update(
        started_at=timezone.now() - datetime.timedelta(hours=1)
    )
    page = client.get(f"{base(action_now)}{job.pk}/").content.decode()
    assert "Continue the import" in page
    response = client.post(f"{base(action_now)}{job.pk}/resume/")
    assert response.status_code == 303
    drain(periodic=False)
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.created_count, job.failed_count) == ("done", 8, 7, 1)
    assert Supporter.objects.count() == 7
    assert Activity.objects.filter(kind=Activity.Kind.IMPORTED).count() == 7
    assert job.errors.count() == 1


def test_a_batch_run_twice_is_written_once(
    client: Client, organizer: User, action_now: Organization
) -> None:
    login(client, organizer)
    job = started(client, action_now, MANY)
    assert import_actions.run_import(job.pk, 0, batches=1, batch_size=4) == 4
    assert import_actions.run_import(job.pk, 0, batches=1, batch_size=4) is None  # stale start
    assert import_actions.run_import(job.pk, 4, batches=5, batch_size=4) is None  # to the end
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.created_count) == ("done", 7, 7)
    assert not import_actions.can_resume(job)


def test_a_resume_is_refused_while_the_import_is_alive(
    client: Client, organizer: User, action_now: Organization
) -> None:
    login(client, organizer)
    job = started(client, action_now, MANY)
    client.post(f"{base(action_now)}{job.pk}/resume/")
    assert DBTaskResult.objects.filter(task_path=import_actions.TASK_PATH).count() == 1
    page = client.get(f"{base(action_now)}{job.pk}/").content.decode()
    assert "import_progress.js" in page
