"""
Import existing certificates from Excel: badge number, certificate number, dates, status.

Same standard as the roster import: a template made by code, the whole file checked first
with every problem reported by sheet, row, column and reason, a dry run, and an
all-or-nothing save in one transaction.
"""
import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from people.roster import parse_date
from workbooks.reading import CellError, cell_text, open_workbook
from workbooks.writing import set_text, workbook_bytes, write_header

from .models import Certificate, CertificateChange, CertificateStatus, ChangeAction

MAX_ROWS = 20_000
STATUS_WORDS = {"": CertificateStatus.VALID, "有效": CertificateStatus.VALID,
                "valid": CertificateStatus.VALID, "暂停": CertificateStatus.SUSPENDED,
                "suspended": CertificateStatus.SUSPENDED, "吊销": CertificateStatus.REVOKED,
                "revoked": CertificateStatus.REVOKED}


def columns():
    """Return (key, title, note, required, width) for each column, in file order."""
    return [
        ("badge_number", _("Badge number"), _("The officer's badge number. Required."), True, 18),
        ("number", _("Certificate number"), _("Unique. Required."), True, 20),
        ("issued_on", _("Issued on"), _("A date, e.g. 2024-03-01. Required."), True, 14),
        ("valid_until", _("Valid until"), _("A date after the issue date. Required."), True, 14),
        ("status", _("Status"), _("有效, 暂停 or 吊销; empty means valid (expiry follows the "
                                  "dates)."), False, 10),
    ]


@dataclass
class Row:
    row: int
    officer: object
    number: str
    issued_on: dt.date
    valid_until: dt.date
    status: str


@dataclass
class Parsed:
    filename: str
    sheet: str = ""
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def build_template():
    wb = Workbook()
    ws = wb.active
    ws.title = _("Certificates")
    write_header(ws, [(title, note, required, width)
                      for _key, title, note, required, width in columns()])
    for col, value in enumerate(["3201000001", "JZ202400001", dt.date(2024, 3, 1),
                                 dt.date(2027, 2, 28), "有效"], start=1):
        set_text(ws.cell(row=2, column=col), value)
    status_list = DataValidation(type="list", formula1='"有效,暂停,吊销"', allow_blank=True)
    ws.add_data_validation(status_list)
    status_list.add(f"E2:E{MAX_ROWS + 1}")
    return workbook_bytes(wb)


