"""HTTP adapters: the registries' ports answered by the real services, through core.http_client.

Every call is a POST so that national, juristic and tax IDs travel in bodies, never in URLs or
access logs; every call only reads, so the client may retry it. Each service has a base URL and
a bearer token in settings (DOPA_URL and DOPA_TOKEN, DBD_URL and DBD_TOKEN, and so on); records
are answered as one line of the matching sandbox-world file (sandbox-world/README.md), unknown
fields ignored.

DOPA civil registry (settings.DOPA_URL, bearer token settings.DOPA_TOKEN).

    POST {DOPA_URL}/citizens/lookup
        {"pid": "1101700230705"}
      200  the citizen as one line of citizens.jsonl in the sandbox-world format
           (pid, title_th, first_name_th, last_name_th, first_name_en, last_name_en,
           middle_name_th, birth_year_be, birth_month, birth_day, card_status, card_expiry,
           alive, address; unknown fields ignored, laser_code not needed)
      404  DOPA knows nobody by this ID

    POST {DOPA_URL}/cards/check
        {"pid": "1101700230705", "laser_code": "JT0-1234567-89"}
      200  {"matches": true, "current": true, "card_status": "active"}
      404  DOPA knows nobody by this ID (the same as a code that does not match)

DBD juristic persons and commercial registrations (settings.DBD_URL, DBD_TOKEN; one service, so
one circuit for both ports).

    POST {DBD_URL}/juristic-persons/lookup
        {"juristic_id": "0105561000013"}
      200  the juristic person as one line of juristic_persons.jsonl, directors included
      404  DBD knows no juristic person by this ID

    POST {DBD_URL}/commercial-registrations/search
        {"owner_pid": "1101700230705"}
      200  {"registrations": [lines of commercial_registrations.jsonl, all of this owner]}
      404  the same as an empty list

RD taxpayers (settings.RD_URL, RD_TOKEN).

    POST {RD_URL}/taxpayers/lookup
        {"tax_id": "0994000158378", "branch": "00000"}
      200  that branch as one line of taxpayers.jsonl
      404  RD knows no such taxpayer or no such branch of it

    POST {RD_URL}/taxpayers/branches
        {"tax_id": "0994000158378"}
      200  {"branches": [lines of taxpayers.jsonl, every branch of this tax ID]}
      404  the same as an empty list

DOAE community enterprises (settings.DOAE_URL, DOAE_TOKEN).

    POST {DOAE_URL}/community-enterprises/lookup
        {"registration_no": "1-50-01-01/1-0001"}
      200  the enterprise as one line of community_enterprises.jsonl
      404  DOAE knows no community enterprise by this code

    POST {DOAE_URL}/community-enterprises/search
        {"representative_pid": "1101700230705"}
      200  {"community_enterprises": [lines of community_enterprises.jsonl it represents]}
      404  the same as an empty list

DIW factories (settings.DIW_URL, DIW_TOKEN).

    POST {DIW_URL}/factories/lookup
        {"factory_no": "10100001256201"}
      200  the factory as one line of factories.jsonl
      404  DIW knows no factory by this number

    POST {DIW_URL}/factories/search
        {"operator_id": "0105561000013"}
      200  {"factories": [lines of factories.jsonl, every factory of this operator]}
      404  the same as an empty list

    POST {DIW_URL}/factories/changes
        {"since": "2026-12-01T08:00:00+07:00" or null, "after": "20300000125671", "limit": 1000}
      200  {"factories": [lines of factories.jsonl, each with "updated_at" (ISO date-time with
           its offset), at most `limit`, changed after the position (since, after) in order of
           (updated_at, factory_no)], "more": true when more follow}
           A page out of order, longer than asked or with a record before the position asked
           is a bad response.

Any other answer, a timeout, a refused connection or an open circuit raises
RegistryUnavailable(registry, reason) with registry "dopa", "dbd", "rd", "doae" or "diw" and
reason "timeout", "down", "circuit_open", or "bad_response" when a 200 answer is not in the
format above: not a JSON object, a record with a bad field, or a record about another ID than the
one asked. A list with one such record is a bad response as a whole, never a shorter list.
"""

import datetime as dt
import json
import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings

from portal.core.http_client import HttpClient
from portal.core.thaiid import normalize_pid
from portal.registries.base import RegistryUnavailable
from portal.registries.dbd import CommercialRegistration, JuristicPerson, active_first
from portal.registries.diw import CHANGES_PAGE_MAX, Factory, FactoryChanges
from portal.registries.doae import CommunityEnterprise
from portal.registries.dopa import CardCheck, Citizen
from portal.registries.rd import HEAD_OFFICE, Taxpayer, normalize_branch
from portal.registries.world import (
    RecordFormatError,
    _parse_commercial_registration,
    _parse_community_enterprise,
    _parse_factory,
    _parse_juristic_person,
    _parse_taxpayer,
    parse_citizen,
)

