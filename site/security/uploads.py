"""Refuse request bodies larger than the upload limit before Django reads them."""
from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

# Room for the form fields and multipart boundaries around the largest accepted file.
MULTIPART_ALLOWANCE = 1024 * 1024


class RequestSizeLimitMiddleware:
    """Answer 413 to a request whose declared body exceeds LIANBING_MAX_UPLOAD_BYTES.

    Django checks an upload's size only after writing it to a temporary file; this stops
    an oversized body at the door. Each upload form still checks the file's own size and
    says which file was too large. The reverse proxy should have the same limit
    (nginx: client_max_body_size).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.LIANBING_MAX_UPLOAD_BYTES
        if length > limit + MULTIPART_ALLOWANCE:
            message = _("The upload is too large: the limit is %(limit)s MB.") % {
                "limit": limit // 1024 // 1024}
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
