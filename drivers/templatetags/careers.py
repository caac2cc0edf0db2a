"""Filters of the career page. None of them queries."""

from django import template

from races import formats

register = template.Library()


@register.filter
def day(value):
    """A day as the tables show it: `25 Sep 2011`, in German `25. Sept. 2011`."""
    return formats.day(value)
