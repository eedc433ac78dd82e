"""Web uploads within limits: a file larger than any form accepts is never kept whole.

`LimitedUploadHandler` (first in FILE_UPLOAD_HANDLERS) passes at most web_upload_cap()
bytes of a file on and swallows the rest; `UploadField` then refuses the stand-in
`OversizedUpload`, or any file above its own limit, with a form error naming the file
(a clear answer, not a 500). The content is judged later by the gate in uploads.py.
"""

import io

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from .uploads import UploadRefused, size_message


def web_upload_cap() -> int:
    """The largest file any web form accepts; bytes beyond it are never kept."""
    return max(
        settings.UPLOAD_MAX_BYTES,
        settings.MAX_AGREEMENT_UPLOAD_BYTES,
        settings.EVIDENCE_MAX_BYTES,
    )


class OversizedUpload(UploadedFile):
    """Stands in for a file larger than web_upload_cap(): empty, with the size received."""

    oversized = True

    def __init__(self, name, size, content_type, charset):
        super().__init__(io.BytesIO(), name, content_type, size, charset)


class LimitedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: passes at most web_upload_cap() bytes of a file on to
    the memory or temporary-file handler, swallows the rest and then answers with an
    OversizedUpload, which UploadField refuses with a form error (not a 500)."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.cap = web_upload_cap()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        return raw_data if self.received <= self.cap else None

    def file_complete(self, file_size):
        if self.received > self.cap:
            return OversizedUpload(self.file_name, self.received, self.content_type, self.charset)
        return None


class UploadField(forms.FileField):
    """A file field with a size limit (bytes, or a callable giving them) whose error names
    the file."""

    def __init__(self, *, max_bytes, **kwargs):
        self.max_bytes = max_bytes
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            limit = self.max_bytes() if callable(self.max_bytes) else self.max_bytes
            if getattr(upload, "oversized", False) or upload.size > limit:
                raise forms.ValidationError(
                    str(UploadRefused(upload.name, size_message(upload.size, limit)))
                )
        return upload
