"""The one authentication of every API router.

A caller is, in this order:
- a **partner token** (`Authorization: Bearer bbk_…`, backbone.measurement.tokens): a member
  of its partner organisation, in its own initiative only;
- a **personal token** (`Authorization: Bearer bbp_…`, backbone.accounts.tokens): the person
  who made it, with the roles they hold in its initiative, in that initiative only;
- the **signed-in session** (the `sessionid` cookie), with Django's CSRF check on writes
  (`X-CSRFToken` header and `csrftoken` cookie);
- else **no one**, who reads what is public.

A token that is unknown, revoked, or whose person holds no role any more is refused with 401
everywhere, even where no one would be let in. A token's initiative is the only one it
knows: any other answers 404, public or not. Every rule is asked of `backbone.permissions`
with `caller(request).who`, exactly as the pages ask it with `request.user`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja.errors import HttpError
from ninja.security.http import HttpBearer
from ninja.utils import check_csrf

from backbone.accounts.tokens import PersonalTokenHolder, personal_token_authenticate
from backbone.initiatives.models import Initiative
from backbone.measurement.tokens import TokenHolder, token_authenticate
from backbone.permissions import initiative_for

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

DESCRIPTION = (
    "A partner's API token (`bbk_…`, made by a partner steward on the initiative's API "
    "tokens page: it acts as a member of that organisation) or a personal token (`bbp_…`, "
    "made on your own API tokens page: it acts as you, with your roles). Each works in its "
    "own initiative only; a revoked or unknown token is refused with 401. Without a token "
    "the signed-in session is used (writes need the CSRF token), else what is public is read."
)


class Caller:
    """Who calls: a person (maybe anonymous) or a token holder. Always truthy, so that a
    caller who is not signed in still reads what is public."""

    def __init__(self, who):
        self.who = who

    @property
    def by(self):
        """The person to record as the author of what the call writes."""
        return getattr(self.who, "person", self.who) if self.is_token else self.who

    @property
    def is_token(self) -> bool:
        return isinstance(self.who, (TokenHolder, PersonalTokenHolder))

    @property
    def initiative_id(self) -> int | None:
        """The one initiative a token works in; None for a session."""
        return self.who.token.initiative_id if self.is_token else None


class TokenOrSession(HttpBearer):
    """A token, else the session, else no one (see the module). With `signed_in`, no one
    is refused with 401 (operations on people)."""

    signed_in = False

    def __call__(self, request: HttpRequest):
        scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            return self.authenticate(request, raw)
        if self.signed_in and not request.user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and request.user.is_authenticated:
            if check_csrf(request):
                raise HttpError(403, "CSRF check failed.")
        return Caller(request.user)

    def authenticate(self, request: HttpRequest, token: str):
        if found := token_authenticate(token):
            return Caller(TokenHolder(found))
        if holder := personal_token_authenticate(token):
            return Caller(holder)
        return None


class SignedIn(TokenOrSession):
    """A token or the session: no one is refused with 401 (the operations on people)."""

    signed_in = True


#: The authentication of every router; `signed_in_only` for the operations on people.
token_or_session = TokenOrSession()
signed_in_only = SignedIn()


def caller(request: HttpRequest) -> Caller:
    return request.auth


def who(request: HttpRequest):
    """The caller as `backbone.permissions` sees them."""
    return request.auth.who


def initiative_of(request: HttpRequest, slug: str, rule: str = "initiative.view") -> Initiative:
    """The initiative an operation works on, as `initiative_for` finds it for the caller;
    404 for a token's call to any initiative but its own."""
    found = caller(request)
    if found.is_token and found.who.token.initiative.slug != slug:
        raise Http404("No such initiative.")
    return initiative_for(found.who, slug, rule)


def members_initiative(request: HttpRequest, slug: str, rule: str) -> Initiative:
    """The initiative, for an area only some may read: 404 for one the caller may not see,
    401 for no one and 403 for anyone else the rule refuses, as the pages answer."""
    try:
        return initiative_of(request, slug, rule)
    except PermissionDenied:
        if not who(request).is_authenticated:
            raise HttpError(401, "Sign in, or send a token.") from None
        raise


def document_security(schema: dict) -> dict:
    """The security schemes: the bearer token and the session, on every operation, and no
    one (an empty requirement) where a visitor reads what is public."""
    schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
    schemes.pop("SignedIn", None)
    schemes["TokenOrSession"] = {"type": "http", "scheme": "bearer", "description": DESCRIPTION}
    schemes["session"] = {
        "type": "apiKey",
        "in": "cookie",
        "name": "sessionid",
        "description": "The signed-in session of the pages; writes also need the "
        "`X-CSRFToken` header matching the `csrftoken` cookie.",
    }
    for operations in schema["paths"].values():
        for operation in operations.values():
            names = {name for requirement in operation.get("security", []) for name in requirement}
            if not names & {"TokenOrSession", "SignedIn"}:
                continue
            operation["security"] = [{"TokenOrSession": []}, {"session": []}]
            if "SignedIn" not in names:
                operation["security"].append({})
    return schema
