"""Load the demo: the seed pages' organizations and petitions, with six weeks of signatures.

    python manage.py load_demo

Safe to run again: organizations and petitions are matched by slug, accounts by email and
signatures by email, so a second run adds nothing. It ends by printing where to sign in;
every demo account shares one password, kept in var/demo_password.
"""

from __future__ import annotations

import colorsys
import hashlib
import io
import os
import secrets
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from groundswell.accounts.models import User
from groundswell.canvass import demo as canvass_demo
from groundswell.cases import demo as cases_demo
from groundswell.core import outbox
from groundswell.front import demo, demo_wards
from groundswell.front.demo_campaigns import load_campaigns
from groundswell.front.demo_signers import Signer, plan_signatures, signer_pool
from groundswell.organizations import actions as organization_actions
from groundswell.organizations.models import (
    CoalitionInvitation,
    CoalitionMember,
    Membership,
    Organization,
    Role,
)
from groundswell.outreach import demo as outreach_demo
from groundswell.people.addresses import normalize_email
from groundswell.petitions import actions, counts
from groundswell.petitions.models import Petition, PetitionCount, SignatureState, Status
from groundswell.research import demo as research_demo

PASSWORD_FILE = "demo_password"  # noqa: S105 (a file name)
LOGO_SIZE = 240
BATCH = 1000


class Command(BaseCommand):
    help = "Load demo organizations, petitions and signatures from the seed pages (re-runnable)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        since = timezone.now()
        password = demo_password(Path(settings.VAR_DIR))
        with transaction.atomic():
            organizations = load_organizations()
            logins, admin = load_accounts(organizations, password)
            owners = {membership.organization.slug: user for membership, user in logins}
            staff = {membership.organization.slug: membership for membership, _user in logins}
            load_coalitions(organizations, staff)
            petitions: list[Petition] = []
            added = 0
            pool = signer_pool(max(p.signers_from + p.verified + p.pending for p in demo.PETITIONS))
            for spec in demo.PETITIONS:
                petition = load_petition(spec, organizations, staff)
                added += load_signatures(petition, spec, pool)
                load_updates(petition, spec, owners[spec.owner])
                petitions.append(petition)
            load_campaigns(organizations, owners)
            load_volunteers(organizations["chicago-alliance"], owners["chicago-alliance"])
            load_events(organizations, owners)
            outreach_demo.load()  # the "tell your alderperson" action (and the Council)
            cases_demo.load()  # the Alliance's case types and a few fictional cases
        # Outside the transaction above: a recount takes its own snapshot on PostgreSQL.
        for petition in petitions:
            counts.recount(petition)
            date_milestones(petition)
        # The Council, the demands on its matters, and the signers placed in their wards
        # by the worker's routine (outside any transaction: it may geocode).
        demo_wards.load(petitions)
        research_demo.load()  # a synthetic contract, complaints and receipts (the Council's)
        # Action Now's canvass on the West and South Sides (needs the ward map).
        canvass_demo.load()
        # The actions above queue the emails they would in real life (invitations, a
        # milestone, volunteers' confirmations); the demo's made-up people and
        # organizations are never emailed, so none is left for a worker to send.
        outbox.skip_queued_since(since, "demo data")
        self.report(petitions, logins, admin, password, added, time.monotonic() - started)

    def report(
        self,
        petitions: list[Petition],
        logins: list[tuple[Membership, User]],
        admin: User,
        password: str,
        added: int,
        seconds: float,
    ) -> None:
        base = settings.BASE_URL
        write = self.stdout.write
        news = f"{added:,} new signatures" if added else "nothing new to add"
        write(self.style.SUCCESS(f"Demo data loaded in {seconds:.1f} s ({news})."))
        write("")
        write(f"Groundswell: {base}/")
        write("")
        write("Petitions:")
        for petition in petitions:
            count = PetitionCount.objects.get(petition=petition)
            write(f"  {petition.title}")
            write(
                f"    {base}{petition.get_absolute_url()}  "
                f"({count.verified:,} verified, {count.pending:,} waiting for confirmation)"
            )
        write("")
        write(f"Organizer logins (each owns its organization; sign in at {base}/manage/):")
        for membership, user in logins:
            write(f"  {membership.organization.name}: {user.email} / {password}")
        write("")
        write(f"Operator login (Django admin at {base}/admin/):")
        write(f"  {admin.email} / {password}")
        write("")
        write(f"The password is kept in {Path(settings.VAR_DIR) / PASSWORD_FILE}.")


