"""Generate one open petition with N signatures (default 1,000,000), fast, with COPY.

    .venv/bin/python benchmarks/generate_petition.py [--signatures N] [--force]

Works on its own PostgreSQL database (BENCH_SCALE_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_scale). If that database already holds the
petition with exactly N signatures (after applying any new migrations), it does
nothing, unless --force. Otherwise it drops and recreates the database, migrates it
with `manage.py migrate`, creates the owner organization, a co-sponsoring coalition,
an organizer account and the petition through the product's own actions, and then
loads with PostgreSQL COPY, in one transaction:

- N signatures spread over 60 days (a slow start, a viral surge, a tail), from
  several share-link sources, ~90% verified, unique emails (some Gmail dots and
  +tags, so normalization matters), ~30% ticking consent (consents = [org ids]);
- a person row for every verified signature (as verification creates one), and a
  consent row for each organization a verified signer consented to (a few withdrawn),
  so the CSV export's consent Exists() has real work to do;
- the finished verification-email task each signature left in the task queue's table
  (INSERT ... SELECT; the product never prunes them), so the worker's queries run
  against a realistic table.

Every column of those tables is given: columns this script knows get realistic
values, any other column (added by a later migration) gets its model default, so
the COPY never misses a NOT NULL column. Then VACUUM ANALYZE, and the product's
counts.recount(petition), timed.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import random
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

import scale_env

BLOCK = 100_000  # rows generated and copied per round


def words(text: str) -> list[str]:
    return text.split()


FIRST_NAMES = words(
    "Maria Jose Luis Ana Juan Carmen Jesus Rosa Carlos Guadalupe Miguel Elena Jorge "
    "Sofia James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth "
    "William Barbara Keisha Darnell Tamika Andre Latoya Marcus Aaliyah Jamal Imani "
    "Terrence Mohammed Fatima Ahmad Layla Omar Noor Yusuf Amira Min-jun Seo-yeon Ji-ho "
    "Hye-jin Wei Li Jun Mei Hao Xiu Piotr Anna Krzysztof Katarzyna Tomasz Agnieszka "
    "Kwame Ngozi"
)
LAST_NAMES = words(
    "Garcia Rodriguez Martinez Hernandez Lopez Gonzalez Perez Sanchez Ramirez Torres "
    "Flores Rivera Gomez Diaz Reyes Smith Johnson Williams Brown Jones Miller Davis "
    "Wilson Anderson Taylor Thomas Jackson White Harris Martin Thompson Robinson Walker "
    "Young Allen King Washington Jefferson Banks Coleman Hussein Khan Ali Haddad Nasser "
    "Kim Lee Park Choi Jung Wang Zhang Liu Chen Yang Nowak Kowalski Wisniewski Wojcik "
    "Kowalczyk Okafor Mensah"
)
DOMAINS = (
    ("gmail.com", 38),
    ("yahoo.com", 12),
    ("hotmail.com", 9),
    ("outlook.com", 8),
    ("icloud.com", 7),
    ("comcast.net", 6),
    ("sbcglobal.net", 5),
    ("aol.com", 3),
    ("uic.edu", 3),
    ("protonmail.com", 2),
    ("cps.edu", 2),
    ("att.net", 2),
    ("googlemail.com", 1),
    ("riseup.net", 1),
    ("luc.edu", 1),
)
SOURCES = (
    ("", 34),  # the petition's own page
    ("facebook", 21),
    ("whatsapp", 13),
    ("email", 12),
    ("twitter", 8),
    ("embed", 6),
    ("instagram", 4),
    ("newsletter", 2),
)
ZIPS = [f"606{n:02d}" for n in range(1, 61)] + ["60707", "60827", "60402", "60202"]
STREETS = (
    "S Halsted St",
    "W Cermak Rd",
    "N Milwaukee Ave",
    "W 26th St",
    "S Ashland Ave",
    "W Madison St",
    "N Clark St",
    "S Pulaski Rd",
    "W 63rd St",
    "E 47th St",
    "N Kedzie Ave",
    "W Division St",
)
COMMENTS = (
    "Our community deserves accountability.",
    "Signing for my son.",
    "Basta ya. Justicia para nuestras familias.",
    "I live in the 25th ward and I want this now.",
    "Thank you for organizing this!",
    "Es hora de actuar.",
    "Transparency is not too much to ask.",
    "Enough is enough.",
    "My neighbors and I support every demand.",
    '"Quoted", with a comma',
    '=HYPERLINK("http://example.com","click")',  # CSV injection: the export must defuse it
    "-1+1",
)
SHARED_IPS = [f"192.0.2.{n}" for n in range(1, 40)]  # campus / library NATs

DAY = 86_400.0
SPAN_DAYS = 60


# --- COPY text format ---------------------------------------------------------------------


def copy_text(value: Any) -> str:
    """One value in PostgreSQL COPY text format."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (datetime.datetime, datetime.date)):
        text = value.isoformat()
    elif isinstance(value, (dict, list)):
        text = json.dumps(value)
    elif hasattr(value, "obj") and hasattr(value, "dumps"):  # psycopg Jsonb/Json wrapper
        text = json.dumps(value.obj)
    else:
        text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def table_plan(model: Any, provided: Iterable[str]) -> tuple[list[str], str]:
    """The COPY column list: the columns we provide, then every other column of the table
    that is NOT NULL without a database default, filled with the model field's default.

    Returns (columns, tail) where `tail` is the constant text appended to each line for
    the extra columns (empty or starting with a tab). Fails loudly if a required column
    has no model default we can use.
    """
    from django.db import connection

    provided = list(provided)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, is_nullable, column_default, is_identity "
            "FROM information_schema.columns WHERE table_name = %s AND table_schema = "
            "current_schema()",
            [table],
        )
        db_columns = {
            name: (nullable == "YES", default is not None or identity == "YES")
            for name, nullable, default, identity in cursor.fetchall()
        }
    missing = [c for c in provided if c not in db_columns]
    if missing:
        raise SystemExit(f"{table} has no column(s) {missing}: is the database migrated?")
    fields = {f.column: f for f in model._meta.concrete_fields}
    extra_columns, extra_values = [], []
    for column, (nullable, has_default) in db_columns.items():
        if column in provided:
            continue
        field = fields.get(column)
        if field is None:
            if nullable or has_default:
                continue
            raise SystemExit(f"{table}.{column} is NOT NULL, without default, not in the model")
        value = field.get_db_prep_save(field.get_default(), connection)
        if value is None and not nullable:
            if has_default:
                continue
            raise SystemExit(f"{table}.{column} is NOT NULL and its model default is None")
        extra_columns.append(column)
        extra_values.append(copy_text(value))
    tail = "".join("\t" + v for v in extra_values)
    return provided + extra_columns, tail


