"""Wrap every case's data key with the first of CASES_KEYS (after adding a new key in
front); then the old key may be dropped from CASES_KEYS. It also seals again, bound to
their field, the values sealed before fields were bound. Safe to run again."""

from typing import Any

from django.core.management.base import BaseCommand

from groundswell.cases import crypto, vault


class Command(BaseCommand):
    help = "Wrap every case's data key with the first key of CASES_KEYS."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--new-key", action="store_true", help="Print a fresh key for CASES_KEYS and stop."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["new_key"]:
            self.stdout.write(crypto.new_key())
            return
        done, already = vault.rewrap_all()
        self.stdout.write(f"{done} case keys rewrapped, {already} already wrapped by the first key")
        resealed = vault.reseal_legacy()
        if resealed:
            self.stdout.write(f"{resealed} values sealed again, bound to their field")
