"""Finding Swedish personal names in free text (used by scanner.scan).

A name is found from lists and context, not from a language model:

- a first name followed by a surname: "Sven Karlsson", "Anna-Karin Svensson-Berg",
  "Ingrid Bergströms" (possessive);
- a role or relation followed by a capitalised word: "rektor Anna", "grannen Sven",
  "min son Kalle", "kontakt rektor Anna Svensson";
- a first name alone where the context is a person: anywhere inside a sentence when it is
  capitalised there, and at the start of a sentence when the word is not also a common
  Swedish word ("Bo", "Per", "Sten", "Björn", "Klara" ...) or when a person context
  follows ("Björn sa", "Oskar (14 år)").

Place and organisation names are kept out with the kommun list, an optional list of
places the caller knows (a kommun's gazetteer), a list of common organisations and
streets, and the rule that a name followed by "väg", "skola", "park" ... names a place.

The name lists (data/first_names.txt, data/surnames.txt) come from Faker's sv_SE
provider (Isof and Skatteverket statistics); see data/README.md and
docs/decisions/0003-name-source.md. They are loaded once, lazily, into frozensets.
"""

import csv
import functools
import re
from collections.abc import Iterable
from pathlib import Path

DATA = Path(__file__).parent / "data"
KOMMUNER = Path(__file__).resolve().parent.parent / "kommuner" / "data" / "kommuner.csv"

# First names that are also common Swedish words (or months, brands): at the start of a
# sentence they count as a name only with a surname or a person context.
AMBIGUOUS = frozenset(
    [
        "alla",
        "august",
        "axel",
        "ben",
        "bo",
        "björn",
        "bror",
        "dag",
        "del",
        "edit",
        "enar",
        "frank",
        "frans",
        "hans",
        "hugo",
        "inga",
        "inge",
        "iris",
        "jack",
        "jan",
        "juni",
        "junior",
        "kai",
        "kaj",
        "karl",
        "kim",
        "klara",
        "lage",
        "li",
        "lina",
        "liv",
        "lo",
        "lova",
        "love",
        "maj",
        "malva",
        "mark",
        "max",
        "may",
        "mina",
        "minna",
        "my",
        "nora",
        "per",
        "rosa",
        "rose",
        "rut",
        "saga",
        "sam",
        "sten",
        "stella",
        "stig",
        "svea",
        "tilde",
        "tom",
        "tor",
        "tuva",
        "urban",
        "vega",
        "vide",
        "viking",
        "vilja",
        "ville",
    ]
)

# Roles and relations after which a capitalised word is a person: "rektor Anna".
RELATIONS = frozenset(
    [
        "son",
        "sonen",
        "dotter",
        "dottern",
        "bror",
        "brorsan",
        "brodern",
        "syster",
        "systern",
        "syrran",
        "mamma",
        "mamman",
        "morsan",
        "pappa",
        "pappan",
        "farsan",
        "fru",
        "frun",
        "make",
        "maken",
        "maka",
        "man",
        "mannen",
        "sambo",
        "sambon",
        "pojkvän",
        "pojkvännen",
        "flickvän",
        "flickvännen",
        "kompis",
        "kompisen",
        "kamrat",
        "kamraten",
        "vän",
        "vännen",
        "kollega",
        "kollegan",
        "granne",
        "grannen",
        "grannar",
        "barn",
        "barnet",
        "barnbarn",
        "barnbarnet",
        "mormor",
        "morfar",
        "farmor",
        "farfar",
        "kusin",
        "kusinen",
        "moster",
        "faster",
        "morbror",
        "farbror",
        "rektor",
        "rektorn",
        "lärare",
        "läraren",
        "kurator",
        "kuratorn",
        "fritidsledare",
        "fritidsledaren",
        "vaktmästare",
        "vaktmästaren",
        "tränare",
        "tränaren",
        "samordnare",
        "samordnaren",
        "socialsekreterare",
        "socialsekreteraren",
        "handläggare",
        "handläggaren",
        "chef",
        "chefen",
        "enhetschef",
        "enhetschefen",
        "ordförande",
        "ordföranden",
        "polis",
        "polisen",
        "kommunpolis",
        "kommunpolisen",
        "områdespolis",
        "områdespolisen",
        "kontakt",
        "kontaktperson",
        "kontaktpersonen",
        "vittne",
        "vittnet",
        "killen",
        "tjejen",
        "kvinnan",
        "pojken",
        "flickan",
        "eleven",
        "elev",
        "heter",
        "hette",
        "kallas",
        "kallad",
        "herr",
        "doktor",
        "präst",
        "prästen",
        "pastor",
        "diakon",
        "diakonen",
        "väktaren",
        "väktare",
        "ordningsvakten",
        "ordningsvakt",
        "busschauffören",
        "föreståndaren",
        "föreståndare",
        "sjuksköterskan",
        "mentor",
        "mentorn",
    ]
)
_ROLE_SUFFIXES = (
    "chef", "chefen", "ledare", "ledaren", "samordnare", "samordnaren", "sekreterare",
    "sekreteraren", "handläggare", "handläggaren", "polis", "polisen", "lärare", "läraren",
    "tränare", "tränaren", "ansvarig", "ansvarige",
)  # fmt: skip

