"""Uploaded files waiting for the column-mapping step, kept server-side.

The file lies in the private files directory (MEDBORGARLOFTE_PRIVATE_FILES, shared by
every app host, so the mapping step may land on another process) under a random token; a small JSON
beside it ties the token to the user and the kommun. Nothing goes into the session
cookie. Files older than an hour are removed on the next upload.
"""

import contextlib
import json
import os
import secrets
import time
from pathlib import Path

from django.conf import settings

MAX_AGE = 3600


def _directory() -> Path:
    path = Path(settings.MEDBORGARLOFTE_PRIVATE_FILES) / "dialogue-uploads"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _purge(directory: Path) -> None:
    limit = time.time() - MAX_AGE
    for item in directory.iterdir():
        try:
            if item.stat().st_mtime < limit:
                item.unlink()
        except OSError:
            pass


def save_upload(user, municipality, name: str, content: bytes) -> str:
    directory = _directory()
    _purge(directory)
    token = secrets.token_urlsafe(24)
    (directory / f"{token}.bin").write_bytes(content)
    meta = {"user": user.pk, "kommun": municipality.code, "name": name, "at": time.time()}
    (directory / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    os.chmod(directory / f"{token}.bin", 0o600)
    return token


def load_upload(token: str, user, municipality) -> tuple[str, bytes] | None:
    """(name, content) of the user's own upload for this kommun, or None."""
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        return None
    directory = _directory()
    try:
        meta = json.loads((directory / f"{token}.json").read_text(encoding="utf-8"))
        content = (directory / f"{token}.bin").read_bytes()
    except (OSError, ValueError):
        return None
    if meta.get("user") != user.pk or meta.get("kommun") != municipality.code:
        return None
    if meta.get("at", 0) < time.time() - MAX_AGE:
        return None
    return meta["name"], content


def delete_upload(token: str) -> None:
    directory = _directory()
    for suffix in (".bin", ".json"):
        with contextlib.suppress(OSError):
            (directory / f"{token}{suffix}").unlink()
