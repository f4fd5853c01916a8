"""The one error type of this app, in a module of its own: both selectors and services raise
it, and services import selectors (re-exported as portal.operators.services.OperatorError)."""

from portal.core.errors import PortalError


class OperatorError(PortalError):
    """The one error type of this app: a message for the person and the field it concerns."""
