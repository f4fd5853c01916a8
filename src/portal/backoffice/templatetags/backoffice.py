"""ADM-03: what the back office shows officers in words, not codes: audit actions by name,
registration numbers grouped as on the certificates."""

import re

from django import template
from django.utils.translation import gettext_lazy as _

from portal.core.money import Money

register = template.Library()

AUDIT_ACTION_NAMES = {
    "business.add": _("Business added"),
    "business.contacts": _("Business contacts changed"),
    "business.registry_refresh": _("Business data refreshed from the registry"),
    "business.remove": _("Business taken off the profile"),
    "factory.add": _("Factory added"),
    "factory.link_licensed": _("New factory linked from the DIW registry after its licence"),
    "factory.remove": _("Factory taken off the profile"),
    "holding.verified": _("Business verified by an officer"),
    "holding.rejected": _("Business rejected by an officer"),
    "holding.not_verified": _("Business sent for verification"),
    "holder_removal.file": _("Request to take a member off a business filed"),
    "holder_removal.approved": _("Member taken off the business by an officer"),
    "holder_removal.rejected": _("Request to take a member off a business rejected"),
    "holder_removal.withdrawn": _(
        "Request to take a member off a business withdrawn: a member concerned closed the account"
    ),
    "member.register": _("Member registered"),
    "member.profile": _("Member settings changed"),
    "member.avatar": _("Profile picture changed"),
    "member.close": _("Account closed"),
    "member.consent": _("Consent choices changed"),
    "member.language": _("Language changed"),
    "member.password_change": _("Password changed"),
    "member.password_reset": _("Password reset"),
    "member.sessions_end": _("Sessions ended"),
    "member.mobile_verified": _("Mobile number verified"),
    "member.email_verified": _("Email verified"),
    "member.mobile_taken_over": _("Mobile number moved to another member"),
    "member.email_taken_over": _("Email moved to another member"),
    "member.reopen": _("Account reopened by an officer"),
    "member.name_change": _("Name changed by an officer"),
    "member.request_rejected": _("Member's request rejected"),
    "request.file": _("Request filed"),
    "request.approved": _("Request approved"),
    "request.rejected": _("Request rejected"),
    "request.withdrawn": _("Request withdrawn"),
    "member.registry_name": _("Name updated from the civil registry by the member"),
    "officer.appoint": _("Officer appointed"),
    "document.issue": _("Signed document issued"),
    "service.consent_give": _("Data-sharing consent given"),
    "service.consent_withdraw": _("Data-sharing consent withdrawn"),
    "two_factor.on": _("Two-factor authentication switched on"),
    "two_factor.off": _("Two-factor authentication switched off"),
    "two_factor.reset": _("Two-factor authentication reset by an officer"),
    "fee_table.load": _("Fee table loaded from a file"),
    "fee_table.revise": _("Fee table revised by an officer"),
    "bill_run.request": _("Annual bill run started by an officer"),
    "bill_run.finished": _("Annual bill run finished"),
    "bill_run.failed": _("Annual bill run failed"),
    "bill.issue": _("Bill issued by an officer"),
    "bill.reissue_with_surcharge": _("Bill re-issued with the surcharge"),
    "payment.callback": _("Payment recorded from the bank's callback"),
    "payment.statement": _("Payment recorded from the bank's statement"),
    "statement.reconciled": _("Bank statement reconciled"),
    "reconciliation_issue.resolve": _("Payment issue resolved by an officer"),
    # Permit applications, the officer's acts (issue 11).
    "permit.assigned": _("Permit application assigned"),
    "permit.accepted": _("Permit application's documents accepted"),
    "permit.deficiency": _("Deficiency record written"),
    "permit.returned": _("Permit application returned: deadline passed"),
    "permit.inspected": _("Inspection recorded"),
    "permit.step_finished": _("Permit application's step finished"),
    "permit.decided": _("Permit application decided"),
    "permit.factory_linked": _("New factory's registration number linked to the application"),
    "permit.extended": _("Permit period extended"),
    "workdays.extra_holiday_add": _("Holiday table entry added by an officer"),
    "workdays.extra_holiday_remove": _("Holiday table entry removed by an officer"),
    "permits.application_submit": _("Application submitted"),
    "factory_sync.request": _("DIW factory registry synchronisation started by an officer"),
}


@register.filter
def audit_action_name(action: str) -> str:
    """An audit action's name for officers; an action without one yet shows its code, so
    that nothing is hidden."""
    return AUDIT_ACTION_NAMES.get(action, action)


@register.filter
def registry_number(value: str) -> str:
    """A 13-digit registration or tax number grouped as printed (0-1055-51234-56-7); any
    other value (a masked ID, a code of another registry) as it is."""
    if value and re.fullmatch(r"\d{13}", value):
        return f"{value[0]}-{value[1:5]}-{value[5:10]}-{value[10:12]}-{value[12]}"
    return value


@register.filter
def baht(satang: int | None) -> str:
    """An amount kept in satang as officers read it: "1,234.50"."""
    return "" if satang is None else Money(int(satang)).format()