__all__ = [
    "HttpCitizenRegistry",
    "HttpCommercialRegistry",
    "HttpCommunityEnterpriseRegistry",
    "HttpFactoryRegistry",
    "HttpJuristicPersonRegistry",
    "HttpTaxpayerRegistry",
]

logger = logging.getLogger(__name__)


class _HttpRegistry:
    """What every registry adapter shares: the client, and answers checked against the
    sandbox-world format and against the ID that was asked about."""

    registry = ""  # the client's target (its circuit) and the name in RegistryUnavailable
    label = ""  # the service's name in log lines and in its settings: {label}_URL, {label}_TOKEN
    # How JSON numbers with a fraction are read. Decimals, as the world loader reads them:
    # horsepower is exact, not a float.
    parse_float: Callable[[str], Any] = Decimal

    def __init__(self, client: HttpClient | None = None):
        self._given_client = client

    def _client(self) -> HttpClient:
        if self._given_client is not None:
            return self._given_client
        url_setting = f"{self.label}_URL"
        base_url = getattr(settings, url_setting, "")
        if not base_url:
            # Members see "the registry cannot be reached"; operators see why here.
            logger.error("%s is not set: %s cannot be called", url_setting, self.label)
            raise RegistryUnavailable(self.registry, "down")
        headers = {"Accept": "application/json"}
        token = getattr(settings, f"{self.label}_TOKEN", "")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return HttpClient(self.registry, base_url=base_url, headers=headers)

    def _post(self, path: str, body: dict) -> dict[str, Any] | None:
        """The 200 answer's JSON object, None for 404; anything else is an unusable registry."""
        response = self._client().post(path, json=body, idempotent=True)
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            logger.warning("%s %s answered HTTP %s", self.label, path, response.status_code)
            raise RegistryUnavailable(self.registry, "down")
        try:
            answer = json.loads(response.content, parse_float=self.parse_float)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            logger.warning("%s %s answered something that is not a JSON object", self.label, path)
            raise RegistryUnavailable(self.registry, "bad_response")
        return answer

    def _bad_response(self, path: str, what: str) -> RegistryUnavailable:
        # Only field names and kinds of fault: values are IDs and personal data.
        logger.warning("%s %s answered %s", self.label, path, what)
        return RegistryUnavailable(self.registry, "bad_response")

    def _parse[T](self, path: str, obj: Any, parse: Callable[[dict], T]) -> T:
        if not isinstance(obj, dict):
            raise self._bad_response(path, "a record that is not a JSON object")
        try:
            return parse(obj)
        except RecordFormatError as exc:
            raise self._bad_response(path, f"a record with a bad {exc.field!r}") from None

    def _one[T](
        self, path: str, body: dict, parse: Callable[[dict], T], asked: Callable[[T], bool]
    ) -> T | None:
        """The one record a lookup answers, None when the registry knows none."""
        answer = self._post(path, body)
        if answer is None:
            return None
        record = self._parse(path, answer, parse)
        if not asked(record):
            raise self._bad_response(path, "about another ID than asked")
        return record

    def _many[T](
        self,
        path: str,
        body: dict,
        key: str,
        parse: Callable[[dict], T],
        asked: Callable[[T], bool],
    ) -> list[T]:
        """Every record a search answers under key; all of them good, or a bad response."""
        answer = self._post(path, body)
        if answer is None:
            return []
        items = answer.get(key)
        if not isinstance(items, list):
            raise self._bad_response(path, f"no list {key!r}")
        records = [self._parse(path, item, parse) for item in items]
        if not all(asked(record) for record in records):
            raise self._bad_response(path, "a record about another ID than asked")
        return records


class HttpCitizenRegistry(_HttpRegistry):
    registry = "dopa"
    label = "DOPA"
    # DOPA's answers have always been read with floats, so a fractional number where a whole
    # one belongs (a birth month of 6.0) stays a bad response rather than being rounded off.
    parse_float = float

    def lookup(self, pid: str) -> Citizen | None:
        record = self._one("citizens/lookup", {"pid": pid}, parse_citizen, lambda r: r.pid == pid)
        return record.to_citizen() if record else None

    def check_card(self, pid: str, laser_code: str) -> CardCheck:
        path = "cards/check"
        body = self._post(path, {"pid": pid, "laser_code": laser_code})
        if body is None:
            return CardCheck(matches=False, current=False, card_status="")
        matches, current = body.get("matches"), body.get("current")
        card_status = body.get("card_status") or ""
        if not (
            isinstance(matches, bool) and isinstance(current, bool) and isinstance(card_status, str)
        ):
            raise self._bad_response(path, "a card check not in the format")
        return CardCheck(matches=matches, current=current, card_status=card_status)


