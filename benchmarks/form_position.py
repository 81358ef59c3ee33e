"""Where the sign form sits on a phone: its distance from the top of the seed petitions.

    .venv/bin/python benchmarks/form_position.py [--fresh]
    make bench-form-position

On 127.0.0.1 only: a SQLite database under var/bench-form-position/, migrated and loaded
with `manage.py load_demo` (kept between runs; --fresh starts over), served by
`manage.py serve`. Debian's chromium (through Playwright) opens each seed petition at
360 x 800, in English and in Spanish, and prints, in CSS pixels: the page's height, the
top of the sign form, the top of the first control that leads to it (the form itself,
or a "Sign" button above it), and whether that control is on the first screen (< 800).

Exit 0 when it ran, 2 when it could not (no chromium).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "var" / "bench-form-position"
SEEDS = (
    ("000", "reject-police-union-white-supremacist-ties"),
    ("001", "defy-trump-defend-chicago-expand-sanctuary"),
)
WIDTH, HEIGHT = 360, 800


def manage(env: dict[str, str], *argv: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *argv],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"manage.py {argv[0]} failed:\n{result.stdout}{result.stderr}")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None:
            raise SystemExit(f"the app server exited; see {WORK / 'app.log'}")
        time.sleep(0.2)
    raise SystemExit(f"the app server did not answer {url}")


# The top of the form, and of the first thing that leads to it: the form itself, or a
# link to #sign (the sticky button) if one shows higher up.
MEASURE = """() => {
  const form = document.querySelector('form[action$="/sign"]');
  const top = (el) => el ? Math.round(el.getBoundingClientRect().top + window.scrollY) : null;
  const button = document.querySelector('a[href="#sign"]');
  const shown = button && button.getBoundingClientRect().height > 0;
  const lead = shown ? Math.min(top(form), top(button)) : top(form);
  return {height: document.documentElement.scrollHeight, form: top(form), lead: lead};
}"""


def measure(base: str, shots: Path | None) -> list[tuple[str, str, dict[str, int]]]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--headless=new", "--no-sandbox", "--disable-gpu"]
        )
        for locale in ("en-US", "es"):
            context = browser.new_context(
                locale=locale,
                viewport={"width": WIDTH, "height": HEIGHT},
                extra_http_headers={"Accept-Language": locale},
            )
            page = context.new_page()
            for seed, slug in SEEDS:
                page.goto(f"{base}/petitions/{slug}/")
                rows.append((seed, locale, page.evaluate(MEASURE)))
                if shots:
                    page.screenshot(path=shots / f"petition-{seed}-{locale}.png", full_page=True)
            if shots:
                for name, path in (
                    ("home", "/"),
                    ("list", "/petitions/"),
                    ("list-search", "/petitions/?q=police"),
                    ("thanks", f"/petitions/{SEEDS[1][1]}/thanks"),
                ):
                    page.goto(f"{base}{path}")
                    page.screenshot(path=shots / f"{name}-{locale}.png", full_page=True)
                for seed, slug in SEEDS:
                    address = f"{base}/petitions/{slug}/share.png?lang={locale[:2]}"
                    picture = page.request.get(address)
                    (shots / f"share-{seed}-{locale}.png").write_bytes(picture.body())
            context.close()
        browser.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fresh", action="store_true", help="load the demo again")
    parser.add_argument("--shots", type=Path, help="save full-page screenshots in this folder")
    args = parser.parse_args()
    if not os.path.exists(shutil.which("chromium") or "/usr/bin/chromium"):
        print("Debian's chromium is not installed (apt-get install chromium)")
        return 2
    if args.fresh:
        shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        {
            "VAR_DIR": str(WORK),
            "DATABASE_URL": f"sqlite:///{WORK / 'db.sqlite3'}",
            "EMAIL_URL": f"file:{WORK / 'mail'}",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "false",
            "BASE_URL": base,
            "WEB_BIND": f"127.0.0.1:{port}",
            "WEB_WORKERS": "1",
            "GROUNDSWELL_TESTING": "0",
        }
    )
    loaded = WORK / "loaded"
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    if not loaded.exists():
        manage(env, "load_demo")
        loaded.touch()
    with (WORK / "app.log").open("wb") as log:
        app = subprocess.Popen(
            [sys.executable, "manage.py", "serve"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_ready(f"{base}/healthz/app", app)
            if args.shots:
                args.shots.mkdir(parents=True, exist_ok=True)
            rows = measure(base, args.shots)
        finally:
            os.killpg(app.pid, signal.SIGTERM)
            try:
                app.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(app.pid, signal.SIGKILL)
    print(f"Sign form on a {WIDTH} x {HEIGHT} screen (CSS px from the top of the page)")
    print(f"{'seed':<5} {'lang':<6} {'page':>6} {'form':>6} {'lead':>6}  first screen")
    for seed, locale, m in rows:
        first = "yes" if m["lead"] is not None and m["lead"] < HEIGHT else "no"
        print(f"{seed:<5} {locale:<6} {m['height']:>6} {m['form']:>6} {m['lead']:>6}  {first}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
