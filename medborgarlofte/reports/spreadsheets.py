"""CSV that is safe to open in a spreadsheet (OWASP: CSV/formula injection).

A cell whose text starts with `=`, `+`, `-`, `@`, a tab, a line break or NUL is taken as a
formula by Excel and LibreOffice (`=HYPERLINK(...)` in a commitment text would become a live
link in the coordinator's spreadsheet). So is one that starts with the same characters in
another form (full-width `＝＋－＠`, small `﹦﹢﹣﹫`: Unicode NFKC folds them to the ASCII
ones, and some spreadsheets do the same) or after leading spaces. Such text gets a leading
apostrophe, which spreadsheets show as plain text. Numbers, also negative ones, are left as
they are.
"""

import csv
import re
import unicodedata

FORMULA_START = ("=", "+", "-", "@")
CONTROL_START = ("\t", "\r", "\n", "\0")
_NUMBER = re.compile(r"^[-+]?\d+([.,]\d+)?([eE][-+]?\d+)?$")


def looks_like_formula(value: str) -> bool:
    if value.startswith(CONTROL_START):
        return True
    stripped = value.lstrip()
    if not stripped:
        return False
    return unicodedata.normalize("NFKC", stripped[0]).startswith(FORMULA_START)


def safe_cell(value):
    if isinstance(value, str) and looks_like_formula(value) and not _NUMBER.match(value):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer whose rows go through safe_cell."""

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)
