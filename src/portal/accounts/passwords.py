import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_LENGTH = 8


def password_problems(password: str) -> list[str]:
    """ACC-03 and SSO-05 as one policy: 8+ characters with a lower-case and an upper-case
    letter, a digit and a special character (docs/decisions.md)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_("at least %(n)d characters") % {"n": MIN_LENGTH})
    if not re.search(r"[a-z]", password):
        problems.append(_("a lower-case letter (a-z)"))
    if not re.search(r"[A-Z]", password):
        problems.append(_("an upper-case letter (A-Z)"))
    if not re.search(r"\d", password):
        problems.append(_("a digit (0-9)"))
    if not re.search(r"[^A-Za-z0-9]", password) or re.search(r"\s", password):
        problems.append(_("a special character such as @ # ! (no spaces)"))
    return problems


class PortalPasswordValidator:
    def validate(self, password, user=None):
        problems = password_problems(password)
        if problems:
            raise ValidationError(
                _("The password needs %(missing)s.") % {"missing": ", ".join(problems)},
                code="password_policy",
            )

    def get_help_text(self):
        return _(
            "At least 8 characters with an upper-case and a lower-case letter, a digit and a "
            "special character, for example iindustrY@2024."
        )
