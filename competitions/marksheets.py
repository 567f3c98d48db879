"""
Excel files of a contest: the organizer's entry list, and the judges' mark sheets.

Mark sheet (one judge, one rubric event: drafting or practical)
    Sheet “评分表”: one row per submission the judge may mark, named by blind code only,
    one column per rubric item: level criteria (points 0–max), measurement items
    (1 = met), deductions (fixed: 1, or the number of times for a repeatable item;
    ranged: the amount), veto items (1 = veto), then a comment and, for information,
    the total at export. Every item column's header starts with its code in brackets,
    e.g. “[quality] 文书质量（0–40分）”; that code is what the import reads.
    Sheet “说明”: how to fill it in, and the event and judge numbers the import checks.

Mark sheet (one judge, one case-file correction event)
    Sheet “评分表”: one row per finding (blind code, finding number, the contestant's
    location, category and explanation, and the errors planted at that location), where
    the judge enters 1 when the reason is right and, when needed, confirms which planted
    error the finding means. An entry whose rows are all left empty is skipped.

Importing a filled sheet is all or nothing: the file must be this judge's sheet of this
event; every row must name a blind code the judge may mark, with values in range; a
locked (submitted) mark cannot be overwritten. Errors name sheet, row and column. Rows
left empty are skipped. The marks are saved as drafts or submitted, as the judge
chooses, each with a MarkChange IMPORT.
"""
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl.utils import get_column_letter

from workbooks.reading import CellError, cell_text, open_workbook
from workbooks.writing import header_cells, new_write_only_workbook, text_cell, workbook_bytes

from . import judging, scoring
from .models import Entry, EventKind, Mark, MarkChange, MarkStatus, Submission
from .rubric_spec import rubric_marks, to_rubric
from .rubrics import score_rubric
from .scoring_types import InvalidScoring, to_decimal

MARKS_SHEET = "评分表"
ABOUT_SHEET = "说明"
EVENT_KEY = "event"
JUDGE_KEY = "judge"
CODE_PATTERN = re.compile(r"^\[([^\]]+)\]")

LEVEL, MEASURE, DEDUCT_ONCE, DEDUCT_COUNT, DEDUCT_AMOUNT, VETO = (
    "level", "measure", "once", "count", "amount", "veto")


@dataclass(frozen=True)
class Column:
    code: str
    kind: str
    title: str
    item: object


def _n(value):
    return f"{to_decimal(value).normalize():f}"


def columns(rubric):
    """Return the item Columns of a rubric's mark sheet, in order."""
    cols = []
    for criterion in rubric.criteria:
        if criterion.levels:
            cols.append(Column(criterion.code, LEVEL, _("[%(code)s] %(name)s (0–%(max)s points)")
                               % {"code": criterion.code, "name": criterion.name,
                                  "max": _n(criterion.max_points)}, criterion))
        for item in criterion.measures:
            cols.append(Column(item.code, MEASURE, _("[%(code)s] %(name)s (1 = met, %(points)s "
                                                     "points)") % {
                "code": item.code, "name": item.name, "points": _n(item.points)}, item))
        for item in criterion.deductions:
            if not item.fixed:
                kind, hint = DEDUCT_AMOUNT, _("amount %(low)s–%(high)s") % {
                    "low": _n(item.low), "high": _n(item.high)}
            elif item.repeatable:
                kind, hint = DEDUCT_COUNT, _("times, %(low)s each") % {"low": _n(item.low)}
            else:
                kind, hint = DEDUCT_ONCE, _("1 = deduct %(low)s") % {"low": _n(item.low)}
            cols.append(Column(item.code, kind, f"[{item.code}] {item.name}（{hint}）", item))
    for veto in rubric.vetoes:
        cols.append(Column(veto.code, VETO, _("[%(code)s] Veto: %(name)s (1 = veto)")
                           % {"code": veto.code, "name": veto.name}, veto))
    return cols


