"""
Small pieces of text that read right in the active language: lists and dates inside
translated sentences.

    join_list(["甲", "乙"])          → "甲、乙" in Chinese, "甲, 乙" in English
    local_date(date(2026, 12, 26))  → "2026年12月26日" in Chinese, "Dec. 26, 2026" in English

Both give text in the language active when they are called: call them when the text is
shown, not when it is stored (store the items or the ISO date, and join or format them
at display time).
"""
import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import pgettext


def list_separator():
    """The separator between the items of a list in a sentence, in the active language."""
    return pgettext("list separator", ", ")


def join_list(items):
    """Return `items` (any values, shown as text) joined by the active language's separator."""
    return list_separator().join(str(item) for item in items)


def local_date(day):
    """Return a date as the active language writes it in a sentence. An aware datetime
    counts by its local (Asia/Shanghai) day; an ISO date string ("2026-12-26") is read as
    that date; anything else (text that is no date, None) is returned as it is."""
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day)
        except ValueError:
            return day
    elif isinstance(day, dt.datetime):
        day = timezone.localdate(day) if timezone.is_aware(day) else day.date()
    if not isinstance(day, dt.date):
        return day
    return date_format(day, "DATE_FORMAT")
