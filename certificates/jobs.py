"""Background jobs: certificate PDFs (one, or a unit's batch as a ZIP), roster export,
import from Excel, and the daily expiry pass."""
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs.registry import job_kind
from jobs.runner import JobError
from people.scopes import can_see_officer, visible_officers, visible_units
from workbooks.reading import WorkbookError

from . import expiry, importing, pdf, roster
from .models import Certificate


@job_kind("certificates.pdf", label=gettext_lazy("Certificate PDF"))
def certificate_pdf(progress, certificate_id):
    """Render one certificate (the owner's own, or one within the starter's scope)."""
    job = progress.job
    cert = Certificate.objects.select_related("officer", "officer__unit").filter(
        pk=certificate_id).first()
    if cert is None or job.owner is None or not can_see_officer(job.owner, cert.officer):
        raise JobError(_("You may not download this certificate."))
    progress.save_result_file(pdf.file_name(cert), pdf.render(cert))
    return {"number": cert.number}


@job_kind("certificates.pdf_batch", label=gettext_lazy("Certificate PDFs of a unit"),
          queue="reports")
def certificate_batch(progress, unit_id):
    """Render the in-force certificates of a unit subtree into one ZIP file."""
    job = progress.job
    unit = visible_units(job.owner).filter(pk=unit_id).first() if job.owner else None
    if unit is None:
        raise JobError(_("You may not print this unit's certificates."))
    certs = roster.certificates_in(unit, visible_officers(job.owner), "certified").order_by(
        "officer__unit__path", "number")
    total = certs.count()
    buffer = io.BytesIO()
    count = pdf.write_zip(certs.iterator(chunk_size=200), buffer, progress, total)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    progress.save_result_file(f"certificates-{unit.code}-{stamp}.zip", buffer.getvalue())
    return {"certificates": count, "unit": unit.name}


@job_kind("certificates.roster_export", label=gettext_lazy("Certificate roster export"),
          queue="reports")
def roster_export(progress, unit_id, show="all"):
    job = progress.job
    unit = visible_units(job.owner).filter(pk=unit_id).first() if job.owner else None
    if unit is None or show not in roster.VIEWS:
        raise JobError(_("You may not export this unit's certificates."))
    certs = roster.certificates_in(unit, visible_officers(job.owner), show)
    buffer = io.BytesIO()
    count = roster.write_export(certs, buffer)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    progress.save_result_file(f"certificates-{unit.code}-{show}-{stamp}.xlsx", buffer.getvalue())
    return {"certificates": count, "unit": unit.name}


@job_kind("certificates.import", label=gettext_lazy("Certificate import"),
          result_template="certificates/import_result.html")
def import_certificates(progress, dry_run=True):
    job = progress.job
    if job.owner is None:
        raise JobError(_("The person who started this import no longer exists."))
    try:
        with job.input_file.open("rb") as handle:
            parsed = importing.parse(io.BytesIO(handle.read()), job.input_name,
                                     visible_officers(job.owner), importer=job.owner)
    except WorkbookError as exc:
        raise JobError(str(exc)) from None
    report = importing.summarize(parsed)
    report["dry_run"] = dry_run
    if dry_run or not parsed.ok:
        report["saved"] = False
        return report
    created, updated = importing.apply(parsed, job.owner)
    report.update(saved=True, created=created, updated=updated)
    return report


def daily():
    """The periodic entry point (config/cron.py): issue pending, mark expirations."""
    return expiry.daily()
