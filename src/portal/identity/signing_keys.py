"""The OpenID Connect signing keys (RS256), kept as PEM files in one directory:

    <OIDC_KEY_DIR>/active.pem          signs every new ID token and logout token
    <OIDC_KEY_DIR>/retired/*.pem       still published in the JWKS, so that tokens signed
                                       before a rotation keep validating until they expire

`manage.py oidc_rotate_key` makes a new active key and retires the old one; it removes
retired keys older than the ID-token lifetime. This module is read by the settings, so it
imports nothing from Django.
"""

import os
import threading
import time
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def new_private_key_pem() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def write_once(path: Path, content: bytes) -> None:
    """Write `path` only if it does not exist, atomically: parallel processes starting on a
    fresh machine must all end up with the same key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.write_bytes(content)
    os.chmod(temporary, 0o600)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()


def load(key_dir: Path, *, create: bool) -> tuple[str, list[str]]:
    """(active PEM, retired PEMs newest first). With `create`, a missing active key is made
    (development and sandbox); production provides the directory."""
    active = key_dir / "active.pem"
    if not active.exists():
        if not create:
            return "", []
        write_once(active, new_private_key_pem())
    retired_dir = key_dir / "retired"
    retired = sorted(retired_dir.glob("*.pem"), reverse=True) if retired_dir.exists() else []
    return active.read_text(), [path.read_text() for path in retired]


def rotate(key_dir: Path, *, keep_retired_seconds: int, now: float | None = None) -> Path:
    """Retire the active key, make a new one, and drop retired keys that no unexpired token
    can still need. Returns the retired file."""
    now = time.time() if now is None else now
    key_dir.mkdir(parents=True, exist_ok=True)
    retired_dir = key_dir / "retired"
    retired_dir.mkdir(exist_ok=True)
    active = key_dir / "active.pem"
    retired_path = retired_dir / f"{int(now)}.pem"
    if active.exists():
        os.replace(active, retired_path)
    write_once(active, new_private_key_pem())
    for path in retired_dir.glob("*.pem"):
        if path != retired_path and now - int(path.stem) > keep_retired_seconds:
            path.unlink()
    return retired_path
