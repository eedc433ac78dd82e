"""The importer kit: one way to read a file, one table reader, one problem type, one
import-run model and one way for a command to report problems (docs/development.md,
"Writing an importer"; docs/decisions/0005-importer-kit.md).

    data, name = files.read_file(path)                 # size gate (privacy.uploads)
    table = tables.read_table(data, name)              # CSV/XLSX, BOM, ; or , header aliases
    problems = ProblemList(name)                       # file, line, column, message
    problems.add(line, "kommunkod", _("unknown kommunkod: %(code)s") % {...})
    problems.raise_if_any()                            # ImportProblems with every problem

A base-layer package: it imports only `privacy.uploads` (the input-safety gate) and Django;
every importer of the sources, agreements and follow-up builds on it.
"""

from .problems import MAX_REPORTED_PROBLEMS, ImportProblems, Problem, ProblemList

__all__ = ["MAX_REPORTED_PROBLEMS", "ImportProblems", "Problem", "ProblemList"]