def _cell_values(cols, raw):
    raw = raw or {}
    levels = raw.get("levels") or {}
    measures = set(raw.get("measures_met") or ())
    vetoes = set(raw.get("vetoes") or ())
    counts, amounts = {}, {}
    for item in raw.get("deductions") or ():
        if item.get("amount") not in (None, ""):
            amounts[item["code"]] = item["amount"]
        else:
            counts[item["code"]] = counts.get(item["code"], 0) + 1
    values = []
    for col in cols:
        if col.kind == LEVEL:
            value = levels.get(col.code)
            values.append(None if value is None else float(to_decimal(value)))
        elif col.kind == MEASURE:
            values.append(1 if col.code in measures else None)
        elif col.kind == VETO:
            values.append(1 if col.code in vetoes else None)
        elif col.kind == DEDUCT_AMOUNT:
            value = amounts.get(col.code)
            values.append(None if value is None else float(to_decimal(value)))
        else:
            values.append(counts.get(col.code) or None)
    return values


def write_mark_sheet(assignment, submissions):
    """Return the .xlsx bytes of `assignment`'s mark sheet for `submissions`."""
    event = assignment.event
    marks = {m.submission_id: m for m in Mark.objects.filter(
        submission__in=submissions, judge_id=assignment.judge_id)}
    wb = new_write_only_workbook()
    if event.kind == EventKind.CORRECTION:
        _write_correction(wb, event, submissions, marks)
        how = _("One row per finding. In “Reason right” enter 1 when the contestant's "
                "explanation is right; in “Confirm error” the code of the planted error the "
                "finding means, when its location alone does not show it. Leave both empty "
                "to skip an entry. Do not change the other columns or this sheet.")
    elif event.kind in (EventKind.DRAFTING, EventKind.PRACTICAL):
        _write_rubric(wb, event, submissions, marks)
        how = _("One row per blind code. Points for level criteria; 1 for items met, "
                "deductions applied once, and vetoes; the number of times for repeatable "
                "deductions; the amount for ranged deductions. Leave a row empty to skip "
                "it. Do not change the headers or this sheet.")
    else:
        raise InvalidScoring(_("Quiz events are not marked by judges."))
    about = wb.create_sheet(ABOUT_SHEET)
    for row in (
        [_("Contest"), text_cell(about, event.contest.name)],
        [_("Event"), text_cell(about, event.name)],
        [_("Judge seat"), text_cell(about, assignment.seat or "")],
        [_("How to fill it in"), how],
        [EVENT_KEY, event.pk],
        [JUDGE_KEY, assignment.judge_id],
    ):
        about.append(row)
    return workbook_bytes(wb)


def _write_rubric(wb, event, submissions, marks):
    rubric = to_rubric(event.rubric.definition, event.rubric.name)
    cols = columns(rubric)
    ws = wb.create_sheet(MARKS_SHEET)
    ws.column_dimensions["A"].width = 12
    for index in range(2, len(cols) + 4):
        ws.column_dimensions[get_column_letter(index)].width = 18
    ws.append(header_cells(ws, [_("Blind code")] + [c.title for c in cols]
                           + [_("Comment"), _("Total at export (not imported)")]))
    for submission in submissions:
        mark = marks.get(submission.pk)
        values = _cell_values(cols, mark.raw if mark else None)
        total = float(mark.points) if mark and mark.points is not None else None
        ws.append([text_cell(ws, submission.entry.blind_code)] + values
                  + [text_cell(ws, mark.comment if mark else ""), total])


def correction_headers():
    return [_("Blind code"), _("Finding"), _("Location"), _("Category"), _("Explanation"),
            _("Planted here (not imported)"), _("Reason right (1 = yes)"),
            _("Confirm error (code)")]


def _write_correction(wb, event, submissions, marks):
    """Rows per finding; the key shows only the errors planted at the finding's location."""
    from .correction import CATEGORIES

    key = list(event.answer_key.all())
    ws = wb.create_sheet(MARKS_SHEET)
    for letter, width in zip("ABCDEFGH", (12, 8, 20, 10, 40, 30, 14, 14)):
        ws.column_dimensions[letter].width = width
    ws.append(header_cells(ws, correction_headers()))
    for submission in submissions:
        mark = marks.get(submission.pk)
        verdicts = {v.get("finding"): v for v in ((mark.raw if mark else None) or {}).get(
            "verdicts", [])}
        for index, finding in enumerate(submission.findings or []):
            verdict = verdicts.get(index, {})
            planted = "；".join(f"{e.code} {e.description or e.get_category_display()}"
                               for e in key if e.location == finding.get("location"))
            ws.append([text_cell(ws, submission.entry.blind_code), index + 1,
                       text_cell(ws, str(finding.get("location", ""))),
                       text_cell(ws, CATEGORIES.get(finding.get("category"), "")),
                       text_cell(ws, str(finding.get("explanation", ""))),
                       text_cell(ws, planted),
                       1 if verdict.get("reason_ok") else (0 if mark else None),
                       text_cell(ws, verdict.get("confirmed_key") or "")])


