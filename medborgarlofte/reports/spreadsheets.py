"""CSV that is safe to open in a spreadsheet (OWASP: CSV/formula injection).

A cell whose text starts with `=`, `+`, `-`, `@`, a tab, a carriage return or NUL is taken
as a formula by Excel and LibreOffice (`=HYPERLINK(...)` in a commitment text would become a
live link in the coordinator's spreadsheet). Such text gets a leading apostrophe, which
spreadsheets show as plain text. Numbers, also negative ones, are left as they are.
"""

import csv
import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")
_NUMBER = re.compile(r"^[-+]?\d+([.,]\d+)?([eE][-+]?\d+)?$")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.match(value):
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
