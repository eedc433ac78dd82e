import io

import pytest

from medborgarlofte.reports.spreadsheets import SafeWriter, safe_cell


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://evil.example","klicka")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
     "\t=1", "\r=1", "=1"],
)  # fmt: skip
def test_formula_text_becomes_plain_text(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["-12", "-1,5", "+3.25", "1e-3", "Trygghetsvandring", "", 7, None]
)
def test_numbers_and_ordinary_text_are_left_alone(value):
    assert safe_cell(value) == value


def test_the_writer_escapes_every_cell():
    out = io.StringIO()
    SafeWriter(out, delimiter=";").writerows([["=cmd", "ok", -5, "-5"]])
    assert out.getvalue().strip() == "'=cmd;ok;-5;-5"
