"""Delivering a petition to its decision makers: the record of each delivery (shown on
the public timeline), the targets' response thresholds and how long each has gone
without answering, the signers by ward (map and table), and the delivery packet per
target (PDF and CSV, built by the worker, kept privately).

- models: Delivery, DeliveryPacket
- wards: verified signers by ward, the alderperson of each, the map
- thresholds: each target's threshold state and days without a response
- packets: what a packet holds (signers, integrity figures, the signer list's hash)
- pdf: the packet drawn as a PDF (fpdf2)

Writes go through groundswell.petitions.actions (delivery).
"""
