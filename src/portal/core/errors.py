"""The errors every layer shares: one base for the services' refusals, and the registries'.

They live in core, the bottom layer, so that core's own HTTP client can raise the registries'
error and every app's services can raise one kind of error that one form helper shows
(portal.core.forms.form_add_service_error).
"""


class PortalError(Exception):
    """A service refuses: `message` is for the person (already translated), `field` the form
    field it belongs to (None: the form as a whole), `code` a short reason for tests and logs."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class RegistryError(Exception):
    """Base of the errors a registry port raises; adapters map their own failures onto these.
    Re-exported by portal.registries.base, where the ports are."""

    registry = "registry"


class RegistryUnavailable(RegistryError):
    """The registry is down, timed out or its circuit is open: try again later.

    Callers show a distinct, honest message and store nothing (ACC-05)."""

    def __init__(self, registry: str, reason: str = "down"):
        super().__init__(f"{registry} unavailable: {reason}")
        self.registry = registry
        self.reason = reason
