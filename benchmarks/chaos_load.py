"""The chaos benchmark's steady workload and its watchers, each in a thread of the
benchmark process: signers posting the public sign form, a confirmer following the
emailed confirmation links, and a poller of /healthz (benchmarks/chaos.py).

None of these threads starts a process (the benchmark's child processes die with the
thread that started them, so only the main thread starts them).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import queue
import random
import re
import threading
import time
from collections import Counter
from typing import Any
from urllib.parse import urlencode, urlsplit

from chaos_services import Received

FORM_REFRESH_SECONDS = 60.0


def _status_key(status: int | None, error: BaseException | None) -> str:
    if error is not None:
        return f"error: {type(error).__name__}"
    return str(status)


class Http:
    """One keep-alive connection to the app server, opened again after any error."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.conn: http.client.HTTPConnection | None = None

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes, dict[str, str]]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            self.conn.request(method, path, body=body, headers=headers or {})
            response = self.conn.getresponse()
            data = response.read()
        except Exception:
            self.close()
            raise
        if response.will_close:
            self.close()
        return response.status, data, {k.lower(): v for k, v in response.getheaders()}

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(Exception):
                self.conn.close()
            self.conn = None


class Signers:
    """Threads that sign the petition at a steady rate, each signature with a new
    email and its own X-Forwarded-For address (the app trusts 127.0.0.1 as its proxy).

    A 303 is an acknowledged signature. Anything else (a 503 "not saved, try again", an
    error, a cut connection) is not, and that email is tried again later, up to
    `max_attempts` times in all.
    """

    def __init__(
        self,
        *,
        base_url: str,
        slug: str,
        organization_id: int,
        rate: float,
        threads: int,
        consent_share: float,
        token: str,
        seed: int,
        max_attempts: int = 6,
        retry_after: float = 2.0,
    ) -> None:
        parts = urlsplit(base_url)
        self.base_url = base_url
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.path = f"/petitions/{slug}/"
        self.organization_id = organization_id
        self.rate = rate
        self.threads = threads
        self.consent_share = consent_share
        self.token = token
        self.rng = random.Random(seed)
        self.max_attempts = max_attempts
        self.retry_after = retry_after
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.acked: dict[str, float] = {}  # email → when acknowledged (monotonic)
        self.attempts: Counter[str] = Counter()  # email → POSTs made
        self.outcomes: dict[str, list[str]] = {}  # email → the answer to each POST
        self.statuses: Counter[str] = Counter()
        self.consenting: set[str] = set()
        self.gave_up: set[str] = set()
        self.retries: list[tuple[float, str]] = []
        self.started_at = 0.0
        self.stopped_at = 0.0
        self.made = 0
        self.ip_offset = self.rng.randrange(131072)
        self.form: dict[str, str] = {}
        self.form_at = 0.0
        self.form_errors: Counter[str] = Counter()
        self._workers: list[threading.Thread] = []

    # The form's hidden fields, read from the page as a browser would.
    def refresh_form(self, client: Http) -> bool:
        try:
            status, page, _ = client.request("GET", self.path)
        except Exception as exc:
            self.form_errors[type(exc).__name__] += 1
            return False
        if status != 200:
            self.form_errors[str(status)] += 1
            return False
        html = page.decode(errors="replace")
        fields = {"source": "", "website": ""}
        token = re.search(r'name="form_token" value="([^"]*)"', html)
        if token:
            fields["form_token"] = token[1]
        if f'name="consent_{self.organization_id}"' not in html:
            self.form_errors["no consent box for the owner"] += 1
        with self.lock:
            self.form = fields
            self.form_at = time.monotonic()
        return True

    def start(self) -> None:
        client = Http(self.host, self.port, 10.0)
        if not self.refresh_form(client):
            raise RuntimeError(f"the petition page did not answer 200: {dict(self.form_errors)}")
        client.close()
        self.started_at = time.monotonic()
        for i in range(self.threads):
            thread = threading.Thread(target=self._run, args=(i,), name=f"signer-{i}", daemon=True)
            thread.start()
            self._workers.append(thread)

    def finish(self, timeout: float = 15.0) -> None:
        self.stop.set()
        for thread in self._workers:
            thread.join(timeout)
        self.stopped_at = time.monotonic()

    def _next_email(self) -> str:
        """An email to sign with: one due to be tried again, else a new one."""
        now = time.monotonic()
        with self.lock:
            if self.retries and self.retries[0][0] <= now:
                return self.retries.pop(0)[1]
            self.made += 1
            n = self.made
            email = f"{self.token}-{n}@example.org"
            if self.rng.random() < self.consent_share:
                self.consenting.add(email)
            return email

    def _body(self, email: str, n: int) -> bytes:
        with self.lock:
            fields = dict(self.form)
            consenting = email in self.consenting
        fields.update(
            {"first_name": "Chaos", "last_name": f"Signer{n}", "email": email, "zip_code": "60608"}
        )
        if consenting:
            fields[f"consent_{self.organization_id}"] = "on"
        return urlencode(fields).encode()

    def _run(self, index: int) -> None:
        client = Http(self.host, self.port, 10.0)
        interval = self.threads / self.rate
        next_at = time.monotonic() + index * interval / self.threads
        sent = 0
        while not self.stop.is_set():
            now = time.monotonic()
            if now < next_at:
                self.stop.wait(next_at - now)
                continue
            next_at = max(next_at + interval, now - 1.0)  # catch up at most a second
            if now - self.form_at > FORM_REFRESH_SECONDS:
                self.refresh_form(client)
            email = self._next_email()
            sent += 1
            n = (self.ip_offset + sent * self.threads + index) % 131072  # one per POST
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.base_url,
                "X-Forwarded-For": f"198.{18 + n // 65536}.{(n // 256) % 256}.{n % 256}",
            }
            status: int | None = None
            error: BaseException | None = None
            try:
                status, _, _ = client.request(
                    "POST", f"{self.path}sign", self._body(email, sent), headers
                )
            except Exception as exc:
                error = exc
            key = _status_key(status, error)
            with self.lock:
                self.attempts[email] += 1
                self.outcomes.setdefault(email, []).append(key)
                self.statuses[key] += 1
                if status == 303:
                    self.acked.setdefault(email, time.monotonic())
                elif email not in self.acked:
                    if self.attempts[email] < self.max_attempts:
                        self.retries.append((time.monotonic() + self.retry_after, email))
                    else:
                        self.gave_up.add(email)
        client.close()

    def figures(self) -> dict[str, Any]:
        seconds = (self.stopped_at or time.monotonic()) - self.started_at
        with self.lock:
            return {
                "emails_tried": self.made,
                "posts": sum(self.attempts.values()),
                "acknowledged": len(self.acked),
                "acknowledged_per_s": round(len(self.acked) / seconds, 2) if seconds else None,
                "answers": dict(self.statuses.most_common()),
                "answered_503": self.statuses.get("503", 0),
                "never_acknowledged": len(set(self.attempts) - set(self.acked)),
                "gave_up": len(self.gave_up),
                "waiting_retry_at_end": len(self.retries),
                "posted_more_than_once": sum(1 for n in self.attempts.values() if n > 1),
                "consenting": len(self.consenting),
                "form_errors": dict(self.form_errors),
                "seconds": round(seconds, 1),
            }


