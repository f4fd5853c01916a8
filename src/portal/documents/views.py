"""The public verification pages: anyone with a document's code sees what the portal issued
under it and can check that a PDF is that document, unchanged and signed by the portal."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portal.core.network import client_ip
from portal.core.ratelimit import rate_limit_hit
from portal.core.thaidate import format_datetime
from portal.core.views import posted_data, posted_files
from portal.documents.forms import CodeForm, UploadForm
from portal.documents.selectors import document_by_code, document_check_upload
from portal.documents.services import format_code


@require_GET
def verify_lookup(request):
    """Type the code printed on a document (for those who cannot scan its QR code)."""
    form = CodeForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        document = document_by_code(form.cleaned_data["code"])
        if document is not None:
            return redirect("documents:verify", code=document.code)
        form.add_error(
            "code",
            _("No document was issued with this code. Check the code and try again."),
        )
    return render(request, "documents/verify_lookup.html", {"form": form})


def _facts(document) -> list[tuple[str, str]]:
    english = (get_language() or "th")[:2] == "en"
    return [
        (fact["en"] if english else fact["th"], fact["value"]) for fact in document.public_facts
    ]


@require_http_methods(["GET", "POST"])
def verify(request, code):
    document = document_by_code(code)
    if document is None:
        raise Http404
    english = (get_language() or "th")[:2] == "en"
    form = UploadForm(posted_data(request), posted_files(request))
    check = None
    if request.method == "POST":
        # Each check validates a signature: limited per network, as any costly public action.
        if rate_limit_hit(
            scope="document-verify-ip",
            key=client_ip(request) or "",
            limit=settings.DOCUMENT_VERIFY_UPLOADS_PER_HOUR,
            window_seconds=3600,
        ):
            form.add_error(
                None, _("Too many files were checked from your network. Try again in an hour.")
            )
        elif form.is_valid():
            check = document_check_upload(document, form.cleaned_data["document"])
            form = UploadForm()
    return render(
        request,
        "documents/verify.html",
        {
            "document": document,
            "code_display": format_code(document.code),
            "issued_at": format_datetime(document.issued_at),
            "issuer": document.issuer_agency_en if english else document.issuer_agency_th,
            "facts": _facts(document),
            "form": form,
            "check": check,
        },
    )
