"""Showing scanner hits in staff forms: {% load privacy_tags %}."""

from django import template

from medborgarlofte.privacy import fields, scanner

register = template.Library()


@register.filter
def personal_data_segments(form, name):
    """[(piece, kind)] of the field's text when the last clean() found hits in it."""
    hits = getattr(form, "personal_data_hits", {}).get(name)
    if not hits:
        return []
    text = form.personal_data_texts.get(name, "")
    return scanner.segments(text, hits)


@register.filter
def kind_label(kind):
    return fields.kind_label(kind)
