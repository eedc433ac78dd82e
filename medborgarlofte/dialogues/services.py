"""Every write to dialogue entries: scanned for personal data, one transaction, audited.

Staff entries with scanner hits are refused until the writer removes the data or
confirms that it is not personal data (PersonalDataFound carries the hits). Entries
from the public form are redacted instead, and the writer is told which kinds of
data were removed. No client address, user agent or session is stored with an entry.
"""

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from medborgarlofte.accounts import access, audit
from medborgarlofte.privacy.scanner import Hit, redact, scan

from .models import DialogueEntry, EntryTheme, Source
from .queries import entry_for_submission_key
from .themes import tag, themes_by_key

ENTRY_FIELDS = ["source", "date", "channel", "area", "text"]


class PersonalDataFound(ValidationError):
    def __init__(self, hits: list[Hit]):
        super().__init__(_("The text may contain personal data."), code="personal-data")
        self.hits = hits


def fingerprint(source, date, area, text) -> str:
    key = "\x1f".join([source, date.isoformat(), area.strip().lower(), " ".join(text.split())])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _snapshot(entry) -> dict:
    data = {name: getattr(entry, name) for name in ENTRY_FIELDS}
    data["date"] = entry.date.isoformat()
    return data


def _set_theme_rows(entry, keys) -> None:
    entry.themes.all().delete()
    EntryTheme.objects.bulk_create(
        EntryTheme(
            municipality_id=entry.municipality_id,
            entry=entry,
            theme=key,
            date=entry.date,
            area=entry.area,
            source=entry.source,
        )
        for key in sorted(set(keys))
    )


@dataclass
class EntryData:
    source: str
    date: object
    text: str
    area: str = ""
    channel: str = ""
    themes: list[str] | None = None
    extra: dict = field(default_factory=dict)


def _new_entry(municipality, data: EntryData, user, **flags) -> DialogueEntry:
    entry = DialogueEntry.objects.create(
        municipality=municipality,
        source=data.source,
        date=data.date,
        channel=data.channel[:100],
        area=data.area[:150],
        text=data.text,
        fingerprint=fingerprint(data.source, data.date, data.area, data.text),
        created_by=user if getattr(user, "is_authenticated", False) else None,
        **flags,
    )
    _set_theme_rows(entry, tag(data.text) if data.themes is None else data.themes)
    return entry


def create_entry(municipality, user, data: EntryData, *, confirm_personal_data=False):
    """A staff entry. Raises PersonalDataFound unless the hits are confirmed."""
    access.require_edit(user, municipality)
    hits = scan(data.text)
    other = [h for name in ("area", "channel") for h in scan(getattr(data, name) or "")]
    if (hits or other) and not confirm_personal_data:
        raise PersonalDataFound(hits)
    try:
        with transaction.atomic():
            entry = _new_entry(
                municipality, data, user, personal_data_confirmed=bool(hits or other)
            )
    except IntegrityError as exc:
        raise ValidationError(_("An identical entry already exists.")) from exc
    with transaction.atomic():
        audit.record(
            user=user,
            action="dialogue.create",
            obj=entry,
            summary=_("Dialogue entry of %(date)s") % {"date": entry.date},
            after={**_snapshot(entry), "confirmed_hits": [h.kind for h in [*hits, *other]]},
        )
    return entry


def _resent(municipality, key, data: EntryData) -> tuple[DialogueEntry | None, object]:
    """(entry, key): the entry this form stored before, when it is sent again with the same
    text; else None and the key to store the new entry with, which is None when the form
    is reused for another text (e.g. restored by Back and edited)."""
    if key is None:
        return None, None
    earlier = entry_for_submission_key(municipality, key)
    if earlier is None:
        return None, key
    if (earlier.text, earlier.area) == (data.text, data.area[:150]):
        return earlier, key
    return None, None


@transaction.atomic
def submit_public_entry(municipality, *, date, area: str, text: str, idempotency_key=None):
    """The public form: hits are removed. Returns (entry, kinds of data removed, created).

    The same form sent again (same idempotency key and text, in sequence or in parallel)
    returns the entry stored the first time and writes nothing; so does the same text on
    the same day (the fingerprint), which then returns no entry. `created` is True only
    for the call that stored the entry."""
    hits, area_hits = scan(text), scan(area)
    clean = redact(text, hits)
    data = EntryData(source=Source.PUBLIC_FORM, date=date, area=redact(area, area_hits), text=clean)
    kinds = sorted({hit.kind for hit in [*hits, *area_hits]})
    earlier, key = _resent(municipality, idempotency_key, data)
    if earlier is not None:
        return earlier, kinds, False
    try:
        with transaction.atomic():  # a savepoint: a parallel twin may win the unique key
            entry = _new_entry(municipality, data, None, idempotency_key=key)
            audit.record(
                user=None,
                action="dialogue.public-submit",
                obj=entry,
                summary=_("Public form entry (%(n)s removed)") % {"n": len(hits) + len(area_hits)},
                after={"removed": kinds},
            )
    except IntegrityError:  # a twin of this form, or the same text twice on the same day
        return _resent(municipality, key, data)[0], kinds, False
    return entry, kinds, True


@transaction.atomic
def set_entry_themes(entry, user, keys: list[str]) -> DialogueEntry:
    access.require_edit(user, entry.municipality)
    known = themes_by_key()
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise ValidationError(_("Unknown theme: %(k)s") % {"k": ", ".join(unknown)})
    before = entry.theme_keys
    _set_theme_rows(entry, keys)
    entry.tags_edited = True
    entry.save(update_fields=["tags_edited"])
    audit.record(
        user=user,
        action="dialogue.themes",
        obj=entry,
        summary=_("Themes edited"),
        before={"themes": before},
        after={"themes": sorted(set(keys))},
    )
    return entry


@transaction.atomic
def delete_entry(entry, user) -> None:
    access.require_edit(user, entry.municipality)
    audit.record(
        user=user,
        action="dialogue.delete",
        obj=entry,
        summary=_("Dialogue entry of %(date)s deleted") % {"date": entry.date},
        before=_snapshot(entry),
    )
    entry.delete()
