"""Evidence files for activities: PDF or images, checked by content (privacy.uploads'
gate), stored outside the web root (setting MEDBORGARLOFTE_PRIVATE_FILES, default
BASE_DIR/private-files) and served only through an access-checked view."""

import hashlib
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from medborgarlofte.privacy import uploads


def private_root() -> Path:
    return Path(
        getattr(settings, "MEDBORGARLOFTE_PRIVATE_FILES", Path(settings.BASE_DIR) / "private-files")
    )


def read_checked(upload) -> tuple[bytes, str, str]:
    """The file's bytes, content type and extension; ValidationError naming the file when
    it is larger than EVIDENCE_MAX_BYTES or not a PDF/PNG/JPEG/GIF/WebP by content (the name
    and declared type are ignored)."""
    limits = uploads.with_max_bytes(uploads.web_limits(), settings.EVIDENCE_MAX_BYTES)
    try:
        data = uploads.read_upload(upload, limits)
        kind = uploads.check_upload(data, upload.name, kinds=uploads.EVIDENCE_KINDS, limits=limits)
    except uploads.UploadRefused as exc:
        raise ValidationError(str(exc)) from None
    return data, uploads.CONTENT_TYPES[kind], uploads.EXTENSIONS[kind]


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
