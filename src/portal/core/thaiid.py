"""National ID helpers: validation, keyed hashing for look-up, encryption for display.

The national ID is personal data (PDPA): the database keeps only a keyed HMAC for look-ups
and a Fernet token where it must be shown again; neither appears in logs or URLs.
"""

import hashlib
import hmac
import re

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.functional import SimpleLazyObject
from stdnum.th import pin as thai_pin

_NON_DIGITS = re.compile(r"[\s\-]")


def normalize_pid(raw: str) -> str:
    """Drop the spaces and dashes people type inside an ID (1-2345-67890-12-1)."""
    return _NON_DIGITS.sub("", raw or "")


def is_valid_pid(pid: str) -> bool:
    """ACC-01: 13 digits with a valid mod-11 check digit (python-stdnum th.pin)."""
    return thai_pin.is_valid(pid)


def is_valid_thirteen_digit_id(number: str) -> bool:
    """Juristic and tax IDs share the mod-11 check of the national ID but may start with 0."""
    if not re.fullmatch(r"\d{13}", number or ""):
        return False
    total = sum(int(d) * w for d, w in zip(number[:12], range(13, 1, -1), strict=True))
    return (11 - total % 11) % 10 == int(number[12])


def pid_hash(pid: str) -> str:
    return hmac.new(settings.PID_HASH_KEY.encode(), pid.encode(), hashlib.sha256).hexdigest()


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.FIELD_ENCRYPTION_KEYS])


_cipher = SimpleLazyObject(_fernet)


def encrypt_text(value: str) -> str:
    return _cipher.encrypt(value.encode()).decode()


def decrypt_text(token: str) -> str:
    try:
        return _cipher.decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def mask_pid(pid: str) -> str:
    """Show enough of an ID to recognise it: 1-1037-xxxxx-xx-1."""
    if len(pid) != 13:
        return ""
    return f"{pid[0]}-{pid[1:5]}-xxxxx-xx-{pid[12]}"
