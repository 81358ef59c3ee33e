"""Reading an import's bytes: from a file, an open file, or an http(s) URL.

A URL is fetched before any database work and never inside a transaction
(core.network.outside_transaction raises there), within LEGISLATION_IMPORT_TIMEOUT
seconds in all (connecting, waiting, reading) and at most LEGISLATION_IMPORT_MAX_MB:
a server that trickles its answer or sends too much is cut off with a clear error.
"""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from django.conf import settings

from groundswell.core.network import outside_transaction

USER_AGENT = "Groundswell-Legislation/1 (self-hosted organizing platform)"
MAX_PROBLEMS = 30  # listed in an error; the rest are counted


class LegislationFileError(Exception):
    """The file cannot be imported; `problems` says why, each a sentence. Nothing was
    changed."""

    def __init__(self, problems: list[str]) -> None:
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown.append(f"… and {len(problems) - MAX_PROBLEMS} more problems.")
        super().__init__("\n".join(shown))
        self.problems = shown


def max_bytes() -> int:
    return int(settings.LEGISLATION_IMPORT_MAX_MB * 1024 * 1024)


def too_large() -> LegislationFileError:
    return LegislationFileError(
        [
            f"The file is larger than {settings.LEGISLATION_IMPORT_MAX_MB} MB "
            "(LEGISLATION_IMPORT_MAX_MB)."
        ]
    )


def is_url(source: object) -> bool:
    return isinstance(source, str) and source.lower().startswith(("http://", "https://"))


def read(source: str | Path | BinaryIO) -> tuple[str, bytes]:
    """The source's name and its bytes, or LegislationFileError."""
    limit = max_bytes()
    if is_url(source):
        assert isinstance(source, str)
        return source, fetch(source, limit=limit, timeout=settings.LEGISLATION_IMPORT_TIMEOUT)
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            if path.stat().st_size > limit:
                raise too_large()
            with path.open("rb") as handle:
                data = handle.read(limit + 1)
        except OSError as exc:
            raise LegislationFileError(
                [f"The file cannot be read: {exc.strerror or exc}."]
            ) from None
        label = path.name
    else:
        data = source.read(limit + 1)
        label = str(getattr(source, "name", ""))
    if len(data) > limit:
        raise too_large()
    return label, data


def fetch(url: str, *, limit: int, timeout: float) -> bytes:
    """GET the URL's body: at most `limit` bytes within `timeout` seconds in all."""
    outside_transaction("Importing legislation")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LegislationFileError(["Give an http:// or https:// address."])
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"}
    )
    deadline = time.monotonic() + timeout
    body = bytearray()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise LegislationFileError(
                        [f"{parts.hostname} did not send the whole file within {timeout:g} s."]
                    )
                sock = _socket_of(response)
                if sock is not None:
                    sock.settimeout(left)
                chunk = response.read1(65536)
                if not chunk:
                    break
                body += chunk
                if len(body) > limit:
                    raise too_large()
    except urllib.error.HTTPError as exc:
        raise LegislationFileError([f"{parts.hostname} answered HTTP {exc.code}."]) from None
    except TimeoutError:
        raise LegislationFileError(
            [f"{parts.hostname} did not answer within {timeout:g} s."]
        ) from None
    except urllib.error.URLError as exc:
        raise LegislationFileError([f"{parts.hostname} cannot be reached: {exc.reason}."]) from None
    except OSError as exc:
        raise LegislationFileError([f"{parts.hostname} cannot be reached: {exc}."]) from None
    return bytes(body)


def _socket_of(response: Any) -> socket.socket | None:
    """The socket under an http.client response, to shorten its timeout as the
    deadline nears (None if the library hides it)."""
    raw = getattr(getattr(response, "fp", None), "raw", None)
    return getattr(raw, "_sock", None)


def parse_json(data: bytes) -> Any:
    """The document, or LegislationFileError saying where the JSON breaks."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LegislationFileError(["The file is not UTF-8 text."]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise LegislationFileError(
            [f"The file is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."]
        ) from None
