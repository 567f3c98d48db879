"""Monthly plans: the scheduler creates each month's exam from them, exactly once."""
import calendar
import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Exam, ExamKind, ExamStatus, MonthlyPlan
from .sitting import publish


def month_window(plan, year, month):
    """Return (opens_at, closes_at) of a plan's exam in a month: the set day to month end."""
    tz = timezone.get_current_timezone()
    opens = dt.datetime.combine(dt.date(year, month, plan.opens_day), plan.opens_time)
    last = calendar.monthrange(year, month)[1]
    closes = dt.datetime.combine(dt.date(year, month, last), dt.time(23, 59, 59))
    return timezone.make_aware(opens, tz), timezone.make_aware(closes, tz)


def exam_for_month(plan, year, month):
    """Return the plan's exam for the month, creating and publishing it if missing."""
    period = f"{year:04d}-{month:02d}"
    existing = Exam.objects.filter(plan=plan, period=period).first()
    if existing is not None:
        return existing, False
    opens, closes = month_window(plan, year, month)
    try:
        with transaction.atomic():
            exam = Exam.objects.create(
                title=plan.title.replace("{month}", f"{year}年{month}月"), kind=ExamKind.MONTHLY,
                paper=plan.paper, opens_at=opens, closes_at=closes,
                duration_minutes=plan.duration_minutes, pass_mark=plan.pass_mark,
                plan=plan, period=period, status=ExamStatus.DRAFT)
            exam.eligible_units.set(plan.eligible_units.all())
            # Published in the same transaction: a crash leaves no draft that later runs
            # would find and never publish (the drawing job is queued at the commit).
            publish(exam)
    except IntegrityError:  # another scheduler run created it first
        return Exam.objects.get(plan=plan, period=period), False
    return exam, True


def create_monthly_exams(today=None):
    """Make sure every active plan has its exam for the current month; return how many new."""
    today = today or timezone.localdate()
    created = 0
    for plan in MonthlyPlan.objects.filter(is_active=True):
        _exam, new = exam_for_month(plan, today.year, today.month)
        created += new
    return created
