"""A ladder takes each signer through its steps once: the wait, then the email over real
SMTP, only with consent; a stop condition ends it; a step run twice sends once."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from groundswell.core.models import OutboundEmail
from groundswell.core.worker import drain
from groundswell.ladders import actions, emails, running
from groundswell.ladders.models import Enrollment, EnrollmentState
from groundswell.organizations.models import Membership
from groundswell.people.actions.lists import get_or_create_tag, tag_people
from groundswell.people.models import Person, Tagging
from groundswell.petitions import signals
from groundswell.petitions.models import Petition
from tests.ladders.conftest import THANKS, WAIT_A_DAY, ladder, sign_and_verify


def thanks(mailbox: Any) -> list[Any]:
    return [m for m in mailbox.messages if str(m["Subject"]).startswith("Thanks")]


def test_a_verified_signature_enrolls_once_however_often_the_signal_comes(
    membership: Membership, petition: Petition
) -> None:
    made = ladder(membership, petition, WAIT_A_DAY, THANKS)
    signature = sign_and_verify(petition)
    signals.announce_verified(signature, [petition.owner])
    assert Enrollment.objects.filter(ladder=made, person=signature.person).count() == 1


def test_after_the_wait_the_email_goes_out_once_over_smtp(
    membership: Membership, petition: Petition, mailbox: Any
) -> None:
    ladder(membership, petition, WAIT_A_DAY, THANKS)
    sign_and_verify(petition)
    drain()
    assert thanks(mailbox) == []  # still waiting
    running.advance_due(timezone.now() + datetime.timedelta(hours=25))
    drain()
    running.advance_due(timezone.now() + datetime.timedelta(hours=50))
    drain()
    [message] = thanks(mailbox)
    assert message["Subject"] == "Thanks Ana"
    assert message["To"] == "ana.reyes@example.org"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "<em>Saturday</em>" in message.get_body(("html",)).get_content()
    assert Enrollment.objects.get().state == EnrollmentState.DONE


def test_without_consent_no_email_goes_and_the_ladder_moves_on(
    membership: Membership, petition: Petition, mailbox: Any
) -> None:
    signers = get_or_create_tag(petition.owner, "signers")
    ladder(membership, petition, THANKS, {"kind": "tag", "tag": str(signers.pk)})
    signature = sign_and_verify(petition, consent=False)
    drain()
    assert thanks(mailbox) == []
    enrollment = Enrollment.objects.get()
    assert (enrollment.state, enrollment.emails_skipped) == (EnrollmentState.DONE, 1)
    assert Tagging.objects.filter(tag=signers, person=signature.person).exists()


def test_consent_withdrawn_during_the_wait_means_no_email(
    membership: Membership, petition: Petition, mailbox: Any
) -> None:
    from groundswell.people import actions as people_actions

    ladder(membership, petition, WAIT_A_DAY, THANKS)
    signature = sign_and_verify(petition)
    drain()
    assert signature.person is not None
    people_actions.withdraw_email_consent(signature.person, petition.owner, source="test")
    running.advance_due(timezone.now() + datetime.timedelta(hours=25))
    drain()
    assert thanks(mailbox) == []


def test_a_stop_condition_that_holds_ends_the_ladder_before_the_email(
    membership: Membership, petition: Petition, mailbox: Any
) -> None:
    came = get_or_create_tag(petition.owner, "came on Saturday")
    stop = {"kind": "stop", "condition": "has_tag", "tag": str(came.pk)}
    ladder(membership, petition, WAIT_A_DAY, stop, THANKS)
    signature = sign_and_verify(petition)
    drain()
    assert signature.person_id is not None
    tag_people(came, [signature.person_id])
    running.advance_due(timezone.now() + datetime.timedelta(hours=25))
    drain()
    assert thanks(mailbox) == []
    assert Enrollment.objects.get().state == EnrollmentState.STOPPED


def test_a_step_run_twice_sends_once(
    membership: Membership, petition: Petition, mailbox: Any
) -> None:
    made = ladder(membership, petition, THANKS)
    sign_and_verify(petition)
    enrollment = Enrollment.objects.get()
    now = timezone.now()
    assert running.advance(enrollment.pk, 0, now) is True
    # A second worker that read the same position claims nothing.
    assert running.advance(enrollment.pk, 0, now) is False
    # The step's email queued again (a rerun after a crash) is the same outbox row.
    emails.queue(enrollment, made.steps.get())
    assert OutboundEmail.objects.filter(kind=emails.KIND).count() == 1
    drain()
    assert len(thanks(mailbox)) == 1


def test_a_paused_ladder_enrolls_nobody_and_a_tag_enrolls_once(
    membership: Membership, petition: Petition
) -> None:
    paused = ladder(membership, petition, THANKS)
    actions.set_active(membership, paused, False)
    sign_and_verify(petition)
    assert not Enrollment.objects.exists()

    newcomers = get_or_create_tag(petition.owner, "newcomers")
    tagged = actions.save_ladder(
        membership, None, name="Welcome", trigger="tagged", target=str(newcomers.pk)
    )
    actions.save_step(membership, tagged, None, **WAIT_A_DAY)
    actions.set_active(membership, tagged, True)
    person = Person.objects.get()
    tag_people(newcomers, [person.pk])
    drain()
    drain()
    assert Enrollment.objects.filter(ladder=tagged, person=person).count() == 1


def test_an_erased_person_leaves_every_ladder(
    membership: Membership, petition: Petition, mailbox: Any
) -> None:
    from groundswell.people.models import Erasure
    from groundswell.people.rights import actions as rights

    ladder(membership, petition, WAIT_A_DAY, THANKS)
    signature = sign_and_verify(petition)
    assert Enrollment.objects.exists()
    assert signature.person is not None
    rights.erase(signature.person, via=Erasure.Via.SUPPORTER)
    assert not Enrollment.objects.exists()
    running.advance_due(timezone.now() + datetime.timedelta(hours=25))
    drain()
    assert thanks(mailbox) == []


def test_an_rsvp_enrolls_once_and_stops_an_invitation_to_the_same_event(
    membership: Membership, petition: Petition, mailbox: Any
) -> None:
    from tests.events.conftest import make_event, rsvp_as

    rally = make_event(petition.owner)
    stop = {"kind": "stop", "condition": "rsvped", "event": str(rally.pk)}
    invitation = ladder(membership, petition, WAIT_A_DAY, stop, THANKS)
    came = actions.save_ladder(
        membership, None, name="See you", trigger="rsvped", target=str(rally.pk)
    )
    actions.save_step(membership, came, None, **WAIT_A_DAY)
    actions.set_active(membership, came, True)

    sign_and_verify(petition)
    rsvp_as(rally, "ana.reyes@example.org", first_name="Ana", notify=False)
    drain()
    drain()
    running.advance_due(timezone.now() + datetime.timedelta(hours=25))
    drain()
    assert thanks(mailbox) == []
    assert Enrollment.objects.get(ladder=invitation).state == EnrollmentState.STOPPED
    assert Enrollment.objects.filter(ladder=came).count() == 1


def test_coming_to_an_event_and_volunteering_each_enroll_once(
    membership: Membership, petition: Petition
) -> None:
    from groundswell.events import actions as event_actions
    from tests.events.conftest import make_event, rsvp_as
    from tests.volunteers.conftest import volunteer

    rally = make_event(petition.owner)
    ladders = []
    for trigger, target in (("attended", str(rally.pk)), ("volunteered", "")):
        made = actions.save_ladder(membership, None, name=trigger, trigger=trigger, target=target)
        actions.save_step(membership, made, None, **WAIT_A_DAY)
        ladders.append(actions.set_active(membership, made, True))
    attended, volunteered = ladders

    rsvp = rsvp_as(rally, "ana.reyes@example.org", first_name="Ana", notify=False).rsvp
    drain()
    assert not Enrollment.objects.filter(ladder=attended).exists()  # RSVPed, not yet come
    event_actions.check_in(rsvp)
    volunteer(petition.owner)
    drain()
    drain()
    assert Enrollment.objects.filter(ladder=attended).count() == 1
    assert Enrollment.objects.filter(ladder=volunteered).count() == 1
