"""The constants of the exchange format `medborgarlofte/1` (docs/formats/agreement-v1.md)."""

import re

FORMAT = "medborgarlofte/1"
TOP_KEYS = (
    "format",
    "municipality",
    "title",
    "police_area",
    "period",
    "parties",
    "signed",
    "introduction",
    "basis",
    "focus_areas",
    "crime_categories",
    "sections",
    "effects",
    "follow_up",
    "extensions",
)
TOP_REQUIRED = ("format", "municipality", "period", "parties", "sections")
# The follow-up rhythm (followup/periods.py); the Swedish words are accepted as written.
SCHEDULE_WORDS = ("tertial", "quarter", "half_year", "year", "kvartal", "halvår")
SOURCE_PREFIXES = ("crime_statistics", "incidents", "meetings", "survey")
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_EXACT_INT = 2**53  # baseline/target are stored as floats: larger integers lose digits
MAX_EXTENSION_DEPTH = 32
YEAR_RANGE = (1900, 2100)