# --- import ---------------------------------------------------------------------------------

@dataclass
class ParsedSheet:
    rows: list = field(default_factory=list)      # (submission, raw, comment, sheet row)
    errors: list = field(default_factory=list)    # CellError
    skipped: int = 0

    @property
    def ok(self):
        return not self.errors


def _meta(wb):
    if ABOUT_SHEET not in wb.sheetnames:
        return {}
    meta = {}
    for row in wb[ABOUT_SHEET].iter_rows(values_only=True):
        if row and row[0] in (EVENT_KEY, JUDGE_KEY) and len(row) > 1:
            meta[row[0]] = cell_text(row[1])
    return meta


def parse_mark_sheet(fileobj, filename, assignment, submit):
    """Read a filled mark sheet for `assignment`; raise WorkbookError if unreadable."""
    event = assignment.event
    parsed = ParsedSheet()

    def error(row, column, message, letter="", sheet=MARKS_SHEET):
        parsed.errors.append(CellError(row, column, message, sheet, letter))

    wb = open_workbook(fileobj, filename)
    meta = _meta(wb)
    if meta.get(EVENT_KEY) != str(event.pk):
        error(0, EVENT_KEY, _("This is not the mark sheet of “%(event)s”. Download this "
                              "event's mark sheet and fill that in.") % {"event": event.name},
              sheet=ABOUT_SHEET)
        return parsed
    if meta.get(JUDGE_KEY) != str(assignment.judge_id):
        error(0, JUDGE_KEY, _("This mark sheet belongs to another judge."), sheet=ABOUT_SHEET)
        return parsed
    if MARKS_SHEET not in wb.sheetnames:
        error(0, "", _("The sheet “%(sheet)s” is missing.") % {"sheet": MARKS_SHEET})
        return parsed
    if event.kind == EventKind.CORRECTION:
        _parse_correction(wb, assignment, submit, parsed, error)
        return parsed
    rubric = to_rubric(event.rubric.definition, event.rubric.name)
    expected = {c.code: c for c in columns(rubric)}
    rows = wb[MARKS_SHEET].iter_rows(values_only=True)
    header = [cell_text(v) for v in next(rows, ())]
    layout = {}          # column index → Column, or "comment"
    for index, title in enumerate(header[1:], start=1):
        match = CODE_PATTERN.match(title)
        if match:
            code = match.group(1)
            if code not in expected:
                error(1, title, _("Unknown rubric item “%(code)s”.") % {"code": code},
                      get_column_letter(index + 1))
            elif code in {c.code for c in layout.values() if isinstance(c, Column)}:
                error(1, title, _("The column appears twice."), get_column_letter(index + 1))
            else:
                layout[index] = expected[code]
        elif title == _("Comment"):
            layout[index] = "comment"
    missing = set(expected) - {c.code for c in layout.values() if isinstance(c, Column)}
    for code in sorted(missing):
        error(1, expected[code].title, _("This column is missing."))
    if parsed.errors:
        return parsed

    allowed, locked = _allowed_and_locked(assignment)
    seen = set()
    for number, row in enumerate(rows, start=2):
        row = list(row) + [None] * (len(header) - len(row))
        code = cell_text(row[0]).upper()
        cells = {index: row[index] for index in layout}
        if not code and all(cell_text(v) == "" for v in cells.values()):
            continue
        if not code:
            error(number, header[0], _("The blind code is missing."), "A")
            continue
        submission = allowed.get(code)
        if submission is None:
            error(number, header[0], _("Unknown blind code “%(code)s”, or not yours to mark.")
                  % {"code": code}, "A")
            continue
        if code in seen:
            error(number, header[0], _("Blind code %(code)s appears twice.") % {"code": code}, "A")
            continue
        seen.add(code)
        if all(cell_text(v) == "" for index, v in cells.items() if layout[index] != "comment"):
            parsed.skipped += 1
            continue
        if submission.pk in locked:
            error(number, header[0], _("The mark for %(code)s is submitted and locked.")
                  % {"code": code}, "A")
            continue
        raw = {"levels": {}, "measures_met": [], "deductions": [], "vetoes": []}
        comment, row_ok = "", True
        for index, col in layout.items():
            letter = get_column_letter(index + 1)
            value = cells[index]
            if col == "comment":
                comment = cell_text(value)
                continue
            problem = _read_cell(col, value, raw)
            if problem:
                error(number, col.title, problem, letter)
                row_ok = False
        if not row_ok:
            continue
        try:
            marks = rubric_marks(raw)
            if submit or not set(expected_levels(rubric)) - set(marks.levels):
                score_rubric(rubric, marks)
        except InvalidScoring as problem:
            error(number, "", str(problem))
            continue
        parsed.rows.append((submission, raw, comment, number))
    return parsed


