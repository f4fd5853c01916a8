"""What every registry port shares: its errors and how an adapter is chosen."""

from django.conf import settings
from django.utils.module_loading import import_string


class RegistryError(Exception):
    """Base of the errors a port raises; adapters map their own failures onto these."""

    registry = "registry"


class RegistryUnavailable(RegistryError):
    """The registry is down, timed out or its circuit is open: try again later.

    Callers show a distinct, honest message and store nothing (ACC-05)."""

    def __init__(self, registry: str, reason: str = "down"):
        super().__init__(f"{registry} unavailable: {reason}")
        self.registry = registry
        self.reason = reason


def adapter_for(port: str, *, sandbox: str, http: str):
    """The sandbox adapter when REGISTRY_ADAPTER is "sandbox", else the HTTP one."""
    path = sandbox if settings.REGISTRY_ADAPTER == "sandbox" else http
    return import_string(path)()
