import logging
import re

_THIRTEEN_DIGITS = re.compile(r"(?<!\d)\d{13}(?!\d)")


class RedactPersonalDataFilter(logging.Filter):
    """No national ID reaches a log line, whatever a library decides to print."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _THIRTEEN_DIGITS.search(message):
            record.msg = _THIRTEEN_DIGITS.sub("[id]", message)
            record.args = ()
        return True
