"""Every rule about who may see and do what, in one place.

Views, templates (the `can` tag) and the API ask `can(person, rule, initiative, obj)`;
nothing else looks at roles. A person's standing in an initiative is read once per request
and cached on the person object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from backbone.initiatives.models import Initiative, Membership, Organisation, Partner
from backbone.initiatives.roles import Role


@dataclass(frozen=True)
class Standing:
    """The roles one person holds in one initiative."""

    initiative: Initiative
    is_authenticated: bool = False
    is_platform_admin: bool = False
    roles: frozenset[str] = frozenset()
    organisation_ids: dict[str, frozenset[int]] = field(default_factory=dict)

    @property
    def is_member(self) -> bool:
        return bool(self.roles) or self.is_platform_admin

    def has(self, *roles: str) -> bool:
        return self.is_platform_admin or any(role in self.roles for role in roles)

    def acts_for(self, organisation_id: int | None, *roles: str) -> bool:
        """True when the person holds one of `roles` for this organisation."""
        return any(organisation_id in self.organisation_ids.get(role, ()) for role in roles)

    @property
    def is_backbone(self) -> bool:
        return self.has(Role.BACKBONE_STAFF)


def standing(person: Any, initiative: Initiative) -> Standing:
    if person is None or not person.is_authenticated:
        return Standing(initiative=initiative)
    cache: dict[int, Standing] = person.__dict__.setdefault("_standing_cache", {})
    if initiative.pk not in cache:
        rows = Membership.objects.filter(initiative=initiative, person=person).values_list(
            "role", "organisation_id"
        )
        orgs: dict[str, set[int]] = {}
        for role, org_id in rows:
            orgs.setdefault(role, set())
            if org_id is not None:
                orgs[role].add(org_id)
        cache[initiative.pk] = Standing(
            initiative=initiative,
            is_authenticated=True,
            is_platform_admin=person.is_superuser,
            roles=frozenset(orgs),
            organisation_ids={role: frozenset(ids) for role, ids in orgs.items()},
        )
    return cache[initiative.pk]


def forget_standing(person: Any) -> None:
    """Drop cached standings after a person's memberships change."""
    person.__dict__.pop("_standing_cache", None)


class _OnlyItsInitiative(dict):
    """Standings of a token's holder: known for its own initiative, no one's in any other."""

    def __contains__(self, key) -> bool:
        return True

    def __missing__(self, initiative_pk):
        return Standing(initiative=Initiative.objects.get(pk=initiative_pk))


def pin_standing(holder: Any, here: Standing) -> None:
    """Make `holder` (whoever presents a token) stand as `here` in its initiative and as no
    one in any other, whatever memberships a person behind it holds elsewhere."""
    holder.__dict__["_standing_cache"] = _OnlyItsInitiative({here.initiative.pk: here})


def partner_token_standing(initiative: Initiative, organisation_id: int) -> Standing:
    """A partner's API token stands as a member of its partner organisation, nothing more."""
    return Standing(
        initiative=initiative,
        is_authenticated=True,
        roles=frozenset({Role.PARTNER_MEMBER}),
        organisation_ids={Role.PARTNER_MEMBER: frozenset({organisation_id})},
    )


# --- the rules -------------------------------------------------------------------------

Rule = Callable[[Standing, Any], bool]

STAFF_ROLES = (Role.BACKBONE_STAFF,)
PARTNER_ROLES = (Role.PARTNER_STEWARD, Role.PARTNER_MEMBER)
PARTICIPANT_ROLES = (Role.BACKBONE_STAFF, *PARTNER_ROLES, Role.COMMUNITY_MEMBER)
READ_ALL_ROLES = (Role.BACKBONE_STAFF, Role.EVALUATOR)
STEWARD_ROLES = (Role.PARTNER_STEWARD,)
COMMUNITY_ROLES = (Role.COMMUNITY_MEMBER,)
#: Who may be asked in an assessment round: partners' people and community members.
RESPONDENT_ROLES = (*PARTNER_ROLES, *COMMUNITY_ROLES)


