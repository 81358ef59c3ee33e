"""Delivering a petition: recording a delivery (shown on the public timeline), and
making a delivery packet for a target in the worker (petitions.delivery)."""

from __future__ import annotations

import datetime
import logging
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation

from groundswell.petitions import tasks
from groundswell.petitions.delivery.models import packet_storage
from groundswell.petitions.models import (
    Delivery,
    DeliveryPacket,
    PacketState,
    Petition,
    Signature,
    Target,
)

if TYPE_CHECKING:
    from groundswell.accounts.models import User

logger = logging.getLogger(__name__)


def record_delivery(
    petition: Petition,
    *,
    recorded_by: User | None,
    targets: list[Target],
    delivered_on: datetime.date,
    delivered_by: str,
    method: str,
    note: str = "",
    note_es: str = "",
) -> Delivery:
    """Record that the petition was delivered to these of its targets: when, by whom
    and how. It appears on the petition's public timeline."""
    foreign = [t for t in targets if t.petition_id != petition.pk]
    if foreign or not targets:
        raise ValueError("A delivery goes to one or more of the petition's own targets.")
    with transaction.atomic():
        delivery = Delivery.objects.create(
            petition=petition,
            recorded_by=recorded_by,
            delivered_on=delivered_on,
            delivered_by=delivered_by,
            method=method,
            note=note,
            note_es=note_es,
        )
        delivery.targets.set(targets)
    return delivery


def request_packet(
    petition: Petition, target: Target, *, by: User | None, language: str = "en"
) -> DeliveryPacket:
    """Ask the worker for a delivery packet for one of the petition's targets."""
    if target.petition_id != petition.pk:
        raise ValueError("The target is not one of the petition's.")
    with transaction.atomic():
        packet = DeliveryPacket.objects.create(
            petition=petition, target=target, requested_by=by, language=language
        )
        tasks.build_delivery_packet.enqueue(packet.pk)
    return packet


def build_packet(packet_id: int) -> str:
    """Make the packet's CSV and PDF and keep them privately; returns its state.

    Claiming it is one short transaction; the files are written outside any, with the
    progress saved as they go; the finished files and their hash are saved in one
    last transaction. A packet already made is left alone; one whose run was cut off
    is made again from the start (its half-written files replaced).
    """
    with transaction.atomic():
        packet = (
            DeliveryPacket.objects.select_for_update()
            .select_related("petition", "petition__owner", "target")
            .filter(pk=packet_id)
            .first()
        )
        if packet is None or packet.state in (PacketState.DONE, PacketState.WITHDRAWN):
            return packet.state if packet else "gone"
        packet.state = PacketState.RUNNING
        packet.done = 0
        packet.error = ""
        packet.save(update_fields=["state", "done", "error"])
    try:
        with translation.override(packet.language):
            made = make_packet(packet)
    except Exception as error:
        logger.exception("Delivery packet %s failed", packet_id)
        DeliveryPacket.objects.filter(pk=packet_id).update(
            state=PacketState.FAILED, error=str(error)[:300], finished_at=timezone.now()
        )
        return PacketState.FAILED
    return finish_packet(packet_id, made)


def finish_packet(packet_id: int, made: dict[str, Any]) -> str:
    """Save a packet's finished files, unless it was withdrawn while they were written
    (a signer erased meanwhile): then the files are deleted. Returns its state."""
    with transaction.atomic():
        finished = DeliveryPacket.objects.filter(pk=packet_id, state=PacketState.RUNNING).update(
            state=PacketState.DONE, finished_at=timezone.now(), **made
        )
    if not finished:
        delete_files([made["pdf"], made["csv"]])
        return PacketState.WITHDRAWN
    return PacketState.DONE


def delete_files(names: Iterable[str]) -> None:
    """Delete packet files by name (those already gone are skipped)."""
    storage = packet_storage()
    for name in names:
        if name:
            storage.delete(name)


