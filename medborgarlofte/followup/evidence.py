"""Evidence files for activities: PDF or images, checked by content, stored outside the
web root (setting MEDBORGARLOFTE_PRIVATE_FILES, default BASE_DIR/private-files) and
served only through an access-checked view."""

import hashlib
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024

# (magic bytes at offset 0, content type, extension)
SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
]


def private_root() -> Path:
    return Path(
        getattr(settings, "MEDBORGARLOFTE_PRIVATE_FILES", Path(settings.BASE_DIR) / "private-files")
    )


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


def read_checked(upload) -> tuple[bytes, str, str]:
    """The file's bytes, content type and extension; ValidationError when too large or
    not a PDF/PNG/JPEG/GIF/WebP by content (the name and declared type are ignored)."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    kind = sniff(data[:16])
    if kind is None:
        raise ValidationError(
            _("Only PDF files and images (PNG, JPEG, GIF, WebP) can be attached.")
        )
    return data, kind[0], kind[1]


def store(municipality_code: str, data: bytes, extension: str) -> tuple[str, str]:
    """Write the bytes under the private root; returns (stored name, SHA-256)."""
    name = f"evidence/{municipality_code}/{secrets.token_hex(16)}.{extension}"
    path = private_root() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return name, hashlib.sha256(data).hexdigest()


def path_of(stored_name: str) -> Path:
    root = private_root().resolve()
    path = (root / stored_name).resolve()
    if root not in path.parents:
        raise ValueError("evidence path outside the private root")
    return path
