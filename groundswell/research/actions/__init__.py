"""Every change to the research desk's records goes through these functions. Each one
checks who may make it (an organizer of the owning organization) itself, so a view, a
command or the demo cannot skip the rule."""

from groundswell.research.actions.common import ResearchRefused, require_organizer

__all__ = ["ResearchRefused", "require_organizer"]
