"""A person's timeline as one organization may see it: stored activities plus the
entries that higher apps' providers (people.registry) read from their own tables."""

from __future__ import annotations

from django.utils.translation import gettext as _

from groundswell.organizations.models import Organization
from groundswell.people import registry
from groundswell.people.models import Activity, Channel, Person


def _summary(activity: Activity) -> str:
    """Consent entries store the channel's code; people read its name."""
    if activity.summary in Channel.values:
        return str(Channel(activity.summary).label)
    return activity.summary


def timeline(person: Person, organization: Organization, limit: int = 200) -> list[registry.Entry]:
    """Newest first: what happened with the person that this organization may see."""
    entries = [
        registry.Entry(
            at=activity.occurred_at,
            kind=activity.kind,
            label=activity.get_kind_display(),
            summary=_summary(activity),
            source=activity.source,
        )
        for activity in Activity.objects.filter(person=person, organization=organization)[:limit]
    ]
    for provider in registry.providers():
        entries.extend(provider.timeline(person, organization))
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]


def empty_message() -> str:
    return _("Nothing recorded yet.")
