"""Delivery packets: asked for on the dashboard, made by the worker, downloaded by the
owner's organizers only; read back with pypdf (text, counts, the hash, no contact
details a signer did not agree to share) and as CSV; and `manage.py delivery_packet`."""

from __future__ import annotations

import csv
import hashlib
import io
import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from groundswell.accounts.models import User
from groundswell.legislation.demo import Loaded
from groundswell.organizations.models import Organization
from groundswell.petitions import actions
from groundswell.petitions.models import DeliveryPacket, PacketState, Petition, Target
from tests.conftest import login
from tests.petitions.delivery import address_to, alderperson, council, mayor, recount, sign

pytestmark = pytest.mark.django_db
__all__ = ["council"]
LONG_COMMENT = "Safe streets " + "for every block of the ward, " * 12 + "and the end of it."


@pytest.fixture
def ward_petition(petition: Petition, council: Loaded, action_now: Organization) -> Petition:
    """Action Now's petition to the Mayor and the Ward 3 alderperson, signed in wards 3
    and 7: Ana (ward 3) agreed to hear from Action Now, Beto (ward 3) did not, Cruz
    (ward 7) did, Dora (ward 3) has not confirmed, Eli (no ward) did."""
    address_to(petition, mayor(), alderperson(3), threshold=2)
    sign(petition, "Ana", last="Alvarez", ward=3, consents=[action_now.pk], comment=LONG_COMMENT)
    sign(petition, "Beto", last="Baños", ward=3, comment="=HYPERLINK(1)")
    sign(petition, "Cruz", last="Castro", ward=7, consents=[action_now.pk])
    sign(petition, "Dora", last="Diaz", ward=3, consents=[action_now.pk], verify=False)
    sign(petition, "Eli", last="Ellis", consents=[action_now.pk])
    recount(petition)
    return petition


def target_of(petition: Petition, name: str) -> Target:
    return petition.targets.get(name=name)


def dashboard_url(petition: Petition, org: str = "action-now") -> str:
    return reverse("petitions_manage:dashboard", args=[org, petition.slug])


def packet_url(petition: Petition, org: str = "action-now") -> str:
    return reverse("petitions_manage:packet_request", args=[org, petition.slug])


def download_url(packet: DeliveryPacket, kind: str, org: str = "action-now") -> str:
    return reverse(
        "petitions_manage:packet_download", args=[org, packet.petition.slug, packet.pk, kind]
    )


def make_packet(client: Client, petition: Petition, target: Target, drain: Any) -> DeliveryPacket:
    response = client.post(packet_url(petition), {"target": str(target.pk)})
    assert response.status_code == 303
    packet = DeliveryPacket.objects.get(target=target)
    assert packet.state == PacketState.QUEUED
    drain(periodic=False)
    packet.refresh_from_db()
    assert packet.state == PacketState.DONE, packet.error
    return packet


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_an_alderpersons_packet_lists_the_verified_signers_of_their_ward_only(
    client: Client, organizer: User, ward_petition: Petition, drain: Any
) -> None:
    login(client, organizer)
    packet = make_packet(
        client, ward_petition, target_of(ward_petition, "Ward 3 Alderperson"), drain
    )

    assert packet.signer_count == 2
    pdf = client.get(download_url(packet, "pdf"))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert "no-store" in pdf["Cache-Control"]
    text = pdf_text(body(pdf))
    assert ward_petition.title[:40] in text.replace("\n", " ")
    assert "4 verified signatures in all." in text
    assert "2 verified signers live in Ward 3." in text
    assert "Ana Alvarez" in text and "Beto Baños" in text  # the font carries the ñ
    assert "Cruz Castro" not in text  # ward 7
    assert "Dora Diaz" not in text  # not confirmed
    assert "Eli Ellis" not in text  # in no ward
    assert "Safe streets" in text
    assert "and the end of it." in text  # a long comment wraps in its column
    assert "Integrity statement" in text
    assert packet.signers_sha256 in text.replace("\n", "")


def test_an_email_is_in_the_packet_only_where_the_signer_agreed_to_share_it(
    client: Client, organizer: User, ward_petition: Petition, drain: Any
) -> None:
    login(client, organizer)
    packet = make_packet(
        client, ward_petition, target_of(ward_petition, "Ward 3 Alderperson"), drain
    )

    text = pdf_text(body(client.get(download_url(packet, "pdf"))))
    rows = list(csv.DictReader(io.StringIO(body(client.get(download_url(packet, "csv"))).decode())))

    assert "ana.alvarez@example.org" in text
    assert "beto.baños@example.org" not in text and "beto" not in text.lower().split("@")[0][-10:]
    assert {row["first_name"]: row["email"] for row in rows} == {
        "Ana": "ana.alvarez@example.org",
        "Beto": "",
    }


