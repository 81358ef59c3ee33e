"""Read bounces and spam complaints from the configured mailbox (or one named here)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from groundswell.mailings import bounces


class Command(BaseCommand):
    help = "Read delivery reports (RFC 3464) and abuse reports (ARF) from a mailbox."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--maildir", help="A Maildir to read instead of the configured one.")
        parser.add_argument("--imap", help="imaps://user:password@host/INBOX to read instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["maildir"]:
            read = bounces.read_maildir(options["maildir"])
        elif options["imap"]:
            read = bounces.read_imap(options["imap"])
        else:
            read = bounces.read_configured()
        self.stdout.write(f"{read} message(s) read")