def drop_secondary_indexes(cursor: Any, table: str) -> list[str]:
    """Drop the table's indexes and unique constraints except its primary key, so COPY
    does not maintain them row by row; returns the statements that rebuild them.
    (Built once after the load they are also as compact as a freshly REINDEXed table.)"""
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), c.conname, "
        "pg_get_constraintdef(c.oid) FROM pg_index i LEFT JOIN pg_constraint c "
        "ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary",
        [table],
    )
    rebuild = []
    for index, index_def, constraint, constraint_def in cursor.fetchall():
        if constraint:
            drop = f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"'
            create = f'ALTER TABLE {table} ADD CONSTRAINT "{constraint}" {constraint_def}'
        else:
            drop, create = f"DROP INDEX {index}", index_def
        cursor.execute("SAVEPOINT drop_index")
        try:
            cursor.execute(drop)
        except Exception:  # something depends on it: keep it, COPY maintains it
            cursor.execute("ROLLBACK TO SAVEPOINT drop_index")
            continue
        cursor.execute("RELEASE SAVEPOINT drop_index")
        rebuild.append(create)
    return rebuild


def copy_lines(cursor: Any, table: str, columns: list[str], lines: list[str]) -> None:
    if not lines:
        return
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with cursor.copy(statement) as copy:
        for start in range(0, len(lines), 20_000):
            copy.write("".join(lines[start : start + 20_000]))


