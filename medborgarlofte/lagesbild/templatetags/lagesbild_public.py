from django import template

from medborgarlofte.lagesbild import queries

register = template.Library()


@register.simple_tag
def has_public_chain(code, year) -> bool:
    """Whether the public "what we heard → what we promised" page exists for that year."""
    return queries.has_public_chain(str(code), int(year))
