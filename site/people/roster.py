"""
The roster (花名册) as an Excel file: the template, the import and the export.

The import is all-or-nothing: the whole file is checked first and every bad row is
reported (sheet, row, column, reason); only a file without errors is saved, in one
transaction. A dry run does the checking and reports what would be created or updated.
"""
import datetime as dt
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from security import audit
from workbooks.reading import CellError, cell_text, open_workbook
from workbooks.writing import header_cells, set_text, text_cell, workbook_bytes, write_header

from .models import Officer, OfficerStatus, Unit
from .roles import Role

MAX_ROWS = 100_000
BATCH = 2000
PREVIEW_ROWS = 50
MAX_REPORTED_ERRORS = 5000
BADGE_RE = re.compile(r"^[A-Za-z0-9-]{4,32}$")
PHONE_RE = re.compile(r"^[0-9+\- ]{5,20}$")
UNIT_CODE_IN_LABEL = re.compile(r"[（(]\s*([A-Za-z0-9_-]+)\s*[）)]\s*$")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    note: str
    required: bool
    width: int


def columns():
    """Return the roster's columns, in file order, with titles in the active language."""
    return [
        Column("name", _("Name"), _("The officer's full name. Required."), True, 12),
        Column("badge_number", _("Badge number"),
               _("Enforcement ID number: letters, digits and -, unique. Required. An existing "
                 "badge number updates that officer."), True, 18),
        Column("unit", _("Unit"),
               _("Choose from the dropdown, or type the unit's code. Required."), True, 36),
        Column("position", _("Position"), _("E.g. 执法队员, 中队长."), False, 14),
        Column("hire_date", _("Hire date"),
               _("A date, e.g. 2021-03-01 or 2021年3月1日."), False, 14),
        Column("status", _("Status"), _("在职 (active) or 离职 (left); empty means active."),
               False, 10),
        Column("phone", _("Phone"), _("Optional."), False, 16),
    ]


def _header_aliases():
    """Map every accepted header text (both languages, with or without *) to a column key."""
    from django.utils import translation

    aliases = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for column in columns():
                aliases[column.title.strip().lower()] = column.key
    return aliases


STATUS_WORDS = {
    "": OfficerStatus.ACTIVE,
    "在职": OfficerStatus.ACTIVE,
    "active": OfficerStatus.ACTIVE,
    "离职": OfficerStatus.LEFT,
    "left": OfficerStatus.LEFT,
}


@dataclass
class RosterRow:
    row: int
    name: str
    badge_number: str
    unit: Unit
    position: str
    hire_date: dt.date | None
    status: str
    phone: str


@dataclass
class ParsedRoster:
    filename: str
    sheet: str = ""
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    error_count: int = 0
    badge_column: tuple = ("", "")  # the badge number column's header and letter

    def add_error(self, error):
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(error)

    @property
    def ok(self):
        return self.error_count == 0


class UnitResolver:
    """Find the unit a cell names: by code, by the dropdown label, or by a unique name."""

    def __init__(self, units):
        self.by_code = {}
        self.by_name = {}
        for unit in units:
            self.by_code[unit.code.lower()] = unit
            self.by_name.setdefault(unit.name, []).append(unit)

    def resolve(self, text):
        """Return (unit, error message)."""
        match = UNIT_CODE_IN_LABEL.search(text)
        code = match.group(1) if match else text
        unit = self.by_code.get(code.lower())
        if unit:
            return unit, ""
        candidates = self.by_name.get(text, [])
        if len(candidates) == 1:
            return candidates[0], ""
        if len(candidates) > 1:
            return None, _("“%(text)s” names several units; use the unit's code.") % {"text": text}
        return None, _("Unknown unit “%(text)s” (or a unit outside your scope).") % {"text": text}


def parse_date(value):
    """Return (date, error message) for a date cell of any common form."""
    if value in (None, ""):
        return None, ""
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    if isinstance(value, (int, float)) and 10000 < value < 80000:
        return from_excel(value).date(), ""
    text = cell_text(value)
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date(), ""
        except ValueError:
            continue
    return None, _("“%(text)s” is not a date (use e.g. 2021-03-01).") % {"text": text}


