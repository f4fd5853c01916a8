"""The client's address comes from the socket, or from X-Forwarded-For only as far as the
trusted proxies (TRUSTED_PROXY_HOPS) appended to it."""

import pytest
from django.test import RequestFactory

from portal.core.network import client_ip

rf = RequestFactory()


def _request(remote="10.0.0.5", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_HOPS = 0
    assert client_ip(_request(forwarded="203.0.113.9")) == "10.0.0.5"


def test_one_trusted_proxy_gives_the_address_it_appended(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    # The client wrote 1.2.3.4 itself; our proxy appended the address it really saw.
    assert client_ip(_request(forwarded="1.2.3.4, 203.0.113.9")) == "203.0.113.9"


def test_two_trusted_proxies_skip_the_inner_one(settings):
    settings.TRUSTED_PROXY_HOPS = 2
    assert client_ip(_request(forwarded="1.2.3.4, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"


@pytest.mark.parametrize("forwarded", ["", "not-an-address"])
def test_a_missing_or_bad_header_falls_back_to_the_socket(settings, forwarded):
    settings.TRUSTED_PROXY_HOPS = 1
    assert client_ip(_request(forwarded=forwarded)) == "10.0.0.5"


def test_fewer_entries_than_trusted_hops_falls_back_to_the_socket(settings):
    settings.TRUSTED_PROXY_HOPS = 2
    assert client_ip(_request(forwarded="203.0.113.9")) == "10.0.0.5"


def test_ipv6_addresses_are_normalised(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    assert client_ip(_request(forwarded="2001:DB8::0001")) == "2001:db8::1"