# --- Generation ---------------------------------------------------------------------------


def weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...], k: int) -> list[str]:
    values = [v for v, _ in pairs]
    return rng.choices(values, cum_weights=list(itertools.accumulate(w for _, w in pairs)), k=k)


def signing_times(rng: random.Random, n: int, end: float) -> list[float]:
    """N epoch seconds over SPAN_DAYS ending at `end`: a trickle, a surge, a tail."""
    start = end - SPAN_DAYS * DAY
    offsets = []
    for _ in range(n):
        r = rng.random()
        if r < 0.15:
            day = rng.uniform(0, SPAN_DAYS)
        elif r < 0.70:
            day = rng.gauss(44, 2.5)
        else:
            day = 47 + rng.expovariate(1 / 4)
        offsets.append(min(max(day, 0.0), SPAN_DAYS - 0.001) * DAY)
    offsets.sort()
    return [start + o for o in offsets]


def normalized(local: str, domain: str) -> str:
    """What groundswell.people.addresses.normalize_email makes of local@domain (checked)."""
    local = local.lower().split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        return f"{local.replace('.', '')}@gmail.com"
    return f"{local}@{domain}"


def iso(ts: float, _utc: datetime.timezone = datetime.UTC) -> str:
    return datetime.datetime.fromtimestamp(ts, _utc).isoformat()


def generate(
    n: int,
    *,
    petition_id: int,
    owner_id: int,
    sponsor_id: int,
    slug: str,
    seed: int,
    on_block: Callable[[list[str], list[str], list[str]], None],
    first_signature_id: int,
    first_person_id: int,
    first_consent_id: int,
    outbox: bool = False,
) -> dict[str, int]:
    """Make the rows, BLOCK at a time, and hand each block's COPY lines to on_block."""
    rng = random.Random(seed)
    now = time.time()
    end = now - 120
    times = signing_times(rng, n, end)
    firsts = rng.choices(FIRST_NAMES, k=n)
    lasts = rng.choices(LAST_NAMES, k=n)
    domains = weighted(rng, DOMAINS, n)
    sources = weighted(rng, SOURCES, n)
    consent_json = {
        "none": "[]",
        "owner": f"[{owner_id}]",
        "both": f"[{min(owner_id, sponsor_id)}, {max(owner_id, sponsor_id)}]",
        "sponsor": f"[{sponsor_id}]",
    }
    consent_orgs = {
        "none": (),
        "owner": (owner_id,),
        "both": (owner_id, sponsor_id),
        "sponsor": (sponsor_id,),
    }
    consent_source = f"petition:{slug}"
    stats = dict.fromkeys(("signatures", "verified", "persons", "consents", "withdrawn"), 0)
    person_id = first_person_id
    consent_id = first_consent_id
    for block_start in range(0, n, BLOCK):
        sig_lines: list[str] = []
        person_lines: list[str] = []
        consent_lines: list[str] = []
        for i in range(block_start, min(n, block_start + BLOCK)):
            first, last, domain = firsts[i], lasts[i], domains[i]
            local = f"{first}.{last}{i}"
            if i % 47 == 0:
                local += "+petition"
            email = f"{local}@{domain}"
            email_norm = normalized(local, domain)
            created = times[i]
            r = rng.random()
            zip_code = ZIPS[int(r * len(ZIPS))]
            address = f"{1 + i % 9899} {STREETS[i % len(STREETS)]}" if r < 0.25 else ""
            comment = COMMENTS[i % len(COMMENTS)] if rng.random() < 0.08 else ""
            public = "t" if rng.random() < 0.45 else "f"
            c = rng.random()
            consent = (
                "owner" if c < 0.22 else "both" if c < 0.28 else "sponsor" if c < 0.30 else "none"
            )
            language = "es" if rng.random() < 0.22 else "en"
            verified = rng.random() < 0.90
            if rng.random() < 0.03:
                ip = SHARED_IPS[i % len(SHARED_IPS)]
            else:
                octets = (rng.randrange(24, 216), rng.randrange(256), rng.randrange(256))
                ip = "{}.{}.{}.".format(*octets) + str(rng.randrange(1, 255))
            sends = "2" if rng.random() < 0.04 else "1"
            created_iso = iso(created)
            if verified:
                verified_at = min(created + rng.expovariate(1 / 1800), end)
                verified_iso = iso(verified_at)
                pid = str(person_id)
                person_lines.append(
                    f"{person_id}\t{email}\t{email_norm}\t{first}\t{last}\t{zip_code}\t"
                    f"{address}\t{language}\t{verified_iso}\t{verified_iso}"
                )
                for org in consent_orgs[consent]:
                    if rng.random() < 0.03:  # unsubscribed since
                        withdrawn = iso(verified_at + rng.uniform(0, end - verified_at))
                        reason = "unsubscribe link"
                        stats["withdrawn"] += 1
                    else:
                        withdrawn, reason = r"\N", ""
                    consent_lines.append(
                        f"{consent_id}\t{pid}\t{org}\temail\t{verified_iso}\t{consent_source}\t"
                        f"{withdrawn}\t{reason}"
                    )
                    consent_id += 1
                person_id += 1
                state = "verified"
                stats["verified"] += 1
            else:
                verified_iso = pid = r"\N"
                state = "pending"
            sig_lines.append(
                f"{first_signature_id + i}\t{petition_id}\t{first}\t{last}\t{email}\t"
                f"{email_norm}\t{zip_code}\t{address}\t{comment}\t{public}\t"
                f"{consent_json[consent]}\t{sources[i]}\t{language}\t{state}\t{created_iso}\t"
                f"{verified_iso}\t{ip}\t{sends}\t{pid}"
                # The confirmation email went out within a few seconds of signing.
                + (f"\tf\t{iso(created + 2)}" if outbox else "")
            )
        stats["signatures"] += len(sig_lines)
        stats["persons"] += len(person_lines)
        stats["consents"] += len(consent_lines)
        on_block(sig_lines, person_lines, consent_lines)
    return stats


