"""The bare baseline of the intake benchmark: a minimal ASGI app (uvicorn + asyncpg).

Not part of the product. It answers the same URLs as Groundswell's signing hot path, with
the least work that still stores a signature durably, so the benchmark can say how close
the product comes to "the database and the HTTP server, nothing else":

- POST /petitions/<slug>/sign: parse the urlencoded form, check the four required fields,
  then in ONE transaction the same INSERT into petitions_signature that the product makes
  (every column a new Signature row gets: the same values and defaults) plus the INSERT of
  its petitions_countchange row (+1 total), as the product does. A second signature with
  the same normalized email is a no-op (ON CONFLICT DO NOTHING), as in the product.
  The signer's address is the last X-Forwarded-For hop (the benchmark's load generator
  plays a trusted proxy), else the peer's. Answers 303 to /petitions/<slug>/thanks after
  the commit.
  It does not queue the verification-email task (the product inserts a third row for it),
  does no rate limiting, no form rendering, no middleware, no sessions.
- GET /petitions/<slug>/count.json: one SELECT of the petition's count row.
- GET /petitions/<slug>/: one SELECT, a small HTML page.
- GET /healthz: SELECT 1.

The petition's id is looked up once per process and kept. Run it as the benchmark does:

    BASELINE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_intake_baseline \
        uvicorn baseline_app:app --app-dir benchmarks --workers 3 --no-access-log
"""

from __future__ import annotations

import datetime
import html
import json
import os
import re
import zoneinfo
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

import asyncpg

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

DSN = os.environ.get(
    "BASELINE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_intake_baseline"
)
POOL_SIZE = int(os.environ.get("BASELINE_POOL_SIZE", "8"))
TIME_ZONE = zoneinfo.ZoneInfo(os.environ.get("TIME_ZONE", "America/Chicago"))
ZIP_RE = re.compile(r"^\d{5}(-\d{4})?$")
PATH_RE = re.compile(r"^/petitions/(?P<slug>[-a-zA-Z0-9_]+)/(?P<rest>sign|count\.json|)$")

# What a new Signature row gets, column by column: a $n parameter (per request) or the
# model's default as SQL. Columns not named here are NULL if they may be, or, for a NOT
# NULL column added to the model since (this file does not follow the models), the zero
# of their type, so the baseline keeps working; the startup log names such columns.
SIGNATURE_VALUES = {
    "petition_id": "$1",
    "first_name": "$2",
    "last_name": "$3",
    "email": "$4",
    "email_normalized": "$5",
    "zip_code": "$6",
    "address": "$7",
    "comment": "$8",
    "public": "$9",
    "consents": "$10::jsonb",
    "source": "$11",
    "created_at": "$12",
    "ip_address": "$13::inet",
    "language": "'en'",
    "state": "'pending'",
    "verification_sends": "1",
    "verification_due": "true",
    "suspect_reason": "''",
}
TYPE_ZEROS = {"boolean": "false", "jsonb": "'[]'", "json": "'[]'", "date": "current_date"}
INSERT_SIGNATURE = ""  # built at startup from the table's columns
INSERT_COUNT_CHANGE = """
INSERT INTO petitions_countchange (petition_id, day, source, total, verified)
VALUES ($1, $2, $3, 1, 0)
"""

_pool: asyncpg.Pool | None = None
_petitions: dict[str, int] = {}


def normalize_email(email: str) -> str:
    """The product's normalization (groundswell.people.addresses), inlined."""
    email = email.strip().lower()
    local, sep, domain = email.rpartition("@")
    if not sep:
        return email
    local = local.split("+", 1)[0] or local
    if domain in {"gmail.com", "googlemail.com"}:
        domain = "gmail.com"
        local = local.replace(".", "")
    return f"{local}@{domain}"


