"""Read-only queries behind the public follow-up pages, feeds, open data and API.

Only PUBLISHED follow-ups of PUBLISHED agreement versions are ever returned, and their
public content is the snapshot frozen at publishing (small people-counts suppressed).
"""

import io

from django.utils import timezone

from medborgarlofte.accounts.tenancy import across_kommuner
from medborgarlofte.agreements.models import AgreementVersion, Status
from medborgarlofte.privacy.gate import public_data, public_text
from medborgarlofte.reports.spreadsheets import SafeWriter

from . import periods
from .models import FollowUp, FollowUpStatus

BASE_ORDER = ("t1", "q1", "h1", "t2", "q2", "q3", "h2", "t3", "q4")


def period_order(key: str) -> tuple:
    """Calendar order: a year's periods by start (dates by number), its yearly one last."""
    try:
        base, year = periods.split_key(key)
    except ValueError:
        return (9999, 99, 0)
    if base == "year":
        rank = 98
    elif base.startswith("d"):
        rank = int(base[1:])
    else:
        rank = BASE_ORDER.index(base)
    return (year or 0, rank, 0)


def is_yearly(key: str) -> bool:
    try:
        return periods.split_key(key)[0] == "year"
    except ValueError:
        return False


def published_version(code: str, year: int):
    """The latest published version of the kommun's agreement starting in `year`."""
    if not 1 <= year <= 9999:  # a year lookup outside date's range would raise
        return None
    return (
        AgreementVersion.objects.filter(
            status=Status.PUBLISHED,
            municipality__code=code,
            agreement__period_start__year=year,
        )
        .select_related("agreement", "municipality")
        .order_by("-agreement__period_start", "-number")
        .first()
    )


def published_followups(agreement, *, with_snapshot: bool = True) -> list[FollowUp]:
    rows = FollowUp.objects.filter(agreement=agreement, status=FollowUpStatus.PUBLISHED)
    if not with_snapshot:
        rows = rows.defer("snapshot")
    rows = sorted(rows, key=lambda f: period_order(f.period))
    for row in rows if with_snapshot else ():
        # The last safety net of the publication gate: undismissed personal data in the
        # frozen snapshot is redacted in every public output built from it.
        row.snapshot = public_data(row.snapshot)
    return rows


def cache_key(agreement, followups) -> str:
    stamps = ",".join(f"{f.period}@{f.published_at:%Y%m%d%H%M%S%f}" for f in followups)
    return f"{agreement.pk}:{stamps}:{timezone.localdate().isoformat()}"


def next_followup(agreement, followups) -> dict | None:
    found = periods.rhythm_for(agreement).next_due(
        timezone.localdate(), {f.period for f in followups}
    )
    return {"period": found[0], "date": found[1]} if found else None


def citizen_rows(followups) -> list[dict]:
    """Commitments (from the newest snapshot) with their status in every published period."""
    if not followups:
        return []
    newest = max(followups, key=lambda f: (is_yearly(f.period), f.published_at))
    by_period = {
        f.period: {c["ref"]: c for g in f.snapshot["groups"] for c in g["commitments"]}
        for f in followups
    }
    groups = []
    for group in newest.snapshot["groups"]:
        rows = []
        for commitment in group["commitments"]:
            statuses = [
                {
                    "period": f.period,
                    "status": by_period[f.period].get(commitment["ref"], {}).get("status", ""),
                    "explanation": by_period[f.period]
                    .get(commitment["ref"], {})
                    .get("explanation", ""),
                }
                for f in followups
            ]
            # The late activities every published follow-up reported (closing.py).
            additions = [
                item
                for f in followups
                for item in by_period[f.period].get(commitment["ref"], {}).get("late_additions", [])
            ]
            rows.append(
                {
                    **commitment,
                    "statuses": statuses,
                    "late_additions": additions,
                    "done_period": newest.period,
                }
            )
        groups.append({**group, "commitments": rows})
    return groups


def open_data(agreement, version, followups) -> dict:
    return {
        "format": "medborgarlofte-followup/1",
        "municipality": {"code": agreement.municipality.code, "name": agreement.municipality.name},
        "year": agreement.year,
        "agreement": {"title": public_text(version.title), "version": version.number},
        "followups": [f.snapshot for f in followups],
    }


CSV_COLUMNS = [
    "kommunkod",
    "kommun",
    "år",
    "period",
    "publicerad",
    "löfte",
    "fokusområde",
    "åtagande",
    "status",
    "förklaring",
    "regelbundenhet_förväntat",
    "regelbundenhet_genomfört",
    "aktiviteter",
    "indikator",
    "enhet",
    "värde",
    "värde_datum",
    "källa",
    "indikatorstatus",
    "exempeldata",
]


def _csv_rows(snapshot: dict):
    base = [
        snapshot["municipality"]["code"],
        snapshot["municipality"]["name"],
        snapshot["agreement"]["year"],
        snapshot["period"]["key"],
        (snapshot.get("published_at") or "")[:10],
    ]
    for group in snapshot["groups"]:
        for c in group["commitments"]:
            head = [
                c["ref"],
                group["title"],
                c["text"],
                c["status"],
                c["explanation"],
                c["compliance"]["expected"],
                c["compliance"]["logged"],
                c["activities"]["count"],
            ]
            items = c["indicators"] or [None]
            for item in items:
                tail = (
                    [""] * 6
                    if item is None
                    else [
                        item["title"],
                        item["unit"],
                        "" if item["value"] is None else item["value"],
                        item["value_date"] or "",
                        item["source"],
                        item["status"],
                    ]
                )
                yield [*base, *head, *tail, "ja" if snapshot.get("is_example") else "nej"]


def open_data_csv(followups) -> str:
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(CSV_COLUMNS)
    for followup in followups:
        writer.writerows(_csv_rows(followup.snapshot))
    return out.getvalue()


def feed_items(code: str | None = None, limit: int = 50) -> list[FollowUp]:
    rows = across_kommuner(
        FollowUp.objects.filter(
            status=FollowUpStatus.PUBLISHED,
            agreement__versions__status=Status.PUBLISHED,
        ),
        "the feed of published follow-ups is public",
    )
    if code is not None:
        rows = rows.filter(municipality__code=code)
    return list(
        rows.select_related("municipality", "agreement")
        .defer("snapshot")
        .distinct()
        .order_by("-published_at")[:limit]
    )
