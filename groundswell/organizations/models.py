from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from groundswell.accounts.models import User


class Role(models.TextChoices):
    """Per-organization roles, from most to least powerful."""

    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    ORGANIZER = "organizer", _("Organizer")


ROLE_RANK = {Role.OWNER: 3, Role.ADMIN: 2, Role.ORGANIZER: 1}


class Organization(models.Model):
    """A community organization; a coalition is one whose members are organizations."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name for links"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    email = models.EmailField(
        _("contact email"), blank=True, help_text=_("Where milestone notices are sent.")
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
        membership = self.memberships.filter(user=user).first()
        return membership.role if membership else None

    def notice_recipients(self) -> list[str]:
        """The organization's contact address, else its owners' addresses."""
        if self.email:
            return [self.email]
        return list(self.memberships.filter(role=Role.OWNER).values_list("user__email", flat=True))


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