def parse(fileobj, filename, officers, importer=None):
    """Check a certificate file; `officers` is the importer's scope (a queryset).

    The file may not hold the `importer`'s own certificate (nobody decides on their own),
    nor change a suspended or revoked certificate (an organizer decides on those, with a
    reason, on the certificate's page)."""
    result = Parsed(filename=filename)
    wb = open_workbook(fileobj, filename)
    try:
        ws = wb.worksheets[0]
        result.sheet = ws.title
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None) or ()
        aliases = {}
        from django.utils import translation
        for language in ("zh-hans", "en"):
            with translation.override(language):
                for key, title, *_rest in columns():
                    aliases[title.lower()] = key
        titles = {key: title for key, title, *_rest in columns()}
        cmap = {}
        for index, value in enumerate(header):
            key = aliases.get(cell_text(value).rstrip("*").strip().lower())
            if key and key not in cmap:
                cmap[key] = index
        for key, title, _note, required, _width in columns():
            if required and key not in cmap:
                result.errors.append(CellError(
                    sheet=result.sheet, row=1, column=title,
                    message=_("Column “%(title)s” is missing from the header row.") % {
                        "title": title}))
        if result.errors:
            return result
        by_badge = {o.badge_number.upper(): o for o in officers}
        held = dict(Certificate.objects.filter(officer__in=officers)
                    .values_list("officer_id", "status"))
        seen_numbers = {}
        taken = dict(Certificate.objects.values_list("number", "officer_id"))
        for number, values in enumerate(rows, start=2):
            if number > MAX_ROWS + 1:
                result.errors.append(CellError(sheet=result.sheet, row=number, column="",
                                               message=_("Too many rows.")))
                break
            cells = {key: values[index] if index < len(values) else None
                     for key, index in cmap.items()}
            if all(cell_text(v) == "" for v in cells.values()):
                continue
            errors = []

            def error(key, message, errors=errors, number=number):
                errors.append(CellError(sheet=result.sheet, row=number, column=titles[key],
                                        column_letter=get_column_letter(cmap[key] + 1),
                                        message=message))

            badge = cell_text(cells.get("badge_number")).upper()
            officer = by_badge.get(badge)
            if not badge:
                error("badge_number", _("Badge number is empty."))
            elif officer is None:
                error("badge_number", _("No officer with badge number %(badge)s in your "
                                        "units.") % {"badge": badge})
            elif importer is not None and officer.user_id == importer.pk:
                error("badge_number", _("Your own certificate is imported by another "
                                        "organizer or manager."))
            elif held.get(officer.pk) in (CertificateStatus.SUSPENDED,
                                          CertificateStatus.REVOKED):
                error("badge_number", _("The certificate of %(name)s is %(status)s: it is "
                                        "decided on its own page, with a reason, not by an "
                                        "import.") % {
                    "name": officer.name,
                    "status": CertificateStatus(held[officer.pk]).label})
            cert_number = cell_text(cells.get("number"))
            if not cert_number:
                error("number", _("Certificate number is empty."))
            elif len(cert_number) > 40:
                error("number", _("Certificate number is longer than 40 characters."))
            elif cert_number in seen_numbers:
                error("number", _("Certificate number %(number)s appears twice in the file "
                                  "(also in row %(row)s).") % {
                                      "number": cert_number, "row": seen_numbers[cert_number]})
            elif (cert_number in taken and officer is not None
                  and taken[cert_number] != officer.pk):
                error("number", _("Certificate number %(number)s belongs to another "
                                  "officer.") % {"number": cert_number})
            else:
                seen_numbers[cert_number] = number
            issued, message = parse_date(cells.get("issued_on"))
            if message or issued is None:
                error("issued_on", message or _("Issue date is empty."))
            until, message = parse_date(cells.get("valid_until"))
            if message or until is None:
                error("valid_until", message or _("Expiry date is empty."))
            elif issued and until <= issued:
                error("valid_until", _("The expiry date must come after the issue date."))
            status_text = cell_text(cells.get("status")).lower()
            status = STATUS_WORDS.get(status_text)
            if status is None:
                error("status", _("Status “%(text)s” must be 有效, 暂停 or 吊销.") % {
                    "text": status_text})
            if errors:
                result.errors.extend(errors)
            else:
                result.rows.append(Row(number, officer, cert_number, issued, until, status))
        if not result.rows and result.ok:
            result.errors.append(CellError(sheet=result.sheet, row=2, column="",
                                           message=_("The file has no certificates in it.")))
    finally:
        wb.close()
    return result


def summarize(parsed):
    return {
        "filename": parsed.filename, "rows": len(parsed.rows),
        "error_count": len(parsed.errors),
        "errors": [e.as_dict() for e in parsed.errors[:5000]],
        "preview": [{"row": r.row, "name": r.officer.name, "badge_number": r.officer.badge_number,
                     "number": r.number, "issued_on": r.issued_on.isoformat(),
                     "valid_until": r.valid_until.isoformat()} for r in parsed.rows[:50]],
    }


@transaction.atomic
def apply(parsed, by):
    """Save an error-free file in one transaction; return (created, updated)."""
    if not parsed.ok:
        raise ValueError("a file with errors must not be saved")
    created = updated = 0
    for row in parsed.rows:
        cert = Certificate.objects.select_for_update().filter(officer=row.officer).first()
        old_status, old_until = (cert.status, cert.valid_until) if cert else ("", None)
        if cert is None:
            cert = Certificate(officer=row.officer)
            created += 1
        else:
            updated += 1
        cert.number, cert.issued_on, cert.valid_until = row.number, row.issued_on, row.valid_until
        cert.status = row.status
        if row.status == CertificateStatus.VALID:
            cert.status = cert.status_on()
        cert.granted_by_decision = _("Imported from %(file)s") % {"file": parsed.filename}
        cert.save()
        CertificateChange.objects.create(
            certificate=cert, action=ChangeAction.IMPORTED, by=by,
            reason=cert.granted_by_decision[:300], old_status=old_status,
            new_status=cert.status, old_valid_until=old_until, new_valid_until=cert.valid_until)
    return created, updated