def _allowed_and_locked(assignment):
    allowed = {s.entry.blind_code: s for s in
               judging.visible_submissions(assignment).select_related("entry")}
    locked = set(Mark.objects.filter(submission__in=list(allowed.values()),
                                     judge_id=assignment.judge_id)
                 .exclude(status=MarkStatus.DRAFT).values_list("submission_id", flat=True))
    return allowed, locked


def _parse_correction(wb, assignment, submit, parsed, error):
    headers = correction_headers()
    rows = wb[MARKS_SHEET].iter_rows(values_only=True)
    header = [cell_text(v) for v in next(rows, ())]
    if header[:len(headers)] != headers:
        error(1, "", _("The headers were changed; download the mark sheet again."))
        return
    allowed, locked = _allowed_and_locked(assignment)
    key_codes = set(assignment.event.answer_key.values_list("code", flat=True))
    verdicts = {}      # submission → {finding index: verdict}
    first_row, touched = {}, set()
    for number, row in enumerate(rows, start=2):
        row = list(row) + [None] * (len(headers) - len(row))
        code = cell_text(row[0]).upper()
        reason, confirm = cell_text(row[6]), cell_text(row[7]).upper()
        if not code and not reason and not confirm:
            continue
        submission = allowed.get(code)
        if submission is None:
            error(number, headers[0], _("Unknown blind code “%(code)s”, or not yours to mark.")
                  % {"code": code}, "A")
            continue
        try:
            index = int(cell_text(row[1])) - 1
        except ValueError:
            index = -1
        if not 0 <= index < len(submission.findings or []):
            error(number, headers[1], _("%(code)s has no finding %(number)s.")
                  % {"code": code, "number": cell_text(row[1])}, "B")
            continue
        if reason not in ("", "0", "1"):
            error(number, headers[6], _("Enter 1 or 0, or leave it empty."), "G")
            continue
        if confirm and confirm not in key_codes:
            error(number, headers[7], _("There is no planted error “%(code)s”.")
                  % {"code": confirm}, "H")
            continue
        found = verdicts.setdefault(submission, {})
        if index in found:
            error(number, headers[1], _("Finding %(number)s of %(code)s appears twice.")
                  % {"number": index + 1, "code": code}, "B")
            continue
        first_row.setdefault(submission, number)
        if reason or confirm:
            touched.add(submission)
        found[index] = {"finding": index, "reason_ok": reason == "1",
                        "confirmed_key": confirm or None}
    scorer = scoring.EventScorer(assignment.event)
    for submission, found in verdicts.items():
        number = first_row[submission]
        if submission not in touched:      # nothing filled in for this entry
            parsed.skipped += 1
            continue
        if submission.pk in locked:
            error(number, headers[0], _("The mark for %(code)s is submitted and locked.")
                  % {"code": submission.entry.blind_code}, "A")
            continue
        raw = {"verdicts": [found[i] for i in sorted(found)]}
        try:
            scorer.mark_outcome(Mark(raw=raw), submission)
        except InvalidScoring as problem:
            error(number, "", f"{submission.entry.blind_code}: {problem}")
            continue
        parsed.rows.append((submission, raw, "", number))


def expected_levels(rubric):
    return [c.code for c in rubric.criteria if c.levels]


