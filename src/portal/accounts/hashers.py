import hashlib

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher, BasePasswordHasher, mask_hash
from django.utils.crypto import constant_time_compare, get_random_string


class PortalArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with costs from settings, so that bench/login and production tune them."""

    algorithm = "argon2"

    @property
    def time_cost(self):
        return settings.ARGON2_TIME_COST

    @property
    def memory_cost(self):
        return settings.ARGON2_MEMORY_COST_KIB

    @property
    def parallelism(self):
        return settings.ARGON2_PARALLELISM


class ClientSecretHasher(BasePasswordHasher):
    """Salted SHA-256 for OAuth client secrets only (never for passwords: it is last in
    PASSWORD_HASHERS, so no password is ever hashed with it).

    A client secret is 128 random characters made by the portal, not something a person
    chose: nobody can guess it offline, so the slow hash that protects passwords buys nothing
    and would cap the token endpoint at the Argon2 rate (docs/decisions.md)."""

    algorithm = "client_secret_sha256"

    def salt(self):
        return get_random_string(16)

    def encode(self, password, salt):
        digest = hashlib.sha256(f"{salt}${password}".encode()).hexdigest()
        return f"{self.algorithm}${salt}${digest}"

    def decode(self, encoded):
        algorithm, salt, digest = encoded.split("$", 2)
        return {"algorithm": algorithm, "salt": salt, "hash": digest}

    def verify(self, password, encoded):
        decoded = self.decode(encoded)
        return constant_time_compare(self.encode(password, decoded["salt"]), encoded)

    def safe_summary(self, encoded):
        decoded = self.decode(encoded)
        return {"algorithm": decoded["algorithm"], "salt": mask_hash(decoded["salt"])}

    def harden_runtime(self, password, encoded):
        return None
