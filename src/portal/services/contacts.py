"""The support contacts (SVC-04): the settings' SUPPORT_CONTACTS in the reader's language, for
the contact block that ends the FAQ and the usage guide (where the i-Industry and TISI manuals
print them) and for the FAQ's contact answer."""

import re

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

# The order the manuals give: i-Industry's team, then TISI's two offices.
LABELS = {
    "i-industry": lambda: _("i-Industry system administrators"),
    "tisi-ict": lambda: _("TISI e-services: Information and Communication Technology Centre"),
    "tisi-standards-control": lambda: _("TISI: Standards Control Division"),
}


def phone_text(phone: str, extensions: list[str]) -> str:
    """ "0 2430 6976 ต่อ 3" in Thai, "0 2430 6976 ext. 3" in English, as the manuals write it."""
    if not phone:
        return ""
    if not extensions:
        return phone
    return _("%(phone)s ext. %(extensions)s") % {
        "phone": phone,
        "extensions": ", ".join(extensions),
    }


def tel_href(phone: str) -> str:
    """A dialable link for the main number (the extension is asked for on the line)."""
    digits = re.sub(r"\D", "", phone)
    return f"tel:{digits}" if digits else ""


def support_contacts() -> list[dict]:
    """Each contact with a line to show: key, label, phone (text and tel link), email, LINE ID,
    in the current language."""
    contacts = []
    for key, values in settings.SUPPORT_CONTACTS.items():
        label = LABELS.get(key)
        entry = {
            "key": key,
            "label": label() if label else key,
            "phone": phone_text(values.get("phone", ""), list(values.get("extensions", []))),
            "tel": tel_href(values.get("phone", "")),
            "email": values.get("email", ""),
            "line": values.get("line", ""),
        }
        if entry["phone"] or entry["email"] or entry["line"]:
            contacts.append(entry)
    return contacts


def contact_placeholders(language: str) -> dict[str, str]:
    """The values the FAQ's contact answer names, as [[iindustry_email]] and the like."""
    with override(language):
        values = {}
        for key, prefix in (
            ("i-industry", "iindustry"),
            ("tisi-ict", "tisi_ict"),
            ("tisi-standards-control", "tisi_standards"),
        ):
            contact = settings.SUPPORT_CONTACTS.get(key, {})
            values[f"{prefix}_phone"] = phone_text(
                contact.get("phone", ""), list(contact.get("extensions", []))
            )
            values[f"{prefix}_email"] = contact.get("email", "")
            values[f"{prefix}_line"] = contact.get("line", "")
    return values
