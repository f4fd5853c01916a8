"""The sandbox registries' failure switches: down, slow, timeout, per registry, in the shared
cache, starting from SANDBOX_FAILURES."""

import time

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.registries.base import RegistryUnavailable
from portal.registries.failures import (
    failure_apply,
    failure_mode,
    failure_set,
    failures_all,
    failures_reset,
    parse_failures,
)

# The switches live in the database cache; no_failure_switches: conftest.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_failure_switches")]


def test_every_registry_works_until_switched():
    assert failure_mode("dopa") is None
    assert failures_all() == {}


def test_a_switch_holds_for_its_registry_only():
    failure_set("dopa", "down")
    failure_set("diw", "slow")

    assert failure_mode("dopa") == "down"
    assert failure_mode("diw") == "slow"
    assert failure_mode("dbd") is None
    assert failures_all() == {"dopa": "down", "diw": "slow"}


@pytest.mark.parametrize("working", [None, "", "none"])
def test_a_switch_is_turned_off_with_none(working):
    failure_set("dopa", "timeout")

    failure_set("dopa", working)

    assert failure_mode("dopa") is None
    assert failures_all() == {}


def test_the_initial_modes_come_from_the_sandbox_failures_setting(settings):
    settings.SANDBOX_FAILURES = "dopa:down, dbd:slow,,rd:none"

    assert failures_all() == {"dopa": "down", "dbd": "slow"}
    assert failure_mode("rd") is None


def test_without_the_setting_the_initial_modes_come_from_the_environment(settings, monkeypatch):
    del settings.SANDBOX_FAILURES
    monkeypatch.setenv("SANDBOX_FAILURES", "doae:timeout")

    assert failures_all() == {"doae": "timeout"}


def test_a_switch_wins_over_the_initial_modes_until_reset(settings):
    settings.SANDBOX_FAILURES = "dopa:down"

    failure_set("dopa", None)
    assert failure_mode("dopa") is None

    failures_reset()
    assert failure_mode("dopa") == "down"


@pytest.mark.parametrize(
    ("registry", "mode"), [("dopa", "exploded"), ("DOPA", "down"), ("", "down"), ("a b", None)]
)
def test_unknown_registry_names_and_modes_are_refused(registry, mode):
    with pytest.raises(ValueError):
        failure_set(registry, mode)
    assert failures_all() == {}


def test_a_bad_sandbox_failures_setting_is_a_configuration_error(settings):
    settings.SANDBOX_FAILURES = "dopa:sometimes"

    with pytest.raises(ImproperlyConfigured, match="SANDBOX_FAILURES"):
        failure_mode("dopa")


def test_parse_failures_keeps_the_last_word_on_each_registry():
    assert parse_failures("dopa:down,dbd:slow,dopa:timeout") == {"dopa": "timeout", "dbd": "slow"}
    assert parse_failures("dopa:down,dopa:none") == {}
    assert parse_failures("") == {}


def test_acc_05_registry_down_raises_unavailable_at_once(settings):
    """ACC-05: Registry down raises unavailable at once."""
    settings.SANDBOX_SLOW_SECONDS = 2
    failure_set("dopa", "down")

    started = time.monotonic()
    with pytest.raises(RegistryUnavailable) as raised:
        failure_apply("dopa")

    assert time.monotonic() - started < 1
    assert (raised.value.registry, raised.value.reason) == ("dopa", "down")


def test_acc_05_registry_timeout_waits_then_raises_unavailable(settings):
    """ACC-05: Registry timeout waits then raises unavailable."""
    settings.SANDBOX_SLOW_SECONDS = 5
    settings.REGISTRY_TIMEOUT_SECONDS = 0.1  # the wait never exceeds the real timeout
    failure_set("dopa", "timeout")

    started = time.monotonic()
    with pytest.raises(RegistryUnavailable) as raised:
        failure_apply("dopa")

    elapsed = time.monotonic() - started
    assert 0.1 <= elapsed < 2
    assert (raised.value.registry, raised.value.reason) == ("dopa", "timeout")


def test_a_slow_registry_waits_and_then_answers(settings):
    settings.SANDBOX_SLOW_SECONDS = 0.2
    failure_set("dbd", "slow")

    started = time.monotonic()
    assert failure_apply("dbd") is None

    assert time.monotonic() - started >= 0.2


def test_the_slow_delay_falls_back_to_the_environment(settings, monkeypatch):
    del settings.SANDBOX_SLOW_SECONDS
    monkeypatch.setenv("SANDBOX_SLOW_SECONDS", "0.15")
    failure_set("dbd", "slow")

    started = time.monotonic()
    failure_apply("dbd")

    assert time.monotonic() - started >= 0.15


def test_a_working_registry_answers_at_once(settings):
    settings.SANDBOX_SLOW_SECONDS = 2
    failure_set("dbd", "slow")

    started = time.monotonic()
    assert failure_apply("dopa") is None
    assert time.monotonic() - started < 1