async def respond(
    send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-length", str(len(body)).encode()), *(headers or [])],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def petition_id(slug: str) -> int | None:
    if slug not in _petitions:
        assert _pool is not None
        found = await _pool.fetchval(
            "SELECT id FROM petitions_petition WHERE slug = $1 AND status <> 'draft'", slug
        )
        if found is None:
            return None
        _petitions[slug] = found
    return _petitions[slug]


async def read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def sign(scope: Scope, receive: Receive, send: Send, slug: str, pid: int) -> None:
    form = parse_qs((await read_body(receive)).decode("utf-8", "replace"))

    def field(name: str) -> str:
        return form.get(name, [""])[0].strip()

    first, last, email, zip_code = (
        field("first_name"),
        field("last_name"),
        field("email"),
        field("zip_code"),
    )
    if not (first and last and "@" in email and ZIP_RE.match(zip_code)):
        await respond(send, 400, b"invalid form", [(b"content-type", b"text/plain")])
        return
    consents = sorted(
        int(name.removeprefix("consent_"))
        for name in form
        if name.startswith("consent_") and name.removeprefix("consent_").isdigit()
    )
    source = re.sub(r"[^a-z0-9_.-]", "", field("source").lower())[:40]
    now = datetime.datetime.now(datetime.UTC)
    # As the product behind a trusted proxy: the last X-Forwarded-For hop, else the peer.
    forwarded = dict(scope["headers"]).get(b"x-forwarded-for")
    client = scope.get("client")
    ip = forwarded.split(b",")[-1].strip().decode() if forwarded else None
    ip = ip or (client[0] if client else None)
    assert _pool is not None
    async with _pool.acquire() as conn, conn.transaction():
        new_id = await conn.fetchval(
            INSERT_SIGNATURE,
            pid,
            first[:100],
            last[:100],
            email[:254],
            normalize_email(email)[:254],
            zip_code,
            field("address")[:255],
            field("comment")[:1000],
            bool(field("public")),
            json.dumps(consents),
            source,
            now,
            ip,
        )
        if new_id is not None:
            await conn.execute(INSERT_COUNT_CHANGE, pid, now.astimezone(TIME_ZONE).date(), source)
    location = b"/petitions/" + slug.encode() + b"/thanks"
    await respond(send, 303, b"", [(b"location", location)])


async def count_json(send: Send, pid: int) -> None:
    assert _pool is not None
    row = await _pool.fetchrow(
        "SELECT shown, verified, updated_at FROM petitions_petitioncount WHERE petition_id = $1",
        pid,
    )
    data = {
        "count": row["shown"] if row else 0,
        "verified": row["verified"] if row else 0,
        "updated_at": row["updated_at"].isoformat() if row else None,
    }
    await respond(
        send,
        200,
        json.dumps(data).encode(),
        [(b"content-type", b"application/json"), (b"cache-control", b"public, max-age=2")],
    )


async def page(send: Send, pid: int) -> None:
    assert _pool is not None
    row = await _pool.fetchrow(
        "SELECT p.title, p.ask, c.shown FROM petitions_petition p "
        "LEFT JOIN petitions_petitioncount c ON c.petition_id = p.id WHERE p.id = $1",
        pid,
    )
    body = (
        f"<!doctype html><title>{html.escape(row['title'])}</title>"
        f"<h1>{html.escape(row['title'])}</h1><p>{html.escape(row['ask'])}</p>"
        f"<p>{row['shown'] or 0} signatures</p>"
    ).encode()
    await respond(send, 200, body, [(b"content-type", b"text/html; charset=utf-8")])


async def build_insert(pool: asyncpg.Pool) -> None:
    """The INSERT for the table as it is: every column the product sets, and a value for
    any other NOT NULL column without a default."""
    global INSERT_SIGNATURE
    rows = await pool.fetch(
        "SELECT column_name, is_nullable, column_default, data_type "
        "FROM information_schema.columns WHERE table_name = 'petitions_signature'"
    )
    values = {}
    for row in rows:
        name = row["column_name"]
        if name in SIGNATURE_VALUES:
            values[name] = SIGNATURE_VALUES[name]
        elif row["is_nullable"] == "NO" and row["column_default"] is None and name != "id":
            kind = row["data_type"]
            zero = TYPE_ZEROS.get(kind, "now()" if "timestamp" in kind else None)
            zero = zero or ("0" if kind in {"integer", "bigint", "smallint"} else "''")
            values[name] = zero
            print(f"baseline: column petitions_signature.{name} ({kind}) gets {zero}", flush=True)
    INSERT_SIGNATURE = (
        f"INSERT INTO petitions_signature ({', '.join(values)}) "  # noqa: S608 - no input
        f"VALUES ({', '.join(values.values())}) "
        "ON CONFLICT (petition_id, email_normalized) DO NOTHING RETURNING id"
    )


async def lifespan(receive: Receive, send: Send) -> None:
    global _pool
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            _pool = await asyncpg.create_pool(DSN, min_size=POOL_SIZE, max_size=POOL_SIZE)
            await build_insert(_pool)
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            if _pool is not None:
                await _pool.close()
            await send({"type": "lifespan.shutdown.complete"})
            return


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await lifespan(receive, send)
        return
    if scope["type"] != "http":
        return
    path, method = scope["path"], scope["method"]
    if path == "/healthz":
        assert _pool is not None
        await _pool.fetchval("SELECT 1")
        await respond(send, 200, b'{"status": "ok"}', [(b"content-type", b"application/json")])
        return
    match = PATH_RE.match(path)
    pid = await petition_id(match["slug"]) if match else None
    if match is None or pid is None:
        await respond(send, 404, b"not found", [(b"content-type", b"text/plain")])
        return
    rest = match["rest"]
    if rest == "sign" and method == "POST":
        await sign(scope, receive, send, match["slug"], pid)
    elif rest == "count.json" and method in {"GET", "HEAD"}:
        await count_json(send, pid)
    elif rest == "" and method in {"GET", "HEAD"}:
        await page(send, pid)
    else:
        await respond(send, 405, b"method not allowed", [(b"content-type", b"text/plain")])
