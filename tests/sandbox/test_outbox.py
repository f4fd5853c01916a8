"""The sandbox outbox (HTML and JSON) and the registries' failure switches page."""

import datetime as dt
import importlib

import pytest
from django.test import Client
from django.urls import NoReverseMatch, clear_url_caches, reverse
from django.utils import timezone

from portal.registries.failures import failure_mode, failure_set
from portal.sandbox.models import OutboxMessage

pytestmark = pytest.mark.django_db

REGISTRIES = ("dopa", "dbd", "rd", "doae", "diw", "sms")
BANGKOK_NOON = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC) - dt.timedelta(hours=7)


def outbox_message(minutes: int, **fields) -> OutboxMessage:
    values = {
        "channel": "sms",
        "to": "0812345678",
        "sender": "iIDS",
        "subject": "",
        "body": f"message at +{minutes} min",
        "created_at": BANGKOK_NOON + dt.timedelta(minutes=minutes),
    }
    values.update(fields)
    return OutboxMessage.objects.create(**values)


@pytest.fixture
def three_messages():
    return [
        outbox_message(0),
        outbox_message(
            5,
            channel="email",
            to="somchai@example.com",
            sender="i-Industry <no-reply@industry.go.th>",
            subject="ยืนยันอีเมล",
            body="รหัส 111222",
        ),
        outbox_message(10, to="0899999999", sender="i-ind", body="รหัส OTP 333444"),
    ]


@pytest.fixture
def english(client):
    client.cookies["portal_language"] = "en"
    return client


# JSON


def test_outbox_json_lists_every_field_newest_first(client, three_messages):
    response = client.get("/sandbox/outbox.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert response.json() == {
        "messages": [
            {
                "channel": "sms",
                "to": "0899999999",
                "sender": "i-ind",
                "subject": "",
                "body": "รหัส OTP 333444",
                "time": "2026-11-20T12:10:00+07:00",
            },
            {
                "channel": "email",
                "to": "somchai@example.com",
                "sender": "i-Industry <no-reply@industry.go.th>",
                "subject": "ยืนยันอีเมล",
                "body": "รหัส 111222",
                "time": "2026-11-20T12:05:00+07:00",
            },
            {
                "channel": "sms",
                "to": "0812345678",
                "sender": "iIDS",
                "subject": "",
                "body": "message at +0 min",
                "time": "2026-11-20T12:00:00+07:00",
            },
        ]
    }


def test_outbox_json_same_second_keeps_insertion_order_newest_first(client):
    same_time = timezone.now()
    OutboxMessage.objects.create(channel="sms", to="1", body="first", created_at=same_time)
    OutboxMessage.objects.create(channel="sms", to="1", body="second", created_at=same_time)
    bodies = [m["body"] for m in client.get("/sandbox/outbox.json").json()["messages"]]
    assert bodies == ["second", "first"]


def test_outbox_json_filters_by_recipient(client, three_messages):
    outbox_message(20, body="later to the first number")

    messages = client.get("/sandbox/outbox.json", {"to": "0812345678"}).json()["messages"]

    assert [m["body"] for m in messages] == ["later to the first number", "message at +0 min"]
    assert client.get("/sandbox/outbox.json", {"to": "0800000000"}).json() == {"messages": []}


def test_outbox_json_limit_keeps_the_newest(client, three_messages):
    messages = client.get("/sandbox/outbox.json", {"limit": "2"}).json()["messages"]
    assert [m["time"][11:16] for m in messages] == ["12:10", "12:05"]

    filtered = client.get("/sandbox/outbox.json", {"to": "0812345678", "limit": 1}).json()
    assert [m["body"] for m in filtered["messages"]] == ["message at +0 min"]


@pytest.mark.parametrize("limit", ["0", "-1", "abc", "501", "1.5"])
def test_outbox_json_refuses_a_bad_limit(client, limit):
    response = client.get("/sandbox/outbox.json", {"limit": limit})
    assert response.status_code == 400
    assert "limit" in response.json()["error"]


def test_outbox_json_default_limit_is_fifty(client):
    OutboxMessage.objects.bulk_create(
        OutboxMessage(channel="sms", to="1", body=str(i), created_at=BANGKOK_NOON)
        for i in range(55)
    )
    assert len(client.get("/sandbox/outbox.json").json()["messages"]) == 50


def test_outbox_json_answers_get_only(client):
    assert client.post("/sandbox/outbox.json").status_code == 405


# HTML


