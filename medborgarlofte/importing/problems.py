"""One problem type: a file, a line, a column (or a place in a JSON document) and a message.

Every importer collects its problems in a ProblemList and raises them together as
ImportProblems (or a subclass named after the importer), so nothing is written when
anything is wrong and the user sees every problem at once.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_REPORTED_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: str | int | None  # a column name or letter, or a path such as "[3].values[0]"
    message: str

    def __str__(self) -> str:
        place = [self.file]
        if self.line is not None:
            place.append(_("line %(line)s") % {"line": self.line})
        if self.column not in (None, ""):
            place.append(_("column %(column)s") % {"column": self.column})
        return f"{', '.join(place)}: {self.message}"


class ImportProblems(Exception):
    """Every problem found in a file (at most MAX_REPORTED_PROBLEMS kept, `total` counted);
    nothing has been written."""

    def __init__(self, problems: list[Problem], total: int | None = None):
        self.problems = list(problems)
        self.total = total if total is not None else len(self.problems)
        super().__init__(str(self))

    @classmethod
    def single(cls, file, line, column, message):
        return cls([Problem(file, line, column, message)])

    @classmethod
    def refused(cls, exc):
        """The gate's refusal (privacy.uploads.UploadRefused) as one problem."""
        return cls.single(exc.name, exc.line, exc.column, exc.message)

    def lines(self) -> list[str]:
        lines = [str(problem) for problem in self.problems]
        hidden = self.total - len(self.problems)
        if hidden > 0:
            lines.append(_("… and %(count)s more problems") % {"count": hidden})
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())


@dataclass
class ProblemList:
    """The problems of one file, collected while it is read."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    total: int = 0
    error: type[ImportProblems] = ImportProblems

    def add(self, line, column, message) -> None:
        self.total += 1
        if len(self.problems) < MAX_REPORTED_PROBLEMS:
            self.problems.append(Problem(self.file, line, column, message))

    def repeated(self, seen: dict, key, line, column, message: str) -> bool:
        """Whether `key` was seen on an earlier line (a problem is added then, `message`
        naming that first line as %(line)s); else this line is remembered for `key`."""
        first = seen.setdefault(key, line)
        if first == line:
            return False
        self.add(line, column, message % {"line": first})
        return True

    def __bool__(self) -> bool:
        return self.total > 0

    def raise_if_any(self) -> None:
        if self.total:
            raise self.error(self.problems, self.total)