def parse_roster(fileobj, filename, units, progress=None):
    """Check a roster file against `units` (the importer's scope) and return ParsedRoster."""
    result = ParsedRoster(filename=filename)
    wb = open_workbook(fileobj, filename)
    try:
        ws = wb.worksheets[0]
        result.sheet = ws.title
        total = ws.max_row or 0
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        column_map = _map_header(header or (), result)
        if not result.ok:
            return result
        result.badge_column = (column_map["badge_number"][1],
                               get_column_letter(column_map["badge_number"][0] + 1))
        if total - 1 > MAX_ROWS:
            result.add_error(CellError(
                sheet=result.sheet, row=1, column="",
                message=_("The file has %(count)s rows; at most %(max)s can be imported at once. "
                          "Split it into several files.") % {"count": total - 1, "max": MAX_ROWS},
            ))
            return result
        resolver = UnitResolver(units)
        seen_badges = {}
        today = timezone.localdate()
        titles = {column.key: column.title for column in columns()}
        for number, values in enumerate(rows, start=2):
            if progress and number % 1000 == 0:
                progress.step(number, total, _("Checking row %(row)s of %(total)s") % {
                    "row": number, "total": total})
            cells = {key: values[index] if index < len(values) else None
                     for key, (index, _title) in column_map.items()}
            if all(cell_text(v) == "" for v in cells.values()):
                continue
            row = _check_row(number, cells, column_map, titles, resolver, seen_badges, today,
                             result)
            if row is not None:
                result.rows.append(row)
        if not result.rows and result.ok:
            result.add_error(CellError(sheet=result.sheet, row=2, column="",
                                       message=_("The file has no officers in it.")))
    finally:
        wb.close()
    return result


def _map_header(header, result):
    """Return {key: (index, title)} for the header row, recording missing columns."""
    aliases = _header_aliases()
    column_map = {}
    for index, value in enumerate(header):
        key = aliases.get(cell_text(value).rstrip("*").strip().lower())
        if key and key not in column_map:
            column_map[key] = (index, cell_text(value).rstrip("*"))
    for column in columns():
        if column.required and column.key not in column_map:
            result.add_error(CellError(
                sheet=result.sheet, row=1, column=column.title,
                message=_("Column “%(title)s” is missing from the header row. Download the "
                          "template to see the expected columns.") % {"title": column.title},
            ))
    return column_map


def _check_row(number, cells, column_map, titles, resolver, seen_badges, today, result):
    bad = False

    def error(key, message):
        nonlocal bad
        bad = True
        index = column_map.get(key, (None,))[0]
        result.add_error(CellError(
            sheet=result.sheet, row=number, column=titles[key], message=message,
            column_letter=get_column_letter(index + 1) if index is not None else "",
        ))

    name = cell_text(cells.get("name"))
    if not name:
        error("name", _("Name is empty."))
    elif len(name) > 50:
        error("name", _("Name is longer than 50 characters."))

    badge = cell_text(cells.get("badge_number")).upper()
    if not badge:
        error("badge_number", _("Badge number is empty."))
    elif not BADGE_RE.match(badge):
        error("badge_number", _("Badge number “%(badge)s” may only hold 4–32 letters, digits "
                                "and -.") % {"badge": badge})
    elif badge in seen_badges:
        error("badge_number", _("Badge number %(badge)s appears twice in the file (also in row "
                                "%(row)s).") % {"badge": badge, "row": seen_badges[badge]})
    else:
        seen_badges[badge] = number

    unit_text = cell_text(cells.get("unit"))
    unit = None
    if not unit_text:
        error("unit", _("Unit is empty."))
    else:
        unit, message = resolver.resolve(unit_text)
        if message:
            error("unit", message)

    hire_date, message = parse_date(cells.get("hire_date"))
    if message:
        error("hire_date", message)
    elif hire_date and hire_date > today:
        error("hire_date", _("Hire date %(date)s is in the future.") % {"date": hire_date})
    elif hire_date and hire_date.year < 1950:
        error("hire_date", _("Hire date %(date)s is implausibly early.") % {"date": hire_date})

    status_text = cell_text(cells.get("status")).lower()
    status = STATUS_WORDS.get(status_text)
    if status is None:
        error("status", _("Status “%(text)s” must be 在职 or 离职.") % {"text": status_text})

    phone = cell_text(cells.get("phone"))
    if phone and not PHONE_RE.match(phone):
        error("phone", _("Phone “%(text)s” is not a phone number.") % {"text": phone})

    position = cell_text(cells.get("position"))
    if len(position) > 50:
        error("position", _("Position is longer than 50 characters."))

    if bad:
        return None
    return RosterRow(number, name, badge, unit, position, hire_date, status, phone)


