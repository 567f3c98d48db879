"""
The managers' Excel files, written in write-only mode (openpyxl):

- the dashboard workbook of a unit: one sheet per table of the dashboard, then a “Charts”
  sheet with the four charts as PNG images (openpyxl's write-only worksheets do support
  `add_image`: the images are anchored on that sheet, which has no rows);
- an officer's training file 培训档案.

Every text cell goes through workbooks.writing.text_cell, so a name such as “=HYPERLINK(…)”
stays text.
"""
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.drawing.image import Image

from workbooks.writing import header_cells, new_write_only_workbook, text_cell, workbook_bytes

from . import figures, manager_charts

CHUNK = 1000


def _cell(ws, value):
    if value is None:
        return None
    if isinstance(value, str):
        return text_cell(ws, value)
    if hasattr(value, "as_tuple"):  # Decimal
        return float(value)
    if not isinstance(value, (int, float)) and not hasattr(value, "year"):
        return text_cell(ws, str(value))
    return value


def add_sheet(wb, title, headers, rows, widths=None):
    """Append a sheet with a header row and `rows` (an iterable of lists); return the count."""
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title[:31])
    for index, width in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.append(header_cells(ws, headers))
    count = 0
    for row in rows:
        ws.append([_cell(ws, value) for value in row])
        count += 1
    return count


def _row_name(row):
    return _("%(unit)s (itself)") % {"unit": row.unit.name} if row.own else row.unit.name