def _view_initiative(s: Standing, obj: Any) -> bool:
    return s.is_member or s.initiative.is_public


def _see_members(s: Standing, obj: Any) -> bool:
    return s.has(*READ_ALL_ROLES, Role.PARTNER_STEWARD)


def _see_all_members(s: Standing, obj: Any) -> bool:
    return s.has(*READ_ALL_ROLES)


def _see_partner_people(s: Standing, partner: Partner) -> bool:
    """A partner's page lists its people to those who see every member, and to its stewards."""
    return _see_all_members(s, None) or s.acts_for(partner.organisation_id, Role.PARTNER_STEWARD)


def _invite(s: Standing, obj: Any) -> bool:
    """`obj` is (role, organisation or None); stewards invite people of their own organisation."""
    if obj is None:
        return s.has(Role.BACKBONE_STAFF, Role.PARTNER_STEWARD)
    role, organisation = obj
    if s.is_backbone:
        return True
    return (
        role in PARTNER_ROLES
        and organisation is not None
        and s.acts_for(organisation.pk, Role.PARTNER_STEWARD)
    )


def _manage_member(s: Standing, membership: Membership | None) -> bool:
    """Backbone staff manage every role held here; a partner steward the partner roles of
    their own organisation's people. `membership` None: whether the person manages anyone."""
    if s.is_backbone:
        return True
    if membership is None:
        return bool(s.organisation_ids.get(Role.PARTNER_STEWARD))
    return (
        membership.initiative_id == s.initiative.pk
        and membership.role in PARTNER_ROLES
        and s.acts_for(membership.organisation_id, Role.PARTNER_STEWARD)
    )


def _change_member(s: Standing, obj: tuple) -> bool:
    """`obj` is (membership, new role, new organisation or None): a role the person may
    manage, made one they may grant (as an invitation would, `_invite`). A steward keeps the
    person in their organisation."""
    membership, role, organisation = obj
    if not _manage_member(s, membership):
        return False
    if s.is_backbone:
        return True
    same_organisation = organisation is not None and organisation.pk == membership.organisation_id
    return same_organisation and _invite(s, (role, organisation))


def _edit_organisation(s: Standing, obj: Organisation) -> bool:
    if s.is_platform_admin:
        return True
    is_partner_here = Partner.objects.filter(initiative=s.initiative, organisation=obj).exists()
    return is_partner_here and (s.is_backbone or s.acts_for(obj.pk, Role.PARTNER_STEWARD))


def _endorse(s: Standing, obj: Partner | None) -> bool:
    if obj is None:
        return Role.PARTNER_STEWARD in s.roles
    return (
        obj.initiative_id == s.initiative.pk
        and obj.status == "active"
        and s.acts_for(obj.organisation_id, Role.PARTNER_STEWARD)
    )


def _partner_data(s: Standing, partner: Partner | None) -> bool:
    """A partner's own (not aggregated) values: the backbone, evaluators, data stewards and
    the partner's own people."""
    if s.has(Role.BACKBONE_STAFF, Role.EVALUATOR, Role.DATA_STEWARD):
        return True
    if partner is None:
        return bool(s.organisation_ids.get(Role.PARTNER_STEWARD)) or bool(
            s.organisation_ids.get(Role.PARTNER_MEMBER)
        )
    return partner.initiative_id == s.initiative.pk and s.acts_for(
        partner.organisation_id, *PARTNER_ROLES
    )


def _submit_values(s: Standing, partner: Partner | None) -> bool:
    """Partners report for their own organisation, while it is an active partner."""
    if partner is None:
        return any(s.organisation_ids.get(role) for role in PARTNER_ROLES)
    return (
        partner.initiative_id == s.initiative.pk
        and partner.status == "active"
        and s.acts_for(partner.organisation_id, *PARTNER_ROLES)
    )


