"""
Periodic work, run by `manage.py rqcron config.cron` (started by start.sh; in production,
one cron process per installation). Each function is idempotent, so a missed or doubled
run does no harm.
"""
from rq.cron import register

from certificates.expiry import daily as certificates_daily
from exams.plans import create_monthly_exams
from exams.sitting import sweep_expired
from home.monthly_report import generate_due as monthly_reports
from jobs.runner import requeue_pending
from ops.housekeeping import daily as housekeeping

# Submit attempts whose time ran out while the browser was gone (covers a lost
# deadline job, e.g. after Redis was down when the attempt started).
register(sweep_expired, queue_name="marking", interval=60, name="sweep-expired-attempts")
# Queue again the jobs that were started while Redis was unreachable.
register(requeue_pending, queue_name="default", interval=120, name="requeue-pending-jobs")
# Create this month's exam from every monthly plan (a plan never makes two per month).
register(create_monthly_exams, queue_name="default", cron="5 * * * *", name="monthly-exams")
# Issue certificates for passed qualification exams left behind, and mark expirations.
register(certificates_daily, queue_name="default", cron="10 1 * * *", name="certificates-daily")
# The managers' monthly report of the month before, per top-level unit (daily: makes up a
# missed 1st; a report that exists is never made twice).
register(monthly_reports, queue_name="reports", cron="20 2 * * *", name="managers-monthly-report")
# Delete old job files, expired sessions and old sign-in records (ops/housekeeping.py).
register(housekeeping, queue_name="default", cron="40 3 * * *", name="housekeeping")