def _date(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def write_dashboard(unit, as_of, progress=None, board=None):
    """Return the dashboard workbook of `unit` on `as_of` as .xlsx bytes."""
    board = board or figures.dashboard(unit, as_of)
    total = board["total"]
    reqs = board["requirements"]

    def step(percent, message):
        if progress is not None:
            progress.update(percent, message)

    wb = new_write_only_workbook()
    change = total.score_change
    add_sheet(wb, _("Summary"), [_("Figure"), _("Value")], [
        [_("Unit"), unit.name],
        [_("As of"), as_of.isoformat()],
        [_("Active officers"), total.officers],
        [_("Certified"), total.certified],
        [_("Certified %"), total.certified_share],
        [_("Expiring within 30 days"), total.expiring],
        [_("Expired"), total.expired],
        [_("Without a certificate in force"), total.uncertified],
        [_("Study hours this year"), total.hours],
        [_("Study hours per officer"), total.hours_per_officer],
        *[[_("Coverage: %(name)s") % {"name": c["requirement"].name}, c["percent"]]
          for c in total.coverage],
        [_("Monthly exam participation % (12 months)"), total.participation],
        [_("Monthly exam pass rate % (12 months)"), total.pass_rate],
        [_("Mean score % this year"), total.mean_this_year],
        [_("Mean score (%), same months last year"), total.mean_last_year_same],
        [_("Mean score change on last year %"), change],
    ], widths=[36, 20])

    coverage_headers = [_("Coverage %% %(name)s") % {"name": r.name} for r in reqs]
    add_sheet(wb, _("Sub-units"),
              [_("Unit"), _("Active officers"), _("Certified"), _("Expiring"), _("Expired"),
               _("Study hours"), _("Hours per officer"), *coverage_headers,
               _("Participation %"), _("Pass rate %"), _("Mean score %")],
              ([_row_name(r), r.officers, r.certified, r.expiring, r.expired, r.hours,
                r.hours_per_officer, *[c["percent"] for c in r.coverage], r.participation,
                r.pass_rate, r.mean_score] for r in [*board["rows"], total]),
              widths=[28] + [12] * (10 + len(reqs)))
    step(15, _("Sub-units written"))

    add_sheet(wb, _("Monthly exams"),
              [_("Month"), _("Expected"), _("Took part"), _("Did not take part"),
               _("Participation %"), _("Marked"), _("Passed"), _("Pass rate %")],
              ([m["month"], m["expected"], m["sat"], m["absent"], m["participation"],
                m["marked"], m["passed"], m["pass_rate"]] for m in total.months if m["has_exam"]),
              widths=[10] + [12] * 7)

    month_exams = figures.MonthExams.load(board["months"])

    def absent_rows():
        for month in board["months"]:
            for officer in (figures.non_participants(unit, month, month_exams)
                            .iterator(chunk_size=CHUNK)):
                yield [month, officer.name, officer.badge_number, officer.unit.name]

    add_sheet(wb, _("Non-participants"), [_("Month"), _("Name"), _("Badge number"), _("Unit")],
              absent_rows(), widths=[10, 14, 16, 30])
    step(45, _("Non-participants written"))

    add_sheet(wb, _("Coverage"),
              [_("Requirement"), _("Officers concerned"), _("Met"), _("Not met"),
               _("Coverage %")],
              ([c["requirement"].name, c["concerned"], c["met"], c["not_met"], c["percent"]]
               for c in total.coverage), widths=[24, 14, 10, 10, 12])

    def not_met_rows():
        for req in reqs:
            for officer in figures.not_meeting(unit, req, as_of).iterator(chunk_size=CHUNK):
                yield [req.name, officer.name, officer.badge_number, officer.unit.name,
                       officer.study_hours, req.hours]

    add_sheet(wb, _("Not met"),
              [_("Requirement"), _("Name"), _("Badge number"), _("Unit"), _("Hours"),
               _("Required hours")], not_met_rows(), widths=[20, 14, 16, 30, 10, 12])
    step(75, _("Coverage written"))

    add_sheet(wb, _("Certificate expiry"), [_("Month"), _("Certificates expiring")],
              ([key, n] for key, n in board["expiry"]), widths=[12, 20])
    add_sheet(wb, _("Contests"),
              [_("Contest"), _("Year"), _("Entrants"), _("Prizes"),
               _("Best organisation award")],
              ([c["contest"].name, c["year"], c["entrants"],
                "、".join(f"{scope} {prize}×{n}" for scope, prize, n in c["prizes"]),
                _("Yes") if c["best_organisation"] else ""] for c in board["contests"]),
              widths=[36, 8, 10, 40, 16])

    ws = wb.create_sheet(_("Charts"))
    for index, name in enumerate(manager_charts.CHARTS):
        image = Image(io.BytesIO(manager_charts.render_chart(name, board, "png")))
        image.anchor = f"A{1 + index * 24}"
        ws.add_image(image)
    step(95, _("Charts drawn"))
    return workbook_bytes(wb)


def write_training_file(officer, record=None):
    """Return the officer's training file 培训档案 as .xlsx bytes."""
    from .training_file import training_file

    record = record or training_file(officer)
    wb = new_write_only_workbook()
    cert = record["certificate"]
    add_sheet(wb, _("Officer"), [_("Field"), _("Value")], [
        [_("Name"), officer.name], [_("Badge number"), officer.badge_number],
        [_("Unit"), officer.unit.name], [_("Position"), officer.position],
        [_("Hire date"), officer.hire_date.isoformat() if officer.hire_date else ""],
        [_("Certificate number"), cert.number if cert else ""],
        [_("Certificate valid until"), cert.valid_until.isoformat() if cert else ""],
        [_("Certificate status"), str(cert.current_status.label) if cert else _("None")],
    ], widths=[24, 36])
    add_sheet(wb, _("Study"),
              [_("Material"), _("First opened"), _("Completed"), _("Active minutes"),
               _("Credited hours")],
              ([r.page.title, _date(r.started_at), _date(r.completed_at), r.active_minutes,
                r.credited_hours] for r in record["study"]), widths=[40, 18, 18, 14, 14])
    add_sheet(wb, _("Training"), [_("Training event"), _("Date"), _("Hours")],
              ([a.event.title, _date(a.event.starts_at), a.hours] for a in record["training"]),
              widths=[40, 18, 10])
    add_sheet(wb, _("Exams"),
              [_("Exam"), _("Month"), _("Attempt"), _("Submitted"), _("Score"), _("Maximum"),
               _("Passed")],
              ([a.exam.title, a.exam.period, a.number, _date(a.submitted_at), a.score,
                a.max_score, "" if a.passed is None else (_("Yes") if a.passed else _("No"))]
               for a in record["exams"]), widths=[36, 10, 8, 18, 10, 10, 8])
    add_sheet(wb, _("Certificate history"), [_("Date"), _("Action"), _("Valid until"),
                                             _("Reason")],
              ([_date(c.at), str(c.get_action_display()),
                c.new_valid_until.isoformat() if c.new_valid_until else "", c.reason]
               for c in record["certificate_history"]), widths=[18, 20, 14, 40])
    add_sheet(wb, _("Contests"), [_("Contest"), _("Year"), _("Status"), _("Overall score")],
              ([e.contest.name, e.contest.year, str(e.get_status_display()), e.shown_total]
               for e in record["contests"]), widths=[36, 8, 14, 14])
    add_sheet(wb, _("Awards"), [_("Contest"), _("Award"), _("Place"), _("Prize")],
              ([a.contest.name, a.event.name if a.event_id else str(a.get_scope_display()),
                a.place, a.prize] for a in record["awards"]), widths=[36, 20, 8, 14])
    return workbook_bytes(wb)
