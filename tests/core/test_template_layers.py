"""Templates keep the layering that imports keep: a lower app's templates name no page,
template, or tag library of a higher app (they read registries instead)."""

from __future__ import annotations

import re
from pathlib import Path

from django.template import engines
from django.urls import get_resolver

ROOT = Path(__file__).resolve().parents[2] / "groundswell"

# The floors `farm-studio look` draws (lowest first); apps on one floor may use each other.
FLOOR = {
    "core": 2,
    "organizations": 3,
    "districts": 3,
    "accounts": 4,
    "people": 5,
    "legislation": 5,
    "campaigns": 6,
    "cases": 6,
    "petitions": 7,
    "research": 7,
    "events": 7,
    "volunteers": 7,
    "api": 8,
    "front": 8,
    "outreach": 8,
    "mailings": 8,
    "canvass": 8,
    "texts": 8,
    "webhooks": 9,
    "ladders": 10,
}

URL = re.compile(r"\{%\s*url\s+['\"]([a-z_]+):")
TEMPLATE = re.compile(r"\{%\s*(?:include|extends)\s+['\"]([a-z_]+)/")
LOAD = re.compile(r"\{%\s*load\s+([^%]+)%\}")


def _app_of_module(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "groundswell" and len(parts) > 1 else None


def _namespaces() -> dict[str, str]:
    found = {}
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        conf = resolver.urlconf_name
        module = conf if isinstance(conf, str) else getattr(conf, "__name__", "")
        app = _app_of_module(module)
        if app:
            found[namespace] = app
    return found


def _libraries() -> dict[str, str]:
    found = {}
    for name, module in engines["django"].engine.libraries.items():  # type: ignore[attr-defined]
        app = _app_of_module(module)
        if app:
            found[name] = app
    return found


def _references(text: str, namespaces: dict[str, str], libraries: dict[str, str]) -> set[str]:
    apps = {namespaces.get(ns, "") for ns in URL.findall(text)}
    apps |= {name for name in TEMPLATE.findall(text) if name in FLOOR}
    for loaded in LOAD.findall(text):
        words = loaded.split()
        if "from" in words:
            words = words[words.index("from") + 1 :]
        apps |= {libraries.get(word, "") for word in words}
    return apps - {""}


def test_the_floors_name_every_app_with_templates() -> None:
    with_templates = {path.parent.name for path in ROOT.glob("*/templates")}
    assert with_templates <= set(FLOOR), with_templates - set(FLOOR)


def test_no_template_reaches_up_to_a_higher_app() -> None:
    namespaces, libraries = _namespaces(), _libraries()
    assert namespaces["petitions_manage"] == "petitions"  # the reading itself works
    assert libraries["campaigns"] == "campaigns"
    upward = []
    for template in ROOT.glob("*/templates/**/*.html"):
        app = template.relative_to(ROOT).parts[0]
        for used in _references(template.read_text("utf-8"), namespaces, libraries):
            if FLOOR.get(used, 0) > FLOOR[app]:
                upward.append(f"{template.relative_to(ROOT)} uses {used}")
    assert not upward, "\n".join(sorted(upward))


def test_the_check_sees_an_upward_reference() -> None:
    namespaces, libraries = _namespaces(), _libraries()
    text = (
        "{% load i18n campaigns %}{% url 'petitions:list' %}"
        '{% include "volunteers/_organization_signup.html" %}'
    )
    assert _references(text, namespaces, libraries) == {"campaigns", "petitions", "volunteers"}
