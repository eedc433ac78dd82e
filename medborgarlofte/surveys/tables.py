"""The survey importer's error: every problem of a file, from the importer kit.

Tables are read by medborgarlofte.importing.tables (CSV or XLSX, `;` or `,`, BOM);
TableError is the kit's ImportProblems under the name this importer has always raised.
"""

from medborgarlofte.importing import ImportProblems


class TableError(ImportProblems):
    """Every problem of a survey file (file, line, column, message); nothing was saved."""
