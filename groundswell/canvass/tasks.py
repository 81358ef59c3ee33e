"""Background work for canvassing: building a universe talks to the geocoder."""

from __future__ import annotations

from django_tasks import task


@task()
def build_universe(canvass_id: int) -> None:
    """Add the organization's located supporters to the canvass (actions.build_universe)."""
    from groundswell.canvass import actions
    from groundswell.canvass.models import Canvass

    canvass = Canvass.objects.filter(pk=canvass_id).first()
    if canvass is not None:
        actions.build_universe(canvass)