SIGNATURE_COLUMNS = [
    "id",
    "petition_id",
    "first_name",
    "last_name",
    "email",
    "email_normalized",
    "zip_code",
    "address",
    "comment",
    "public",
    "consents",
    "source",
    "language",
    "state",
    "created_at",
    "verified_at",
    "ip_address",
    "verification_sends",
    "person_id",
]
PERSON_COLUMNS = [
    "id",
    "email",
    "email_normalized",
    "first_name",
    "last_name",
    "zip_code",
    "address",
    "language",
    "created_at",
    "updated_at",
]
CONSENT_COLUMNS = [
    "id",
    "person_id",
    "organization_id",
    "channel",
    "granted_at",
    "source",
    "withdrawn_at",
    "withdrawn_source",
]


def insert_task_history(cursor: Any, petition_id: int) -> int:
    """One finished verification-email task per signature (two where it was resent), as
    signing leaves them: the product never prunes finished tasks, so after a million
    signatures the queue's table holds a million rows, and the worker's claim query
    must stay fast over them."""
    from django_tasks_db.models import DBTaskResult

    from groundswell.petitions import tasks

    if not hasattr(tasks, "send_verification"):
        print("  (no per-signature email task in this version: no task history to add)")
        return 0
    values = {
        "id": "gen_random_uuid()",
        "status": "'SUCCESSFUL'",
        "enqueued_at": "s.created_at",
        "started_at": "s.created_at + interval '1 second'",
        "finished_at": "s.created_at + interval '1200 milliseconds'",
        "args_kwargs": "jsonb_build_object('args', jsonb_build_array(s.id), 'kwargs', '{}'::jsonb)",
        "priority": "0",
        "task_path": "%(path)s",
        "worker_ids": "'[\"bench-host-4242\"]'::jsonb",
        "queue_name": "'default'",
        "backend_name": "'default'",
        "run_after": "'9999-01-01 00:00:00+00'::timestamptz",
        "return_value": "'null'::jsonb",
        "exception_class_path": "''",
        "traceback": "''",
    }
    fields = {f.name: f.column for f in DBTaskResult._meta.concrete_fields}
    columns, tail = table_plan(DBTaskResult, [fields[name] for name in values])
    if tail:  # a newer django-tasks-db with more required columns: skip the history
        print(f"  (task history skipped: {DBTaskResult._meta.db_table} has new columns)")
        return 0
    table = DBTaskResult._meta.db_table
    select = ", ".join(values.values())
    inserted = 0
    for condition in ("", " AND s.verification_sends > 1"):
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} "  # noqa: S608
            f"FROM petitions_signature s WHERE s.petition_id = %(petition)s{condition}",
            {"path": tasks.send_verification.module_path, "petition": petition_id},
        )
        inserted += cursor.rowcount
    return inserted