def _approve_values(s: Standing, partner: Partner | None) -> bool:
    """Backbone staff and data stewards approve; never their own organisation's values."""
    if not s.has(Role.BACKBONE_STAFF, Role.DATA_STEWARD):
        return False
    if partner is None:
        return True
    return partner.initiative_id == s.initiative.pk and not any(
        partner.organisation_id in ids for ids in s.organisation_ids.values()
    )


def _manage_tokens(s: Standing, partner: Partner | None) -> bool:
    if partner is None:
        return bool(s.organisation_ids.get(Role.PARTNER_STEWARD))
    return partner.initiative_id == s.initiative.pk and s.acts_for(
        partner.organisation_id, Role.PARTNER_STEWARD
    )


def _tell_story(s: Standing, partner: Partner | None) -> bool:
    """The story behind the curve: the backbone writes its own and may edit any; partners
    write their own organisation's."""
    if s.is_backbone:
        return True
    if partner is None:
        return any(s.organisation_ids.get(role) for role in PARTNER_ROLES)
    return partner.initiative_id == s.initiative.pk and s.acts_for(
        partner.organisation_id, *PARTNER_ROLES
    )


def _manage_activities(s: Standing, partner: Partner | None) -> bool:
    """Activities: the backbone manages all; partners their own organisation's, while active."""
    if s.is_backbone:
        return True
    if partner is None:
        return any(s.organisation_ids.get(role) for role in PARTNER_ROLES)
    return (
        partner.initiative_id == s.initiative.pk
        and partner.status == "active"
        and s.acts_for(partner.organisation_id, *PARTNER_ROLES)
    )


def _see_indicator(s: Standing, indicator: Any) -> bool:
    """Aggregated results of an indicator, by its visibility: public ones to everyone (on a
    public initiative), "funders" ones to every member, "members" ones to members who are not
    only funders."""
    if indicator is None or indicator.visibility == "public":
        return s.is_member or s.initiative.is_public
    if indicator.visibility == "funders":
        return s.is_member
    return s.is_member and s.roles != frozenset({Role.FUNDER})


