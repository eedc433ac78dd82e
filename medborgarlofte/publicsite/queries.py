"""Read-only queries behind the public site.

Everything here returns PUBLISHED agreement versions only: a draft or an agreed but
unpublished version must never reach a public page. Views call these functions and
nothing else for agreement data.
"""

import unicodedata
from dataclasses import dataclass

from django.db.models import QuerySet

from medborgarlofte.accounts.tenancy import across_kommuner
from medborgarlofte.agreements.documents import with_contents
from medborgarlofte.agreements.models import AgreementVersion, Status
from medborgarlofte.kommuner.collation import sorted_swedish, swedish_sort_key
from medborgarlofte.kommuner.models import County, Municipality, Population

MAX_QUERY_LENGTH = 100


def published_versions() -> QuerySet[AgreementVersion]:
    """The one gate: every public lookup of versions starts here (published = public)."""
    return across_kommuner(
        AgreementVersion.objects.filter(status=Status.PUBLISHED),
        "published agreements are public",
    )


# --- Kommuner ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CountyEntry:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class KommunEntry:
    """A kommun as the lists on the start page need it (cheaper than 290 model objects)."""

    id: int
    code: str
    name: str
    county: CountyEntry


def all_municipalities() -> list[KommunEntry]:
    """All kommuner with their county, in Swedish alphabetical order (two small queries)."""
    counties = {
        pk: CountyEntry(code, name)
        for pk, code, name in County.objects.values_list("pk", "code", "name")
    }
    rows = Municipality.objects.values_list("pk", "code", "name", "county_id")
    return sorted_swedish(
        (KommunEntry(pk, code, name, counties[county_id]) for pk, code, name, county_id in rows),
        key=lambda m: m.name,
    )


def municipalities_by_county(municipalities: list) -> list[tuple]:
    """[(county, [kommun, …]), …]: counties in Swedish order, kommuner in the order given
    (all_municipalities() gives them in Swedish order already)."""
    groups: dict = {}
    for municipality in municipalities:
        groups.setdefault(municipality.county, []).append(municipality)
    return [(county, groups[county]) for county in sorted_swedish(groups, key=lambda c: c.name)]


def published_municipality_ids() -> set[int]:
    return set(published_versions().values_list("municipality_id", flat=True).distinct())


def municipalities_with_published_agreements() -> list[Municipality]:
    ids = published_municipality_ids()
    return sorted_swedish(
        Municipality.objects.filter(id__in=ids).select_related("county"), key=lambda m: m.name
    )


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().strip()


def normalise_search(query: str | None) -> str:
    return _fold(query or "")[:MAX_QUERY_LENGTH]


def search_municipalities(query: str, municipalities: list) -> list:
    """Kommuner whose name contains the query (case-insensitive, å ä ö included) or whose
    code starts with it. Names starting with the query come first; each group in
    Swedish order. Done in Python: SQLite's LIKE folds only ASCII case, and there are
    only 290 kommuner.
    """
    needle = normalise_search(query)
    if not needle:
        return []
    prefix, contains = [], []
    for municipality in municipalities:
        name = _fold(municipality.name)
        if name.startswith(needle) or (needle.isdigit() and municipality.code.startswith(needle)):
            prefix.append(municipality)
        elif needle in name:
            contains.append(municipality)
    order = lambda m: swedish_sort_key(m.name)  # noqa: E731
    return sorted(prefix, key=order) + sorted(contains, key=order)


def latest_population(municipality: Municipality) -> Population | None:
    return municipality.populations.order_by("-year").first()


# --- Agreements ----------------------------------------------------------------------


@dataclass
class PublishedAgreement:
    """An agreement as the public sees it: its latest published version."""

    year: int
    version: AgreementVersion

    @property
    def agreement(self):
        return self.version.agreement


def published_agreements_for(municipality: Municipality) -> list[PublishedAgreement]:
    """The kommun's agreements that have a published version, newest period first."""
    versions = (
        published_versions()
        .filter(municipality=municipality)
        .select_related("agreement")
        .order_by("-agreement__period_start", "-agreement__period_end", "-number")
    )
    seen: set[int] = set()
    result = []
    for version in versions:
        if version.agreement_id in seen:
            continue
        seen.add(version.agreement_id)
        result.append(PublishedAgreement(year=version.agreement.year, version=version))
    return result


def _detail(queryset: QuerySet[AgreementVersion]) -> QuerySet[AgreementVersion]:
    """Everything the agreement page shows, in a fixed number of queries."""
    return with_contents(queryset)


def _for_year(code: str, year: int) -> QuerySet[AgreementVersion]:
    if not 1 <= year <= 9999:  # a date lookup outside Python's date range would raise
        return AgreementVersion.objects.none()
    return published_versions().filter(municipality__code=code, agreement__period_start__year=year)


def latest_published_version(municipality: Municipality | str, year: int, *, detail=True):
    """The newest published version of the kommun's agreement whose period starts in
    `year` (fully loaded for display unless detail=False); None when nothing is
    published for that year."""
    code = municipality if isinstance(municipality, str) else municipality.code
    queryset = _for_year(code, year)
    if detail:
        queryset = _detail(queryset)
    return queryset.order_by(
        "-agreement__period_start", "-agreement__period_end", "-number"
    ).first()


def published_version(municipality: Municipality | str, year: int, number: int):
    """One published version by number, fully loaded; None unless it is published."""
    code = municipality if isinstance(municipality, str) else municipality.code
    return (
        _detail(_for_year(code, year).filter(number=number))
        .order_by("-agreement__period_start", "-agreement__period_end")
        .first()
    )


def published_versions_for_year(code: str, year: int) -> list[AgreementVersion]:
    """Every published version of the kommun's agreements whose period starts in `year`,
    without their contents (one query): the newest period first, then the highest
    version number. The agreement page needs no more than this when its contents are
    cached."""
    return list(
        _for_year(code, year)
        .select_related("agreement", "municipality__county")
        .order_by("-agreement__period_start", "-agreement__period_end", "-number")
    )


def load_contents(version_id: int) -> AgreementVersion:
    """A published version with everything the agreement page shows (fixed query count)."""
    return _detail(published_versions().filter(pk=version_id)).get()


def published_history(version: AgreementVersion) -> list[AgreementVersion]:
    """All published versions of the same agreement, newest first (including `version`)."""
    return list(
        published_versions()
        .filter(agreement_id=version.agreement_id)
        .only("id", "number", "published_at", "agreement_id")
        .order_by("-number")
    )
