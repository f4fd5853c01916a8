"""The HTTP DOPA adapter against a local fake DOPA: the API of portal.registries.http, timeouts,
retries, the circuit breaker, and no national ID in any log line."""

import logging
import time

import pytest
from werkzeug import Response

from portal.registries.base import RegistryUnavailable
from portal.registries.dopa import CardCheck
from portal.registries.http import HttpCitizenRegistry
from tests.factories import citizen_record

LASER = "JT0-1234567-89"
LOOKUP = "/dopa/citizens/lookup"
CARDS = "/dopa/cards/check"


# server, fresh_server, quick_http_client and hanging_server: tests/registries/conftest.py


@pytest.fixture(autouse=True)
def fake_dopa(fresh_server, quick_http_client, settings):
    settings.DOPA_URL = fresh_server.url_for("/dopa")
    settings.DOPA_TOKEN = "test-token"


@pytest.fixture
def person():
    return citizen_record(address={"province": "ยะลา", "postcode": "95000"})


def test_lookup_posts_the_id_in_the_body_with_the_bearer_token(server, person):
    server.expect_request(
        LOOKUP,
        method="POST",
        json={"pid": person["pid"]},
        headers={"Authorization": "Bearer test-token"},
    ).respond_with_json(person)

    citizen = HttpCitizenRegistry().lookup(person["pid"])

    assert citizen.pid == person["pid"]
    assert (citizen.first_name_th, citizen.last_name_en) == ("สมชาย", "Jaidee")
    assert (citizen.birth_year_be, citizen.birth_month, citizen.birth_day) == (2527, 6, 19)
    assert citizen.card_status == "active"
    assert citizen.address["postcode"] == "95000"
    (request, _), *_ = server.log
    assert person["pid"] not in request.url  # IDs never in URLs or access logs
    assert request.query_string == b""


def test_acc_05_lookup_of_an_id_dopa_does_not_know_is_none(server, person):
    """ACC-05: Lookup of an ID DOPA does not know is none."""
    server.expect_request(LOOKUP, method="POST").respond_with_data("", status=404)

    assert HttpCitizenRegistry().lookup(person["pid"]) is None
    assert len(server.log) == 1


def test_biz_02_card_check_posts_id_and_laser_code(server, person):
    """BIZ-02: Card check posts ID and laser code."""
    server.expect_request(
        CARDS, method="POST", json={"pid": person["pid"], "laser_code": LASER}
    ).respond_with_json({"matches": True, "current": False, "card_status": "expired"})

    check = HttpCitizenRegistry().check_card(person["pid"], LASER)

    assert check == CardCheck(matches=True, current=False, card_status="expired")


def test_biz_02_card_check_of_an_unknown_id_does_not_match(server, person):
    """BIZ-02: Card check of an unknown ID does not match."""
    server.expect_request(CARDS, method="POST").respond_with_data("", status=404)

    assert HttpCitizenRegistry().check_card(person["pid"], LASER) == CardCheck(False, False, "")


def test_acc_05_registry_timeout_raises_unavailable_after_retries(settings, person, hanging_server):
    """ACC-05: Registry timeout raises unavailable after retries."""
    fake, calls = hanging_server
    settings.DOPA_URL = fake.url_for("/dopa")
    settings.REGISTRY_TIMEOUT_SECONDS = 0.2

    started = time.monotonic()
    with pytest.raises(RegistryUnavailable) as raised:
        HttpCitizenRegistry().lookup(person["pid"])

    assert (raised.value.registry, raised.value.reason) == ("dopa", "timeout")
    assert len(calls) == 3  # a lookup only reads: tried again twice
    assert time.monotonic() - started < 2


def test_a_lookup_is_retried_on_503_and_then_succeeds(server, person):
    server.expect_oneshot_request(LOOKUP, method="POST").respond_with_data("", status=503)
    server.expect_oneshot_request(LOOKUP, method="POST").respond_with_data("", status=502)
    server.expect_request(LOOKUP, method="POST").respond_with_json(person)

    citizen = HttpCitizenRegistry().lookup(person["pid"])

    assert citizen.pid == person["pid"]
    assert [response.status_code for _, response in server.log] == [503, 502, 200]


def test_acc_05_registry_down_raises_unavailable_when_retries_run_out(server, person):
    """ACC-05: Registry down raises unavailable when retries run out."""
    server.expect_request(LOOKUP, method="POST").respond_with_data("", status=503)

    with pytest.raises(RegistryUnavailable) as raised:
        HttpCitizenRegistry().lookup(person["pid"])

    assert raised.value.reason == "down"
    assert len(server.log) == 3


def test_acc_05_refused_credentials_are_an_outage_not_retried(server, person):
    """ACC-05: Refused credentials are an outage not retried."""
    server.expect_request(LOOKUP, method="POST").respond_with_data("", status=401)

    with pytest.raises(RegistryUnavailable) as raised:
        HttpCitizenRegistry().lookup(person["pid"])

    assert raised.value.reason == "down"
    assert len(server.log) == 1