RULES: dict[str, Rule] = {
    "initiative.view": _view_initiative,
    "initiative.edit": lambda s, o: s.is_backbone,
    "initiative.export": lambda s, o: s.has(*READ_ALL_ROLES),
    "partners.view": _view_initiative,
    "partners.manage": lambda s, o: s.is_backbone,
    "members.view": _see_members,
    "members.view_all": _see_all_members,
    "partner.people": _see_partner_people,
    "members.invite": _invite,
    "members.manage": _manage_member,
    "members.change": _change_member,
    # moving someone to another organisation: the backbone only (a steward keeps their own)
    "members.move": lambda s, o: s.is_backbone,
    "audit.view": lambda s, o: s.is_backbone,
    "webhooks.manage": lambda s, o: s.is_backbone,
    "organisation.edit": _edit_organisation,
    "framework.view": _view_initiative,
    "agenda.view": _view_initiative,
    "agenda.history": lambda s, o: s.is_member,
    "agenda.edit": lambda s, o: s.is_backbone,
    "agenda.endorse": _endorse,
    "agenda.comments.view": lambda s, o: s.is_member,
    "agenda.comment": lambda s, o: s.has(*PARTICIPANT_ROLES),
    "measurement.view": lambda s, o: s.is_member or s.initiative.is_public,
    "measurement.manage": lambda s, o: s.is_backbone,
    "indicator.results": _see_indicator,
    "values.view_partner": _partner_data,
    "values.view_all": lambda s, o: s.has(Role.BACKBONE_STAFF, Role.EVALUATOR, Role.DATA_STEWARD),
    "values.submit": _submit_values,
    "values.correct": lambda s, o: s.is_backbone,
    "values.approve": _approve_values,
    "values.export_all": lambda s, o: s.has(*READ_ALL_ROLES, Role.DATA_STEWARD),
    "tokens.manage": _manage_tokens,
    "results.small_numbers": lambda s, o: s.has(
        Role.BACKBONE_STAFF, Role.EVALUATOR, Role.DATA_STEWARD
    ),
    "results.by_partner": _partner_data,
    "story.edit": _tell_story,
    # completeness: the backbone's overview, each partner's own page, who reports what
    "completeness.view": lambda s, o: _partner_data(s, None),
    "completeness.view_all": lambda s, o: s.has(
        Role.BACKBONE_STAFF, Role.EVALUATOR, Role.DATA_STEWARD
    ),
    "completeness.view_partner": _partner_data,
    "completeness.assign": lambda s, o: s.is_backbone,
    # communication: `o` is a communication.selectors.Seat, the person's place in a group
    "groups.view": lambda s, o: s.is_member,
    "groups.manage": lambda s, o: s.is_backbone,
    "group.view": lambda s, o: s.is_backbone or (s.is_member and (not o.restricted or o.inside)),
    "group.lead": lambda s, o: s.is_backbone or (s.is_member and o is not None and o.leads),
    "action.close": lambda s, o: s.is_backbone or (s.is_member and (o.leads or o.owns)),
    # activities: members read (anyone on a public initiative); partners manage their own
    "activities.view": _view_initiative,
    "activities.export": lambda s, o: s.is_member,
    "activities.manage": _manage_activities,
    # updates: the backbone writes; participants comment (funders and evaluators read);
    # decisions of open meetings join the feed for members only
    "updates.view": _view_initiative,
    "updates.post": lambda s, o: s.is_backbone,
    "updates.comments.view": lambda s, o: s.is_member,
    "updates.comment": lambda s, o: s.has(*PARTICIPANT_ROLES),
    "updates.decisions": lambda s, o: s.is_member,
    "updates.follow": lambda s, o: s.is_member,
    # advocacy: the backbone runs the policy agenda and public will, members read; visitors of
    # a public initiative see its public policies; partners keep their own commitments
    "policies.view": _view_initiative,
    "policies.view_all": lambda s, o: s.is_member,
    "policy.view": lambda s, o: s.is_member or (s.initiative.is_public and o.is_public),
    "policies.manage": lambda s, o: s.is_backbone,
    "public_will.view": lambda s, o: s.is_member,
    "public_will.manage": lambda s, o: s.is_backbone,
    "commitments.view": lambda s, o: s.is_member,
    "commitments.manage": _tell_story,
    # workplan: members read the backbone's plan and effort; backbone staff edit. Funding:
    # the backbone, evaluators and funders see the overview (sums only); the grants
    # themselves are for the backbone and evaluators; the private note is the backbone's alone
    "workplan.view": lambda s, o: s.is_member,
    "workplan.edit": lambda s, o: s.is_backbone,
    "funding.view": lambda s, o: s.has(*READ_ALL_ROLES, Role.FUNDER),
    "funding.manage": lambda s, o: s.is_backbone,
    "grants.view": lambda s, o: s.has(*READ_ALL_ROLES) or bool(s.organisation_ids.get(Role.FUNDER)),
    "grants.view_all": lambda s, o: s.has(*READ_ALL_ROLES),
    "grant.private_note": lambda s, o: s.is_backbone,
    # --- phases rules ---
    # the phase tracker: members read (visitors of a public initiative do not: it is the
    # initiative's own working record); backbone staff record
    "phases.view": lambda s, o: s.is_member,
    "phases.edit": lambda s, o: s.is_backbone,
    # --- decisions rules ---
    # `o` is a decisions.selectors.Seat (for "decisions.propose", a communication Seat of the
    # group, None for all partners). Members read; a private group's proposals only its people
    # and the backbone. Funders and evaluators never vote; names beside votes are hidden from
    # funders (they see counts)
    "decisions.view": lambda s, o: s.is_member,
    "decisions.propose": lambda s, o: (
        s.is_backbone or (o is not None and o.inside and bool(s.roles & set(PARTICIPANT_ROLES)))
    ),
    "decisions.rules": lambda s, o: s.is_backbone,
    "decision.view": lambda s, o: s.is_backbone or (s.is_member and (not o.restricted or o.inside)),
    # per organisation: for an active partner one acts for (and sits in the group, if any);
    # per person: a group's members, or for all partners the backbone and partner people
    "decision.vote": lambda s, o: (
        bool(s.roles & set(PARTICIPANT_ROLES))
        and (
            (bool(o.acting_for) and (not o.has_group or o.inside))
            if o.per_organisation
            else (o.inside if o.has_group else Role.BACKBONE_STAFF in s.roles or bool(o.acting_for))
        )
    ),
    "decision.votes_named": lambda s, o: s.is_platform_admin or bool(s.roles - {Role.FUNDER}),
    "decision.close": lambda s, o: s.is_backbone or (s.is_member and o.proposes),
    "decision.review": lambda s, o: s.is_backbone or (s.is_member and o.owns),
    # --- learning rules ---
    # learning and evaluation: members read; the backbone and evaluators keep the questions
    # and the evaluation plan; partners, the backbone and evaluators write log entries, each
    # editable by its author and the backbone (`o` is a learning.selectors.Authorship)
    "learning.view": lambda s, o: s.is_member,
    "learning.manage": lambda s, o: s.has(*READ_ALL_ROLES),
    "learning.log_add": lambda s, o: s.has(*READ_ALL_ROLES, *PARTNER_ROLES),
    "learning.log_edit": lambda s, o: (
        s.is_backbone or (o is not None and o.is_author and s.has(*READ_ALL_ROLES, *PARTNER_ROLES))
    ),
    # --- reports rules ---
    # reports: the backbone writes them; evaluators read every one; funders those shared with
    # funders; partners, community members and data stewards those shared with members
    "reports.view": lambda s, o: s.is_member,
    "reports.manage": lambda s, o: s.is_backbone,
    "report.view": lambda s, o: (
        s.has(*READ_ALL_ROLES)
        or (o.shared_with_funders and s.has(Role.FUNDER))
        or (
            o.shared_with_members
            and s.has(*PARTNER_ROLES, Role.COMMUNITY_MEMBER, Role.DATA_STEWARD)
        )
    ),
    # --- assessments rules ---
    # the backbone opens, closes and shares rounds; it and evaluators read response rates
    # and results; the people asked answer their own (`o`: their Respondent row, or None);
    # other members read the results of a round (`o`) the backbone shares; who said what
    # only in a round that is not anonymous
    "assessments.view": lambda s, o: s.is_member,
    "assessments.manage": lambda s, o: s.is_backbone,
    "assessments.progress": lambda s, o: s.has(*READ_ALL_ROLES),
    "assessments.answer": lambda s, o: s.is_member and o is not None,
    "assessments.results": lambda s, o: (
        s.has(*READ_ALL_ROLES) or (s.is_member and (o is None or o.results_shared))
    ),
    "assessments.answers": lambda s, o: (
        s.has(*READ_ALL_ROLES) and o is not None and not o.anonymous
    ),
    # --- network rules ---
    # network: the backbone opens waves; a partner's stewards and members answer for it; every
    # member sees the whole-network figures; partners, the backbone and evaluators see the
    # per-partner measures and the map; only the backbone and evaluators read single ratings
    "network.view": lambda s, o: s.is_member,
    "network.partners": lambda s, o: s.has(*READ_ALL_ROLES, *PARTNER_ROLES),
    "network.ratings": lambda s, o: s.has(*READ_ALL_ROLES),
    "network.manage": lambda s, o: s.is_backbone,
    "network.answer": lambda s, o: (
        any(s.organisation_ids.get(role) for role in PARTNER_ROLES)
        if o is None
        else o.initiative_id == s.initiative.pk and s.acts_for(o.organisation_id, *PARTNER_ROLES)
    ),
    # --- health rules ---
    # the health view and engagement alerts are for the backbone and evaluators; the alerts
    # reach the backbone's home page and digest; the backbone sets when a partner is quiet
    "health.view": lambda s, o: s.has(*READ_ALL_ROLES),
    "health.alerts_notify": lambda s, o: s.is_backbone,
    "health.manage": lambda s, o: s.is_backbone,
    # --- powermap rules ---
    # the power map is sensitive: every member reads it (views 404 everyone else, even on a
    # public initiative); the backbone edits stakeholders, bodies and seats
    "powermap.view": lambda s, o: s.is_member,
    "powermap.edit": lambda s, o: s.is_backbone,
}