# --- The petition ---------------------------------------------------------------------------


def create_petition() -> Any:
    """Owner organization, coalition co-sponsor, organizer, and the open petition, through
    the product's own actions."""
    from django.utils import timezone

    from groundswell.accounts.models import User
    from groundswell.organizations.models import Membership, Organization, Role
    from groundswell.petitions import actions
    from groundswell.petitions.models import Petition, PetitionUpdate

    owner = Organization.objects.create(
        name="Bench Organizing Collective",
        slug=scale_env.ORG_SLUG,
        email="staff@bench-collective.example",
        description="A community organization on the South Side.",
    )
    sponsor = Organization.objects.create(
        name="Bench Coalition for Accountability",
        slug=scale_env.SPONSOR_SLUG,
        is_coalition=True,
        email="info@bench-coalition.example",
    )
    user = User.objects.create_user(
        scale_env.ORGANIZER_EMAIL, scale_env.ORGANIZER_PASSWORD, first_name="Bench"
    )
    Membership.objects.create(user=user, organization=owner, role=Role.OWNER)
    # The co-sponsor agrees, as it must (an invitation its owner accepts).
    sponsor_owner = User.objects.create_user(
        "owner@bench-coalition.example", scale_env.ORGANIZER_PASSWORD, first_name="Coalition"
    )
    speaker = Membership.objects.create(user=sponsor_owner, organization=sponsor, role=Role.OWNER)
    petition = actions.create_petition(
        owner=owner,
        created_by=user,
        targets=[
            {"name": "Brandon Johnson", "title": "Mayor", "office": "City of Chicago"},
            {"name": "City Council", "title": "", "office": "City of Chicago"},
        ],
        sponsors=[sponsor],
        slug=scale_env.PETITION_SLUG,
        title="A million voices for police accountability",
        ask=(
            "We call on the Mayor and City Council to:\n\n"
            "1. Fund the civilian oversight commission fully.\n"
            "2. Publish every use-of-force report within 30 days.\n"
            "3. End the gang database."
        ),
        why="Because every neighborhood deserves safety without fear.",
        title_es="Un millón de voces por la rendición de cuentas policial",
        ask_es="Pedimos al Alcalde y al Concejo Municipal que actúen.",
    )
    for invitation in petition.sponsor_invitations.all():
        actions.accept_sponsorship(speaker, invitation)
    actions.publish(petition)
    published = timezone.now() - datetime.timedelta(days=SPAN_DAYS, minutes=5)
    Petition.objects.filter(pk=petition.pk).update(published_at=published, created_at=published)
    for days_ago, title in ((40, "We delivered 100,000 signatures"), (10, "Hearing on Thursday")):
        PetitionUpdate.objects.create(
            petition=petition,
            title=title,
            body="Thank you for signing. Here is what happens next.",
            author=user,
            created_at=timezone.now() - datetime.timedelta(days=days_ago),
            email_signers=False,
        )
    target = petition.targets.first()
    actions.record_response(
        petition,
        recorded_by=user,
        target=target,
        body="The Mayor's office will review the demands.",
        responded_on=timezone.localdate() - datetime.timedelta(days=5),
    )
    return Petition.objects.select_related("owner").get(pk=petition.pk), sponsor


# --- Main -------------------------------------------------------------------------------------