class Confirmer:
    """Follows confirmation links as the SMTP sink receives them: every signer who
    ticked the owner's consent box, and a share of the others. GET shows a button; the
    POST to the same address confirms (petitions.views.verify)."""

    def __init__(
        self, signers: Signers, *, other_share: float, seed: int, attempts: int = 5
    ) -> None:
        self.signers = signers
        self.other_share = other_share
        self.rng = random.Random(seed)
        self.attempts = attempts
        self.queue: queue.Queue[tuple[float, str, str, int]] = queue.Queue()
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.confirmed: dict[str, float] = {}
        self.chosen: set[str] = set()
        self.statuses: Counter[str] = Counter()
        self.failed: set[str] = set()
        self.thread = threading.Thread(target=self._run, name="confirmer", daemon=True)
        self.host, self.port = signers.host, signers.port

    def on_message(self, received: Received) -> None:  # called from the SMTP sink's thread
        if not received.verify_link or self.stop.is_set():
            return
        for email in received.recipients:
            with self.lock:
                if email in self.chosen or email in self.confirmed:
                    continue
                consenting = email in self.signers.consenting
                if not consenting and self.rng.random() >= self.other_share:
                    continue
                self.chosen.add(email)
            self.queue.put((0.0, email, received.verify_link, 0))

    def start(self) -> None:
        self.thread.start()

    def finish(self) -> None:
        self.stop.set()
        self.thread.join(15)

    def _run(self) -> None:
        client = Http(self.host, self.port, 10.0)
        while not self.stop.is_set():
            try:
                not_before, email, link, tries = self.queue.get(timeout=0.2)
            except queue.Empty:
                continue
            if time.monotonic() < not_before:
                self.queue.put((not_before, email, link, tries))
                self.stop.wait(0.05)
                continue
            outcome = self._confirm(client, link)
            with self.lock:
                self.statuses[outcome] += 1
                if outcome in ("verified", "already verified"):
                    self.confirmed.setdefault(email, time.monotonic())
                elif tries + 1 < self.attempts:
                    self.queue.put((time.monotonic() + 2.0, email, link, tries + 1))
                else:
                    self.failed.add(email)
        client.close()

    def _confirm(self, client: Http, link: str) -> str:
        path = urlsplit(link).path
        try:
            status, page, _ = client.request("GET", path)
            if status != 200:
                return f"GET {status}"
            html = page.decode(errors="replace")
            if f'action="{path}"' not in html:
                return "already verified"  # no confirm button: it is confirmed
            status, page, _ = client.request(
                "POST",
                path,
                b"",
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": self.signers.base_url,
                },
            )
        except Exception as exc:
            return f"error: {type(exc).__name__}"
        return "verified" if status == 200 else f"POST {status}"

    def figures(self) -> dict[str, Any]:
        with self.lock:
            return {
                "chosen": len(self.chosen),
                "confirmed": len(self.confirmed),
                "gave_up": len(self.failed),
                "left_in_queue": self.queue.qsize(),
                "answers": dict(self.statuses.most_common()),
            }