# Verbs that make a capitalised first word a person: "Björn sa", "Kalle sprejade".
PERSON_VERBS = frozenset(
    [
        "sa",
        "sade",
        "säger",
        "berättade",
        "berättar",
        "sprejade",
        "klottrade",
        "slog",
        "slår",
        "hotade",
        "hotar",
        "ringde",
        "ringer",
        "skrek",
        "sparkade",
        "rånade",
        "stal",
        "misshandlade",
        "knuffade",
        "jagade",
        "filmade",
        "larmade",
        "hittade",
        "såg",
        "ser",
        "tycker",
        "tyckte",
        "menar",
        "vet",
        "visste",
        "vågar",
        "vågade",
        "heter",
        "hette",
        "frågade",
        "svarade",
        "lovade",
        "grät",
        "sprang",
        "körde",
        "blev",
        "fick",
        "kastade",
        "skrev",
        "mejlade",
        "sms:ade",
        "anmälde",
    ]
)

# Organisations, brands and public bodies (lower case); multi-word ones are masked first.
ORGANISATIONS = (
    "röda korset", "svenska kyrkan", "ica kvantum", "ica maxi", "ica supermarket",
    "ica nära", "coop extra", "coop konsum", "coop forum", "folkets hus", "folkets park",
    "svenska bostäder", "stena fastigheter", "hugo boss", "allmänna arvsfonden",
    "rädda barnen", "frälsningsarmén", "stadsmissionen", "burger king", "max hamburgare",
    "region syd", "region väst", "region öst", "region nord", "region mitt",
    "region stockholm", "region bergslagen", "polisen syd", "lions club",
)  # fmt: skip
ORGANISATION_WORDS = frozenset(
    [
        "polisen",
        "polismyndigheten",
        "ica",
        "coop",
        "willys",
        "lidl",
        "hemköp",
        "netto",
        "citygross",
        "systembolaget",
        "socialtjänsten",
        "fritidsgården",
        "brå",
        "trafikverket",
        "räddningstjänsten",
        "länsstyrelsen",
        "kommunen",
        "regionen",
        "skatteverket",
        "försäkringskassan",
        "arbetsförmedlingen",
        "migrationsverket",
        "kronofogden",
        "max",
        "mcdonalds",
        "pressbyrån",
        "apoteket",
        "posten",
        "postnord",
        "lions",
        "rotary",
        "friskis",
        "ifk",
        "aik",
        "bris",
        "unicef",
        "hyresgästföreningen",
        "riksbyggen",
        "hsb",
        "stena",
        "sverige",
        "norge",
        "danmark",
        "finland",
        "syd",
        "nord",
        "väst",
        "öst",
        "mitt",
        "bergslagen",
        "resecentrum",
        "stationen",
        "torget",
        "centrum",
    ]
)

