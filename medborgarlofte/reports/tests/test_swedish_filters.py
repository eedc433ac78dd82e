import datetime

from django.utils import translation

from medborgarlofte.reports.templatetags.swedish import swedish_date, year


def test_years_and_dates_as_written():
    with translation.override("sv"):
        assert year(2024) == "2024" and year("") == ""
        assert swedish_date("2023-01-01") == "1 januari 2023"
        assert swedish_date(datetime.date(2023, 12, 31)) == "31 december 2023"
        assert swedish_date("") == "" and swedish_date("2023-13-45") == "2023-13-45"