def test_outbox_page_lists_messages_newest_first_in_an_accessible_table(english, three_messages):
    response = english.get(reverse("sandbox:outbox"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<caption" in html
    for column in ("Time", "Channel", "To", "Sender", "Subject", "Message"):
        assert f'<th scope="col" role="columnheader">{column}</th>' in html
    positions = [html.index(body) for body in ("333444", "111222", "message at +0 min")]
    assert positions == sorted(positions)
    assert '<time datetime="2026-11-20T12:10:00+07:00">20 Nov 2026 12:10</time>' in html
    assert "ยืนยันอีเมล" in html
    assert 'data-label="Message"' in html  # stacked, labelled cells on a phone
    assert '<meta name="viewport"' in html


def test_outbox_page_in_thai_shows_buddhist_era_times(client, three_messages):
    html = client.get(reverse("sandbox:outbox")).content.decode()

    assert '<html lang="th">' in html
    assert "กล่องข้อความขาออก SMS และอีเมล" in html
    assert "20 พ.ย. 2569 12:10 น." in html


def test_outbox_page_filters_by_recipient(english, three_messages):
    html = english.get(reverse("sandbox:outbox"), {"to": "somchai@example.com"}).content.decode()

    assert "111222" in html
    assert "333444" not in html
    assert "message at +0 min" not in html
    assert 'value="somchai@example.com"' in html
    assert "Messages sent to somchai@example.com, newest first" in html


def test_outbox_page_says_when_there_is_nothing(english):
    html = english.get(reverse("sandbox:outbox")).content.decode()
    assert "No messages yet." in html
    assert "<table" not in html


def test_outbox_page_escapes_message_text(english):
    outbox_message(0, body="<script>alert(1)</script>")
    html = english.get(reverse("sandbox:outbox")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_outbox_page_query_count_does_not_grow_with_messages(client, django_assert_max_num_queries):
    outbox_message(0)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("sandbox:outbox"))
    for minute in range(1, 40):
        outbox_message(minute)
    with django_assert_max_num_queries(len(few)) as many:
        client.get(reverse("sandbox:outbox"))
    assert len(many) == len(few)


# Registries failure switches


@pytest.fixture
def all_registries_working():
    for registry in REGISTRIES:
        failure_set(registry, "none")
    yield
    for registry in REGISTRIES:
        failure_set(registry, "none")


@pytest.fixture
def csrf_client(english):
    csrf = Client(enforce_csrf_checks=True)
    csrf.cookies["portal_language"] = "en"
    return csrf


def csrf_token(client) -> str:
    client.get(reverse("sandbox:registries"))
    return client.cookies["csrftoken"].value


@pytest.mark.usefixtures("all_registries_working")
def test_registries_page_lists_every_registry_with_its_mode(english):
    failure_set("rd", "slow")

    response = english.get(reverse("sandbox:registries"))

    assert response.status_code == 200
    html = response.content.decode()
    for registry in REGISTRIES:
        assert f'data-registry="{registry}"' in html
        assert f'id="mode-{registry}"' in html
    assert 'data-registry="rd" data-mode="slow"' in html
    assert 'data-registry="dopa" data-mode="none"' in html
    assert '<th scope="col" role="columnheader">Registry</th>' in html


@pytest.mark.usefixtures("all_registries_working")
def test_registries_page_switches_a_failure_mode(csrf_client):
    token = csrf_token(csrf_client)

    response = csrf_client.post(
        reverse("sandbox:registries"),
        {"registry": "dopa", "mode": "down", "csrfmiddlewaretoken": token},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("sandbox:registries"), 302)]
    assert failure_mode("dopa") == "down"
    assert failure_mode("dbd") is None
    html = response.content.decode()
    assert 'data-registry="dopa" data-mode="down"' in html
    assert "The failure mode of “DOPA: citizens and ID cards” is now “down”." in html


@pytest.mark.usefixtures("all_registries_working")
def test_registries_page_switch_of_sms_reaches_the_sandbox_gateway(csrf_client):
    from portal.registries.base import RegistryUnavailable
    from portal.sandbox.sms import SandboxSmsGateway

    token = csrf_token(csrf_client)
    csrf_client.post(
        reverse("sandbox:registries"),
        {"registry": "sms", "mode": "down", "csrfmiddlewaretoken": token},
    )
    with pytest.raises(RegistryUnavailable):
        SandboxSmsGateway().send(to="0812345678", sender="iIDS", body="x")

    csrf_client.post(
        reverse("sandbox:registries"),
        {"registry": "sms", "mode": "none", "csrfmiddlewaretoken": token},
    )
    assert SandboxSmsGateway().send(to="0812345678", sender="iIDS", body="x").startswith("outbox-")


@pytest.mark.usefixtures("all_registries_working")
def test_registries_page_refuses_a_post_without_csrf_token(csrf_client):
    response = csrf_client.post(reverse("sandbox:registries"), {"registry": "dopa", "mode": "down"})
    assert response.status_code == 403
    assert failure_mode("dopa") is None


@pytest.mark.usefixtures("all_registries_working")
@pytest.mark.parametrize(
    "data",
    [
        {"registry": "dopa", "mode": "exploded"},
        {"registry": "bank-of-nowhere", "mode": "down"},
        {"registry": "dopa"},
        {},
    ],
)
def test_registries_page_refuses_unknown_registry_or_mode(english, data):
    response = english.post(reverse("sandbox:registries"), data)
    assert response.status_code == 400
    assert all(failure_mode(registry) is None for registry in REGISTRIES)


# Sandbox only


def test_sandbox_pages_are_not_mounted_without_sandbox(settings):
    import portal.urls

    settings.SANDBOX = False
    try:
        without_sandbox = importlib.reload(portal.urls)
        with pytest.raises(NoReverseMatch):
            reverse("sandbox:outbox", urlconf=without_sandbox)
    finally:
        settings.SANDBOX = True
        importlib.reload(portal.urls)
        clear_url_caches()
    assert reverse("sandbox:outbox") == "/sandbox/outbox/"
    assert reverse("sandbox:outbox_json") == "/sandbox/outbox.json"
