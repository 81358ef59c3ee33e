"""The import commands' report of what an import did."""

from __future__ import annotations

from groundswell.legislation.actions import Imported


def summary(result: Imported) -> str:
    kinds = sorted({*result.created, *result.updated, *result.unchanged})
    if not kinds:
        return f"{result.source}: nothing to import."
    lines = [
        f"{kind}: {result.created[kind]} new, {result.updated[kind]} updated, "
        f"{result.unchanged[kind]} unchanged"
        for kind in kinds
    ]
    if not result.changed:
        lines.append("Already up to date: nothing changed.")
    return "\n".join(lines)
