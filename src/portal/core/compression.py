"""Pages compressed on the fly (issue 9, fast on a phone over a mobile network).

Static files are compressed ahead of time by collectstatic and served by whitenoise before this
middleware is reached. This compresses the portal's own text answers: pages, JSON, scripts,
SVG. Files that are compressed already (uploaded PDF, JPEG and PNG documents, avatars, signed
PDFs) pass as they are: gzip would spend CPU on megabytes for nothing. BREACH:
docs/decisions.md."""

from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/javascript",
    "application/xml",
    "application/jwk-set+json",
    "image/svg+xml",
)


class TextGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").lower()
        if not content_type.startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)
