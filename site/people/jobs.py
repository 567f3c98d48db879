"""Background jobs of the people app: roster import (check, then save) and export."""
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs.registry import job_kind
from jobs.runner import JobError
from security import audit
from workbooks.reading import WorkbookError

from . import roster
from .scopes import visible_officers, visible_units


@job_kind("people.roster_import", label=gettext_lazy("Roster import"),
          result_template="people/roster_import_result.html")
def import_roster(progress, dry_run=True):
    """Check the job's roster file; unless a dry run, save it if it has no errors."""
    job = progress.job
    if job.owner is None:
        raise JobError(_("The person who started this import no longer exists."))
    units = visible_units(job.owner)
    progress.update(1, _("Reading the file"), force=True)
    try:
        with job.input_file.open("rb") as handle:
            parsed = roster.parse_roster(io.BytesIO(handle.read()), job.input_name, units,
                                         progress=progress)
    except WorkbookError as exc:
        raise JobError(str(exc)) from None
    existing = roster.plan_roster(parsed, may_change=visible_officers(job.owner))
    report = roster.summarize(parsed, existing)
    report["dry_run"] = dry_run
    if dry_run or not parsed.ok:
        report["saved"] = False
        return report
    with audit.acting_as(job.owner):  # audit entries name the person who started the import
        created, updated = roster.apply_roster(parsed, existing, progress=progress)
    report.update(saved=True, created=created, updated=updated)
    return report


@job_kind("people.roster_export", label=gettext_lazy("Roster export"), queue="reports")
def export_roster(progress, unit_id):
    """Write the roster of a unit subtree (within the starter's scope) to an .xlsx file."""
    job = progress.job
    unit = visible_units(job.owner).filter(pk=unit_id).first() if job.owner else None
    if unit is None:
        raise JobError(_("You may not export this unit's roster."))
    officers = (visible_officers(job.owner)
                .filter(unit__path__startswith=unit.path)
                .select_related("unit").order_by("unit__path", "badge_number"))
    total = officers.count()
    buffer = io.BytesIO()
    roster.write_roster(officers, buffer, progress=progress, total=total)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    progress.save_result_file(f"{_('roster')}-{unit.code}-{stamp}.xlsx", buffer.getvalue())
    return {"officers": total, "unit": unit.name}
