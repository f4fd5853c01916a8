"""Writes of the services menu: data-sharing consents (SVC-02, SSO-10) and the hand-off."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.core.errors import PortalError
from portal.core.services import audit_record
from portal.identity.services import sign_ins_end
from portal.services.models import SystemConsent

if TYPE_CHECKING:
    from portal.identity.models import ConnectedSystem

HANDOFFS = "service_handoffs"


class ServiceError(PortalError):
    """The one error type of this app (a PortalError: a message and the field it concerns)."""


@transaction.atomic
def consent_give(*, member, system: ConnectedSystem, request=None) -> SystemConsent:
    """SVC-02: the member accepts this version of the system's data-sharing consent."""
    current = (
        SystemConsent.objects.select_for_update()
        .filter(
            member=member,
            system=system,
            version=system.consent_version,
            withdrawn_at__isnull=True,
        )
        .first()
    )
    if current is not None:  # a double click records one consent
        return current
    consent = SystemConsent.objects.create(
        member=member, system=system, version=system.consent_version
    )
    audit_record(
        actor=member,
        action="service.consent_give",
        target=member,
        after={"system": system.slug, "version": system.consent_version},
        request=request,
    )
    return consent


@transaction.atomic
def consent_withdraw(*, member, consent_id: int, request=None) -> SystemConsent | None:
    """SSO-10: withdraw a consent. The system's sign-ins end at once (its tokens die and it is
    told by back-channel logout), and the next hand-off asks for consent again."""
    consent = (
        SystemConsent.objects.select_for_update()
        .select_related("system")
        .filter(pk=consent_id, member=member, withdrawn_at__isnull=True)
        .first()
    )
    if consent is None:
        return None
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    sign_ins_end(member=member, system=consent.system, request=request)
    audit_record(
        actor=member,
        action="service.consent_withdraw",
        target=member,
        after={"system": consent.system.slug, "version": consent.version},
        request=request,
    )
    return consent


def handoff_remember(*, session, system: ConnectedSystem, holding_id: int | None) -> None:
    """Remember, in the member's portal session, the business chosen for this system: the
    authorization the system starts next carries it (SSO-06)."""
    handoffs = session.get(HANDOFFS, {})
    handoffs[system.client.client_id] = {"holding": holding_id, "at": time.time()}
    session[HANDOFFS] = handoffs


def handoff_take(*, session, client_id: str) -> dict | None:
    """The pending hand-off for this client, if fresh; it is used once."""
    handoffs = session.get(HANDOFFS, {})
    handoff = handoffs.pop(client_id, None)
    if handoff is not None:
        session[HANDOFFS] = handoffs
        if time.time() - handoff["at"] > settings.HANDOFF_LIFETIME_SECONDS:
            return None
    return handoff


def handoff_peek(*, session, client_id: str) -> dict | None:
    handoff = session.get(HANDOFFS, {}).get(client_id)
    if handoff and time.time() - handoff["at"] <= settings.HANDOFF_LIFETIME_SECONDS:
        return handoff
    return None
