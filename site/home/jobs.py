"""Background jobs of the managers' view: the dashboard export and an officer's training file.

The monthly reports are made by `home.monthly_report.generate_due`, run by the scheduler
(config/cron.py) on a worker.
"""
import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs.registry import job_kind
from jobs.runner import JobError
from people.models import Officer
from people.roles import Role, has_role
from people.scopes import can_see_officer, visible_units

from . import exports


def as_of_for(year, today=None):
    """Return the day the figures of `year` are taken on: today, or 31 December of a past year."""
    today = today or timezone.localdate()
    if year is None or int(year) >= today.year:
        return today
    return dt.date(int(year), 12, 31)


@job_kind("home.dashboard_export", label=gettext_lazy("Managers' dashboard export"),
          queue="reports")
def dashboard_export(progress, unit_id, year=None):
    """Write the dashboard of a unit in the starter's scope to an .xlsx file."""
    job = progress.job
    owner = job.owner
    unit = None
    if owner is not None and has_role(owner, Role.MANAGER):
        unit = visible_units(owner).filter(pk=unit_id).first()
    if unit is None:
        raise JobError(_("You may not export this unit's figures."))
    as_of = as_of_for(year)
    progress.update(5, _("Computing the figures"), force=True)
    content = exports.write_dashboard(unit, as_of, progress)
    progress.save_result_file(f"dashboard-{unit.code}-{as_of:%Y%m%d}.xlsx", content)
    return {"unit": unit.name, "as_of": as_of.isoformat()}


@job_kind("home.training_file", label=gettext_lazy("Training file"), queue="reports")
def training_file_export(progress, officer_id):
    """Write one officer's training file 培训档案 (an officer in the starter's scope)."""
    job = progress.job
    officer = Officer.objects.select_related("unit").filter(pk=officer_id).first()
    if (officer is None or job.owner is None or not has_role(job.owner, Role.MANAGER)
            or not can_see_officer(job.owner, officer)):
        raise JobError(_("You may not see this officer's training file."))
    content = exports.write_training_file(officer)
    progress.save_result_file(f"training-file-{officer.badge_number}.xlsx", content)
    return {"officer": officer.name}

