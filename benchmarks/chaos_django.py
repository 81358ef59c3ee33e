"""Django-side steps of the chaos benchmark, run by benchmarks/chaos.py in a subprocess
with the product's environment (DATABASE_URL names the benchmark's private database):

    python benchmarks/chaos_django.py setup
    python benchmarks/chaos_django.py post-update TITLE
    python benchmarks/chaos_django.py import CSV_PATH

Each prints one JSON object on its last line of standard output. Everything goes
through the project's own actions, so the rows are the ones the product itself makes.
"""

from __future__ import annotations

import inspect
import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "groundswell.settings")

ORG_SLUG = "bench-chaos-collective"
PETITION_SLUG = "bench-chaos-petition"
ORGANIZER_EMAIL = "organizer@bench-chaos.example.org"


def setup() -> dict[str, Any]:
    from groundswell.accounts.models import User
    from groundswell.organizations.models import Membership, Organization, Role
    from groundswell.petitions import actions

    owner = Organization.objects.create(
        name="Bench Chaos Collective", slug=ORG_SLUG, email=ORGANIZER_EMAIL
    )
    user = User.objects.create_user(ORGANIZER_EMAIL, "bench-chaos-password")
    Membership.objects.create(user=user, organization=owner, role=Role.ORGANIZER)
    petition = actions.create_petition(
        owner=owner,
        created_by=None,
        targets=[{"name": "Brandon Johnson", "title": "Mayor", "office": "City of Chicago"}],
        slug=PETITION_SLUG,
        title="Keep the libraries open on Sundays",
        ask="We ask the Mayor to keep every branch library open on Sundays.",
        why="A petition made by the chaos benchmark.",
    )
    actions.publish(petition)
    return {"organization_id": owner.pk, "petition_id": petition.pk, "slug": petition.slug}


def post_update(title: str) -> dict[str, Any]:
    """Post an update that is emailed to signers, and, in the same transaction, list who
    should get it: the update's own query (Signature.contactable_by the owner)."""
    from django.db import transaction

    from groundswell.petitions import actions
    from groundswell.petitions.models import Petition, Signature

    petition = Petition.objects.select_related("owner").get(slug=PETITION_SLUG)
    # The email switch was `email_signers` (a field of Update); accept a later `email=`.
    params = inspect.signature(actions.post_update).parameters
    switch = {"email": True} if "email" in params else {"email_signers": True}
    with transaction.atomic():
        update = actions.post_update(
            petition,
            author=None,
            title=title,
            body="News from the chaos benchmark.",
            **switch,
        )
        recipients = list(
            Signature.objects.filter(petition=petition)
            .contactable_by(petition.owner)
            .values_list("person__email", flat=True)
        )
    return {
        "update_id": update.pk,
        "title": update.title,
        "switch": switch,
        "recipients": sorted({r.lower() for r in recipients}),
    }


def start_import(path: str) -> dict[str, Any]:
    """An organizer's CSV import as benchmarks/people_import.py makes it, left queued
    for the worker."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import RequestFactory

    from groundswell.accounts.models import User
    from groundswell.organizations.models import Organization
    from groundswell.people.imports import actions as import_actions
    from groundswell.people.imports import parsing as imports
    from groundswell.people.models import ImportJob

    organization = Organization.objects.get(slug=ORG_SLUG)
    user = User.objects.get(email=ORGANIZER_EMAIL)
    file = Path(path)
    upload = SimpleUploadedFile(file.name, file.read_bytes(), "text/csv")
    found = imports.inspect(upload.file)
    job = import_actions.create_job(organization, user, upload, found)
    mapping = import_actions.remembered_mapping(job.organization, job.headers)
    import_actions.save_mapping(
        job,
        mapping=mapping,
        consent_basis=ImportJob.ConsentBasis.NONE,
        consent_note="",
        tag_names=["bench-chaos"],
    )
    request = RequestFactory().post("/")
    request.user = user
    started = import_actions.start_import(job, request=request)
    return {"job_id": job.pk, "rows_total": job.rows_total, "started": started}


def main() -> None:
    import django

    django.setup()
    steps = {"setup": setup, "post-update": post_update, "import": start_import}
    if len(sys.argv) < 2 or sys.argv[1] not in steps:
        sys.exit(f"usage: {sys.argv[0]} {'|'.join(steps)} [ARG]")
    print(json.dumps(steps[sys.argv[1]](*sys.argv[2:]), default=str))


if __name__ == "__main__":
    main()
