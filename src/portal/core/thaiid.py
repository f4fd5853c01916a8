"""National ID helpers: validation, keyed hashing for look-up, encryption for display.

The national ID is personal data (PDPA): the database keeps only a keyed HMAC for look-ups
and a Fernet token where it must be shown again; neither appears in logs or URLs.
"""

import hashlib
import hmac
import re
import unicodedata

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.functional import SimpleLazyObject
from stdnum.th import pin as thai_pin

# Spaces and the dashes people type inside an ID (1-2345-67890-12-1), after NFKC: any space,
# hyphen, minus or dash punctuation.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\u30fc]")


def normalise_pid(text: str) -> str:
    """The ID as ASCII digits, whatever keyboard typed it: NFKC (full-width forms become
    plain ones), every Unicode decimal digit (Thai ๑๒๓, Arabic-Indic ...) to 0-9, spaces and
    dashes dropped. Used before every check and every hash of a national ID; anything else
    is left as it is, so a check of the result still refuses it."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char for char in text)
    return _SEPARATORS.sub("", text)


# The name the registries and earlier code use; the same function.
normalize_pid = normalise_pid


def is_valid_pid(pid: str) -> bool:
    """ACC-01: 13 digits with a valid mod-11 check digit (python-stdnum th.pin)."""
    pid = normalise_pid(pid)
    return bool(re.fullmatch(r"[0-9]{13}", pid)) and thai_pin.is_valid(pid)


def is_valid_thirteen_digit_id(number: str) -> bool:
    """Juristic and tax IDs share the mod-11 check of the national ID but may start with 0."""
    if not re.fullmatch(r"\d{13}", number or ""):
        return False
    total = sum(int(d) * w for d, w in zip(number[:12], range(13, 1, -1), strict=True))
    return (11 - total % 11) % 10 == int(number[12])


def pid_hash(pid: str) -> str:
    """The keyed hash the database looks IDs up by; of the normalised ID, so that the same ID
    typed with Thai or full-width digits finds the same member."""
    pid = normalise_pid(pid)
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
