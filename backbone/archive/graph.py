"""Which models an initiative's archive holds, and in which order an import writes them.

Nothing here lists the models to export: an initiative owns every model of a `backbone.*`
app that reaches `initiatives.Initiative` through foreign keys, so a model added tomorrow
travels in the archive the day it is added, with no serializer to write. What needs a
decision is named, with its reason: models left out (LEFT_OUT), models shared between
initiatives and matched by natural key on import (SHARED), models that hold no initiative's
data (NOT_INITIATIVE_DATA) and secrets that never leave the database (SECRETS).
`unclassified()` names a model in none of them; the guard test fails on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from backbone.links import Link

INITIATIVE = "initiatives.Initiative"

#: Models that belong to an initiative and stay behind, and why.
LEFT_OUT: dict[str, str] = {
    "accounts.PersonalToken": "a person's secret key to the API; they make a new one where "
    "the initiative now lives",
    "initiatives.Invitation": "it holds only the hash of a token e-mailed to one person, so "
    "nobody could accept it elsewhere; accepted invitations travel as memberships, open ones "
    "are sent again",
    "measurement.ApiToken": "a partner's secret key to the API; partners make a new one where "
    "the initiative now lives",
    "measurement.Rollup": "derived from the values: the import rebuilds it from them",
    "measurement.ValuesVersion": "a cache key that every write of values replaces; the next "
    "write makes one",
    "webhooks.Subscription": "it holds a signing secret and points at the old installation's "
    "receivers; staff subscribe again where the initiative now lives, with a new secret",
    "webhooks.Event": "a log of what was announced to receivers, with the source's links",
    "webhooks.Delivery": "a log of sending events to receivers of the old installation",
    "webhooks.Attempt": "a log of each try at sending an event, with its answer",
    "notifications.Notification": "a person's inbox of what they were already told: its "
    "once-only keys carry the source database's ids, so carried over they would clash or "
    "mislead; what it told of travels in the archive itself",
}

#: Models with no path to an initiative, and what they hold instead.
NOT_INITIATIVE_DATA: dict[str, str] = {
    "accounts.LimitedRequest": "the installation's counts of password resets asked for",
    "updates.DigestSchedule": "a person's choice of digest, for every initiative",
    "updates.DigestSent": "the digests a person was sent, across initiatives",
    "notifications.Preference": "a person's choice of how to be told, for every initiative",
}

#: Fields never written to an archive: the import fills them with the hash of a secret
#: nobody holds, so a link made at the source stops working and is made anew.
SECRETS: dict[str, tuple[str, ...]] = {
    "communication.CalendarFeed": ("token_hash",),
}


#: Rows the staff download withholds, with why: the pages refuse them to backbone staff,
#: so a download must too. `backbone export` (run by whoever operates the database, who
#: reads these rows there anyway) writes them, and the import takes them when present.
WITHHELD: dict[str, tuple[dict, str]] = {
    "assessments.Response": (
        {"round__anonymous": True},
        "the answers of anonymous assessment rounds: two downloads a day apart, beside who "
        "answered meanwhile, would tell whose answers they are",
    ),
}


@dataclass(frozen=True)
class Shared:
    """A model initiatives share: found on import by `key`, else created from `fields`."""

    key: str
    fields: tuple[str, ...] | None = None  # None: every field but the id


SHARED: dict[str, Shared] = {
    # Never a password, a staff or administrator flag, nor a group: an archive makes no one
    # powerful. A person created by an import has no usable password and resets it.
    "accounts.Person": Shared("email", ("uuid", "email", "name")),
    # Its revision belongs to the installation's edit forms, not to the organisation.
    "initiatives.Organisation": Shared(
        "slug", ("uuid", "slug", "name", "sector", "size", "website", "profile", "created_at")
    ),
    "frameworks.Framework": Shared("slug"),
    "assessments.Questionnaire": Shared("slug"),
}


def _cell_key(values: dict, m2m: dict[str, list]) -> None:
    """A cell's key is its groups' database ids (Cell.key_for), which differ after an import."""
    from backbone.measurement.models import Cell

    values["key"] = Cell.key_for(m2m["groups"])


#: Text fields that hold database ids, recomputed on import from the rows' new ids: each
#: takes the row's values (by attribute name) and its many-to-many ids, already the new ones.
ID_TEXT: dict[str, Callable[[dict, dict[str, list]], None]] = {
    "measurement.Cell": _cell_key,
}


@dataclass(frozen=True)
class Owned:
    """A model the archive holds, as the export reads it and the import writes it."""

    model: type[models.Model]
    #: Lookup from a row to its initiative's id ("" for the initiative itself).
    path: str
    #: The row's own fields, in the archive (no id, no uuid, no secret).
    fields: tuple[models.Field, ...]
    #: Many-to-many fields whose links travel as a list in the row: those whose table Django
    #: makes and those through a `backbone.links.Link` (any other `through` model is owned
    #: itself).
    m2m: tuple[models.ManyToManyField, ...]
    #: "uuid" when rows keep a uuid field, "pk" for a UUID primary key, "" for a sequence.
    uuid: str
    #: Nullable keys to rows written later (or to the same model): set in a second pass.
    deferred: frozenset[str]

    @property
    def label(self) -> str:
        return self.model._meta.label


def backbone_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m._meta.app_config.name.startswith("backbone.")]


def _keys(model: type[models.Model]) -> list[models.ForeignKey]:
    """Foreign keys and one-to-one keys: the relations that are a column of the row."""
    return [f for f in model._meta.concrete_fields if f.is_relation]


def _own_m2m(model: type[models.Model]) -> list[models.ManyToManyField]:
    return [f for f in model._meta.local_many_to_many if _is_link(f.remote_field.through)]


def _is_link(through: type[models.Model]) -> bool:
    """A link table whose links travel as a list in the row they are made from: one Django
    makes, or one built on backbone.links.Link (such a table with the initiative key), so an
    archive reads the same whichever of the two wrote it."""
    return through._meta.auto_created or issubclass(through, Link)


@cache
def belonging() -> dict[str, str]:
    """Every backbone model with a path of foreign keys to an initiative → that path.

    Breadth first, so the path is a shortest one; among equals a key that cannot be null,
    so every row is found by it."""
    paths = {INITIATIVE: ""}
    while True:
        found: dict[str, str] = {}
        for model in backbone_models():
            label = model._meta.label
            if label in paths:
                continue
            reaching = [f for f in _keys(model) if f.related_model._meta.label in paths]
            if reaching:
                key = min(reaching, key=lambda f: f.null)
                above = paths[key.related_model._meta.label]
                found[label] = f"{key.name}__{above}" if above else key.name
        if not found:
            return paths
        paths |= found


def _uuid_kind(model: type[models.Model]) -> str:
    if isinstance(model._meta.pk, models.UUIDField):
        return "pk"
    if any(f.name == "uuid" and isinstance(f, models.UUIDField) for f in model._meta.fields):
        return "uuid"
    if not isinstance(model._meta.pk, models.AutoField):
        raise ImproperlyConfigured(
            f"{model._meta.label}: the archive writes rows whose id is a sequence or a UUID; "
            "list the model in backbone.archive.graph.LEFT_OUT with the reason."
        )
    return ""


@cache
def exported() -> tuple[Owned, ...]:
    """The models an archive holds, in an order where every row's required keys point at
    rows written before it (a topological order); nullable keys that would close a cycle,
    and keys to the model itself, are deferred to a second pass."""
    paths = belonging()
    chosen = [m for m in backbone_models() if m._meta.label in paths]
    chosen = [m for m in chosen if m._meta.label not in LEFT_OUT and not _is_link(m)]
    labels = {m._meta.label for m in chosen}
    _refuse_links_outside(chosen, labels)
    order: list[Owned] = []
    remaining = list(chosen)
    while remaining:
        waiting = {m._meta.label for m in remaining}
        model, deferred = _next(remaining, waiting)
        remaining.remove(model)
        label = model._meta.label
        secret = SECRETS.get(label, ())
        fields = tuple(
            f
            for f in model._meta.concrete_fields
            if not f.primary_key and f.name not in secret and not (f.name == "uuid")
        )
        order.append(
            Owned(model, paths[label], fields, tuple(_own_m2m(model)), _uuid_kind(model), deferred)
        )
    return tuple(order)


def _next(remaining, waiting) -> tuple[type[models.Model], frozenset[str]]:
    """The first model all of whose keys are written; else the first whose required keys
    are, its nullable keys to unwritten models deferred."""

    def pending(model, required_only: bool) -> list[models.ForeignKey]:
        return [
            f
            for f in _keys(model)
            if f.related_model._meta.label in waiting
            and f.related_model is not model
            and not (required_only and f.null)
        ]

    def soft(model) -> bool:
        return any(
            f.related_model._meta.label in waiting and f.related_model is not model
            for f in _own_m2m(model)
        )

    for model in remaining:
        if not pending(model, False) and not soft(model):
            return model, _self_keys(model)
    for model in remaining:
        if not pending(model, True):
            return model, _self_keys(model) | {f.name for f in pending(model, False)}
    names = ", ".join(m._meta.label for m in remaining)
    raise ImproperlyConfigured(
        f"The archive cannot order these models (required keys in a cycle): {names}"
    )


def _self_keys(model) -> frozenset[str]:
    keys = [f for f in _keys(model) if f.related_model is model]
    for key in keys:
        if not key.null:
            raise ImproperlyConfigured(
                f"{model._meta.label}.{key.name} must be nullable to import."
            )
    return frozenset(k.name for k in keys)


def _refuse_links_outside(chosen, labels: set[str]) -> None:
    """A row may point only at rows the archive holds or at shared ones it matches."""
    for model in chosen:
        relations = [*_keys(model), *_own_m2m(model)]
        for field in relations:
            target = field.related_model._meta.label
            if target not in labels and target not in SHARED:
                raise ImproperlyConfigured(
                    f"{model._meta.label}.{field.name} points at {target}, which the archive "
                    "neither holds nor matches: add it to SHARED, or leave both out."
                )


def unclassified() -> list[str]:
    """Backbone models the archive has no word on: neither exported, left out (with a
    reason), shared, nor named as holding no initiative's data."""
    known = set(belonging()) | set(SHARED) | set(NOT_INITIATIVE_DATA)
    return sorted(m._meta.label for m in backbone_models() if m._meta.label not in known)


def misclassified() -> list[str]:
    """Names in the lists that do not fit the model graph (a renamed or removed model, a
    shared model that came to belong to an initiative…)."""
    paths = belonging()
    wrong = [f"LEFT_OUT {label}" for label in LEFT_OUT if label not in paths]
    wrong += [f"SHARED {label}" for label in SHARED if label in paths]
    wrong += [f"NOT_INITIATIVE_DATA {label}" for label in NOT_INITIATIVE_DATA if label in paths]
    models_by_label = {m._meta.label for m in backbone_models()}
    every = [*LEFT_OUT, *SHARED, *NOT_INITIATIVE_DATA, *SECRETS, *ID_TEXT, *WITHHELD]
    wrong += [f"unknown model {label}" for label in every if label not in models_by_label]
    for label, spec in SHARED.items():
        model = apps.get_model(label)
        carried = (
            model._meta.concrete_fields
            if spec.fields is None
            else [model._meta.get_field(name) for name in spec.fields]
        )
        if any(field.is_relation for field in carried):
            wrong.append(f"SHARED {label} carries foreign keys")
    return wrong