# A name followed by one of these (lower case) names a place or an institution:
# "Per Brahes väg", "Astrid Lindgrens skola".
PLACE_NOUNS = frozenset(
    [
        "väg",
        "vägen",
        "gata",
        "gatan",
        "gränd",
        "gränden",
        "plats",
        "platsen",
        "park",
        "parken",
        "skola",
        "skolan",
        "torg",
        "torget",
        "allé",
        "allén",
        "backe",
        "backen",
        "stig",
        "stigen",
        "hus",
        "huset",
        "hall",
        "hallen",
        "gymnasium",
        "gymnasiet",
        "kyrka",
        "kyrkan",
        "sjukhus",
        "sjukhuset",
        "bro",
        "bron",
        "äng",
        "ängen",
        "hage",
        "hagen",
        "bibliotek",
        "biblioteket",
        "gård",
        "gården",
        "trädgård",
        "trädgården",
    ]
)
_STREET_WORD = re.compile(
    r"(?:gatan|vägen|gränd|gränden|stigen|allén|torget|backen|leden|platsen|"
    r"stråket|kajen|slingan|ringen|parken|skolan)$"
)
_MONTHS_AND_DAYS = frozenset(
    [
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
        "måndag",
        "tisdag",
        "onsdag",
        "torsdag",
        "fredag",
        "lördag",
        "söndag",
    ]
)
_SURNAME_SHAPE = re.compile(
    r"(?:sson|son|berg|ström|gren|lund|qvist|kvist|quist|dahl|holm|lin|ander|én|ér|man|"
    r"blad|bäck|stedt|fors|ius)$"
)

_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
_SENTENCE_END = frozenset('.!?:;\n"“”•*–')
_AGE_AFTER = re.compile(r"\s*(?:\(\s*\d{1,2}(?:\s*år)?\s*\)|,\s*\d{1,2}(?:\s*år)?\b)")
_NON_PERSON_CONTEXT = frozenset({"kommun", "kommuns", "län", "läns", "församling"})


@functools.cache
def _lists() -> tuple[frozenset, frozenset, frozenset]:
    """(first names, surnames, places and organisations), lower case, loaded once."""

    def read(name: str) -> frozenset:
        text = (DATA / name).read_text(encoding="utf-8")
        return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())

    first = read("first_names.txt") | read("first_names_extra.txt")
    surnames = read("surnames.txt")
    places = set()
    with KOMMUNER.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            places.update(row["municipality_name"].lower().replace("-", " ").split())
    places.discard("upplands")
    return first, surnames, frozenset(places) | ORGANISATION_WORDS | _MONTHS_AND_DAYS


_ORG_PATTERN = re.compile(
    r"\b(?:" + "|".join(re.escape(o) for o in ORGANISATIONS) + r")\b", re.IGNORECASE
)


def _is_capitalised(word: str) -> bool:
    return word[0].isupper() and (len(word) == 1 or not word[1:].replace("-", "").isupper())


def _parts_in(word: str, names: frozenset) -> bool:
    """Every hyphen-separated part capitalised and a known name ("Anna-Karin")."""
    parts = word.lower().split("-")
    return word.lower() in names or (
        len(parts) > 1
        and all(parts)
        and all(p in names for p in parts)
        and all(_is_capitalised(p) for p in word.split("-"))
    )


def _known(word: str, names: frozenset) -> bool:
    """In the list, also in the possessive ("Kalles", "Bergströms")."""
    if _parts_in(word, names):
        return True
    return len(word) > 2 and word[-1] == "s" and _parts_in(word[:-1], names)