def test_the_csv_is_the_signer_list_whose_sha256_the_packet_prints(
    client: Client, organizer: User, ward_petition: Petition, drain: Any
) -> None:
    login(client, organizer)
    packet = make_packet(
        client, ward_petition, target_of(ward_petition, "Ward 3 Alderperson"), drain
    )

    content = body(client.get(download_url(packet, "csv")))

    assert hashlib.sha256(content).hexdigest() == packet.signers_sha256
    assert content.startswith(b"signed_on,first_name,last_name,zip_code,comment,email\r\n")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
    assert [r["first_name"] for r in rows] == ["Ana", "Beto"]
    assert rows[1]["comment"] == "'=HYPERLINK(1)"  # a formula is neutralized
    assert {"signed_on", "zip_code"} <= set(rows[0])


def test_the_mayors_packet_lists_every_verified_signer_and_draws_the_ward_map(
    client: Client, organizer: User, ward_petition: Petition, drain: Any
) -> None:
    login(client, organizer)
    packet = make_packet(client, ward_petition, target_of(ward_petition, "Brandon Johnson"), drain)

    text = pdf_text(body(client.get(download_url(packet, "pdf"))))

    assert packet.signer_count == 4
    for name in ("Ana Alvarez", "Beto Baños", "Cruz Castro", "Eli Ellis"):
        assert name in text
    assert "Verified signers by ward" in text
    assert "Ward 3 Ward 3 Alderperson 2" in text.replace("\n", " ")
    assert "lives in" not in text


