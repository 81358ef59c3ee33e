"""A delivery packet never outlives the signers it lists: erasing or anonymizing one of
them withdraws every packet that lists them and deletes its files; packets that do not
list them are kept; a packet deleted with its target takes its files along."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.people.rights import actions as rights
from groundswell.petitions import anonymize
from groundswell.petitions.delivery.models import packet_storage
from groundswell.petitions.models import DeliveryPacket, PacketState, Petition, Signature
from tests.conftest import login
from tests.petitions.delivery import council
from tests.petitions.test_delivery_packets import (
    download_url,
    make_packet,
    target_of,
    ward_petition,
)

pytestmark = pytest.mark.django_db
__all__ = ["council", "ward_petition"]


def files_exist(packet: DeliveryPacket) -> list[bool]:
    storage = packet_storage()
    return [storage.exists(packet.pdf.name), storage.exists(packet.csv.name)]


@pytest.fixture
def packets(
    client: Client, organizer: User, ward_petition: Petition, drain: Any
) -> tuple[DeliveryPacket, DeliveryPacket]:
    login(client, organizer)
    ward = make_packet(client, ward_petition, target_of(ward_petition, "Ward 3 Alderperson"), drain)
    mayor = make_packet(client, ward_petition, target_of(ward_petition, "Brandon Johnson"), drain)
    assert files_exist(ward) == files_exist(mayor) == [True, True]
    return ward, mayor


def test_erasing_a_signer_withdraws_the_packets_that_list_them_and_deletes_their_files(
    client: Client,
    django_capture_on_commit_callbacks: Any,
    packets: tuple[DeliveryPacket, DeliveryPacket],
) -> None:
    ward, mayor = packets
    cruz = Signature.objects.get(first_name="Cruz")  # ward 7: on the Mayor's list only
    assert cruz.person is not None
    with django_capture_on_commit_callbacks(execute=True):
        rights.erase(cruz.person, via="operator")

    mayor_before = (mayor.pdf.name, mayor.csv.name)
    mayor.refresh_from_db()
    assert mayor.state == PacketState.WITHDRAWN
    assert mayor.pdf.name == mayor.csv.name == ""
    storage = packet_storage()
    assert not any(storage.exists(name) for name in mayor_before)
    assert client.get(download_url(mayor, "pdf")).status_code == 404
    assert (
        "Make a new packet"
        in client.get(f"/manage/action-now/petitions/{mayor.petition.slug}/").content.decode()
    )

    ward.refresh_from_db()  # Cruz was never on it: kept as it was
    assert ward.state == PacketState.DONE and files_exist(ward) == [True, True]
    assert client.get(download_url(ward, "csv")).status_code == 200


def test_anonymizing_a_closed_petitions_signers_withdraws_all_its_packets(
    django_capture_on_commit_callbacks: Any, packets: tuple[DeliveryPacket, DeliveryPacket]
) -> None:
    names = [n for p in packets for n in (p.pdf.name, p.csv.name)]
    with django_capture_on_commit_callbacks(execute=True):
        anonymize.anonymize(Signature.objects.all(), timezone.now())
    assert set(DeliveryPacket.objects.values_list("state", flat=True)) == {PacketState.WITHDRAWN}
    assert not any(packet_storage().exists(name) for name in names)


def test_a_packet_withdrawn_while_it_is_made_keeps_no_files(
    client: Client, organizer: User, ward_petition: Petition
) -> None:
    from groundswell.petitions.actions import delivery

    login(client, organizer)
    client.post(
        f"/manage/action-now/petitions/{ward_petition.slug}/packets/",
        {"target": str(target_of(ward_petition, "Brandon Johnson").pk)},
    )
    packet = DeliveryPacket.objects.get()
    # A worker has claimed it and written its files when a signer is erased.
    DeliveryPacket.objects.filter(pk=packet.pk).update(state=PacketState.RUNNING)
    made = delivery.make_packet(packet)
    assert packet_storage().exists(made["pdf"])
    anonymize.anonymize(Signature.objects.filter(first_name="Ana"), timezone.now())

    assert delivery.finish_packet(packet.pk, made) == PacketState.WITHDRAWN
    packet.refresh_from_db()
    assert packet.state == PacketState.WITHDRAWN and packet.pdf.name == ""
    assert not packet_storage().exists(made["pdf"]) and not packet_storage().exists(made["csv"])
    assert delivery.build_packet(packet.pk) == PacketState.WITHDRAWN  # never made again


def test_deleting_a_target_deletes_its_packets_files(
    django_capture_on_commit_callbacks: Any, packets: tuple[DeliveryPacket, DeliveryPacket]
) -> None:
    ward, _mayor = packets
    with django_capture_on_commit_callbacks(execute=True):
        ward.target.delete()
    assert not DeliveryPacket.objects.filter(pk=ward.pk).exists()
    assert files_exist(ward) == [False, False]
