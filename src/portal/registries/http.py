"""HTTP adapters: the registries' ports answered by the real services, through core.http_client.

DOPA civil registry (settings.DOPA_URL, bearer token settings.DOPA_TOKEN). Both calls are POST so
that national IDs travel in bodies, never in URLs or access logs; both only read, so the client
may retry them.

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

Any other answer, a timeout, a refused connection or an open circuit raises
RegistryUnavailable("dopa", reason): "timeout", "down", "circuit_open", or "bad_response" when a
200 answer is not in the format above.
"""

import logging
from typing import Any

import httpx
from django.conf import settings

from portal.core.http_client import HttpClient
from portal.registries.base import RegistryUnavailable
from portal.registries.dopa import CardCheck, Citizen
from portal.registries.world import RecordFormatError, parse_citizen

__all__ = ["HttpCitizenRegistry"]

logger = logging.getLogger(__name__)


class HttpCitizenRegistry:
    registry = "dopa"

    def __init__(self, client: HttpClient | None = None):
        self._given_client = client

    def _client(self) -> HttpClient:
        if self._given_client is not None:
            return self._given_client
        if not settings.DOPA_URL:
            # Members see "the civil registry cannot be reached"; operators see why here.
            logger.error("DOPA_URL is not set: the civil registry cannot be called")
            raise RegistryUnavailable(self.registry, "down")
        headers = {"Accept": "application/json"}
        if settings.DOPA_TOKEN:
            headers["Authorization"] = f"Bearer {settings.DOPA_TOKEN}"
        return HttpClient(self.registry, base_url=settings.DOPA_URL, headers=headers)

    def _post(self, path: str, body: dict) -> httpx.Response | None:
        """The 200 answer, None for 404; anything else means the registry cannot be used."""
        response = self._client().post(path, json=body, idempotent=True)
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            logger.warning("DOPA %s answered HTTP %s", path, response.status_code)
            raise RegistryUnavailable(self.registry, "down")
        return response

    def _json_object(self, path: str, response: httpx.Response) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            logger.warning("DOPA %s answered something that is not a JSON object", path)
            raise RegistryUnavailable(self.registry, "bad_response")
        return body

    def lookup(self, pid: str) -> Citizen | None:
        path = "citizens/lookup"
        response = self._post(path, {"pid": pid})
        if response is None:
            return None
        try:
            record = parse_citizen(self._json_object(path, response))
        except RecordFormatError as exc:
            # Only the field's name: its value is personal data.
            logger.warning("DOPA %s answered a citizen with a bad %r", path, exc.field)
            raise RegistryUnavailable(self.registry, "bad_response") from None
        if record.pid != pid:
            logger.warning("DOPA %s answered about another person than asked", path)
            raise RegistryUnavailable(self.registry, "bad_response")
        return record.to_citizen()

    def check_card(self, pid: str, laser_code: str) -> CardCheck:
        path = "cards/check"
        response = self._post(path, {"pid": pid, "laser_code": laser_code})
        if response is None:
            return CardCheck(matches=False, current=False, card_status="")
        body = self._json_object(path, response)
        matches, current = body.get("matches"), body.get("current")
        card_status = body.get("card_status") or ""
        if not (
            isinstance(matches, bool) and isinstance(current, bool) and isinstance(card_status, str)
        ):
            logger.warning("DOPA %s answered a card check not in the format", path)
            raise RegistryUnavailable(self.registry, "bad_response")
        return CardCheck(matches=matches, current=current, card_status=card_status)