def can(person: Any, rule: str, initiative: Initiative, obj: Any = None) -> bool:
    try:
        check = RULES[rule]
    except KeyError as exc:  # a typo must never read as "allowed" or silently "denied"
        raise KeyError(f"Unknown permission rule {rule!r}") from exc
    return check(standing(person, initiative), obj)


def initiative_for(person: Any, slug: str, rule: str = "initiative.view") -> Initiative:
    """The initiative a view works on: 404 to those who may not see it, 403 for `rule`."""
    try:
        initiative = Initiative.objects.select_related("framework").get(slug=slug)
    except Initiative.DoesNotExist as exc:
        raise Http404("No such initiative.") from exc
    if not can(person, "initiative.view", initiative):
        raise Http404("No such initiative.")
    if rule != "initiative.view" and not can(person, rule, initiative):
        raise PermissionDenied
    return initiative


def viewable_initiatives(person: Any) -> QuerySet:
    """The initiatives `person` may view — the rule initiative.view as one query, for the
    scoped querysets of backbone.tenancy: public ones for everyone, and members' own."""
    public = Q(visibility=Initiative.Visibility.PUBLIC)
    if person is None or not person.is_authenticated:
        return Initiative.objects.filter(public)
    if person.is_superuser:
        return Initiative.objects.all()
    own = Membership.objects.filter(person=person).values("initiative_id")
    return Initiative.objects.filter(public | Q(pk__in=own))


