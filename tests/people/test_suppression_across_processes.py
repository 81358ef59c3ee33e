"""Issue 21, defect 1 (a), with real processes: a worker is killed with SIGKILL in the
middle of an import whose basis is "They agreed to receive our emails" (the review
used 60,000 rows; 12,000 keep it quicker); two of its people erase their data (one
already imported, one not yet); a new worker resumes the import, which brings neither
back nor claims their consent (people.actions.suppression, checked as each batch is
written). On SQLite and, when the suite runs there, PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.deployment import Deployment

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 12_000

SET_UP = """
from django.core.files import File
from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people import actions
from groundswell.people.imports import actions as import_actions
from groundswell.people.imports import parsing
from groundswell.people.models import ImportJob
org = Organization.objects.create(name="Action Now", slug="action-now")
other = Organization.objects.create(name="OCAD", slug="ocad")
user = User.objects.create_user(email="dee@actionnow.example", password="x" * 20)
# Ana signed up with OCAD herself; she is the file's last row.
actions.link(actions.record_person(email="ana@example.org"), other, source="petition:p")
path = "{path}"
with open(path, "w") as out:
    out.write("First name,Last name,Email\\n")
    out.write("Bo,Diaz,bo@example.org\\n")
    for i in range({rows} - 2):
        out.write(f"S,{{i}},signer{{i}}@example.org\\n")
    out.write("Ana,Reyes,ana@example.org\\n")
with open(path, "rb") as raw:
    job = import_actions.create_job(org, user, File(raw, name="people.csv"), parsing.inspect(raw))
import_actions.save_mapping(job, mapping={{"0": "first_name", "1": "last_name", "2": "email"}},
    consent_basis=ImportJob.ConsentBasis.EMAIL, consent_note="sign-in sheets", tag_names=[])
assert import_actions.start_import(job, request=None)
"""

PROGRESS = """
import json
from groundswell.people.models import ImportJob
job = ImportJob.objects.get()
print(json.dumps([job.status, job.rows_done]))
"""

ERASE = """
from groundswell.people import actions
from groundswell.people.rights import actions as rights
for email in ("bo@example.org", "ana@example.org"):
    rights.erase(actions.find_person(email=email), via="supporter")
"""

OUTCOME = """
import json
from groundswell.people.models import Consent, ImportJob, Person, Supporter
job = ImportJob.objects.get()
print(json.dumps({
    "job": [job.status, job.rows_done, job.created_count, job.skipped_count],
    "back": Person.objects.filter(
        email_normalized__in=["ana@example.org", "bo@example.org"]).count(),
    "supporters": Supporter.objects.filter(organization__slug="action-now").count(),
    "consents": Consent.objects.filter(organization__slug="action-now").count(),
    "skipped_rows": list(job.errors.values_list("row_number", flat=True)),
}))
"""


def progress(site: Deployment) -> tuple[str, int]:
    status, done = json.loads(site.shell(PROGRESS).splitlines()[-1])
    return str(status), int(done)


def test_an_import_resumed_after_a_kill_does_not_bring_back_who_erased_meanwhile(
    tmp_path: Path,
) -> None:
    with Deployment(tmp_path, WORKER_LOST_AFTER="2") as site:
        site.shell(SET_UP.format(path=tmp_path / "people.csv", rows=ROWS))
        first = site.start_worker()
        site.wait_for(
            "the first batches",
            lambda: progress(site)[1] >= 2000,
            timeout=120,
        )
        site.kill(first)  # SIGKILL
        status, done = progress(site)
        assert status == "running" and 2000 <= done < ROWS
        site.shell(ERASE)  # Bo was imported already; Ana's row is still to come
        site.start_worker()
        site.wait_for("the import to finish", lambda: progress(site)[0] == "done", timeout=300)
        outcome = json.loads(site.shell(OUTCOME).splitlines()[-1])
        assert outcome["back"] == 0
        assert outcome["job"] == ["done", ROWS, ROWS - 1, 1]
        assert outcome["skipped_rows"] == [ROWS + 1]  # the header is row 1
        assert outcome["supporters"] == ROWS - 2  # Bo's went with him, Ana's never came
        assert outcome["consents"] == ROWS - 2