def test_circuit_opens_after_repeated_failures_and_then_fails_fast(server, settings, person):
    settings.REGISTRY_RETRIES = 0
    server.expect_request(LOOKUP, method="POST").respond_with_data("", status=503)
    dopa = HttpCitizenRegistry()

    reasons = []
    for _ in range(3):
        with pytest.raises(RegistryUnavailable) as raised:
            dopa.lookup(person["pid"])
        reasons.append(raised.value.reason)
    assert reasons == ["down", "down", "down"]
    assert len(server.log) == 3

    started = time.monotonic()
    with pytest.raises(RegistryUnavailable) as lookup:
        dopa.lookup(person["pid"])
    with pytest.raises(RegistryUnavailable) as card:
        HttpCitizenRegistry().check_card(person["pid"], LASER)

    assert (lookup.value.reason, card.value.reason) == ("circuit_open", "circuit_open")
    assert len(server.log) == 3  # DOPA was not called again
    assert time.monotonic() - started < 0.5


def test_circuit_half_opens_after_the_reset_timeout(server, settings, person):
    settings.REGISTRY_RETRIES = 0
    settings.REGISTRY_BREAKER_RESET_SECONDS = 0.3
    server.expect_request(LOOKUP, method="POST").respond_with_data("", status=504)
    dopa = HttpCitizenRegistry()
    for _ in range(3):
        with pytest.raises(RegistryUnavailable):
            dopa.lookup(person["pid"])

    # Still failing after the pause: the one trial call opens the circuit again.
    time.sleep(0.35)
    with pytest.raises(RegistryUnavailable) as trial:
        dopa.lookup(person["pid"])
    with pytest.raises(RegistryUnavailable) as after_trial:
        dopa.lookup(person["pid"])
    assert (trial.value.reason, after_trial.value.reason) == ("down", "circuit_open")
    assert len(server.log) == 4

    # Back on its feet: the trial call succeeds and closes the circuit.
    time.sleep(0.35)
    server.clear_all_handlers()
    server.expect_request(LOOKUP, method="POST").respond_with_json(person)
    assert dopa.lookup(person["pid"]).pid == person["pid"]
    assert dopa.lookup(person["pid"]).pid == person["pid"]


@pytest.mark.parametrize(
    "answer",
    [
        Response("<html>maintenance</html>", content_type="text/html"),
        Response("[]", content_type="application/json"),
        Response('{"pid": "1101700230705", "first_name_th": "x"}', content_type="application/json"),
        Response('{"first_name_th": "x"}', content_type="application/json"),
    ],
    ids=["not-json", "not-an-object", "another-person", "no-pid"],
)
def test_a_lookup_answer_not_in_the_format_is_a_bad_response(server, person, answer):
    server.expect_request(LOOKUP, method="POST").respond_with_response(answer)

    with pytest.raises(RegistryUnavailable) as raised:
        HttpCitizenRegistry().lookup(person["pid"])

    assert raised.value.reason == "bad_response"


@pytest.mark.parametrize(
    "answer",
    [
        {"matches": "yes", "current": True, "card_status": "active"},
        {"matches": True, "card_status": "active"},
        {"matches": True, "current": True, "card_status": 1},
    ],
)
def test_a_card_check_answer_not_in_the_format_is_a_bad_response(server, person, answer):
    server.expect_request(CARDS, method="POST").respond_with_json(answer)

    with pytest.raises(RegistryUnavailable) as raised:
        HttpCitizenRegistry().check_card(person["pid"], LASER)

    assert raised.value.reason == "bad_response"


def test_without_dopa_url_the_registry_is_unavailable(settings, person):
    settings.DOPA_URL = ""

    with pytest.raises(RegistryUnavailable) as raised:
        HttpCitizenRegistry().lookup(person["pid"])

    assert (raised.value.registry, raised.value.reason) == ("dopa", "down")


def test_no_national_id_or_laser_code_in_any_log_line(
    server, settings, person, caplog, hanging_server
):
    caplog.set_level(logging.DEBUG)
    dopa = HttpCitizenRegistry()
    pid = person["pid"]

    server.expect_oneshot_request(LOOKUP, method="POST").respond_with_data("", status=503)
    server.expect_oneshot_request(LOOKUP, method="POST").respond_with_json(person)
    dopa.lookup(pid)
    server.expect_oneshot_request(LOOKUP, method="POST").respond_with_json(
        {**person, "birth_month": f"{pid}"}
    )
    with pytest.raises(RegistryUnavailable):
        dopa.lookup(pid)
    server.expect_oneshot_request(CARDS, method="POST").respond_with_json(
        {"matches": True, "current": True, "card_status": "active"}
    )
    dopa.check_card(pid, LASER)
    server.expect_oneshot_request(CARDS, method="POST").respond_with_data("", status=500)
    with pytest.raises(RegistryUnavailable):
        dopa.check_card(pid, LASER)
    fake, _ = hanging_server
    settings.DOPA_URL = fake.url_for("/dopa")
    settings.REGISTRY_TIMEOUT_SECONDS = 0.1
    with pytest.raises(RegistryUnavailable):
        HttpCitizenRegistry().lookup(pid)

    assert "retrying" in caplog.text  # the log says what happened ...
    assert "'birth_month'" in caplog.text
    assert pid not in caplog.text  # ... and not to whom
    assert LASER not in caplog.text
    assert LASER.replace("-", "") not in caplog.text