def organisations_acted_for(person: Any, initiative: Initiative) -> frozenset[int]:
    """Every organisation `person` holds a role for in `initiative`, whatever the role."""
    held = standing(person, initiative).organisation_ids.values()
    return frozenset(o for ids in held for o in ids)


def stewarded_organisations(person: Any, initiative: Initiative) -> frozenset[int]:
    """The organisations `person` is a partner steward of in `initiative`."""
    return standing(person, initiative).organisation_ids.get(Role.PARTNER_STEWARD, frozenset())


def members_visible(person: Any, initiative: Initiative, found: QuerySet) -> QuerySet:
    """Memberships or invitations as the people page shows them: all to backbone staff and
    evaluators, a steward's own organisations' to a steward."""
    if can(person, "members.view_all", initiative):
        return found
    return found.filter(organisation__in=stewarded_organisations(person, initiative))


def invitation_scope(
    person: Any, initiative: Initiative
) -> tuple[list[str], frozenset[int] | None]:
    """The roles `person` may invite to, and the organisations (None: any of the partners')."""
    if standing(person, initiative).is_backbone:
        return list(Role), None
    return list(PARTNER_ROLES), stewarded_organisations(person, initiative)


def grant_funders(person: Any, initiative: Initiative) -> frozenset[int] | None:
    """The funder organisations whose grants `person` may see and be shown figures of: None
    for every grant (`grants.view_all`), else the organisations the person acts for as a
    funder (none at all for a funder's person without one). Every figure of funding a funder
    reads is computed from these grants only, so that no total singles out another funder's
    grant."""
    if can(person, "grants.view_all", initiative):
        return None
    return frozenset(standing(person, initiative).organisation_ids.get(Role.FUNDER, frozenset()))


def require(person: Any, rule: str, initiative: Initiative, obj: Any = None) -> None:
    if not can(person, rule, initiative, obj):
        raise PermissionDenied


def can_create_initiative(person: Any) -> bool:
    """Platform administrators and backbone staff of any initiative may start one."""
    if not person.is_authenticated:
        return False
    return (
        person.is_superuser
        or Membership.objects.filter(person=person, role=Role.BACKBONE_STAFF).exists()
    )
