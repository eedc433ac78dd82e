"""Build agreements directly with the ORM for public-site tests (also used by browser tests)."""

from datetime import UTC, date, datetime

from medborgarlofte.agreements.models import (
    Agreement,
    AgreementVersion,
    BasisItem,
    Commitment,
    CommitmentOwner,
    FocusArea,
    Indicator,
    Party,
    PriorityCategory,
    Section,
    Signatory,
    Status,
)
from medborgarlofte.kommuner.models import Municipality


def make_agreement(code="0642", year=2024):
    municipality = Municipality.objects.get(code=code)
    agreement, _created = Agreement.objects.get_or_create(
        municipality=municipality,
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
    )
    return agreement


def make_version(
    agreement,
    number=1,
    status=Status.PUBLISHED,
    title=None,
    marker="",
    published_at=None,
    sections=2,
    commitments_per_section=3,
    schedule=None,
):
    """A complete version: three parties, basis, focus areas, categories, sections with
    commitments (owners, level, cadence, indicators), signatories. `marker` is put into
    the title of the first commitment so a test can look for it on public pages."""
    m = agreement.municipality
    if published_at is None and status == Status.PUBLISHED:
        published_at = datetime(agreement.year, 1, 10 + number, 9, 0, tzinfo=UTC)
    version = AgreementVersion.objects.create(
        agreement=agreement,
        municipality=m,
        number=number,
        status=status,
        title=title or f"Medborgarlöfte {m.name} {agreement.year}",
        police_area="Södra Vätterbygden",
        introduction=(
            "Medborgarlöftet är ett avtal mellan polisen och kommunen.\n\n"
            "Vi arbetar **tillsammans** <script>alert('x')</script> för tryggheten."
        ),
        effects="Ökad trygghet i centrum.\n\nFärre skadegörelsebrott.",
        follow_up_text="Löftet följs upp varje tertial i lokala BRÅ.",
        follow_up_schedule=(
            schedule
            if schedule is not None
            else [f"{agreement.year}-05-15", f"{agreement.year}-12-15"]
        ),
        signed_date=date(agreement.year - 1, 12, 12),
        published_at=published_at,
    )
    police = Party.objects.create(
        version=version,
        municipality=m,
        key="polisen",
        kind=Party.Kind.POLICE,
        name="Polisen, lokalpolisområde Södra Vätterbygden",
        position=0,
    )
    kommun = Party.objects.create(
        version=version,
        municipality=m,
        key="kommunen",
        kind=Party.Kind.MUNICIPALITY,
        name=f"{m.name} kommun",
        position=1,
    )
    housing = Party.objects.create(
        version=version,
        municipality=m,
        key="bostader",
        kind=Party.Kind.OTHER,
        name="Bostadsbolaget AB",
        position=2,
    )
    BasisItem.objects.create(
        version=version,
        municipality=m,
        kind=BasisItem.Kind.CRIME_STATISTICS,
        description="Statistik på anmälda brott",
        years=[2021, 2022, 2023],
        position=0,
    )
    BasisItem.objects.create(
        version=version,
        municipality=m,
        kind=BasisItem.Kind.SAFETY_SURVEY,
        description="Polisens trygghetsundersökning",
        years=[2023],
        position=1,
    )
    areas = [
        FocusArea.objects.create(
            version=version, municipality=m, key=f"omrade-{i}", title=f"Fokusområde {i}", position=i
        )
        for i in range(sections)
    ]
    for i, name in enumerate(["Skadegörelsebrott", "Narkotikabrott", "Trafikbrott"]):
        PriorityCategory.objects.create(version=version, municipality=m, name=name, position=i)
    owner_sets = [[police], [kommun], [police, kommun], [housing, kommun]]
    n = 0
    for s in range(sections):
        section = Section.objects.create(
            version=version,
            municipality=m,
            heading=f"Avsnitt {s + 1} genom att:",
            focus_area=areas[s],
            position=s,
        )
        for c in range(commitments_per_section):
            text = f"Löfte {n + 1}: vi samverkar veckovis."
            if n == 0 and marker:
                text = f"{marker} {text}"
            commitment = Commitment.objects.create(
                version=version,
                municipality=m,
                section=section,
                ref=f"c{n + 1}",
                text=text,
                level="operational" if c % 2 == 0 else "",
                cadence="weekly" if c % 2 == 0 else "",
                position=c,
            )
            for position, party in enumerate(owner_sets[n % len(owner_sets)]):
                CommitmentOwner.objects.create(
                    commitment=commitment, party=party, municipality=m, position=position
                )
            if c == 0:
                Indicator.objects.create(
                    commitment=commitment,
                    municipality=m,
                    title="Antal anmälda skadegörelsebrott",
                    kind=Indicator.Kind.EFFECT,
                    unit="brott per år",
                    baseline=120,
                    target=100.5,
                    direction=Indicator.Direction.DECREASE,
                    source="crime_statistics:Skadegörelsebrott",
                )
            n += 1
    Signatory.objects.create(
        version=version, municipality=m, party=police, role="Lokalpolisområdeschef", position=0
    )
    Signatory.objects.create(
        version=version,
        municipality=m,
        party=kommun,
        role="Kommunstyrelsens ordförande",
        name="Anna Andersson",
        position=1,
    )
    return version


def make_published(code="0642", year=2024, **kwargs):
    return make_version(make_agreement(code, year), **kwargs)
