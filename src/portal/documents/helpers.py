"""What owning apps use to hand a stored signed document to the person entitled to it."""

from django.utils.text import slugify

from portal.core.views import private_file_response
from portal.documents.models import SignedDocument

__all__ = ["signed_document_response"]


def signed_document_response(document: SignedDocument):
    """The stored PDF as a download (no cache, sandboxed by CSP, never sniffed). Call it only
    after the owning app's own selector said this person may have it."""
    name = slugify(f"{document.kind}-{document.number}") or "document"
    if document.copy_number:
        name = f"{name}-copy-{document.copy_number}"
    return private_file_response(
        document.file.open("rb"), content_type="application/pdf", name=name
    )
