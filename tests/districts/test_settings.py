"""The geocoder's settings are read at start, and a value that cannot work stops it there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def start(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import groundswell.settings as s; print(s.GEOCODER_KIND)"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "VAR_DIR": str(tmp_path), **env},
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"GEOCODER_KIND": "arcgis"}, "GEOCODER_KIND must be census, nominatim or pelias"),
        ({"GEOCODER_URL": "geocoder.internal"}, "GEOCODER_URL must be an absolute http/https URL"),
        ({"GEOCODER_TIMEOUT": "0"}, "GEOCODER_TIMEOUT must be at least 0.1"),
    ],
)
def test_a_bad_geocoder_setting_stops_the_start(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    done = start(tmp_path, **env)
    assert done.returncode != 0
    assert message in done.stderr


def test_a_good_geocoder_setting(tmp_path: Path) -> None:
    done = start(
        tmp_path, GEOCODER_URL="https://geocoder.internal/?key=k", GEOCODER_KIND="Nominatim"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "nominatim"
