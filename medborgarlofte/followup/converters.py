"""Path converters of the follow-up URLs (registered once, on import)."""

from django.urls import register_converter


class PeriodConverter:
    regex = "t[1-3]|q[1-4]|h[12]|d[1-9][0-9]?|year"  # the calendar year is in the URL

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class KommunCodeConverter:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(PeriodConverter, "followup_period")
register_converter(KommunCodeConverter, "followup_code")
