"""What every app's forms share."""

from portal.core.errors import PortalError


def form_add_service_error(form, error: PortalError) -> None:
    """Show a service's refusal on the form: next to its field when the form has that field,
    else above the form, so that the person sees it beside what they typed."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
