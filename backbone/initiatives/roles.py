"""The roles a person holds in an initiative (PRODUCT.md §1)."""

from django.db import models
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy


class Role(models.TextChoices):
    BACKBONE_STAFF = "backbone_staff", gettext_lazy("Backbone staff")
    PARTNER_STEWARD = "partner_steward", gettext_lazy("Partner steward")
    PARTNER_MEMBER = "partner_member", gettext_lazy("Partner member")
    COMMUNITY_MEMBER = "community_member", gettext_lazy("Community member")
    FUNDER = "funder", gettext_lazy("Funder")
    EVALUATOR = "evaluator", gettext_lazy("Evaluator")
    DATA_STEWARD = "data_steward", gettext_lazy("Data steward (approves reported values)")


#: Roles that act for an organisation and so must name one.
#: Roles named in the plural, where a form asks for people by role ("Ask these roles: …").
PLURALS = {
    Role.PARTNER_STEWARD: gettext_lazy("Partner stewards"),
    Role.PARTNER_MEMBER: gettext_lazy("Partner members"),
    Role.COMMUNITY_MEMBER: gettext_lazy("Community members"),
}

ORGANISATION_ROLES = frozenset({Role.PARTNER_STEWARD, Role.PARTNER_MEMBER})
#: Roles that may name the organisation a person acts for, without having to: a funder's
#: organisation lets it see its own grants.
MAY_NAME_ORGANISATION = ORGANISATION_ROLES | {Role.FUNDER}


class Sector(models.TextChoices):
    GOVERNMENT = "government", pgettext_lazy("sector", "Government")
    NONPROFIT = "nonprofit", pgettext_lazy("sector", "Non-profit")
    BUSINESS = "business", pgettext_lazy("sector", "Business")
    PHILANTHROPY = "philanthropy", pgettext_lazy("sector", "Philanthropy")
    EDUCATION = "education", pgettext_lazy("sector", "Education")
    HEALTH = "health", pgettext_lazy("sector", "Health")
    FAITH = "faith", pgettext_lazy("sector", "Faith")
    COMMUNITY_GROUP = "community_group", pgettext_lazy("sector", "Community group")
    RESIDENT_ASSOCIATION = "resident_association", pgettext_lazy("sector", "Resident association")
    OTHER = "other", pgettext_lazy("sector", "Other")


def sector_label(sector: str | None, default: str | None = None) -> str:
    """A sector's name in the reader's language; `default` (else "Other") for a code that is
    not a sector, or none."""
    try:
        return str(Sector(sector).label)
    except ValueError:
        return pgettext("sector", "Other") if default is None else default


class OrganisationSize(models.TextChoices):
    SMALL = "small", gettext_lazy("Small (under 10 staff)")
    MEDIUM = "medium", gettext_lazy("Medium (10–99 staff)")
    LARGE = "large", gettext_lazy("Large (100–999 staff)")
    VERY_LARGE = "very_large", gettext_lazy("Very large (1,000+ staff)")


class PartnerStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("partner status", "Active")
    PAUSED = "paused", pgettext_lazy("partner status", "Paused")
    WITHDRAWN = "withdrawn", pgettext_lazy("partner status", "Withdrawn")


#: What a partner steward may invite people as, for their own organisation.
PARTNER_ROLES_FOR_STEWARDS = (Role.PARTNER_STEWARD, Role.PARTNER_MEMBER)
