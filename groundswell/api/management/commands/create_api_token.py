"""python manage.py create_api_token <organization-slug> [--name NAME]: the token is the
last line printed (for scripts: `token=$(... | tail -n 1)`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from groundswell.api import actions
from groundswell.organizations.models import Organization


class Command(BaseCommand):
    help = "Make an API token for an organization and print it (shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organization", help="the organization's slug")
        parser.add_argument("--name", default="Made on the command line")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug=options["organization"]).first()
        if organization is None:
            raise CommandError(f"No organization with the slug {options['organization']!r}.")
        token, secret = actions.create_token(organization, name=options["name"])
        self.stderr.write(f"API token {token.prefix}… for {organization.name} (shown only once):")
        self.stdout.write(secret)