class HealthPoller:
    """GET /healthz every `every` seconds (a new connection each time, `timeout` s) and
    keep every answer: (seconds since `origin`, HTTP status or None, body or error)."""

    def __init__(self, base_url: str, origin: float, every: float = 0.5, timeout: float = 2.0):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.origin = origin
        self.every = every
        self.timeout = timeout
        self.samples: list[dict[str, Any]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="healthz", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def finish(self) -> None:
        self.stop.set()
        self.thread.join(5)

    def latest(self) -> dict[str, Any] | None:
        return self.samples[-1] if self.samples else None

    def _run(self) -> None:
        next_at = time.monotonic()
        while not self.stop.is_set():
            began = time.monotonic()
            sample: dict[str, Any] = {"t": round(began - self.origin, 2)}
            conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                conn.request("GET", "/healthz")
                response = conn.getresponse()
                raw = response.read()
                sample["status"] = response.status
                try:
                    sample["body"] = json.loads(raw)
                except ValueError:
                    sample["body"] = None
                    sample["raw"] = raw[:200].decode(errors="replace")
            except Exception as exc:
                sample["status"] = None
                sample["error"] = f"{type(exc).__name__}: {exc}"[:200]
            finally:
                conn.close()
            sample["took"] = round(time.monotonic() - began, 3)
            self.samples.append(sample)
            next_at = max(next_at + self.every, time.monotonic())
            self.stop.wait(max(0.0, next_at - time.monotonic()))
