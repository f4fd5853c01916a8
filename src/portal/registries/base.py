"""What every registry port shares: its errors and how an adapter is chosen."""

from django.conf import settings
from django.utils.module_loading import import_string

# The ports' errors live in core (its HTTP client raises them); the ports re-export them.
from portal.core.errors import RegistryError, RegistryUnavailable

__all__ = ["RegistryError", "RegistryUnavailable", "adapter_for"]


def adapter_for(port: str, *, sandbox: str, http: str):
    """The sandbox adapter when REGISTRY_ADAPTER is "sandbox", else the HTTP one."""
    path = sandbox if settings.REGISTRY_ADAPTER == "sandbox" else http
    return import_string(path)()
