"""Background work for canvassing: building a universe (from supporters or from an
uploaded address list) talks to the geocoder."""

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


@task()
def locate_address_list(upload_id: int) -> None:
    """Locate an uploaded address list's rows and add them (addresslist.locate_address_list)."""
    from groundswell.canvass import addresslist

    addresslist.locate_address_list(upload_id)