def demo_password(var_dir: Path) -> str:
    """The demo accounts' password: generated on the first run, then read back."""
    path = var_dir / PASSWORD_FILE
    if path.exists() and path.read_text().strip():
        return path.read_text().strip()
    password = secrets.token_urlsafe(12)
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(password + "\n")
    return password


# --- Organizations and accounts ------------------------------------------------------------


def load_organizations() -> dict[str, Organization]:
    organizations = {}
    for spec in demo.ORGANIZATIONS:
        organization, _ = Organization.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "description": spec.description,
                "is_coalition": spec.is_coalition,
            },
        )
        ensure_logo(organization, spec)
        organizations[spec.slug] = organization
    return organizations


def load_coalitions(organizations: dict[str, Organization], staff: dict[str, Membership]) -> None:
    """Each coalition invites its members and each member's owner accepts, through the
    actions the manage pages use: no organization joins without saying yes."""
    for spec in demo.ORGANIZATIONS:
        coalition = organizations[spec.slug]
        for slug in spec.members:
            member = organizations[slug]
            if CoalitionMember.objects.filter(coalition=coalition, organization=member).exists():
                continue
            invitation = CoalitionInvitation.objects.pending().filter(
                coalition=coalition, organization=member
            ).first() or organization_actions.invite_to_coalition(staff[spec.slug], member)
            organization_actions.accept_coalition_invitation(staff[slug], invitation)


def ensure_logo(organization: Organization, spec: demo.DemoOrganization) -> None:
    """Draw a logo (initials on the organization's color) unless it has one."""
    if organization.logo and default_storage.exists(organization.logo.name):
        return
    name = f"logos/{organization.slug}.png"
    if default_storage.exists(name):
        organization.logo.name = name  # drawn by an earlier run
        organization.save(update_fields=["logo"])
    else:
        organization.logo.save(
            f"{organization.slug}.png", ContentFile(logo_png(spec.initials, logo_color(spec.slug)))
        )


def logo_color(slug: str) -> str:
    """A dark color of its own for each organization: white initials read well on it."""
    hue = int(hashlib.sha256(slug.encode()).hexdigest()[:4], 16) / 0xFFFF
    red, green, blue = colorsys.hls_to_rgb(hue, 0.33, 0.6)
    return f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"


