"""Attendance at training events, recorded by a trainer from a list or an Excel file."""
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from workbooks.reading import CellError, cell_text, open_workbook
from workbooks.writing import workbook_bytes, write_header

from .models import Attendance

SHEET = "签到表"


def columns():
    return [
        ("badge_number", _("Badge number"), _("The attendee's badge number. Required."), True, 18),
        ("name", _("Name"), _("For your reference; checked against the badge number."), False,
         12),
        ("hours", _("Credited hours"), _("Empty means the event's hours; fewer for a partial "
                                "attendance."), False, 10),
    ]


@transaction.atomic
def record(event, officer_hours, recorded_by):
    """Record attendance: {officer_id: hours or None (the event's hours)}; return the count.

    Officers not in the mapping keep whatever was recorded for them before.
    """
    for officer_id, hours in officer_hours.items():
        Attendance.objects.update_or_create(
            event=event, officer_id=officer_id,
            defaults={"hours": event.hours if hours is None else hours,
                      "recorded_by": recorded_by})
    return len(officer_hours)


@transaction.atomic
def record_list(event, officer_ids, recorded_by):
    """Make the attendance exactly the checked officers (the list form's meaning)."""
    event.attendances.exclude(officer_id__in=officer_ids).delete()
    return record(event, {officer_id: None for officer_id in officer_ids}, recorded_by)


def build_template(event):
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    write_header(ws, [(title, note, required, width)
                      for _key, title, note, required, width in columns()])
    for officer in event.eligible_officers().order_by("unit__path", "badge_number")[:2000]:
        ws.append([officer.badge_number, officer.name, None])
    return workbook_bytes(wb)


@dataclass
class ParsedAttendance:
    filename: str
    sheet: str = ""
    hours: dict = field(default_factory=dict)  # officer id -> Decimal or None
    names: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def parse_attendance(event, fileobj, filename):
    """Check an attendance workbook against the event's eligible officers."""
    result = ParsedAttendance(filename=filename)
    wb = open_workbook(fileobj, filename)
    try:
        ws = wb.worksheets[0]
        result.sheet = ws.title
        rows = ws.iter_rows(values_only=True)
        header = [cell_text(v).rstrip("*").strip().lower() for v in (next(rows, None) or ())]
        titles = {key: title for key, title, *_rest in columns()}
        aliases = {}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                aliases.update({str(title).lower(): key for key, title, *_r in columns()})
        index = {}
        for position, text in enumerate(header):
            if aliases.get(text) and aliases[text] not in index:
                index[aliases[text]] = position
        if "badge_number" not in index:
            result.errors.append(CellError(sheet=result.sheet, row=1,
                                           column=titles["badge_number"],
                                           message=_("Column “%(title)s” is missing.") % {
                                               "title": titles["badge_number"]}))
            return result
        eligible = {o.badge_number.upper(): o for o in event.eligible_officers()}
        seen = {}
        for number, values in enumerate(rows, start=2):
            cells = {key: cell_text(values[i] if i < len(values) else None)
                     for key, i in index.items()}
            if not any(cells.values()):
                continue

            def error(key, message, number=number):
                from openpyxl.utils import get_column_letter

                result.errors.append(CellError(
                    sheet=result.sheet, row=number, column=titles[key], message=message,
                    column_letter=get_column_letter(index[key] + 1) if key in index else ""))

            badge = cells["badge_number"].upper()
            officer = eligible.get(badge)
            if not badge:
                error("badge_number", _("Badge number is empty."))
                continue
            if officer is None:
                error("badge_number", _("%(badge)s is not an officer eligible for this event.")
                      % {"badge": badge})
                continue
            if badge in seen:
                error("badge_number", _("%(badge)s appears twice (also in row %(row)s).") % {
                    "badge": badge, "row": seen[badge]})
                continue
            seen[badge] = number
            if cells.get("name") and cells["name"] != officer.name:
                error("name", _("%(badge)s is %(name)s, not %(text)s.") % {
                    "badge": badge, "name": officer.name, "text": cells["name"]})
            hours = None
            if cells.get("hours"):
                try:
                    hours = Decimal(cells["hours"])
                    if not 0 <= hours <= event.hours:
                        raise InvalidOperation
                except InvalidOperation:
                    error("hours", _("Hours must be a number from 0 to %(max)s.") % {
                        "max": event.hours})
            result.hours[officer.pk] = hours
            result.names[officer.pk] = officer.name
    finally:
        wb.close()
    if not result.hours and not result.errors:
        result.errors.append(CellError(sheet=result.sheet, row=2, column="",
                                       message=_("The file has no attendees in it.")))
    return result


def eligible_officer_ids(event, ids):
    """Return the ids among `ids` of officers eligible for the event."""
    return set(event.eligible_officers().filter(pk__in=ids).values_list("pk", flat=True))


