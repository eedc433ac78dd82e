"""The importer kit: one table reader, one problem type, one way for commands to report."""

import io

import pytest
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from medborgarlofte.importing import ImportProblems, Problem, ProblemList
from medborgarlofte.importing.commands import problems_as_command_error, read_for_command
from medborgarlofte.importing.tables import header_columns, read_table, sniff_delimiter


@pytest.mark.parametrize(
    "line, expected",
    [("a;b;c", ";"), ("a,b,c", ","), ("a;b,c", ";"), ("a,b;c,d", ","), ("a", ",")],
)
def test_the_delimiter_is_sniffed_from_the_header(line, expected):
    assert sniff_delimiter(line) == expected


def test_a_csv_with_bom_and_semicolons_keeps_line_numbers_and_pads_rows():
    data = "\ufeffÅr;Kommun;Antal\n\n2024;Mullsjö\n".encode()
    table = read_table(data, "t.csv")
    assert (table.kind, table.header, table.header_line) == ("csv", ["År", "Kommun", "Antal"], 1)
    assert table.rows == [(3, ["2024", "Mullsjö", ""])]


def test_a_workbook_gives_text_cells_unless_asked_for_values():
    book = Workbook()
    book.active.append(["kommunkod", "antal"])
    book.active.append([642, 12.0])
    buffer = io.BytesIO()
    book.save(buffer)
    assert read_table(buffer.getvalue(), "t.xlsx").rows == [(2, ["642", "12"])]
    assert read_table(buffer.getvalue(), "t.xlsx", as_text=False).rows == [(2, [642, 12])]


def test_header_aliases_match_case_and_spaces_and_list_unknown_columns():
    columns, unknown = header_columns(
        ["Antal  Svarande", "ÅR", "annat"], {"respondents": {"antal svarande"}, "year": {"år"}}
    )
    assert columns == {"respondents": 0, "year": 1}
    assert unknown == [2]


def test_a_problem_names_file_line_and_column():
    with translation.override("en"):
        assert str(Problem("t.csv", 5, "B (year)", "bad")) == "t.csv, line 5, column B (year): bad"
        assert str(Problem("t.json", None, "[3].id", "bad")) == "t.json, column [3].id: bad"


def test_a_problem_list_keeps_fifty_and_counts_all():
    problems = ProblemList("t.csv")
    for line in range(60):
        problems.add(line, None, "x")
    with pytest.raises(ImportProblems) as caught:
        problems.raise_if_any()
    assert (len(caught.value.problems), caught.value.total) == (50, 60)
    with translation.override("en"):
        assert caught.value.lines()[-1] == "… and 10 more problems"


def test_an_empty_or_non_utf8_file_is_one_problem_with_its_place():
    with pytest.raises(ImportProblems) as caught:
        read_table(b"a;b\n1;\xf6\n", "t.csv")
    problem = caught.value.problems[0]
    assert (problem.file, problem.line, problem.column) == ("t.csv", 2, 3)
    with pytest.raises(ImportProblems):
        read_table(b"\xef\xbb\xbf\n\n", "t.csv")


def test_commands_turn_problems_into_one_error_with_a_count(tmp_path):
    problems = [Problem("t.csv", 2, "a", "x"), Problem("t.csv", 3, "b", "y")]
    with (
        translation.override("en"),
        pytest.raises(CommandError) as caught,
        problems_as_command_error(),
    ):
        raise ImportProblems(problems)
    assert str(caught.value).splitlines()[1:] == [
        "t.csv, line 2, column a: x",
        "t.csv, line 3, column b: y",
        "2 error(s); nothing was imported",
    ]
    with translation.override("en"), pytest.raises(CommandError, match="cannot read the file"):
        read_for_command(tmp_path / "missing.csv")
