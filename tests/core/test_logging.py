"""The redacting log filter: no national ID, one-time code, mobile number, token or secret
reaches a log line, in the message or in a traceback."""

import io
import logging

import pytest
from django.conf import settings

from portal.core.logging import RedactPersonalDataFilter


@pytest.fixture
def log_line():
    """A logger whose handler is configured as the settings' console handler."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["redact"]
    assert (
        settings.LOGGING["filters"]["redact"]["()"]
        == "portal.core.logging.RedactPersonalDataFilter"
    )
    handler.addFilter(RedactPersonalDataFilter())
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("tests.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    yield logger, stream
    logger.removeHandler(handler)


@pytest.mark.parametrize(
    ("message", "args", "expected"),
    [
        ("sending %s", ("OTP 654321 (Ref ABCD)",), "sending OTP [code] (Ref ABCD)"),
        ("to %s", ("0812345678",), "to [mobile]"),
        ("member %s", ("1103700123457",), "member [id]"),
        (
            '"GET /accounts/thaid/callback?code=Zx9-abc&state=q1w2 HTTP/1.1" 302',
            (),
            '"GET /accounts/thaid/callback?code=[secret]&state=q1w2 HTTP/1.1" 302',
        ),
        (
            "headers %s",
            ({"Authorization": "Bearer eyJhbGci.eyJzdWIi.c2ln"},),
            "headers {'Authorization': 'Bearer [secret]'}",
        ),
        (
            "token answer %s",
            ({"access_token": "AbC123", "refresh_token": "dEf456", "expires_in": 3600},),
            "token answer {'access_token': '[secret]', 'refresh_token': '[secret]', "
            "'expires_in': 3600}",
        ),
        ("client_secret=s3cr3t password: hunter2", (), "client_secret=[secret] password: [secret]"),
        ("Task id=7 path=x state=RUNNING", (), "Task id=7 path=x state=RUNNING"),
        # A task's UUID keeps its digits: they run into hex letters, a code does not.
        (
            "Task 0c4fa77b-2f41-4c3e-9d1a-5e0fa123456b finished",
            (),
            "Task 0c4fa77b-2f41-4c3e-9d1a-5e0fa123456b finished",
        ),
        ("รหัส 123456 ใช้ได้ 5 นาที", (), "รหัส [code] ใช้ได้ 5 นาที"),
        (
            "outbound message 1234 failed after 4 attempts: sms:down",
            (),
            "outbound message 1234 failed after 4 attempts: sms:down",
        ),
    ],
)
def test_log_lines_carry_no_code_mobile_id_token_or_secret(log_line, message, args, expected):
    logger, stream = log_line
    logger.warning(message, *args)
    assert stream.getvalue() == expected + "\n"


def test_a_traceback_is_redacted_too(log_line):
    logger, stream = log_line
    try:
        raise ValueError("gateway refused OTP 112233 for 0898765432")
    except ValueError:
        logger.exception("send failed")
    output = stream.getvalue()
    assert output.startswith("send failed\nTraceback (most recent call last):\n")
    assert output.endswith("ValueError: gateway refused OTP [code] for [mobile]\n")
    assert "112233" not in output
    assert "0898765432" not in output
