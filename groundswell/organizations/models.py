from __future__ import annotations

import ipaddress
import re
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.organizations.sender_domains import validate_sender_address

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser as User  # whichever model accounts sets


class Role(models.TextChoices):
    """Per-organization roles, from most to least powerful."""

    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    ORGANIZER = "organizer", _("Organizer")


ROLE_RANK = {Role.OWNER: 3, Role.ADMIN: 2, Role.ORGANIZER: 1}

EMBED_ORIGINS_MAX = 20  # each one lengthens every embed response's CSP header
_ORIGIN_RE = re.compile(r"^(?P<scheme>[a-zA-Z]+)://(?P<host>[^/:?#]+)(?::(?P<port>[0-9]{1,5}))?/?$")
_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
LOCAL_HOSTS = ("localhost", "127.0.0.1")  # the only hosts allowed over plain http (testing)


def _host(host: str) -> str | None:
    """A lower-case DNS name (IDN as punycode) or IPv4 address, or None."""
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    try:
        return str(ipaddress.IPv4Address(host))
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) < 2 and host != "localhost":
        return None
    if not all(_LABEL_RE.match(label) for label in labels) or labels[-1].isdigit():
        return None
    return host


def parse_origin(value: str) -> str:
    """One website origin as a CSP source: scheme, host and optional port, nothing else.

    Strict because it goes into a response header: no path, query, wildcard or keyword.
    https only, except http for localhost and 127.0.0.1 (testing). Returns it normalized
    (lower case, no trailing slash); raises ValidationError with a message saying why.
    """
    match = None if "*" in value else _ORIGIN_RE.match(value.strip())
    if match is None:
        if "*" in value:
            reason = _("wildcards are not allowed; list each website")
        elif "://" not in value:
            reason = _("start it with https://")
        else:
            reason = _("give only https:// and the host name, without a path")
        raise ValidationError(
            _("“%(value)s” is not a website address: %(reason)s.")
            % {"value": value, "reason": reason},
            code="invalid_origin",
        )
    scheme, port = match["scheme"].lower(), match["port"]
    host = _host(match["host"])
    if host is None:
        raise ValidationError(
            _("“%(value)s” does not have a valid host name.") % {"value": value},
            code="invalid_host",
        )
    if scheme != "https" and not (scheme == "http" and host in LOCAL_HOSTS):
        raise ValidationError(
            _("“%(value)s” must start with https:// (plain http is only for localhost).")
            % {"value": value},
            code="insecure_origin",
        )
    if port is not None and not 0 < int(port) < 65536:
        raise ValidationError(
            _("“%(value)s” has an impossible port number.") % {"value": value},
            code="invalid_port",
        )
    return f"{scheme}://{host}" + (f":{port}" if port else "")


def parse_embed_origins(value: str) -> list[str]:
    """The origins in a newline- or space-separated list, normalized, without repeats."""
    origins: list[str] = []
    errors: list[ValidationError] = []
    for token in value.split():
        try:
            origin = parse_origin(token)
        except ValidationError as error:
            errors.append(error)
            continue
        if origin not in origins:
            origins.append(origin)
    if errors:
        raise ValidationError(errors)
    if len(origins) > EMBED_ORIGINS_MAX:
        raise ValidationError(
            _("List at most %(max)s websites.") % {"max": EMBED_ORIGINS_MAX}, code="too_many"
        )
    return origins


def validate_embed_origins(value: str) -> None:
    parse_embed_origins(value)


# Words that other routes use right after a prefix an organization's slug also follows
# (/volunteer/confirm/<token>/ beside /volunteer/<org>/<campaign>/).
RESERVED_SLUGS = frozenset({"confirm", "new", "thanks", "verify"})


def not_reserved(value: str) -> None:
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(value)s” is used by the site itself; choose another short name."),
            params={"value": value},
        )