def schema_drift() -> list[str]:
    """Model columns the database lacks (a migration edited after the database was made)."""
    from django.apps import apps
    from django.db import connection

    missing = []
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for model in apps.get_models():
            table = model._meta.db_table
            if table not in tables:
                missing.append(table)
                continue
            have = {c.name for c in connection.introspection.get_table_description(cursor, table)}
            missing += [
                f"{table}.{f.column}" for f in model._meta.concrete_fields if f.column not in have
            ]
    return missing


def existing_count() -> int | None:
    """Signatures on the benchmark petition, or None if it does not exist."""
    from groundswell.petitions.models import Signature

    if drift := schema_drift():
        print(f"The database lacks {', '.join(drift[:5])}: its migrations changed.")
        return None
    petition = scale_env.find_petition()
    if petition is None:
        return None
    return Signature.objects.filter(petition=petition).count()


def load(n: int, seed: int) -> dict[str, Any]:
    from django.db import connection, transaction
    from django_tasks_db.models import DBTaskResult

    from groundswell.people.addresses import normalize_email
    from groundswell.people.models import Consent, Person
    from groundswell.petitions.models import Signature

    timings: dict[str, float] = {}
    t = time.perf_counter()
    petition, sponsor = create_petition()
    timings["create_petition_s"] = time.perf_counter() - t

    # The outbox of confirmation emails (Signature.verification_due), when the product
    # has one: every email of the past was sent, so none may be left due.
    model_columns = {f.column for f in Signature._meta.concrete_fields}
    outbox = {"verification_due", "verification_sent_at"} <= model_columns
    provided = SIGNATURE_COLUMNS + (["verification_due", "verification_sent_at"] if outbox else [])
    sig_columns, sig_tail = table_plan(Signature, provided)
    person_columns, person_tail = table_plan(Person, PERSON_COLUMNS)
    consent_columns, consent_tail = table_plan(Consent, CONSENT_COLUMNS)
    extras = {
        "signature": sig_columns[len(provided) :],
        "person": person_columns[len(PERSON_COLUMNS) :],
        "consent": consent_columns[len(CONSENT_COLUMNS) :],
    }
    print(f"  columns filled with model defaults: {extras}")

    def next_id(model: Any) -> int:
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
            return int(cursor.fetchone()[0])

    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        try:
            # Skip per-row foreign-key triggers: the rows are consistent by construction
            # (checked below). Needs a superuser; without it the load is only slower.
            with transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role = replica")
        except Exception:
            print("  (not a superuser: foreign keys are checked row by row)")

        rebuild: list[str] = []
        for model in (Signature, Person, Consent, DBTaskResult):
            rebuild += drop_secondary_indexes(cursor, model._meta.db_table)

        def on_block(sigs: list[str], persons: list[str], consents: list[str]) -> None:
            copy_lines(
                cursor,
                Person._meta.db_table,
                person_columns,
                [line + person_tail + "\n" for line in persons],
            )
            copy_lines(
                cursor,
                Consent._meta.db_table,
                consent_columns,
                [line + consent_tail + "\n" for line in consents],
            )
            copy_lines(
                cursor,
                Signature._meta.db_table,
                sig_columns,
                [line + sig_tail + "\n" for line in sigs],
            )
            copied[0] += len(sigs)
            if copied[0] % 500_000 == 0 or copied[0] == n:
                print(f"  copied {copied[0]:,} signatures ({time.perf_counter() - t:.1f} s)")

        copied = [0]
        stats = generate(
            n,
            petition_id=petition.pk,
            owner_id=petition.owner_id,
            sponsor_id=sponsor.pk,
            slug=petition.slug,
            seed=seed,
            on_block=on_block,
            outbox=outbox,
            first_signature_id=next_id(Signature),
            first_person_id=next_id(Person),
            first_consent_id=next_id(Consent),
        )
        timings["copy_s"] = time.perf_counter() - t
        t = time.perf_counter()
        stats["tasks"] = insert_task_history(cursor, petition.pk)
        timings["task_history_s"] = time.perf_counter() - t
        t = time.perf_counter()
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for statement in rebuild:
            cursor.execute(statement)
        timings["index_s"] = time.perf_counter() - t
        for model in (Signature, Person, Consent):
            table = model._meta.db_table
            cursor.execute(  # our own table names
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT MAX(id) FROM {table}))"
            )
    t = time.perf_counter()
    with connection.cursor() as cursor:
        for model in (Signature, Person, Consent, DBTaskResult):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    timings["vacuum_analyze_s"] = time.perf_counter() - t

    # The rows are what the product would have written.
    sample = Signature.objects.filter(petition=petition).order_by("?")[:2000]
    bad = [s.email for s in sample if normalize_email(s.email) != s.email_normalized]
    if bad:
        raise SystemExit(f"email normalization differs from the product's: {bad[:3]}")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM petitions_signature s WHERE s.person_id IS NOT NULL AND "
            "NOT EXISTS (SELECT 1 FROM people_person p WHERE p.id = s.person_id)"
        )
        orphans = cursor.fetchone()[0]
    if orphans:
        raise SystemExit(f"{orphans} signatures point to missing people")
    return {"petition": petition, "stats": stats, "timings": timings, "extra_columns": extras}