def test_a_packet_in_spanish_is_written_in_spanish(
    client: Client, organizer: User, ward_petition: Petition, drain: Any
) -> None:
    login(client, organizer)
    client.cookies["django_language"] = "es"
    response = client.post(
        packet_url(ward_petition),
        {"target": str(target_of(ward_petition, "Ward 3 Alderperson").pk)},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.status_code == 303
    packet = DeliveryPacket.objects.get()
    assert packet.language == "es"
    drain(periodic=False)
    packet.refresh_from_db()

    text = pdf_text(body(client.get(download_url(packet, "pdf"))))

    assert "Distrito 3" in text


def test_the_dashboard_shows_a_packet_waiting_then_its_downloads(
    client: Client, organizer: User, ward_petition: Petition, drain: Any
) -> None:
    login(client, organizer)
    target = target_of(ward_petition, "Ward 3 Alderperson")
    client.post(packet_url(ward_petition), {"target": str(target.pk)})

    waiting = client.get(dashboard_url(ward_petition)).content.decode()
    assert "<progress" in waiting and "Waiting to start" in waiting
    drain(periodic=False)
    ready = client.get(dashboard_url(ward_petition)).content.decode()
    packet = DeliveryPacket.objects.get()
    assert download_url(packet, "pdf") in ready
    assert download_url(packet, "csv") in ready
    assert packet.signers_sha256 in ready


def test_a_packet_is_kept_privately(
    client: Client, organizer: User, ward_petition: Petition, drain: Any, settings: Any
) -> None:
    login(client, organizer)
    packet = make_packet(
        client, ward_petition, target_of(ward_petition, "Ward 3 Alderperson"), drain
    )

    path = Path(packet.pdf.path)
    assert path.is_relative_to(Path(settings.PRIVATE_ROOT))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(Path(packet.csv.path).stat().st_mode) == 0o600


def test_a_packet_made_again_after_a_cut_off_run_is_whole_and_made_once(
    organizer: User, ward_petition: Petition, drain: Any
) -> None:
    target = target_of(ward_petition, "Ward 3 Alderperson")
    packet = actions.request_packet(ward_petition, target, by=organizer)
    # A worker killed halfway left it running with some progress.
    DeliveryPacket.objects.filter(pk=packet.pk).update(state=PacketState.RUNNING, done=1)

    assert actions.build_packet(packet.pk) == PacketState.DONE
    packet.refresh_from_db()
    first = packet.pdf.name
    assert actions.build_packet(packet.pk) == PacketState.DONE  # again: nothing is redone
    packet.refresh_from_db()
    assert packet.pdf.name == first
    assert (packet.done, packet.total, packet.signer_count) == (2, 2, 2)


def test_an_organizer_of_another_organization_gets_404_for_packets(
    client: Client, outsider: User, organizer: User, ward_petition: Petition, drain: Any
) -> None:
    packet = make_packet(
        login(client, organizer), ward_petition, target_of(ward_petition, "Brandon Johnson"), drain
    )
    login(client, outsider)

    assert client.get(download_url(packet, "pdf", org="elsewhere")).status_code == 404
    assert client.get(download_url(packet, "csv", org="elsewhere")).status_code == 404
    assert client.get(download_url(packet, "pdf")).status_code == 403  # not their area
    refused = client.post(packet_url(ward_petition, org="elsewhere"), {"target": "1"})
    assert refused.status_code == 404
    assert DeliveryPacket.objects.count() == 1


def test_a_co_sponsor_cannot_ask_for_or_download_the_owners_packet(
    client: Client, ocad_organizer: User, organizer: User, ward_petition: Petition, drain: Any
) -> None:
    packet = make_packet(
        login(client, organizer), ward_petition, target_of(ward_petition, "Brandon Johnson"), drain
    )
    login(client, ocad_organizer)

    assert client.get(download_url(packet, "pdf", org="ocad")).status_code == 404
    target = target_of(ward_petition, "Brandon Johnson")
    assert (
        client.post(packet_url(ward_petition, org="ocad"), {"target": target.pk}).status_code == 404
    )
    assert DeliveryPacket.objects.count() == 1


def test_a_target_of_another_petition_is_refused_and_nothing_is_queued(
    client: Client, organizer: User, ward_petition: Petition, other_petition_target: Target
) -> None:
    login(client, organizer)
    response = client.post(packet_url(ward_petition), {"target": str(other_petition_target.pk)})

    assert response.status_code == 303
    page = client.get(response["Location"]).content.decode()
    assert "Pick one of the petition&#x27;s decision makers." in page
    assert DeliveryPacket.objects.count() == 0


@pytest.fixture
def other_petition_target(action_now: Organization, owner: User) -> Target:
    other = actions.create_petition(
        owner=action_now,
        created_by=owner,
        targets=[{"name": "Someone Else"}],
        slug="another",
        title="Another petition",
        ask="Do it.",
    )
    return other.targets.get()


def test_the_command_writes_the_pdf_and_the_csv(ward_petition: Petition, tmp_path: Path) -> None:
    target = target_of(ward_petition, "Ward 3 Alderperson")
    out = io.StringIO()
    call_command(
        "delivery_packet",
        ward_petition.slug,
        "--target",
        str(target.pk),
        "-o",
        str(tmp_path / "p.pdf"),
        stdout=out,
    )
    call_command(
        "delivery_packet",
        ward_petition.slug,
        "--target",
        str(target.pk),
        "-o",
        str(tmp_path / "p.csv"),
        stdout=out,
    )

    text = pdf_text((tmp_path / "p.pdf").read_bytes())
    digest = hashlib.sha256((tmp_path / "p.csv").read_bytes()).hexdigest()
    assert "Ana Alvarez" in text
    assert digest in text.replace("\n", "")
    assert digest in out.getvalue()
    assert "2 signers listed" in out.getvalue()
    assert stat.S_IMODE((tmp_path / "p.pdf").stat().st_mode) == 0o600


def test_the_command_refuses_a_bad_target_or_file_and_writes_nothing(
    ward_petition: Petition, tmp_path: Path
) -> None:
    with pytest.raises(CommandError, match="not one of this petition"):
        call_command(
            "delivery_packet",
            ward_petition.slug,
            "--target",
            "999999",
            "-o",
            str(tmp_path / "a.pdf"),
        )
    target = target_of(ward_petition, "Brandon Johnson")
    with pytest.raises(CommandError, match=r"\.pdf or \.csv"):
        call_command(
            "delivery_packet",
            ward_petition.slug,
            "--target",
            str(target.pk),
            "-o",
            str(tmp_path / "a.txt"),
        )
    with pytest.raises(CommandError, match="No petition"):
        call_command(
            "delivery_packet", "nope", "--target", str(target.pk), "-o", str(tmp_path / "a.pdf")
        )
    assert list(tmp_path.iterdir()) == []


def test_a_city_wide_office_with_a_division_id_is_not_taken_for_a_ward(
    ward_petition: Petition,
) -> None:
    from groundswell.legislation.models import Office
    from groundswell.petitions.delivery import packets, wards

    mayor_target = target_of(ward_petition, "Brandon Johnson")
    # As an OCD/Popolo import records it: the Mayor's seat names the city's division.
    Office.objects.filter(terms__decision_maker=mayor_target.decision_maker).update(
        division_id="ocd-division/country:us/state:il/place:chicago"
    )
    assert wards.ward_office(mayor_target) is None
    assert packets.signer_count(ward_petition, mayor_target) == 4