def _read_cell(col, value, raw):
    """Add one cell's value to `raw`; return an error message or ''."""
    text = cell_text(value)
    if text == "":
        return ""
    try:
        number = to_decimal(text)
    except InvalidScoring:
        return _("“%(value)s” is not a number.") % {"value": text}
    if col.kind == LEVEL:
        if not 0 <= number <= col.item.max_points:
            return _("Must be between 0 and %(max)s.") % {"max": _n(col.item.max_points)}
        raw["levels"][col.code] = text
    elif col.kind in (MEASURE, VETO, DEDUCT_ONCE):
        if number not in (0, 1):
            return _("Enter 1 or leave it empty.")
        if number == 1:
            if col.kind == MEASURE:
                raw["measures_met"].append(col.code)
            elif col.kind == VETO:
                raw["vetoes"].append(col.code)
            else:
                raw["deductions"].append({"code": col.code, "amount": None})
    elif col.kind == DEDUCT_COUNT:
        if number != number.to_integral_value() or not 0 <= number <= 100:
            return _("Enter how many times (a whole number).")
        raw["deductions"] += [{"code": col.code, "amount": None}] * int(number)
    elif col.kind == DEDUCT_AMOUNT:
        if number == 0:
            return ""
        if not col.item.low <= number <= col.item.high:
            return _("The deduction must be between %(low)s and %(high)s.") % {
                "low": _n(col.item.low), "high": _n(col.item.high)}
        raw["deductions"].append({"code": col.code, "amount": text})
    return ""


def summarize(parsed, filename):
    return {"filename": filename, "rows": len(parsed.rows), "skipped": parsed.skipped,
            "error_count": len(parsed.errors),
            "errors": [e.as_dict() for e in parsed.errors[:500]]}


def apply_mark_sheet(parsed, assignment, submit, by):
    """Save every parsed row (all or nothing); return how many marks were saved."""
    with transaction.atomic():
        for submission, raw, comment, _number in parsed.rows:
            mark = judging.mark_for(assignment, submission)
            before = judging.snapshot(mark) if mark is not None else {}
            mark = judging.save_mark(assignment, submission, raw, comment=comment,
                                     criterion_comments=mark.criterion_comments if mark else {},
                                     submit=submit, by=by, action=MarkChange.Action.IMPORT)
            if not submit:
                MarkChange.objects.create(mark=mark, action=MarkChange.Action.IMPORT,
                                          changed_by=by, before=before,
                                          after=judging.snapshot(mark))
        if not submit:
            for submission, *_rest in parsed.rows:
                scoring.score_submission(submission)
    return len(parsed.rows)


# --- the organizer's entry list -------------------------------------------------------------

def write_entries(contest):
    """Return the .xlsx bytes of the contest's entries with their blind codes."""
    entries = (Entry.objects.filter(contest=contest)
               .select_related("officer", "unit", "team").order_by("status", "blind_code"))
    # A withdrawn entry keeps its row and blind code; its status reads 已退赛.
    events = list(contest.events.order_by("sort_order", "pk"))
    wb = new_write_only_workbook()
    ws = wb.create_sheet(_("Entries"))
    ws.append(header_cells(ws, [_("Blind code"), _("Name"), _("Badge number"), _("Unit"),
                                pgettext("outside participant", "Organisation"), _("Team"),
                                _("Status")]
                           + [e.name for e in events]
                           + [_("Overall score"), _("Reason for the withdrawal")]))
    subs = {(sub.entry_id, sub.event_id): sub
            for sub in Submission.objects.filter(event__contest=contest)}
    for entry in entries:
        row = [entry.blind_code, entry.display_name,
               entry.officer.badge_number if entry.officer_id and not entry.outside_name else "",
               entry.unit.name if entry.unit_id else "", entry.outside_organisation,
               entry.team.name if entry.team_id else "", entry.get_status_display()]
        for event in events:
            sub = subs.get((entry.pk, event.pk))
            row.append("" if sub is None else (float(sub.score) if sub.score is not None
                                               else "—"))
        row.append(float(entry.total) if entry.total is not None else None)
        row.append(entry.withdrawal_reason)
        ws.append([text_cell(ws, v) if isinstance(v, str) else v for v in row])
    return workbook_bytes(wb)

