"""{% load public_text %} … {{ commitment.text|public_text|linebreaks }}: the last safety
net of the publication gate on public pages (privacy/gate.py)."""

from django import template

from medborgarlofte.privacy import gate

register = template.Library()


@register.filter(name="public_text")
def public_text(value):
    return gate.public_text(value)