def logo_png(initials: str, color: str) -> bytes:
    image = Image.new("RGB", (LOGO_SIZE, LOGO_SIZE), color)
    draw = ImageDraw.Draw(image)
    size = 120
    font = ImageFont.load_default(size=size)
    while draw.textlength(initials, font=font) > LOGO_SIZE * 0.8 and size > 20:
        size -= 6
        font = ImageFont.load_default(size=size)
    draw.text((LOGO_SIZE / 2, LOGO_SIZE / 2), initials, fill="white", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def load_accounts(
    organizations: dict[str, Organization], password: str
) -> tuple[list[tuple[Membership, User]], User]:
    """One owner per organization, and an operator for /admin/, all with `password`."""
    hashed = make_password(password)  # hashed once: hashing is slow on purpose
    logins = []
    for spec in demo.ORGANIZATIONS:
        user = upsert_user(
            f"{spec.organizer}@{spec.slug}.example", hashed, first_name=spec.organizer.title()
        )
        membership, _ = Membership.objects.update_or_create(
            user=user, organization=organizations[spec.slug], defaults={"role": Role.OWNER}
        )
        logins.append((membership, user))
    admin = upsert_user(demo.ADMIN_EMAIL, hashed, is_staff=True, is_superuser=True)
    return logins, admin


def upsert_user(email: str, hashed_password: str, **fields: Any) -> User:
    user = User.objects.filter(email=email).first() or User(email=email)
    for name, value in fields.items():
        setattr(user, name, value)
    user.password = hashed_password
    user.is_active = True
    user.save()
    return user


# --- Petitions -----------------------------------------------------------------------------


def load_petition(
    spec: demo.DemoPetition, organizations: dict[str, Organization], staff: dict[str, Membership]
) -> Petition:
    """Create the petition, or bring an earlier run's back to the seed texts, with its
    co-sponsors invited and accepting (each by its owner); publish it."""
    owner = organizations[spec.owner]
    author = staff[spec.owner].user
    sponsors = [organizations[slug] for slug in spec.sponsors]
    targets = [dict(target) for target in spec.targets]
    texts = {
        "title": spec.title,
        "ask": spec.ask,
        "why": spec.why,
        "title_es": spec.title_es,
        "ask_es": spec.ask_es,
        "why_es": spec.why_es,
    }
    petition = Petition.objects.filter(slug=spec.slug).first()
    if petition is None:
        published_at = timezone.now() - timedelta(days=spec.days_open)
        petition = actions.create_petition(
            owner=owner,
            created_by=author,
            targets=targets,
            sponsors=sponsors,
            slug=spec.slug,
            published_at=published_at,
            **texts,
        )
        Petition.objects.filter(pk=petition.pk).update(
            created_at=published_at - timedelta(hours=20)
        )
    else:
        actions.update_petition(
            petition, targets=targets, sponsors=sponsors, by=author, owner=owner, **texts
        )
    for invitation in petition.sponsor_invitations.pending().select_related("organization"):
        actions.accept_sponsorship(staff[invitation.organization.slug], invitation)
    if petition.status == Status.DRAFT:
        actions.publish(petition)
    return petition


def load_updates(petition: Petition, spec: demo.DemoPetition, author: User) -> None:
    for update in spec.updates:
        fields = {
            "title": update.title,
            "body": update.body,
            "title_es": update.title_es,
            "body_es": update.body_es,
        }
        if existing := petition.updates.filter(title=update.title).first():
            for name, value in fields.items():
                setattr(existing, name, value)
            existing.save()
            continue
        published_at = petition.published_at or timezone.now()
        actions.post_update(
            petition,
            author=author,
            email_signers=False,
            created_at=min(timezone.now(), published_at + timedelta(days=update.day)),
            **fields,
        )


def date_milestones(petition: Petition) -> None:
    """Date each milestone when its signature was confirmed, not when the demo was loaded."""
    if petition.counts_unverified:
        return
    for milestone in petition.milestones.all():
        crossing = (
            petition.signatures.filter(state=SignatureState.VERIFIED)
            .order_by("verified_at", "pk")
            .values_list("verified_at", flat=True)[milestone.threshold - 1 : milestone.threshold]
        )
        when = next(iter(crossing), None)
        if when is not None and when < milestone.reached_at:
            milestone.reached_at = when
            milestone.save(update_fields=["reached_at"])


# --- Signers and signatures ----------------------------------------------------------------


def load_signatures(petition: Petition, spec: demo.DemoPetition, pool: list[Signer]) -> int:
    """Add the planned signatures the petition does not have yet, through the bulk
    action (the same outcome as signing and confirming); returns how many."""
    return actions.record_signatures(
        petition,
        [
            actions.SignatureRecord(
                first_name=p.signer.first_name,
                last_name=p.signer.last_name,
                email=p.signer.email,
                zip_code=p.signer.zip_code,
                created_at=p.created_at,
                verified_at=p.verified_at,
                consents=p.consents,
                public=p.public,
                source=p.source,
                language=p.signer.language,
            )
            for p in plan_signatures(petition, spec, pool)
        ],
    )


# --- Volunteers ----------------------------------------------------------------------------

# The Chicago Alliance's volunteer form (seed 002: "We need volunteers like you to help
# us with activities to support our campaigns. Volunteer here »"), its interests in the
# seed's own words: rallies and demonstrations, union halls, legislative hearings,
# prisoners and their families, emergency medical cases, torture survivors.
ALLIANCE_INTERESTS = (
    ("Rallies and demonstrations", "Manifestaciones y marchas"),
    ("Speaking at union halls", "Hablar en locales sindicales"),
    ("Testifying at legislative hearings", "Testificar en audiencias legislativas"),
    ("Supporting prisoners and their families", "Apoyo a presos y sus familias"),
    ("Prison medical emergencies", "Emergencias médicas en prisiones"),
    ("Supporting police torture survivors", "Apoyo a sobrevivientes de tortura policial"),
)
ALLIANCE_VOLUNTEERS = (
    # first, last, interests (indexes), languages, ward, neighborhood, stage, days ago
    ("Lena", "Okafor", (0, 1), ["en"], 20, "Woodlawn", "new", 5),
    ("Marisol", "Vega", (0, 3), ["en", "es"], 25, "Pilsen", "new", 1),
    ("Tariq", "Haddad", (2,), ["en", "ar"], 49, "Rogers Park", "contacted", 9),
    ("Denise", "Carter", (3, 4, 5), ["en"], 6, "Chatham", "active", 30),
    ("Walt", "Kowalski", (1,), ["en", "pl"], 38, "Portage Park", "inactive", 60),
)


def load_volunteers(organization: Organization, organizer: User) -> None:
    """The Alliance's volunteer form and interests, and a few volunteers in its pipeline,
    each through the same sign-up and confirmation a person goes through."""
    from groundswell.volunteers import actions as volunteer_actions
    from groundswell.volunteers.models import Volunteer

    volunteer_actions.save_form_settings(
        organization,
        intro="We need volunteers like you to help us with activities to support our "
        "campaigns. Tell us what you would like to do.",
        intro_es="Necesitamos voluntarios como usted para ayudarnos con actividades en apoyo "
        "de nuestras campañas. Díganos qué le gustaría hacer.",
    )
    interests = [
        volunteer_actions.add_interest(organization, name, name_es)
        for name, name_es in ALLIANCE_INTERESTS
    ]
    for first, last, chosen, languages, ward, neighborhood, stage, days in ALLIANCE_VOLUNTEERS:
        email = f"{first}.{last}@volunteers.example".lower()
        if Volunteer.objects.filter(organization=organization, email=email).exists():
            continue
        signup = volunteer_actions.record_signup(
            organization,
            campaign=None,
            interests=[interests[i] for i in chosen],
            email_normalized=normalize_email(email),
            consent=True,
            language="es" if "es" in languages else "en",
            ip_address=None,
            first_name=first,
            last_name=last,
            email=email,
            languages=languages,
            availability=["evenings", "weekends"],
            neighborhood=neighborhood,
            ward=ward,
        )
        result = volunteer_actions.confirm_signup(volunteer_actions.confirmation_token(signup))
        volunteer = result.signup.volunteer if result.signup else None
        if volunteer is None:
            continue
        if stage != "new":
            volunteer_actions.assign(volunteer, organizer, by=organizer)
            volunteer_actions.move_stage(volunteer, stage, by=organizer)
        then = timezone.now() - timedelta(days=days)
        Volunteer.objects.filter(pk=volunteer.pk).update(signed_up_at=then, stage_changed_at=then)


# The kinds of event the seed pages name: meetings with district police commanders, roll
# calls and smoke-outs (seed 003), testimony at legislative hearings (seed 002). Dates are
# set from today so the calendar always has something ahead; places stay general.
DEMO_EVENTS = [
    {
        "owner": "action-now",
        "title": "Meeting with our district's Police Commander",
        "description": "We set up meetings with the Police Commanders in our district to "
        "work together on new ways of addressing violence and crime in our communities. "
        "Come with your questions.",
        "neighborhood": "Englewood",
        "days_ahead": 9,
        "hour": 18,
        "capacity": 40,
    },
    {
        "owner": "action-now",
        "title": "Roll call and smoke-out",
        "description": "Neighbors out together on the block: a roll call, then a smoke-out "
        "to take back the corner.",
        "neighborhood": "Austin",
        "days_ahead": 16,
        "hour": 17,
        "capacity": None,
    },
    {
        "owner": "chicago-alliance",
        "title": "Testify with us at the legislative committee hearing",
        "description": "We have testified and will testify before State Legislative "
        "Committee hearings. Prepare your testimony with us the evening before.",
        "neighborhood": "Loop",
        "days_ahead": 23,
        "hour": 10,
        "capacity": 25,
    },
]


def load_events(organizations: dict[str, Organization], owners: dict[str, User]) -> None:
    """A few upcoming public events, through the events app's own action (no RSVPs:
    the demo's made-up people are never emailed)."""
    import datetime

    from django.utils import timezone

    from groundswell.events import actions as event_actions
    from groundswell.events.models import Event

    today = timezone.localdate()
    for spec in DEMO_EVENTS:
        owner = organizations[str(spec["owner"])]
        if Event.objects.filter(owner=owner, title=spec["title"]).exists():
            continue
        day = today + datetime.timedelta(days=int(str(spec["days_ahead"])))
        starts = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(int(str(spec["hour"]))))
        )
        capacity = spec["capacity"]
        event_actions.create_event(
            owner=owner,
            created_by=owners[owner.slug],
            shifts=[
                {
                    "starts_at": starts,
                    "ends_at": starts + datetime.timedelta(hours=2),
                    "capacity": capacity,
                }
            ],
            title=spec["title"],
            description=spec["description"],
            neighborhood=spec["neighborhood"],
        )
