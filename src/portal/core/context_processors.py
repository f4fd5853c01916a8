from django.conf import settings
from django.urls import get_script_prefix, reverse


class _LinkUrls(dict):
    """The header's and footer's links, reversed on first use and kept for the process: the
    base template's nineteen `{% url %}` tags cost about 1 ms a page on the project's machine.
    A key is the URL name with its namespace's colon written as the first underscore
    ("services_faq" is "services:faq"); names needing arguments are not asked for here."""

    def __missing__(self, key: str) -> str:
        url = self[key] = reverse(key.replace("_", ":", 1))
        return url


# One set per script prefix (a portal mounted under a path reverses its links under it).
_LINK_URLS: dict[str, _LinkUrls] = {}


def portal(request):
    user = getattr(request, "user", None)
    return {
        "SANDBOX": settings.SANDBOX,
        "is_officer": bool(user and user.is_authenticated and getattr(user, "is_officer", False)),
        "links": _LINK_URLS.setdefault(get_script_prefix(), _LinkUrls()),
    }