def recount(petition: Any) -> float:
    from groundswell.petitions import counts

    t = time.perf_counter()
    counts.recount(petition)
    return time.perf_counter() - t


def settle_queue() -> None:
    """The recount noted milestones and queued their notices: mark them sent and drop
    the waiting tasks (the finished history stays), so that email_drain.py measures
    only its own verification emails."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from groundswell.petitions.models import Milestone

    Milestone.objects.filter(notified_at__isnull=True).update(notified_at=timezone.now())
    DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).delete()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--signatures", "-n", type=int, default=1_000_000)
    parser.add_argument("--force", action="store_true", help="regenerate even if present")
    parser.add_argument("--seed", type=int, default=2019)
    args = parser.parse_args(argv)

    scale_env.configure()
    import django

    django.setup()
    from django.db import connections

    started = time.perf_counter()
    print(f"Benchmark database: {scale_env.database_url()}")
    if scale_env.database_exists() and not args.force:
        scale_env.manage("migrate", "--noinput")
        have = existing_count()
        if have == args.signatures:
            print(
                f"Petition '{scale_env.PETITION_SLUG}' already has {have:,} signatures: "
                "nothing to do (--force or FORCE=1 regenerates)."
            )
            return 0
        print(f"Found {have:,} signatures; regenerating." if have is not None else "Regenerating.")
        connections.close_all()

    t = time.perf_counter()
    scale_env.recreate_database()
    scale_env.manage("migrate", "--noinput")
    migrate_s = time.perf_counter() - t
    print(f"  fresh database migrated in {migrate_s:.1f} s")

    result = load(args.signatures, args.seed)
    petition = result["petition"]
    stats = result["stats"]
    timings = {"migrate_s": migrate_s, **result["timings"]}
    timings["recount_s"] = recount(petition)
    settle_queue()
    total = time.perf_counter() - started

    from groundswell.petitions.models import PetitionCount

    count = PetitionCount.objects.get(petition=petition)
    print(
        f"Generated petition '{petition.slug}' (id {petition.pk}): "
        f"{stats['signatures']:,} signatures ({stats['verified']:,} verified), "
        f"{stats['persons']:,} people, {stats['consents']:,} consents "
        f"({stats['withdrawn']:,} withdrawn), {stats.get('tasks', 0):,} finished email tasks."
    )
    print(
        f"  COPY {timings['copy_s']:.1f} s ({stats['signatures'] / timings['copy_s']:,.0f} "
        f"signatures/s with people and consents), task history "
        f"{timings['task_history_s']:.1f} s, indexes {timings['index_s']:.1f} s, "
        f"VACUUM ANALYZE "
        f"{timings['vacuum_analyze_s']:.1f} s"
    )
    print(
        f"  counts.recount(petition): {timings['recount_s']:.2f} s -> total {count.total:,}, "
        f"verified {count.verified:,}, shown {count.shown:,}"
    )
    print(f"  whole generation: {total:.1f} s")
    if count.total != stats["signatures"]:
        print("  WARNING: the recount's total differs from the rows loaded", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