def withdraw_packets_listing(signatures: QuerySet[Signature]) -> int:
    """Withdraw every packet that lists (or, being made, may list) one of `signatures`:
    its files are deleted once the change commits, and it shows as withdrawn.

    Called with signatures about to be erased or anonymized (petitions.anonymize), so
    no copy of their names and addresses outlives them in a packet. A packet listing
    none of them is kept. Returns how many were withdrawn."""
    from groundswell.petitions.delivery import packets

    ids = list(signatures.values_list("pk", flat=True)[: WITHDRAW_CHECK_LIMIT + 1])
    petition_ids = signatures.values_list("petition_id", flat=True).distinct()
    open_packets = (
        DeliveryPacket.objects.filter(petition_id__in=petition_ids)
        .exclude(state=PacketState.WITHDRAWN)
        .select_related("petition", "target")
    )
    withdrawn = []
    for packet in open_packets:
        listed = packets.signers_of(packet.petition, packet.target)
        # Many signatures at once (a closed petition's whole list): no need to look.
        if len(ids) > WITHDRAW_CHECK_LIMIT or listed.filter(pk__in=ids).exists():
            withdrawn.append(packet)
    if not withdrawn:
        return 0
    names = [n for p in withdrawn for n in (p.pdf.name, p.csv.name)]
    DeliveryPacket.objects.filter(pk__in=[p.pk for p in withdrawn]).update(
        state=PacketState.WITHDRAWN,
        pdf="",
        csv="",
        error="",
        finished_at=timezone.now(),
    )
    transaction.on_commit(lambda: delete_files(names))
    return len(withdrawn)


def packet_deleted(sender: type[DeliveryPacket], instance: DeliveryPacket, **kwargs: Any) -> None:
    """post_delete: a packet's files go once its row is gone for good (the commit)."""
    names = [instance.pdf.name, instance.csv.name]
    transaction.on_commit(lambda: delete_files(names))


# Above this many signatures erased at once, every packet of their petitions goes.
WITHDRAW_CHECK_LIMIT = 1000


@dataclass(frozen=True)
class PacketFiles:
    csv: Path
    pdf: Path
    sha256: str
    signer_count: int


def write_packet(
    petition: Petition,
    target: Target,
    folder: Path,
    progress: Callable[[int], None] | None = None,
) -> PacketFiles:
    """Write a packet's CSV, then its PDF listing exactly the CSV's rows, into `folder`
    (in the active language). What the worker and `manage.py delivery_packet` call."""
    from groundswell.petitions.delivery import packets, pdf

    csv_path = folder / "signers.csv"
    with csv_path.open("wb") as out:
        for chunk in packets.csv_chunks(packets.signers(petition, target, petition.owner)):
            out.write(chunk)
    with csv_path.open("rb") as read:
        sha256 = packets.sha256_of(iter(lambda: read.read(1 << 16), b""))
    count = sum(1 for _ in packets.read_csv(csv_path))
    pdf_path = folder / "packet.pdf"
    pdf_path.write_bytes(
        pdf.render(
            packets.packet(petition, target),
            packets.read_csv(csv_path),
            signer_count=count,
            sha256=sha256,
            progress=progress,
        )
    )
    return PacketFiles(csv=csv_path, pdf=pdf_path, sha256=sha256, signer_count=count)


def make_packet(packet: DeliveryPacket) -> dict[str, Any]:
    """Write the packet's files and keep them privately; returns the fields to save."""
    from groundswell.petitions.delivery import packets

    petition, target = packet.petition, packet.target
    total = packets.signer_count(petition, target)  # until the list is written
    DeliveryPacket.objects.filter(pk=packet.pk).update(total=total)

    def progress(done: int) -> None:
        DeliveryPacket.objects.filter(pk=packet.pk).update(done=done)

    with tempfile.TemporaryDirectory() as folder:
        files = write_packet(petition, target, Path(folder), progress)
        stem = f"packets/{petition.pk}/{packet.pk}-{petition.slug}-{target.pk}"
        storage = packet.pdf.storage
        for old in (f"{stem}.pdf", f"{stem}.csv"):
            if storage.exists(old):
                storage.delete(old)  # a run that was cut off left it behind
        with files.csv.open("rb") as read:
            csv_name = storage.save(f"{stem}.csv", File(read))
        with files.pdf.open("rb") as read:
            pdf_name = storage.save(f"{stem}.pdf", File(read))
    return {
        "pdf": pdf_name,
        "csv": csv_name,
        "signer_count": files.signer_count,
        "signers_sha256": files.sha256,
        "done": files.signer_count,
        "total": files.signer_count,
    }