def plan_roster(parsed, may_change=None):
    """Return the officers the rows would update ({badge: Officer}) — for counts and preview.

    With `may_change` (the officers the importer may change: their scope), a row whose
    badge number is an officer's outside it, or a new badge number that is already some
    account's user name, is an error on that row and is left out: a manager's file never
    renames, moves or deactivates anybody else's officer, nor takes over an account.
    """
    badges = [row.badge_number for row in parsed.rows]
    existing = {}
    for start in range(0, len(badges), BATCH):
        chunk = badges[start:start + BATCH]
        for officer in Officer.objects.filter(badge_number__in=chunk).select_related("unit"):
            existing[officer.badge_number] = officer
    if may_change is None:
        return existing
    found = [officer.pk for officer in existing.values()]
    allowed = set()
    for start in range(0, len(found), BATCH):
        allowed.update(may_change.filter(pk__in=found[start:start + BATCH])
                       .values_list("pk", flat=True))
    new_badges = [badge for badge in badges if badge not in existing]
    taken = set()
    for start in range(0, len(new_badges), BATCH):
        taken.update(get_user_model().objects.filter(
            username__in=new_badges[start:start + BATCH])
            .values_list("username", flat=True))
    column, letter = parsed.badge_column
    kept = []
    for row in parsed.rows:
        officer = existing.get(row.badge_number)
        if officer is not None and officer.pk not in allowed:
            message = _("Badge number %(badge)s is an officer's of a unit outside yours: only "
                        "their own unit's manager or an administrator may change them.")
        elif officer is None and row.badge_number in taken:
            message = _("Badge number %(badge)s is already the user name of another account: "
                        "an administrator must sort it out.")
        else:
            kept.append(row)
            continue
        existing.pop(row.badge_number, None)
        parsed.add_error(CellError(sheet=parsed.sheet, row=row.row, column=column,
                                   column_letter=letter,
                                   message=message % {"badge": row.badge_number}))
    parsed.rows = kept
    return existing


def summarize(parsed, existing):
    """Return the JSON-able report of a checked roster (errors, counts, a preview)."""
    created = sum(1 for row in parsed.rows if row.badge_number not in existing)
    return {
        "filename": parsed.filename,
        "rows": len(parsed.rows),
        "created": created,
        "updated": len(parsed.rows) - created,
        "error_count": parsed.error_count,
        "errors": [error.as_dict() for error in parsed.errors],
        "preview": [
            {
                "row": row.row,
                "name": row.name,
                "badge_number": row.badge_number,
                "unit": row.unit.name,
                "position": row.position,
                "hire_date": row.hire_date.isoformat() if row.hire_date else "",
                "status": str(OfficerStatus(row.status).label),
                "action": str(_("update") if row.badge_number in existing else _("new")),
            }
            for row in parsed.rows[:PREVIEW_ROWS]
        ],
    }


@transaction.atomic
def apply_roster(parsed, existing, progress=None):
    """Save every row of an error-free roster in one transaction; return (created, updated)."""
    if not parsed.ok:
        raise ValueError("a roster with errors must not be saved")
    User = get_user_model()
    new_rows = [row for row in parsed.rows if row.badge_number not in existing]
    total = len(parsed.rows) or 1

    # Accounts: the badge number is the user name; the password is set by an
    # administrator or by the officer through password reset.
    usernames = [row.badge_number for row in new_rows]
    users = {}
    for start in range(0, len(usernames), BATCH):
        chunk = usernames[start:start + BATCH]
        users.update({u.username: u for u in User.objects.filter(username__in=chunk)})
    to_create = []
    for row in new_rows:
        if row.badge_number not in users:
            user = User(username=row.badge_number, first_name=row.name,
                        is_active=row.status == OfficerStatus.ACTIVE)
            user.set_unusable_password()
            to_create.append(user)
    for start in range(0, len(to_create), BATCH):
        User.objects.bulk_create(to_create[start:start + BATCH])
        if progress:
            progress.step(start, total * 3, _("Creating accounts"))
    for start in range(0, len(usernames), BATCH):
        chunk = usernames[start:start + BATCH]
        users.update({u.username: u for u in User.objects.filter(username__in=chunk)})

    officer_group, _created = Group.objects.get_or_create(name=Role.OFFICER)
    memberships = User.groups.through
    already = set(memberships.objects.filter(
        group=officer_group, user__username__in=usernames).values_list("user_id", flat=True))
    memberships.objects.bulk_create(
        [memberships(user_id=users[u].pk, group_id=officer_group.pk)
         for u in usernames if users[u].pk not in already],
        batch_size=BATCH,
    )

    officers = [
        Officer(user=users[row.badge_number], name=row.name, unit=row.unit,
                badge_number=row.badge_number, position=row.position,
                hire_date=row.hire_date, status=row.status, phone=row.phone)
        for row in new_rows
    ]
    for start in range(0, len(officers), BATCH):
        Officer.objects.bulk_create(officers[start:start + BATCH])
        if progress:
            progress.step(total + start, total * 3, _("Creating officers"))

    changed = []
    for row in parsed.rows:
        officer = existing.get(row.badge_number)
        if officer is None:
            continue
        # bulk_update sends no signals: put unit and status changes on the audit trail here.
        before = {"unit": officer.unit.code, "status": officer.status}
        after = {"unit": row.unit.code, "status": row.status}
        if before != after:
            old, new = audit.changed_fields(before, after)
            audit.record(None, officer, "lianbing.officer.change", old, new,
                         reason=f"roster {parsed.filename} row {row.row}")
        officer.name = row.name
        officer.unit = row.unit
        officer.position = row.position
        officer.hire_date = row.hire_date
        officer.status = row.status
        officer.phone = row.phone
        changed.append(officer)
    for start in range(0, len(changed), BATCH):
        Officer.objects.bulk_update(
            changed[start:start + BATCH],
            ["name", "unit", "position", "hire_date", "status", "phone", "updated_at"],
        )
        if progress:
            progress.step(2 * total + start, total * 3, _("Updating officers"))
    # An officer who left can no longer sign in; one who returns can again.
    for status, active in ((OfficerStatus.LEFT, False), (OfficerStatus.ACTIVE, True)):
        ids = [o.user_id for o in changed if o.status == status]
        for start in range(0, len(ids), BATCH):
            User.objects.filter(pk__in=ids[start:start + BATCH]).update(is_active=active)
    return len(officers), len(changed)


