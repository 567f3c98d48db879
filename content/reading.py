"""
Reading time, counted honestly.

The page sends a beat every BEAT_SECONDS while it is open, saying whether the reader is
active (the tab is visible and there was a key, mouse, scroll or touch event in the last
minute). The server credits the time since the previous beat only when the reader is
active and the previous beat is recent (at most MAX_GAP_SECONDS ago), so a closed
laptop, a hidden tab or a reader who walked away adds nothing. The server's clock is
used, never the browser's. Each page has a cap: reading a lesson longer than three times
its estimate earns no more.
"""
from django.db import transaction
from django.utils import timezone

BEAT_SECONDS = 15
MAX_GAP_SECONDS = 30
DEFAULT_CAP_SECONDS = 2 * 3600
LESSON_CAP_FACTOR = 3
COMPLETION_SHARE = 0.5  # of the estimated minutes, actively read, before completion


def cap_seconds(page):
    """Return the most reading time the page can earn."""
    minutes = getattr(page, "estimated_minutes", None)
    if minutes:
        return max(minutes * LESSON_CAP_FACTOR, 10) * 60
    return DEFAULT_CAP_SECONDS


def completion_threshold_seconds(page):
    """Return the active reading time a lesson needs before it may be marked complete."""
    return int((getattr(page, "estimated_minutes", 0) or 0) * 60 * COMPLETION_SHARE)


def credit(last_beat_at, now, active, already, cap):
    """Return the seconds one beat earns under the rules above."""
    if not active or last_beat_at is None:
        return 0
    gap = (now - last_beat_at).total_seconds()
    if gap <= 0 or gap > MAX_GAP_SECONDS:
        return 0
    return int(max(0, min(gap, cap - already)))


def record_beat(officer, page, active, now=None):
    """Record one beat from `officer` reading `page`; return the StudyRecord."""
    from .models import StudyRecord

    now = now or timezone.now()
    with transaction.atomic():
        record, _created = StudyRecord.objects.select_for_update().get_or_create(
            officer=officer, page_id=page.pk)
        earned = credit(record.last_beat_at, now, active, record.active_seconds,
                        cap_seconds(page))
        record.active_seconds += earned
        record.last_beat_at = now
        record.save(update_fields=["active_seconds", "last_beat_at"])
    return record


class NotReadYet(Exception):
    """The lesson has not been read long enough to be marked complete."""


def complete_lesson(officer, lesson, now=None):
    """Mark the lesson complete and credit its estimated minutes; return the StudyRecord."""
    from decimal import Decimal

    from .models import StudyRecord

    with transaction.atomic():
        record, _created = StudyRecord.objects.select_for_update().get_or_create(
            officer=officer, page_id=lesson.pk)
        if record.completed_at:
            return record
        if record.active_seconds < completion_threshold_seconds(lesson):
            raise NotReadYet
        record.completed_at = now or timezone.now()
        record.credited_hours = (Decimal(lesson.estimated_minutes) / 60).quantize(Decimal("0.01"))
        record.save(update_fields=["completed_at", "credited_hours"])
    return record