class Organization(models.Model):
    """A community organization; a coalition is one whose members are organizations."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short name for links"), max_length=80, unique=True, validators=[not_reserved]
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    email = models.EmailField(
        _("contact email"), blank=True, help_text=_("Where milestone notices are sent.")
    )
    sender_name = models.CharField(
        _("name on your emails"),
        max_length=100,
        blank=True,
        help_text=_(
            "Leave empty to use your organization's name followed by “via” and this site's name."
        ),
    )
    sender_address = models.EmailField(
        _("address your emails come from"),
        blank=True,
        validators=[validate_sender_address],
        help_text=_(
            "Only on a domain this server's operator has set up for sending; leave empty to "
            "send from the platform's address with your organization's name."
        ),
    )
    reply_to = models.EmailField(
        _("Reply-To address"),
        blank=True,
        help_text=_("Where supporters' replies to your emails go."),
    )
    is_coalition = models.BooleanField(_("coalition"), default=False)
    require_two_factor = models.BooleanField(
        _("require two-factor authentication"),
        default=False,
        help_text=_(
            "Everyone on the staff must use an authenticator app to log in before they can "
            "open this organization's pages in Manage."
        ),
    )
    members: models.ManyToManyField[Organization, CoalitionMember] = models.ManyToManyField(
        "self",
        through="CoalitionMember",
        through_fields=("coalition", "organization"),
        symmetrical=False,
        related_name="coalitions",
        blank=True,
    )
    embed_origins = models.TextField(
        _("websites that may embed your petitions"),
        blank=True,
        validators=[validate_embed_origins],
        help_text=_(
            "One address per line, like https://www.example.org: the websites allowed to "
            "show your petitions' sign forms. Leave empty to allow none."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:detail", args=[self.slug])

    def role_of(self, user: User) -> str | None:
        if not user.is_authenticated:
            return None
        membership = self.memberships.filter(user_id=user.pk).first()
        return membership.role if membership else None

    @property
    def embed_origin_list(self) -> list[str]:
        """The websites allowed to frame this organization's embeds, as CSP sources.

        Rechecked on each read, so a value saved around the form (a script, the shell)
        can never put anything else into a response header."""
        origins = []
        for token in self.embed_origins.split():
            try:
                origins.append(parse_origin(token))
            except ValidationError:
                continue
        return origins[:EMBED_ORIGINS_MAX]

    def notice_recipients(self) -> list[str]:
        """The organization's contact address, else its owners' addresses."""
        if self.email:
            return [self.email]
        return list(self.memberships.filter(role=Role.OWNER).values_list("user__email", flat=True))

    def still_reaches(self, address: str, *, user_id: int | None = None) -> bool:
        """Whether an email about its supporters may go to this recipient now: asked when
        it is sent, not when it was queued (someone removed from the staff meanwhile gets
        nothing). A staff member (`user_id`) while they are one, at their address; else
        one of its notice recipients."""
        if user_id is not None:
            return self.memberships.filter(
                user_id=user_id, user__email__iexact=address, user__is_active=True
            ).exists()
        return address in self.notice_recipients()

    def answerers(self) -> models.QuerySet[Membership]:
        """The staff who answer another organization's invitation for it (to co-sponsor a
        petition, to join a coalition): its owners and admins."""
        return self.memberships.filter(role__in=[Role.OWNER, Role.ADMIN]).select_related("user")


class CoalitionMember(models.Model):
    coalition = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="member_links"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="coalition_links"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "organization"], name="coalition_member_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(coalition=models.F("organization")), name="coalition_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} in {self.coalition}"


class InvitationState(models.TextChoices):
    """Where an invitation from one organization to another stands."""

    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class InvitationQuerySet(models.QuerySet[Any]):
    def pending(self) -> InvitationQuerySet:
        """Invitations still waiting for the invited organization's answer."""
        return self.filter(state=InvitationState.PENDING)

    def addressed_to(self, organization: Organization) -> InvitationQuerySet:
        return self.filter(organization=organization)


class OrganizationInvitation(models.Model):
    """An invitation from one organization to another, which an owner or admin of the
    invited organization accepts or declines. Until it accepts, nothing of it is shown
    or shared: naming an organization is asking it, never speaking for it."""

    state = models.CharField(
        _("state"), max_length=10, choices=InvitationState.choices, default=InvitationState.PENDING
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("invited on"), default=timezone.now)
    # When it stopped waiting, and who decided: accepted or declined by the invited
    # organization, or withdrawn by the one that invited it.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    # Each kind of invitation names the invited organization in its own field (its own
    # reverse name); for the type checker, every one has it.
    organization_id: int

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def is_pending(self) -> bool:
        return self.state == InvitationState.PENDING


class CoalitionInvitation(OrganizationInvitation):
    """A coalition's invitation to an organization to become a member; it is a member
    (CoalitionMember) only once it accepts."""

    coalition = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="coalition_invitations_sent"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="coalition_invitations"
    )

    class Meta(OrganizationInvitation.Meta):
        verbose_name = _("invitation to join a coalition")
        verbose_name_plural = _("invitations to join a coalition")
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "organization"],
                condition=models.Q(state="pending"),
                name="coalition_invitation_pending_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} to {self.coalition}"


class Membership(models.Model):
    """A user's role in an organization."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.ORGANIZER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_once"),
        ]
        ordering = ["organization__name", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) at {self.organization}"

    def has_role(self, minimum: str) -> bool:
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(minimum)]


class Invitation(models.Model):
    """An emailed invitation to join an organization's staff with a role."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.ORGANIZER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} to {self.organization}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None