def build_template(units):
    """Return the roster template (.xlsx bytes): header notes, examples, unit dropdown."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Roster")
    cols = columns()
    write_header(ws, [(c.title, c.note, c.required, c.width) for c in cols])
    units = list(units)
    example_unit = units[-1].label if units else ""
    examples = [
        ["张三", "WH-0001", example_unit, "执法队员", dt.date(2021, 3, 1), "在职", "13800000000"],
        ["李四", "WH-0002", example_unit, "中队长", "2019年7月15日", "在职", ""],
    ]
    for row_number, values in enumerate(examples, start=2):
        for col_number, value in enumerate(values, start=1):
            set_text(ws.cell(row=row_number, column=col_number), value)
        ws.cell(row=row_number, column=5).number_format = "yyyy-mm-dd"

    lists = wb.create_sheet(pgettext("roster sheet", "Units"))
    lists.append([_("Unit (name and code)"), _("Code"), _("Level")])
    for unit in units:
        lists.append([unit.label, unit.code, unit.get_level_display()])
    lists.column_dimensions["A"].width = 40
    lists.sheet_state = "hidden"

    last = MAX_ROWS + 1
    if units:
        unit_list = DataValidation(
            type="list", formula1=f"='{lists.title}'!$A$2:$A${len(units) + 1}",
            allow_blank=False, showErrorMessage=False,
        )
        unit_list.promptTitle = _("Unit")
        unit_list.prompt = _("Choose the officer's unit.")
        unit_list.showInputMessage = True
        ws.add_data_validation(unit_list)
        unit_list.add(f"C2:C{last}")
    status_list = DataValidation(type="list", formula1='"在职,离职"', allow_blank=True,
                                 showErrorMessage=True)
    status_list.error = _("Choose 在职 or 离职.")
    ws.add_data_validation(status_list)
    status_list.add(f"F2:F{last}")
    date_check = DataValidation(type="date", operator="greaterThan", formula1="18264",
                                allow_blank=True, showErrorMessage=True)
    date_check.error = _("Enter a date such as 2021-03-01.")
    ws.add_data_validation(date_check)
    date_check.add(f"E2:E{last}")

    notes = wb.create_sheet(_("Instructions"))
    for line in (
        _("How to fill in the roster"),
        _("1. One officer per row, starting from row 2 of the first sheet; do not change the "
          "header row. Columns marked * are required."),
        _("2. The two example rows may be overwritten or deleted."),
        _("3. A badge number already in the system updates that officer; a new one creates an "
          "officer with a sign-in account named after the badge number."),
        _("4. The import checks the whole file first. If any row has a problem, nothing is "
          "saved and every problem is listed with its row and column."),
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    return workbook_bytes(wb)


def write_roster(officers, fileobj, progress=None, total=None):
    """Write the officers to an .xlsx export (write-only, constant memory)."""
    from workbooks.writing import new_write_only_workbook

    wb = new_write_only_workbook()
    ws = wb.create_sheet(_("Roster"))
    cols = columns()
    ws.append(header_cells(ws, [c.title for c in cols]))
    for index, officer in enumerate(officers.iterator(chunk_size=BATCH), start=1):
        ws.append([
            text_cell(ws, officer.name),
            text_cell(ws, officer.badge_number),
            text_cell(ws, officer.unit.label),
            text_cell(ws, officer.position),
            officer.hire_date,
            text_cell(ws, "在职" if officer.status == OfficerStatus.ACTIVE else "离职"),
            text_cell(ws, officer.phone),
        ])
        if progress and total and index % 1000 == 0:
            progress.step(index, total, _("Writing row %(row)s") % {"row": index})
    wb.save(fileobj)