class HttpJuristicPersonRegistry(_HttpRegistry):
    registry = "dbd"
    label = "DBD"

    def lookup(self, juristic_id: str) -> JuristicPerson | None:
        juristic_id = normalize_pid(juristic_id)
        record = self._one(
            "juristic-persons/lookup",
            {"juristic_id": juristic_id},
            _parse_juristic_person,
            lambda r: r.juristic_id == juristic_id,
        )
        return JuristicPerson.from_record(record) if record else None


class HttpCommercialRegistry(_HttpRegistry):
    registry = "dbd"
    label = "DBD"

    def registrations_of(self, owner_pid: str) -> list[CommercialRegistration]:
        owner_pid = normalize_pid(owner_pid)
        records = self._many(
            "commercial-registrations/search",
            {"owner_pid": owner_pid},
            "registrations",
            _parse_commercial_registration,
            lambda r: r.owner_pid == owner_pid,
        )
        return active_first(CommercialRegistration.from_record(r) for r in records)


class HttpTaxpayerRegistry(_HttpRegistry):
    registry = "rd"
    label = "RD"

    def lookup(self, tax_id: str, branch: str = HEAD_OFFICE) -> Taxpayer | None:
        tax_id, branch = normalize_pid(tax_id), normalize_branch(branch)
        record = self._one(
            "taxpayers/lookup",
            {"tax_id": tax_id, "branch": branch},
            _parse_taxpayer,
            lambda r: (r.tax_id, r.branch) == (tax_id, branch),
        )
        return Taxpayer.from_record(record) if record else None

    def branches(self, tax_id: str) -> list[Taxpayer]:
        tax_id = normalize_pid(tax_id)
        records = self._many(
            "taxpayers/branches",
            {"tax_id": tax_id},
            "branches",
            _parse_taxpayer,
            lambda r: r.tax_id == tax_id,
        )
        # Head office first, as the sandbox lists them, whatever order RD answers in.
        return [Taxpayer.from_record(r) for r in sorted(records, key=lambda r: r.branch)]


class HttpCommunityEnterpriseRegistry(_HttpRegistry):
    registry = "doae"
    label = "DOAE"

    def represented_by(self, pid: str) -> list[CommunityEnterprise]:
        pid = normalize_pid(pid)
        records = self._many(
            "community-enterprises/search",
            {"representative_pid": pid},
            "community_enterprises",
            _parse_community_enterprise,
            lambda r: r.representative_pid == pid,
        )
        return [CommunityEnterprise.from_record(r) for r in records]

    def lookup(self, registration_no: str) -> CommunityEnterprise | None:
        registration_no = (registration_no or "").strip()
        record = self._one(
            "community-enterprises/lookup",
            {"registration_no": registration_no},
            _parse_community_enterprise,
            lambda r: r.registration_no == registration_no,
        )
        return CommunityEnterprise.from_record(record) if record else None


class HttpFactoryRegistry(_HttpRegistry):
    registry = "diw"
    label = "DIW"

    def factories_of(self, operator_id: str) -> list[Factory]:
        operator_id = normalize_pid(operator_id)
        records = self._many(
            "factories/search",
            {"operator_id": operator_id},
            "factories",
            _parse_factory,
            lambda r: r.operator_id == operator_id,
        )
        return [Factory.from_record(r) for r in records]

    def lookup(self, factory_no: str) -> Factory | None:
        factory_no = normalize_pid(factory_no)
        record = self._one(
            "factories/lookup",
            {"factory_no": factory_no},
            _parse_factory,
            lambda r: r.factory_no == factory_no,
        )
        return Factory.from_record(record) if record else None

    def changes(
        self, *, since: dt.datetime | None, after_factory_no: str = "", limit: int = 1000
    ) -> FactoryChanges:
        path = "factories/changes"
        limit = max(1, min(limit, CHANGES_PAGE_MAX))
        answer = self._post(
            path,
            {
                "since": since.isoformat() if since is not None else None,
                "after": after_factory_no,
                "limit": limit,
            },
        )
        if answer is None:
            return FactoryChanges(factories=[], more=False)
        items, more = answer.get("factories"), answer.get("more")
        if not isinstance(items, list) or not isinstance(more, bool) or len(items) > limit:
            raise self._bad_response(path, "a page of changes not in the format")
        records = [self._parse(path, item, _parse_factory) for item in items]
        position = (since, after_factory_no) if since is not None else None
        for record in records:
            if record.updated_at is None:
                raise self._bad_response(path, "a record without 'updated_at'")
            key = (record.updated_at, record.factory_no)
            # In order, and after the position asked: a page that goes back would make the
            # mirror's cursor go back too, or loop.
            if position is not None and key <= position:
                raise self._bad_response(path, "records out of order")
            position = key
        return FactoryChanges(factories=[Factory.from_record(r) for r in records], more=more)
