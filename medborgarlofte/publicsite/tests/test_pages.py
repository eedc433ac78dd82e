"""The public site: home, kommun page, agreement page, versions, downloads."""

import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from medborgarlofte.agreements.models import Status
from medborgarlofte.kommuner.models import Population
from medborgarlofte.publicsite import queries

from .builders import make_agreement, make_published, make_version

DRAFT_MARKER = "HEMLIGT-UTKAST-7f3a"


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def english(client, settings):
    """Assertions on interface text use the English msgids, so the Swedish catalogue
    (written later) does not break them; tests about Swedish formats switch back."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def swedish(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def agreement_url(code="0642", year=2024):
    return reverse("publicsite:agreement", args=[code, year])


# --- Home ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_home_explains_and_lists_all_290_kommuner_by_county(client):
    response = client.get(reverse("publicsite:home"))
    assert response.status_code == 200
    page = soup(response)
    assert len(page.find_all("h1")) == 1
    assert page.select_one("form[role=search] input[name=q]") is not None
    assert page.select_one("form[role=search]")["method"] == "get"
    all_links = page.select(".all-kommuner .county li a")
    assert len(all_links) == 290
    # the links are written out in the template (for speed): they must match the URLconf
    assert all_links[0]["href"] == reverse(
        "publicsite:municipality", args=[all_links[0]["href"][8:12]]
    )
    codes = {a["href"][8:12] for a in all_links}
    assert len(codes) == 290
    assert {reverse("publicsite:municipality", args=[code]) for code in codes} == {
        a["href"] for a in all_links
    }
    counties = [h.get_text(strip=True) for h in page.select(".all-kommuner h3")]
    assert len(counties) == 21
    assert counties[-2:] == ["Örebro län", "Östergötlands län"]


@pytest.mark.django_db
def test_kommuner_sort_swedish_style_with_a_ring_a_umlaut_o_umlaut_last(client):
    page = soup(client.get(reverse("publicsite:home")))
    stockholm = page.find("h3", string="Stockholms län").find_parent("section")
    names = [a.get_text(strip=True) for a in stockholm.select("li a")]
    assert names[-3:] == ["Vaxholm", "Värmdö", "Österåker"]
    assert names.index("Södertälje") > names.index("Sundbyberg")
    assert names.index("Täby") > names.index("Tyresö")
    jamtland = page.find("h3", string="Jämtlands län").find_parent("section")
    names = [a.get_text(strip=True) for a in jamtland.select("li a")]
    assert names[-2:] == ["Åre", "Östersund"]


@pytest.mark.django_db
def test_home_lists_kommuner_with_published_agreements_only(client):
    make_published("0642")
    make_version(make_agreement("0680"), status=Status.DRAFT)
    make_version(make_agreement("0643"), status=Status.AGREED)
    page = soup(client.get(reverse("publicsite:home")))
    published = [a.get_text(strip=True) for a in page.select("#published-heading ~ ul li a")]
    assert published == ["Mullsjö"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mulls", "Mullsjö"),
        ("MULLSJÖ", "Mullsjö"),
        ("åre", "Åre"),
        ("ÅRE", "Åre"),
        ("0642", "Mullsjö"),
        ("  sjö ", "Mullsjö"),
        ("ÖSTERS", "Östersund"),
    ],
)
def test_search_finds_kommun(client, query, expected):
    response = client.get(reverse("publicsite:home"), {"q": query})
    assert response.status_code == 200
    results = [a.get_text(strip=True) for a in soup(response).select(".search-results li a")]
    assert expected in results


@pytest.mark.django_db
def test_search_decomposed_unicode_and_no_match(client):
    decomposed = "a\u030are"  # "åre" typed as a + combining ring
    results = soup(client.get("/", {"q": decomposed})).select(".search-results li a")
    assert "Åre" in [a.get_text(strip=True) for a in results]
    for result in soup(client.get("/", {"q": "jönk"})).select(".search-results li a"):
        assert result["href"] == reverse("publicsite:municipality", args=["0680"])
    response = client.get("/", {"q": "xyzzy"})
    assert soup(response).select(".search-results li a") == []
    assert "xyzzy" in soup(response).select_one(".search-results [role=status]").get_text()


def test_search_order_prefix_first_then_swedish():
    class K:
        def __init__(self, name, code="0000"):
            self.name, self.code = name, code

    kommuner = [K("Örebro"), K("Åstorp"), K("Arboga"), K("Älmhult"), K("Stora Ö"), K("Askersund")]
    found = [k.name for k in queries.search_municipalities("ö", kommuner)]
    assert found[0] == "Örebro"
    found = [k.name for k in queries.search_municipalities("a", kommuner)]
    assert found[:2] == ["Arboga", "Askersund"]
    assert queries.search_municipalities("", kommuner) == []


@pytest.mark.django_db
def test_search_escapes_query(client):
    response = client.get("/", {"q": "<script>alert(1)</script>"})
    assert b"<script>alert(1)" not in response.content
    assert b"&lt;script&gt;" in response.content


@pytest.mark.django_db
def test_home_query_count(client, django_assert_max_num_queries):
    make_published("0642")
    with django_assert_max_num_queries(4):
        client.get("/", {"q": "m"})


# --- Kommun page --------------------------------------------------------------------------


@pytest.mark.django_db
def test_municipality_page_shows_population_with_source_and_agreements(client, swedish):
    make_published("0642", title="Medborgarlöfte Mullsjö kommun 2024")
    response = client.get(reverse("publicsite:municipality", args=["0642"]))
    assert response.status_code == 200
    text = soup(response).get_text(" ", strip=True)
    assert "Mullsjö" in text
    assert "Jönköpings län" in text
    population = soup(response).select_one(".population").get_text(" ", strip=True)
    assert "2024" in population
    assert "2 024" not in population.replace("\xa0", " ")
    number = Population.objects.get(municipality__code="0642", year=2024).population
    assert f"{number // 1000}\xa0{number % 1000:03d}" in population  # Swedish grouping
    assert "SCB" in population
    link = soup(response).select_one(".agreement-list a")
    assert link["href"] == agreement_url()
    assert link.get_text(strip=True) == "Medborgarlöfte Mullsjö kommun 2024"


@pytest.mark.django_db
def test_municipality_without_promise_says_so(client):
    make_version(make_agreement("0643"), status=Status.DRAFT, marker=DRAFT_MARKER)
    response = client.get(reverse("publicsite:municipality", args=["0643"]))
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one(".notice") is not None
    assert page.select(".agreement-list") == []
    assert DRAFT_MARKER not in response.content.decode()


@pytest.mark.django_db
def test_unknown_municipality_404(client):
    assert client.get("/kommun/9999/").status_code == 404
    assert client.get("/kommun/abcd/").status_code == 404


@pytest.mark.django_db
def test_municipality_query_count(client, django_assert_max_num_queries):
    make_published("0642")
    make_published("0642", year=2023)
    # + 2: the validator (the agreements' and the statistics' stamps, accounts/public_cache.py)
    with django_assert_max_num_queries(3 + 2):
        client.get(reverse("publicsite:municipality", args=["0642"]))


# --- Agreement page -----------------------------------------------------------------------


@pytest.mark.django_db
def test_agreement_page_shows_the_whole_promise(client):
    make_published("0642")
    response = client.get(agreement_url())
    assert response.status_code == 200
    page = soup(response)
    assert len(page.find_all("h1")) == 1
    assert page.h1.get_text(strip=True) == "Medborgarlöfte Mullsjö 2024"
    text = page.get_text(" ", strip=True)
    for expected in [
        "Södra Vätterbygden",
        "Bostadsbolaget AB",
        "Statistik på anmälda brott",
        "2021, 2022, 2023",
        "Fokusområde 0",
        "Skadegörelsebrott",
        "Avsnitt 1 genom att:",
        "Löfte 6",
        "Antal anmälda skadegörelsebrott",
        "Ökad trygghet i centrum.",
        "Färre skadegörelsebrott.",
        "Löftet följs upp varje tertial",
        "Lokalpolisområdeschef",
        "Kommunstyrelsens ordförande",
        "Anna Andersson",
    ]:
        assert expected in text, expected
    # badges per owner party kind
    first = page.select("li.commitment")
    assert [b["class"] for b in first[0].select(".owners .badge")] == [["badge", "badge-police"]]
    assert [b["class"][1] for b in first[2].select(".owners .badge")] == [
        "badge-police",
        "badge-municipality",
    ]
    assert [b["class"][1] for b in first[3].select(".owners .badge")] == [
        "badge-other",
        "badge-municipality",
    ]
    assert first[0].select_one(".level") is not None
    indicator = first[0].select_one(".indicators li").get_text(" ", strip=True)
    assert "baseline 120," in indicator
    assert "target 100.5," in indicator  # no padding to two decimals
    assert first[1].select_one(".level") is None
    # introduction: paragraphs, markup escaped (Markdown not passed through as HTML)
    intro = page.select("#introduction .prose p")
    assert len(intro) == 2
    assert page.select("#introduction script") == []
    assert "<script>alert" not in response.content.decode()
    # version, downloads, history
    assert page.select_one('a[href$="/medborgarlofte/2024.yaml"]') is not None
    assert page.select_one('a[href$="/medborgarlofte/2024.json"]') is not None
    assert page.select_one(".notice-old-version") is None


@pytest.mark.django_db
def test_headings_in_order(client):
    make_published("0642")
    page = soup(client.get(agreement_url()))
    levels = [int(h.name[1]) for h in page.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    assert levels[0] == 1
    for previous, current in zip(levels, levels[1:], strict=False):
        assert current <= previous + 1


@pytest.mark.django_db
def test_swedish_formats_years_dates_and_decimals(client, swedish):
    make_published("0642")
    page = soup(client.get(agreement_url()))
    assert page.html["lang"] == "sv"
    text = page.get_text(" ", strip=True).replace("\xa0", " ")
    assert "2 024" not in text
    assert "2 023" not in text
    assert "1 januari 2024" in text
    assert "100,5" in page.select_one(".indicators li").get_text()


@pytest.mark.django_db
def test_draft_never_public(client):
    """A draft (and an agreed, unpublished) version never reaches any public page."""
    agreement = make_agreement("0642")
    make_version(agreement, number=1, marker="PUBLICERAD-v1")
    make_version(agreement, number=2, status=Status.DRAFT, marker=DRAFT_MARKER)
    make_version(make_agreement("0642", 2025), status=Status.DRAFT, marker=DRAFT_MARKER)
    make_version(make_agreement("0643"), status=Status.AGREED, marker=DRAFT_MARKER)
    urls = [
        "/",
        "/?q=mull",
        "/?q=habo",
        "/kommun/0642/",
        "/kommun/0643/",
        agreement_url(),
        reverse("publicsite:agreement-version", args=["0642", 2024, 1]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert DRAFT_MARKER not in response.content.decode(), url
    page = soup(client.get(agreement_url()))
    assert "PUBLICERAD-v1" in page.get_text()
    history = page.select(".version-history li")
    assert len(history) == 1
    assert history[0].get_text(" ", strip=True).startswith("Version 1")
    # the draft version and unpublished years are 404, not leaked
    assert (
        client.get(reverse("publicsite:agreement-version", args=["0642", 2024, 2])).status_code
        == 404
    )
    assert client.get(agreement_url("0642", 2025)).status_code == 404
    assert client.get(agreement_url("0643", 2024)).status_code == 404


@pytest.mark.django_db
def test_latest_published_version_and_history(client):
    agreement = make_agreement("0642")
    make_version(agreement, number=1, marker="GAMMAL-v1")
    make_version(agreement, number=2, marker="NY-v2")
    make_version(agreement, number=3, status=Status.DRAFT, marker=DRAFT_MARKER)
    response = client.get(agreement_url())
    page = soup(response)
    assert "NY-v2" in page.get_text()
    assert page.select_one(".notice-old-version") is None
    history = page.select(".version-history li")
    assert len(history) == 2
    old_url = reverse("publicsite:agreement-version", args=["0642", 2024, 1])
    assert history[1].a["href"] == old_url
    assert history[0].select_one("[aria-current=page]") is not None

    old = soup(client.get(old_url))
    assert "GAMMAL-v1" in old.get_text()
    notice = old.select_one(".notice-old-version")
    assert notice is not None
    assert notice.a["href"] == agreement_url()
    assert old.select_one('a[href$=".yaml"]') is None  # downloads are of the current version
    assert DRAFT_MARKER not in str(old)
    # the newest published version by number also works under its own URL
    v2 = client.get(reverse("publicsite:agreement-version", args=["0642", 2024, 2]))
    assert v2.status_code == 200
    assert soup(v2).select_one(".notice-old-version") is None


@pytest.mark.django_db
def test_agreement_404s(client):
    make_published("0642")
    assert client.get(agreement_url("0642", 2019)).status_code == 404
    assert client.get(agreement_url("9999", 2024)).status_code == 404
    assert (
        client.get(reverse("publicsite:agreement-version", args=["0642", 2024, 7])).status_code
        == 404
    )
    assert client.get("/kommun/0642/medborgarlofte/2024.xml").status_code == 404
    assert client.get("/kommun/0642/medborgarlofte/2019.yaml").status_code == 404


@pytest.mark.django_db
def test_agreement_page_query_count_is_fixed(client, django_assert_max_num_queries):
    agreement = make_agreement("0642")
    make_version(agreement, number=1, sections=1, commitments_per_section=1)
    make_version(agreement, number=2, sections=2, commitments_per_section=2)
    # + 1: the validator (the agreements' stamp, accounts/public_cache.py); + 2 × 10: the
    # "what changed" note reads the two published versions as documents (agreements/
    # history.py, 10 queries each whatever their size; only when the page is not cached)
    with django_assert_max_num_queries(12 + 1 + 2 * 10) as small:
        client.get(agreement_url())
    make_version(agreement, number=3, sections=6, commitments_per_section=8)
    with django_assert_max_num_queries(12 + 1 + 2 * 10) as big:
        client.get(agreement_url())
    assert len(big.captured_queries) == len(small.captured_queries)
    # the page of an unchanged validator is stored: only the stamp's query after that
    with django_assert_max_num_queries(1):
        response = client.get(agreement_url())
    assert len(soup(response).select("li.commitment")) == 48


@pytest.mark.django_db
def test_cached_page_follows_new_publication_and_language(client, settings):
    agreement = make_agreement("0642")
    make_version(agreement, number=1, marker="FORSTA-v1")
    assert "FORSTA-v1" in client.get(agreement_url()).content.decode()
    old_url = reverse("publicsite:agreement-version", args=["0642", 2024, 1])
    assert soup(client.get(old_url)).select_one(".notice-old-version") is None
    make_version(agreement, number=2, marker="ANDRA-v2")
    page = soup(client.get(agreement_url()))
    assert "ANDRA-v2" in page.get_text()
    assert len(page.select(".version-history li")) == 2
    old = soup(client.get(old_url))
    assert old.select_one(".notice-old-version") is not None  # not the cached copy
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    assert soup(client.get(agreement_url())).html["lang"] == "sv"
    assert "1 januari 2024" in client.get(agreement_url()).content.decode()


@pytest.mark.django_db
def test_queries_never_return_unpublished():
    agreement = make_agreement("0642")
    make_version(agreement, number=1, status=Status.DRAFT)
    assert queries.latest_published_version("0642", 2024) is None
    assert queries.published_agreements_for(agreement.municipality) == []
    make_version(agreement, number=2)
    make_version(agreement, number=3, status=Status.AGREED)
    assert queries.latest_published_version(agreement.municipality, 2024).number == 2
    assert queries.published_version("0642", 2024, 3) is None
    assert [p.version.number for p in queries.published_agreements_for(agreement.municipality)] == [
        2
    ]


def test_source_labels():
    from django.utils import translation

    from medborgarlofte.agreements.documents import source_label

    with translation.override("en"):
        assert source_label("manual") == "entered manually"
        assert source_label("crime_statistics:Narkotikabrott") == "crime statistics: Narkotikabrott"
        assert source_label("SCB") == "SCB"
        assert source_label("") == ""


# --- Downloads ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_download_yaml_and_json(client):
    import yaml

    agreement = make_agreement("0642")
    make_version(agreement, number=1, title="Första versionen")
    make_version(agreement, number=2, title="Andra versionen")
    make_version(agreement, number=3, status=Status.DRAFT, title="Utkastet", marker=DRAFT_MARKER)

    response = client.get(reverse("publicsite:agreement-download", args=["0642", 2024, "yaml"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="medborgarlofte-0642-2024.yaml"'
    document = yaml.safe_load(response.content.decode("utf-8"))
    assert document["municipality"] == "0642"
    assert document["title"] == "Andra versionen"
    assert DRAFT_MARKER not in response.content.decode("utf-8")

    response = client.get(reverse("publicsite:agreement-download", args=["0642", 2024, "json"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="medborgarlofte-0642-2024.json"'
    assert json.loads(response.content)["title"] == "Andra versionen"


@pytest.mark.django_db
def test_download_404_when_only_draft(client):
    make_version(make_agreement("0642"), status=Status.DRAFT)
    response = client.get(reverse("publicsite:agreement-download", args=["0642", 2024, "json"]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_public_pages_are_get_only(client):
    make_published("0642")
    assert client.post(agreement_url()).status_code == 405


@pytest.mark.django_db
def test_english_interface(client):
    make_published("0642")
    response = client.get(agreement_url())
    page = soup(response)
    assert page.html["lang"] == "en"
    assert page.h1["lang"] == "sv"


@pytest.mark.django_db
def test_follow_up_schedule_word_or_dates(client):
    make_published("0642", schedule="tertial")
    make_published("0642", year=2023)
    page = soup(client.get(agreement_url()))
    assert [li.get_text(strip=True) for li in page.select(".schedule li")] == ["Every tertial"]
    page = soup(client.get(agreement_url("0642", 2023)))
    dates = [li.time["datetime"] for li in page.select(".schedule li")]
    assert dates == ["2023-05-15", "2023-12-15"]
