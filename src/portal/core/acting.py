"""Who acts, for whom, from where: the acting context every write receives (DESIGN: identity).

A request resolves it once (core.middleware.ActingContextMiddleware puts it on
`request.acting`); a task or a command uses `system_acting()`. Services pass it to
`audit_record`, so every audit row names the principal (for whom the act was done) and the
actor (the person who did it).

Today the principal is the actor themselves. Delegation (DEL-04 to DEL-07) will resolve a
different principal (the grantor: another person, or a business they hold) in
`acting_for_request`; nothing else changes shape. core imports no other app, so the context
holds plain ids and labels, and reads the member's officer profile by duck typing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from portal.core.network import client_ip

__all__ = [
    "TWO_FACTOR_SESSION_KEY",
    "Acting",
    "OfficerScope",
    "Party",
    "acting_for_request",
    "acting_of",
    "resolve_acting",
    "system_acting",
]

# Set in the session by the login when the member passed a second factor (SSO-04), or by
# the enrolment that just checked a first code. Officers need it to reach the back office.
TWO_FACTOR_SESSION_KEY = "two_factor_verified_at"


@dataclass(frozen=True)
class Party:
    """A principal: a member ("member") or a business ("business"), by primary key."""

    kind: str
    id: int | str
    label: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class OfficerScope:
    """What an officer answers for (ADM-01): an agency and, for a provincial industry
    office, a province. `member_id` is the officer's own account (never decides own cases)."""

    member_id: int
    agency: str
    province: str = ""


@dataclass(frozen=True)
class Acting:
    actor: Any = None  # the authenticated member acting, or None (system, anonymous)
    principal: Party | None = None  # for whom; the actor themselves unless delegated
    officer: OfficerScope | None = None  # set only for an active officer
    channel: str = "web"  # web, oidc, api, task, system
    client_ip: str | None = None
    two_factor: bool = False  # this session passed a second factor

    @property
    def actor_id(self) -> int | None:
        return getattr(self.actor, "pk", None) if self.actor is not None else None

    @property
    def role(self) -> str:
        if self.actor is None:
            return "anonymous" if self.channel not in ("task", "system") else "system"
        return "officer" if self.officer is not None else "member"

    def for_actor(self, actor) -> Acting:
        """The same channel and address with another actor acting for themselves: a member
        registered or logging in during this request, not yet `request.user`."""
        if actor is None or getattr(actor, "pk", None) == self.actor_id:
            return self
        return replace(
            self,
            actor=actor,
            principal=_member_party(actor),
            officer=_officer_scope(actor),
            two_factor=False,
        )


def _member_party(member) -> Party:
    return Party("member", member.pk, getattr(member, "display_name", "") or "")


def _officer_scope(member) -> OfficerScope | None:
    officer = getattr(member, "officer", None)
    if officer is None or not getattr(officer, "active", False):
        return None
    return OfficerScope(member_id=member.pk, agency=officer.agency, province=officer.province or "")


def acting_for_request(request, *, channel: str = "web") -> Acting:
    user = getattr(request, "user", None)
    address = client_ip(request)
    if user is None or not user.is_authenticated:
        return Acting(channel=channel, client_ip=address)
    session = getattr(request, "session", None)
    return Acting(
        actor=user,
        principal=_member_party(user),
        officer=_officer_scope(user),
        channel=channel,
        client_ip=address,
        two_factor=bool(session is not None and session.get(TWO_FACTOR_SESSION_KEY)),
    )


def acting_of(request) -> Acting:
    """The request's context; built here when the middleware did not run (tests, tasks
    calling views directly)."""
    acting = getattr(request, "acting", None)
    return acting if acting is not None else acting_for_request(request)


def system_acting(*, channel: str = "task", actor=None) -> Acting:
    """For work no request started: a task, a management command, the sweep."""
    if actor is None:
        return Acting(channel=channel)
    return Acting(
        actor=actor, principal=_member_party(actor), officer=_officer_scope(actor), channel=channel
    )


def resolve_acting(*, acting: Acting | None = None, request=None, actor=None) -> Acting:
    """The context a service works in: the one given, else the request's (callers that
    pass `request=`), else the system's; an explicit actor who is not the context's (a
    member registering or logging in during this request) acts for themselves."""
    if acting is None:
        if request is not None:
            acting = acting_of(request)
        else:
            return system_acting(channel="system", actor=actor)
    if actor is not None and getattr(actor, "is_authenticated", False):
        acting = acting.for_actor(actor)
    return acting
