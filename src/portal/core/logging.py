import logging
import re

_THIRTEEN_DIGITS = re.compile(r"(?<!\d)\d{13}(?!\d)")
# One-time codes are 6 digits (ACC-12), in an SMS body or an error message alike; digits run
# into hex letters are part of an id (a task's UUID), not a code, and stay readable.
_SIX_DIGITS = re.compile(r"(?<![0-9A-Fa-f])\d{6}(?![0-9A-Fa-f])")
# A Thai mobile number: 10 digits beginning with 0 (spaces or dashes inside are not expected
# in what the portal logs, which is the normalised number).
_MOBILE = re.compile(r"(?<!\d)0\d{9}(?!\d)")
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+")
# key=value or "key": "value" pairs in a query string, a form, JSON or a repr.
_SECRET_PAIR = re.compile(
    r"(?i)\b((?:access_|refresh_|id_)?token|client_secret|secret|password|code|otp|"
    r"code_verifier|logout_token)(['\"]?\s*[:=]\s*['\"]?)([^&\s'\",}]+)"
)


def redact(text: str) -> str:
    """The text with national IDs, one-time codes, mobile numbers, tokens and secrets hidden."""
    text = _SECRET_PAIR.sub(r"\1\2[secret]", text)
    text = _BEARER.sub(r"\1 [secret]", text)
    text = _THIRTEEN_DIGITS.sub("[id]", text)
    text = _MOBILE.sub("[mobile]", text)
    return _SIX_DIGITS.sub("[code]", text)


class RedactPersonalDataFilter(logging.Filter):
    """No national ID, one-time code, mobile number, token or secret reaches a log line,
    whatever a library decides to print, in the message or in the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = ()
        if record.exc_info and not record.exc_text:
            # The formatter uses exc_text when it is set: the traceback is redacted once here.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
