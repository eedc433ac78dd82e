"""The agreement exchange format `medborgarlofte/1`: reading, checking and writing documents.

Pure functions, no database writes, one module per step and no cycle between them:

    constants   the format's keys, words and limits
    issues      DocumentIssue, DocumentError, describe(), join()
    loading     load_document(): YAML or JSON bytes → a plain document (through the gate)
    validation  validate_document(): every problem with its path; readable_issues()
    canonical   canonical_document(): the one form a valid document is compared and stored in
    export      export_version_document() from a stored version; dump_document() as YAML/JSON

Importing (writing a document into the database) lives in agreements/importing.py.
See docs/formats/agreement-v1.md.
"""

from .canonical import canonical_document, default_title, generate_ref
from .constants import (
    DATE_RE,
    FORMAT,
    MAX_EXACT_INT,
    MAX_EXTENSION_DEPTH,
    SCHEDULE_WORDS,
    SLUG_RE,
    SOURCE_PREFIXES,
    TOP_KEYS,
    TOP_REQUIRED,
    YEAR_RANGE,
)
from .export import agreement_for_year, dump_document, export_version_document, version_of
from .issues import DocumentError, DocumentIssue, describe, join
from .loading import load_document, looks_like_json
from .validation import (
    PATH_LABELS,
    indicator_source_problem,
    readable_issues,
    readable_path,
    validate_document,
)

__all__ = [
    "DATE_RE",
    "FORMAT",
    "MAX_EXACT_INT",
    "MAX_EXTENSION_DEPTH",
    "PATH_LABELS",
    "SCHEDULE_WORDS",
    "SLUG_RE",
    "SOURCE_PREFIXES",
    "TOP_KEYS",
    "TOP_REQUIRED",
    "YEAR_RANGE",
    "DocumentError",
    "DocumentIssue",
    "agreement_for_year",
    "canonical_document",
    "default_title",
    "describe",
    "dump_document",
    "export_version_document",
    "generate_ref",
    "indicator_source_problem",
    "join",
    "load_document",
    "looks_like_json",
    "readable_issues",
    "readable_path",
    "validate_document",
    "version_of",
]
