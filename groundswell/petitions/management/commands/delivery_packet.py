"""Write a petition's delivery packet for one of its decision makers to a file.

    python manage.py delivery_packet <petition-slug> --target <id> -o FILE.pdf
    python manage.py delivery_packet <petition-slug> --target <id> -o FILE.csv

The PDF or the CSV of the signer list, by the file's extension: the same packet the
dashboard's worker makes (petitions.actions.write_packet), in the language given with
--language (English by default). The file is created readable by its owner only: it
holds signers' names. Without --target, the petition's decision makers and their ids
are listed.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from groundswell.core.private import private_file
from groundswell.petitions.actions.delivery import write_packet
from groundswell.petitions.models import Petition


class Command(BaseCommand):
    help = "Write a petition's delivery packet (PDF, or the signer list as CSV) for one target."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("petition", help="The petition's short name (slug).")
        parser.add_argument("--target", type=int, help="The decision maker's target id.")
        parser.add_argument("-o", "--output", help="FILE.pdf or FILE.csv")
        parser.add_argument("--language", default="en", choices=["en", "es"])

    def handle(self, *args: Any, **options: Any) -> None:
        petition = Petition.objects.select_related("owner").filter(slug=options["petition"]).first()
        if petition is None:
            raise CommandError(f"No petition has the short name {options['petition']!r}.")
        targets = list(petition.targets.all())
        if options["target"] is None:
            for each in targets:
                self.stdout.write(f"{each.pk}\t{each}")
            raise CommandError("Give --target with one of the ids above.")
        target = next((t for t in targets if t.pk == options["target"]), None)
        if target is None:
            raise CommandError(
                f"Target {options['target']} is not one of this petition's decision makers."
            )
        if not options["output"]:
            raise CommandError("Give -o FILE.pdf or -o FILE.csv.")
        output = Path(options["output"])
        kind = output.suffix.lower()
        if kind not in (".pdf", ".csv"):
            raise CommandError("The output file must end in .pdf or .csv.")
        if output.exists():
            raise CommandError(f"{output} exists already; nothing was written.")
        with translation.override(options["language"]), tempfile.TemporaryDirectory() as folder:
            files = write_packet(petition, target, Path(folder))
            private_file(output)
            chosen = files.pdf if kind == ".pdf" else files.csv
            with chosen.open("rb") as source, output.open("wb") as out:
                shutil.copyfileobj(source, out)
        self.stdout.write(
            f"Wrote {output}: {files.signer_count} signers listed for {target}; "
            f"SHA-256 of the signer list (CSV): {files.sha256}"
        )
