"""The roles a person holds in an initiative (PRODUCT.md §1)."""

from django.db import models
from django.utils.translation import gettext_lazy


class Role(models.TextChoices):
    BACKBONE_STAFF = "backbone_staff", "Backbone staff"
    PARTNER_STEWARD = "partner_steward", "Partner steward"
    PARTNER_MEMBER = "partner_member", "Partner member"
    COMMUNITY_MEMBER = "community_member", "Community member"
    FUNDER = "funder", "Funder"
    EVALUATOR = "evaluator", "Evaluator"
    DATA_STEWARD = "data_steward", "Data steward (approves reported values)"


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
    GOVERNMENT = "government", "Government"
    NONPROFIT = "nonprofit", "Non-profit"
    BUSINESS = "business", "Business"
    PHILANTHROPY = "philanthropy", "Philanthropy"
    EDUCATION = "education", "Education"
    HEALTH = "health", "Health"
    FAITH = "faith", "Faith"
    COMMUNITY_GROUP = "community_group", "Community group"
    RESIDENT_ASSOCIATION = "resident_association", "Resident association"
    OTHER = "other", "Other"


class OrganisationSize(models.TextChoices):
    SMALL = "small", "Small (under 10 staff)"
    MEDIUM = "medium", "Medium (10–99 staff)"
    LARGE = "large", "Large (100–999 staff)"
    VERY_LARGE = "very_large", "Very large (1,000+ staff)"


class PartnerStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    WITHDRAWN = "withdrawn", "Withdrawn"


#: What a partner steward may invite people as, for their own organisation.
PARTNER_ROLES_FOR_STEWARDS = (Role.PARTNER_STEWARD, Role.PARTNER_MEMBER)
