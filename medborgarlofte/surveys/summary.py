"""The survey section of the lägesbild: plain data, no HTML.

    survey_section(municipality, year=2024) -> dict

The latest wave year up to `year` (all providers and areas of that year), every value
with its n, the change against the same provider's previous wave of the same area,
and for index values the threshold class with the kommun's thresholds (a local
convention). Called by lagesbild; also used by the survey pages.
"""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .models import Gender, SurveyValue, SurveyWave, ValueFormat
from .thresholds import threshold_class, thresholds_for


def _trend(change: Decimal | None, value_format: str) -> str | None:
    if change is None:
        return None
    if change == 0:
        return "same"
    return "up" if change > 0 else "down"


def _previous_waves(municipality, waves) -> dict:
    """(provider, area) -> the same provider's latest earlier wave of that area."""
    keys = {(w.provider, w.area) for w in waves}
    year = min(w.year for w in waves)
    earlier = SurveyWave.objects.filter(municipality=municipality, year__lt=year).order_by("-year")
    found = {}
    for wave in earlier:
        key = (wave.provider, wave.area)
        if key in keys and key not in found:
            found[key] = wave
    return found


def _values_by_wave(wave_ids) -> dict:
    grouped: dict[int, list] = {}
    for value in (
        SurveyValue.objects.filter(wave_id__in=wave_ids)
        .select_related("wave")
        .order_by("wave_id", "position", "pk")
    ):
        grouped.setdefault(value.wave_id, []).append(value)
    return grouped


def _wave_dict(wave) -> dict:
    return {
        "id": wave.pk,
        "provider": wave.provider,
        "year": wave.year,
        "area": wave.area,
        "n": wave.respondents,
        "response_rate": wave.response_rate,
        "format": wave.value_format,
        "source": wave.source or wave.provider,
        "date": (wave.import_run.at if wave.import_run_id else wave.updated_at).date(),
        "is_example": wave.is_example,
    }


def _gender_cell(value) -> dict | None:
    if value is None:
        return None
    return {"value": value.value, "n": value.n if value.n is not None else value.wave.respondents}


def _rows_for_wave(wave, values, previous_values, normal_max, act_from) -> list[dict]:
    """One row per question (and answer): the total, with women and men beside it when the
    survey has them. A question reported only for women or men gets a row per gender."""
    before = {(v.question, v.answer): v for v in previous_values if v.gender == Gender.TOTAL}
    grouped: dict = {}
    for value in values:
        grouped.setdefault((value.question, value.answer), {})[value.gender] = value
    rows = []
    for (question, answer), by_gender in grouped.items():
        total = by_gender.get(Gender.TOTAL)
        mains = [total] if total is not None else list(by_gender.values())
        for value in mains:
            old = before.get((question, answer)) if value is total else None
            change = value.value - old.value if old is not None else None
            row = {
                "question": question,
                "answer": answer,
                "gender": value.gender,
                "gender_label": "" if value is total else value.get_gender_display(),
                "area": wave.area,
                "provider": wave.provider,
                "year": wave.year,
                "value": value.value,
                "n": value.n if value.n is not None else wave.respondents,
                "women": _gender_cell(by_gender.get(Gender.WOMEN)) if value is total else None,
                "men": _gender_cell(by_gender.get(Gender.MEN)) if value is total else None,
                "previous_value": old.value if old is not None else None,
                "previous_year": old.wave.year if old is not None else None,
                "previous_n": (old.n if old.n is not None else old.wave.respondents)
                if old
                else None,
                "change": change,
                "trend": _trend(change, wave.value_format),
                "class": None,
                "is_example": wave.is_example,
            }
            if wave.value_format == ValueFormat.INDEX:
                row["class"] = threshold_class(value.value, normal_max, act_from)
            rows.append(row)
    return rows


def survey_section(municipality, year: int | None = None) -> dict:
    normal_max, act_from, note = thresholds_for(municipality)
    waves_qs = SurveyWave.objects.filter(municipality=municipality).select_related("import_run")
    if year is not None:
        waves_qs = waves_qs.filter(year__lte=year)
    latest = waves_qs.order_by("-year").values_list("year", flat=True).first()
    section = {
        "available": latest is not None,
        "year": latest,
        "thresholds": {
            "normal_max": normal_max,
            "act_from": act_from,
            "note": note,
            "label": _("local convention"),
            "explanation": _(
                "Index 0–6, lower is better. Up to %(normal)s normal, from %(act)s act "
                "(Polisen: a problem level for police and kommun to work on), watch in "
                "between (a local convention, not a national standard)."
            )
            % {"normal": number_format(normal_max), "act": number_format(act_from)},
        },
        "waves": [],
        "previous_waves": [],
        "index_rows": [],
        "percent_rows": [],
        "is_example": False,
        "has_gender_split": False,
        "sources": [],
    }
    if latest is None:
        return section
    waves = list(waves_qs.filter(year=latest).order_by("provider", "area"))
    previous = _previous_waves(municipality, waves)
    values = _values_by_wave([w.pk for w in waves] + [w.pk for w in previous.values()])
    for wave in waves:
        old = previous.get((wave.provider, wave.area))
        rows = _rows_for_wave(
            wave,
            values.get(wave.pk, []),
            values.get(old.pk, []) if old else [],
            normal_max,
            act_from,
        )
        key = "index_rows" if wave.value_format == ValueFormat.INDEX else "percent_rows"
        section[key].extend(rows)
        section["waves"].append(_wave_dict(wave))
    section["previous_waves"] = [_wave_dict(w) for w in previous.values()]
    section["is_example"] = any(w["is_example"] for w in section["waves"])
    # Women and men only where the survey has them (issue 15): the columns appear then.
    section["has_gender_split"] = any(
        r["women"] or r["men"] for r in section["index_rows"] + section["percent_rows"]
    )
    section["sources"] = sorted({(w["source"], w["date"]) for w in section["waves"]})
    return section
