"""The demo's “Tell your alderperson” action: the ECPS coalition asks supporters to ask
their alderperson to co-sponsor the Empowering Communities for Public Safety ordinance.

`load()` is what the demo loader calls (after the organizations and campaigns exist);
running it again adds nothing. It loads the demo Council first (legislation.demo, itself
idempotent): the ward offices the action writes to. Their holders are placeholders
without contact details, and the page says so.
"""

from __future__ import annotations

from groundswell.campaigns.models import Campaign
from groundswell.legislation import demo as legislation_demo
from groundswell.organizations.models import Organization
from groundswell.outreach import actions
from groundswell.outreach.models import OutreachAction, TargetKind

SLUG = "ecps-tell-your-alderperson"
OWNER = "ecps-coalition"
CAMPAIGN = "ecps-ordinance"

INTRO = (
    "The Empowering Communities for Public Safety (ECPS) ordinance has been introduced to "
    "the Chicago City Council and is waiting for a vote. It needs the support of the "
    "Mayor and aldermen. Find your alderperson and ask them to co-sponsor it."
)
SUBJECT = "Please co-sponsor the ECPS ordinance"
MESSAGE = (
    "Dear Alderperson,\n\n"
    "I live in your ward and I ask you to co-sponsor the Empowering Communities for "
    "Public Safety (ECPS) ordinance. It gives Chicago communities a powerful voice in "
    "determining what policing looks like.\n\n"
    "Please let me know where you stand.\n\n"
    "Thank you."
)
CALL_SCRIPT = (
    "Hello, my name is [your name] and I live in the ward at [your street].\n\n"
    "I am calling to ask the alderperson to co-sponsor the Empowering Communities for "
    "Public Safety (ECPS) ordinance.\n\n"
    "Can you tell me where the alderperson stands on it? Thank you."
)


def load() -> OutreachAction | None:
    """The demo action (made once), or None when its coalition is not in the demo."""
    owner = Organization.objects.filter(slug=OWNER).first()
    if owner is None:
        return None
    found = OutreachAction.objects.filter(slug=SLUG).first()
    if found is not None:
        return found
    loaded = legislation_demo.load()
    matter = next((m for m in loaded.matters if m.slug == legislation_demo.ECPS.slug), None)
    return actions.create_action(
        owner=owner,
        created_by=None,
        slug=SLUG,
        title="Tell your alderperson: co-sponsor the ECPS ordinance",
        intro=INTRO,
        subject=SUBJECT,
        message=MESSAGE,
        target=TargetKind.WARD,
        by_email=True,
        by_call=True,
        call_script=CALL_SCRIPT,
        matter=matter,
        campaign=Campaign.objects.filter(slug=CAMPAIGN).first(),
        published=True,
    )
