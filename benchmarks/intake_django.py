"""Django-side steps of the intake benchmark, run by benchmarks/intake.py in a subprocess
with the benchmark's environment (DATABASE_URL names the benchmark database):

    python benchmarks/intake_django.py setup     one organization, one open petition
    python benchmarks/intake_django.py recount   groundswell.petitions.counts.recount

Each prints one JSON object on its last line of standard output. Everything goes through
the project's own actions, so the rows are the ones the product itself would make.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "groundswell.settings")

ORG_SLUG = "bench-intake-collective"
PETITION_SLUG = "bench-intake-surge"


def setup() -> dict[str, object]:
    from groundswell.organizations.models import Organization
    from groundswell.petitions import actions

    owner = Organization.objects.create(
        name="Bench Intake Collective",
        slug=ORG_SLUG,
        email="organizer@bench-intake.example.org",
    )
    petition = actions.create_petition(
        owner=owner,
        created_by=None,
        targets=[{"name": "Brandon Johnson", "title": "Mayor", "office": "City of Chicago"}],
        slug=PETITION_SLUG,
        title="Fund the violence prevention programs that work",
        ask="We ask the Mayor to:\n\n1. Fund the programs.\n2. Publish the results.",
        why="A petition made by the intake benchmark.",
        counts_unverified=True,  # the count includes acknowledged signatures
    )
    actions.publish(petition)
    return {"organization_id": owner.pk, "petition_id": petition.pk, "slug": petition.slug}


def recount() -> dict[str, object]:
    from groundswell.petitions import counts
    from groundswell.petitions.models import Petition, PetitionCount

    petition = Petition.objects.get(slug=PETITION_SLUG)
    before = PetitionCount.objects.filter(petition=petition).values("total", "shown").first()
    counts.recount(petition)
    after = PetitionCount.objects.filter(petition=petition).values("total", "shown").first()
    return {"before": before, "after": after}


def main() -> None:
    import django

    django.setup()
    steps = {"setup": setup, "recount": recount}
    if len(sys.argv) != 2 or sys.argv[1] not in steps:
        sys.exit(f"usage: {sys.argv[0]} {'|'.join(steps)}")
    print(json.dumps(steps[sys.argv[1]](), default=str))


if __name__ == "__main__":
    main()
