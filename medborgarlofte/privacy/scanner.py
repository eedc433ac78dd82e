"""Finding personal data in free text before it is stored.

Looks for Swedish personnummer and samordningsnummer (with Luhn check, with and
without century, with "-", "+", a space or no separator), date-valid id numbers with a
wrong check digit ("possible_personnummer"), phone numbers, e-mail addresses, street
addresses with a number and personal names (privacy/names.py). Dates, times, amounts,
postcodes, organisation numbers, case numbers, places and organisations are look-alikes
that must not be reported; the test corpus in privacy/tests/ holds both.

    hits = scan("Ring mig på 070-123 45 67")
    [Hit(kind="phone", start=12, end=25, text="070-123 45 67")]

    scan(text, places=("Bjärsjö", "Sandhem"))  # words the caller knows are not people
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from medborgarlofte.privacy.names import find_names

KINDS = (
    "personnummer",
    "samordningsnummer",
    "possible_personnummer",
    "phone",
    "email",
    "address",
    "name",
)

# What each kind is called in the interface (Swedish translations in django.po).
KIND_LABELS = {
    "personnummer": _("personal identity number"),
    "samordningsnummer": _("coordination number"),
    "possible_personnummer": _("possible personal identity number"),
    "phone": _("phone number"),
    "email": _("e-mail address"),
    "address": _("street address"),
    "name": _("name"),
}

# What replaces a hit of each kind when text is redacted (the stored text is Swedish).
REPLACEMENTS = {
    "personnummer": "[personnummer]",
    "samordningsnummer": "[samordningsnummer]",
    "possible_personnummer": "[personnummer]",
    "phone": "[telefonnummer]",
    "email": "[e-postadress]",
    "address": "[adress]",
    "name": "[namn]",
}
REDACTION = "[…]"  # one replacement for every kind, on request: redact(..., replacement=REDACTION)


@dataclass(frozen=True)
class Hit:
    kind: str
    start: int
    end: int
    text: str

    def as_dict(self) -> dict:
        return {"kind": self.kind, "start": self.start, "end": self.end}

    @property
    def label(self):
        """What the kind is called in the interface ("namn", "telefonnummer" ...)."""
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def replacement(self) -> str:
        """What redact() puts in its place ("[namn]", "[telefonnummer]" ...)."""
        return REPLACEMENTS.get(self.kind, REDACTION)


# --- personnummer / samordningsnummer ------------------------------------------------

_PNR = re.compile(
    r"(?<![\w+\-/.])(?<!\d:)"
    r"(?P<century>19|20)?(?P<yy>\d{2})(?P<mm>\d{2})(?P<dd>\d{2})"
    r"(?P<sep>[-+]|\s?-\s?| )?(?P<serial>\d{3})(?P<check>\d)"
    r"(?![\w\-/])"
)


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


# Words before a number that make it a reference, not a person's number.
_REFERENCE_CONTEXT = re.compile(
    r"(?:order|faktura|ärende|dnr|diarie|ocr|ref|kund|avtal|organisations|orgnr|org\.?\s?nr|"
    r"bankgiro|plusgiro|konto|clearing|artikel|serie|nr\s?på\s?ordern)\w*\W{0,3}(?:\w+\W{1,3})?$",
    re.IGNORECASE,
)
_PERSON_CONTEXT = re.compile(
    r"(?:person|pnr|p-?nr|född|samordnings|id\b|id-?nummer|legitimation)[\w.:-]*\W{0,3}(?:\w+\W{1,3})?$",
    re.IGNORECASE,
)


def _identity_kind(match: re.Match, text: str) -> str | None:
    yy, mm, dd = int(match["yy"]), int(match["mm"]), int(match["dd"])
    if match["century"] is None and match["sep"] is None and match["yy"] == "07":
        return None  # 07xxxxxxxx without separator: a mobile number (see _phones)
    century = int(match["century"]) * 100 if match["century"] else 1900
    kind = "personnummer"
    if dd > 60:
        kind, dd = "samordningsnummer", dd - 60
    # Without a century, any century fits the date check (leap days included).
    years = [century + yy] if match["century"] else [1900 + yy, 2000 + yy]
    if not any(_valid_date(year, mm, dd) for year in years):
        return None
    ten = f"{match['yy']}{match['mm']}{match['dd']}{match['serial']}{match['check']}"
    if luhn_ok(ten):
        return kind
    # A date-valid number with a wrong check digit: a typo of a real one, unless the
    # text says it is a reference. Without a separator or century it needs a person cue.
    before = text[max(0, match.start() - 40) : match.start()]
    if _REFERENCE_CONTEXT.search(before):
        return None
    if match["sep"] or match["century"] or _PERSON_CONTEXT.search(before):
        return "possible_personnummer"
    return None


def _identity_numbers(text: str) -> list[Hit]:
    hits = []
    for match in _PNR.finditer(text):
        kind = _identity_kind(match, text)
        if kind:
            hits.append(Hit(kind, match.start(), match.end(), match.group(0)))
    return hits


# --- e-mail -----------------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])[\w.%+-]+@(?:[A-Za-z0-9åäöÅÄÖ-]+\.)+[A-Za-z]{2,24}(?![\w-])")


def _emails(text: str) -> list[Hit]:
    return [Hit("email", m.start(), m.end(), m.group(0)) for m in _EMAIL.finditer(text)]


# --- phone numbers ------------------------------------------------------------------------

# +46 / 0046 / 0 followed by 7–9 more digits, in groups separated by space, hyphen or
# slash, optionally with the area code in parentheses: 070-123 45 67, 08-123 456 78,
# 036-10 20 30, +46 (0)70 123 45 67, 0701234567, 020-22 11 00.
_PHONE = re.compile(
    r"(?<![\w+.,])(?<!\d:)"
    r"(?P<prefix>(?:\+|00)46[\s-]?(?:\(0\)[\s-]?)?|\(?0)"
    r"(?P<rest>\d{1,3}\)?(?:[\s/-]{0,2}\d{1,4})(?:[\s-]{0,2}\d{1,4}){0,4})"
    r"(?!\w|[.,:]\d)"
)


def _phones(text: str) -> list[Hit]:
    hits = []
    for match in _PHONE.finditer(text):
        raw, start = match.group(0).rstrip(" -/"), match.start()
        if raw.startswith("(") and not re.match(r"\(0\d{1,3}\)", raw):
            raw, start = raw[1:], start + 1  # "(070-123 45 67)": the parenthesis is not ours
        digits = re.sub(r"\D", "", raw.replace("(0)", ""))
        international = raw.startswith(("+46", "0046"))
        national = (
            ("0" + digits[4:] if raw.startswith("00") else "0" + digits[2:])
            if international
            else digits
        )
        if not 8 <= len(national) <= 10 or national.startswith("00"):
            continue
        if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", raw) or re.fullmatch(r"\d{1,2}[.:]\d{2}", raw):
            continue  # dates and times
        if (
            not international
            and re.fullmatch(r"0\d{2,3}", raw.split()[0])
            and " " not in raw
            and "-" not in raw
            and len(digits) < 9
        ):
            continue
        hits.append(Hit("phone", start, start + len(raw), raw))
    return hits


# --- street addresses ------------------------------------------------------------------

_STREET_SUFFIXES = (
    "gatan|gata|vägen|väg|gränd|gränden|stigen|stig|allén|allé|torget|torg|backen|backe|"
    "leden|led|platsen|plats|plan|stråket|esplanaden|kajen|kaj|promenaden|slingan|"
    "ringen|längan|liden|hagen|vägen|udden"
)
_ADDRESS = re.compile(
    r"(?<![\w])"
    r"(?P<street>(?:[A-ZÅÄÖÉ][\wåäöéÅÄÖÉ.-]*\s){0,3}"
    rf"(?:[A-ZÅÄÖÉa-zåäöé][\wåäöéÅÄÖÉ-]*?)?(?:{_STREET_SUFFIXES})"
    r")\s(?P<number>\d{1,4}(?:\s?[A-Ha-h])?(?:\s?-\s?\d{1,4})?)(?![\d:.,]\d|\w)",
)
_SUFFIX_WORDS = set(_STREET_SUFFIXES.split("|"))
_COMMON_WORDS = {"plan", "plats", "väg", "led", "torg", "backe", "stig", "kaj", "hagen", "ringen"}
_STREET_STOP = {"den", "det", "en", "ett", "vid", "på", "i", "och", "mot", "från", "till"}
# "Åtgärdsplan 2024–2026", "Handlingsplan 2025": a plan named by its year, not Kyrkplan 3.
_YEAR = re.compile(r"(19|20)\d\d")
_YEAR_RANGE = re.compile(r"\s?[-–]\s?((?:19|20)\d\d)(?!\d)")


def _is_year_not_number(match) -> bool:
    """A year after a "-plan" word, or a range of years ("Gatan 2024–2026"), is no house
    number: Swedish house numbers stay far below 1900 in practice and never run over years."""
    number, _dash, last = match["number"].replace(" ", "").partition("-")
    if not _YEAR.fullmatch(number):
        return False
    if match["street"].lower().endswith("plan"):
        return True
    if last:
        return bool(_YEAR.fullmatch(last)) and int(last) > int(number)
    after = _YEAR_RANGE.match(match.string, match.end())
    return bool(after and int(after[1]) > int(number))


def _addresses(text: str) -> list[Hit]:
    hits = []
    for match in _ADDRESS.finditer(text):
        if _is_year_not_number(match):
            continue
        words = match["street"].split()
        # Drop leading lower-case words that are not part of the street name.
        while len(words) > 1 and (words[0].lower() in _STREET_STOP or words[0][0].islower()):
            words = words[1:]
        street = " ".join(words)
        if street.lower() in _SUFFIX_WORDS and (
            street[0].islower() or street.lower() in _COMMON_WORDS
        ):
            continue  # "vägen 3 gånger", "plan 2": a common noun, not a street name
        start = (
            match.start("street") + match["street"].rfind(street)
            if street in match["street"]
            else match.start()
        )
        hits.append(Hit("address", start, match.end(), text[start : match.end()]))
    return hits


# --- all together -------------------------------------------------------------------------

_PRIORITY = {
    "personnummer": 0,
    "samordningsnummer": 0,
    "possible_personnummer": 0,
    "email": 1,
    "phone": 2,
    "address": 3,
    "name": 4,
}


def _names(text: str, places: Iterable[str]) -> list[Hit]:
    return [Hit("name", s, e, text[s:e]) for s, e in find_names(text, places)]


def scan(text: str, *, places: Iterable[str] = ()) -> list[Hit]:
    """Every piece of personal data found in the text, in order, without overlaps.

    places: words the caller knows are not people (a kommun's gazetteer places,
    organisation names); a capitalised word among them is not taken for a name unless
    the context says it is a person ("grannen Nora")."""
    candidates = [
        *_identity_numbers(text),
        *_emails(text),
        *_phones(text),
        *_addresses(text),
        *_names(text, places),
    ]
    candidates.sort(key=lambda h: (_PRIORITY[h.kind], h.start))
    chosen: list[Hit] = []
    for hit in candidates:
        if all(hit.end <= other.start or hit.start >= other.end for other in chosen):
            chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


def redact(text: str, hits: list[Hit] | None = None, replacement: str | None = None) -> str:
    """The text with every hit replaced: by REPLACEMENTS[kind] ("[namn]",
    "[telefonnummer]" ...) when replacement is None, else by the given string."""
    hits = scan(text) if hits is None else hits
    out, position = [], 0
    for hit in sorted(hits, key=lambda h: h.start):
        out.append(text[position : hit.start])
        out.append(hit.replacement if replacement is None else replacement)
        position = hit.end
    out.append(text[position:])
    return "".join(out)


def segments(text: str, hits: list[Hit] | None = None) -> list[tuple[str, str | None]]:
    """The text cut into (piece, kind) pairs, kind None between hits: for highlighting."""
    hits = scan(text) if hits is None else hits
    out, position = [], 0
    for hit in sorted(hits, key=lambda h: h.start):
        if hit.start > position:
            out.append((text[position : hit.start], None))
        out.append((text[hit.start : hit.end], hit.kind))
        position = hit.end
    if position < len(text):
        out.append((text[position:], None))
    return out
