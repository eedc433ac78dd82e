"""Every write to survey data: in one transaction, audit-logged, edit roles only."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from medborgarlofte.accounts import access, audit

from .importing import ParsedSurvey
from .models import SurveyImportRun, SurveyThreshold, SurveyValue, SurveyWave

WAVE_FIELDS = ["provider", "year", "area", "respondents", "response_rate", "value_format", "source"]


def _plain(obj, fields) -> dict:
    return {f: str(getattr(obj, f)) if getattr(obj, f) is not None else None for f in fields}


@dataclass
class ImportResult:
    rows: int = 0
    waves_created: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    run: SurveyImportRun | None = None

    @property
    def changed(self) -> bool:
        return bool(self.waves_created or self.created or self.updated)


class _DryRun(Exception):
    pass


def _upsert_wave(municipality, key, data, value_format, run, is_example, result):
    provider, year, area = key
    wave, created = SurveyWave.objects.get_or_create(
        municipality=municipality,
        provider=provider,
        year=year,
        area=area,
        defaults={
            "respondents": data["respondents"],
            "response_rate": data["response_rate"],
            "value_format": value_format,
            "source": data["source"],
            "is_example": is_example,
        },
    )
    result.waves_created += int(created)
    fields = {
        "respondents": data["respondents"],
        "response_rate": data["response_rate"],
        "value_format": value_format,
    }
    if data["source"]:
        fields["source"] = data["source"]
    if not created and any(getattr(wave, k) != v for k, v in fields.items()):
        for k, v in fields.items():
            setattr(wave, k, v)
        wave.save()
    existing = {(v.question, v.answer, v.gender): v for v in wave.values.all()}
    for position, item in enumerate(data["values"]):
        old = existing.get((item["question"], item["answer"], item.get("gender", "T")))
        if old is None:
            SurveyValue.objects.create(
                municipality=municipality, wave=wave, position=position, **item
            )
            result.created += 1
        elif old.value != item["value"] or old.n != item["n"]:
            old.value, old.n = item["value"], item["n"]
            old.save(update_fields=["value", "n"])
            result.updated += 1
        else:
            result.unchanged += 1
    if created and run is not None:
        wave.import_run = run
        wave.save(update_fields=["import_run"])


def import_survey(
    municipality, user, parsed: ParsedSurvey, *, dry_run=False, is_example=False
) -> ImportResult:
    if user is not None:
        access.require_edit(user, municipality)
    result = ImportResult(rows=parsed.rows, dry_run=dry_run)
    try:
        with transaction.atomic():
            run = SurveyImportRun.objects.create(
                municipality=municipality,
                file_name=parsed.name[:300],
                sha256=parsed.sha256,
                value_format=parsed.value_format,
                rows=parsed.rows,
                user=user,
                user_label=audit.actor_label(user),
            )
            for key, data in parsed.waves.items():
                _upsert_wave(municipality, key, data, parsed.value_format, run, is_example, result)
            if dry_run or not result.changed:
                raise _DryRun
            run.created, run.updated = result.created, result.updated
            run.save(update_fields=["created", "updated"])
            audit.record(
                user=user,
                action="survey.import",
                obj=run,
                summary=_("Imported %(name)s: %(c)s new, %(u)s changed values")
                % {"name": parsed.name, "c": result.created, "u": result.updated},
                after={"sha256": parsed.sha256, "rows": parsed.rows},
            )
            result.run = run
    except _DryRun:
        pass
    return result


@transaction.atomic
def create_wave(municipality, user, data: dict) -> SurveyWave:
    access.require_edit(user, municipality)
    wave = SurveyWave.objects.create(municipality=municipality, **data)
    audit.record(
        user=user,
        action="survey.create-wave",
        obj=wave,
        summary=str(wave),
        after=_plain(wave, WAVE_FIELDS),
    )
    return wave


@transaction.atomic
def update_wave(wave, user, data: dict) -> SurveyWave:
    access.require_edit(user, wave.municipality)
    before = _plain(wave, WAVE_FIELDS)
    for key, value in data.items():
        setattr(wave, key, value)
    wave.save()
    audit.record(
        user=user,
        action="survey.update-wave",
        obj=wave,
        summary=str(wave),
        before=before,
        after=_plain(wave, WAVE_FIELDS),
    )
    return wave


@transaction.atomic
def delete_wave(wave, user) -> None:
    access.require_edit(user, wave.municipality)
    before = _plain(wave, WAVE_FIELDS)
    audit.record(user=user, action="survey.delete-wave", obj=wave, summary=str(wave), before=before)
    wave.delete()


@transaction.atomic
def save_value(wave, user, *, question, answer, value, n, gender="T") -> SurveyValue:
    access.require_edit(user, wave.municipality)
    item, created = SurveyValue.objects.get_or_create(
        wave=wave,
        question=question,
        answer=answer or "",
        gender=gender or "T",
        defaults={"municipality": wave.municipality, "value": value, "n": n},
    )
    before = None if created else {"value": str(item.value), "n": item.n}
    if not created:
        item.value, item.n = value, n
        item.save(update_fields=["value", "n"])
    audit.record(
        user=user,
        action="survey.save-value",
        obj=item,
        municipality=wave.municipality,
        summary=f"{wave}: {item}",
        before=before,
        after={"value": str(value), "n": n, "gender": item.gender},
    )
    return item


@transaction.atomic
def delete_value(item, user) -> dict:
    """Delete one value; return its snapshot for restore_value (undo, accounts/undo.py)."""
    access.require_edit(user, item.municipality)
    audit.record(
        user=user,
        action="survey.delete-value",
        obj=item,
        summary=f"{item.wave}: {item}",
        before={"value": str(item.value), "n": item.n, "gender": item.gender},
    )
    snapshot = {
        "kind": "survey_value",
        "wave": item.wave_id,
        "question": item.question,
        "answer": item.answer,
        "gender": item.gender,
        "value": str(item.value),
        "n": item.n,
        "position": item.position,
    }
    item.delete()
    return snapshot


@transaction.atomic
def restore_value(wave, user, data: dict) -> SurveyValue:
    """Put a deleted value back (undo); refused when the question has a value again."""
    access.require_edit(user, wave.municipality)
    if data.get("kind") != "survey_value" or data.get("wave") != wave.pk:
        raise ValidationError(_("Nothing to restore."))
    gender = data.get("gender", "T")
    if wave.values.filter(question=data["question"], answer=data["answer"], gender=gender).exists():
        raise ValidationError(_("This question has a value again: nothing was restored."))
    item = SurveyValue.objects.create(
        municipality=wave.municipality,
        wave=wave,
        question=data["question"],
        answer=data["answer"],
        gender=gender,
        value=Decimal(data["value"]),
        n=data["n"],
        position=data["position"],
    )
    audit.record(
        user=user,
        action="survey.restore-value",
        obj=item,
        summary=f"{wave}: {item}",
        after={"value": data["value"], "n": data["n"], "gender": gender},
    )
    return item


@transaction.atomic
def set_thresholds(municipality, user, *, normal_max: Decimal, act_from: Decimal, note: str):
    access.require_edit(user, municipality)
    found, _created = SurveyThreshold.objects.get_or_create(municipality=municipality)
    before = {"normal_max": str(found.normal_max), "act_from": str(found.act_from)}
    found.normal_max, found.act_from, found.note = normal_max, act_from, note
    found.save()
    audit.record(
        user=user,
        action="survey.thresholds",
        obj=found,
        municipality=municipality,
        summary=_("Survey thresholds %(a)s / %(b)s") % {"a": normal_max, "b": act_from},
        before=before,
        after={"normal_max": str(normal_max), "act_from": str(act_from), "note": note},
    )
    return found