def find_names(text: str, places: Iterable[str] = ()) -> list[tuple[int, int]]:
    """(start, end) of each personal name in the text, in order."""
    if not any(c.isupper() for c in text):
        return []
    first, surnames, excluded = _lists()
    extra = frozenset(w for p in places for w in p.lower().replace("-", " ").split())
    masked = [m.span() for m in _ORG_PATTERN.finditer(text)] if _maybe_org(text) else []
    tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]

    def in_org(index: int) -> bool:
        return any(s <= tokens[index][0] < e for s, e in masked)

    def is_excluded(word: str) -> bool:
        low = word.lower()
        base = low[:-1] if low.endswith("s") else low
        return (
            low in excluded
            or low in extra
            or base in extra
            or (base in excluded and base not in first)
            or bool(_STREET_WORD.search(low))
        )

    def sentence_start(index: int) -> bool:
        position = tokens[index][0] - 1
        while position >= 0 and text[position] in " \t\r":
            position -= 1
        return position < 0 or text[position] in _SENTENCE_END

    def adjacent(i: int, j: int) -> bool:
        return i >= 0 and j < len(tokens) and text[tokens[i][1] : tokens[j][0]] == " "

    def capitalised_parts(word: str) -> bool:
        return all(p and _is_capitalised(p) for p in word.split("-"))

    def surname_ok(index: int, strong: bool) -> bool:
        """Can this word be the surname after a first name?"""
        word = tokens[index][2]
        if not capitalised_parts(word) or in_org(index):
            return False
        if _known(word, surnames):
            return True
        low = word.lower()
        if is_excluded(word) or low in AMBIGUOUS or low in first:
            return False
        if all(_SURNAME_SHAPE.search(p.lower().removesuffix("s")) for p in word.split("-")):
            return True
        return strong and "-" not in word

    hits: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        start, _end, word = tokens[i]
        if not _is_capitalised(word) or in_org(i):
            i += 1
            continue
        prev = tokens[i - 1][2].lower() if i > 0 else ""
        after_relation = adjacent(i - 1, i) and (prev in RELATIONS or prev.endswith(_ROLE_SUFFIXES))
        is_first = _known(word, first)
        excluded_word = is_excluded(word)
        if not is_first and not (after_relation and not excluded_word):
            i += 1
            continue
        low = word.lower()
        ambiguous = low in AMBIGUOUS or low.removesuffix("s") in AMBIGUOUS
        # middle first names ("Anna Maria Svensson"), then a surname
        j = i + 1
        while (
            adjacent(j - 1, j)
            and capitalised_parts(tokens[j][2])
            and _known(tokens[j][2], first)
            and tokens[j][2].lower() not in AMBIGUOUS
            and not _known(tokens[j][2], surnames)
            and adjacent(j, j + 1)
            and surname_ok(j + 1, True)
        ):
            j += 1
        has_surname = adjacent(j - 1, j) and surname_ok(
            j, strong=not ambiguous and not excluded_word or after_relation
        )
        last = j if has_surname else j - 1
        following = tokens[last + 1][2].lower() if adjacent(last, last + 1) else ""
        after_that = tokens[last + 2][2].lower() if adjacent(last + 1, last + 2) else ""
        if (
            following in PLACE_NOUNS
            or following in _NON_PERSON_CONTEXT
            or (following.endswith("s") and after_that in PLACE_NOUNS)
            or bool(following and _STREET_WORD.search(following))
        ):
            i = last + 2
            continue  # "Per Brahes väg", "Astrid Lindgrens skola", "Nora kommun",
            # "Jens Billesskolan", "Anna Lindh-skolan" (a place named after a person)
        person_context = (
            after_relation
            or has_surname
            or following in PERSON_VERBS
            or bool(_AGE_AFTER.match(text, tokens[last][1]))
        )
        if excluded_word or ambiguous and sentence_start(i):
            accept = person_context
        else:
            accept = True
        if accept:
            hits.append((start, tokens[last][1]))
            i = last + 1
        else:
            i += 1
    return hits


def _maybe_org(text: str) -> bool:
    low = text.lower()
    return any(o.split()[0] in low for o in ORGANISATIONS)
