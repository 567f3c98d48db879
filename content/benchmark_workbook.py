"""
A discretion benchmark as an Excel workbook: template, import (checked, then saved in one
transaction) and export. One row per band; the violation's code, name and legal basis are
repeated on each of its rows.
"""
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from workbooks.reading import CellError, cell_text, open_workbook
from workbooks.writing import (header_cells, new_write_only_workbook, text_cell, workbook_bytes,
                               write_header)

from .citations import LawTitles, resolve_all
from .models import BandLevel, BenchmarkBand, BenchmarkItem

SHEET = "裁量基准"
LEVEL_WORDS = {"不予处罚": BandLevel.NONE, "从轻": BandLevel.LIGHTER, "从轻处罚": BandLevel.LIGHTER,
               "一般": BandLevel.GENERAL, "一般处罚": BandLevel.GENERAL, "从重": BandLevel.HEAVIER,
               "从重处罚": BandLevel.HEAVIER}
LEVEL_TEXT = {BandLevel.NONE: "不予处罚", BandLevel.LIGHTER: "从轻", BandLevel.GENERAL: "一般",
              BandLevel.HEAVIER: "从重"}
KEYS = ["code", "name", "basis", "level", "conditions", "penalty", "fine_min", "fine_max"]


def columns():
    """Return (key, title, note, required, width) for each column, in file order."""
    return [
        ("code", _("Violation code"), _("The violation's code, e.g. WB-01; rows with the same code "
                              "belong to one violation."), True, 10),
        ("name", _("Violation"), _("The violation (违法行为)."), True, 30),
        ("basis", _("Legal basis"), _("Citations such as 《娱乐场所管理条例》第四十八条, "
                                      "separated by ；"), True, 40),
        ("level", _("Discretion band"), _("不予处罚, 从轻, 一般 or 从重."), True, 10),
        ("conditions", _("Applicable conditions"), _("When this band applies."), True, 40),
        ("penalty", _("Penalty standard"), _("The penalty in this band."), True, 40),
        ("fine_min", _("Minimum fine (yuan)"), _("A number, or empty."), False, 14),
        ("fine_max", _("Maximum fine (yuan)"), _("A number, or empty."), False, 14),
    ]


def _aliases():
    """Map the column titles in every language (lower case) to their keys."""
    aliases = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for key, title, *_rest in columns():
                aliases[str(title).lower()] = key
    return aliases


def build_template():
    """Return the bytes of an empty benchmark workbook with headers, an example and dropdowns."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    write_header(ws, [(title, note, required, width)
                      for _key, title, note, required, width in columns()])
    ws.append(["WB-01", "接纳未成年人进入互联网上网服务营业场所",
               "《互联网上网服务营业场所管理条例》第三十一条", "从轻",
               "首次违法，接纳1人次，及时改正", "警告，并处2000元以下罚款", 0, 2000])
    levels = DataValidation(type="list", formula1='"不予处罚,从轻,一般,从重"', allow_blank=False)
    ws.add_data_validation(levels)
    levels.add("D2:D2000")
    return workbook_bytes(wb)


@dataclass
class ParsedItem:
    code: str
    name: str
    basis: str
    articles: list
    bands: dict = field(default_factory=dict)  # level -> dict
    row: int = 0


@dataclass
class ParsedBenchmark:
    filename: str
    sheet: str = ""
    items: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def _decimal(text):
    if text == "":
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError from None
    if value < 0 or not value.is_finite():
        raise ValueError
    return value


def parse_benchmark(fileobj, filename):
    """Check a benchmark workbook and return ParsedBenchmark (rows grouped by violation)."""
    result = ParsedBenchmark(filename=filename)
    wb = open_workbook(fileobj, filename)
    try:
        ws = wb.worksheets[0]
        result.sheet = ws.title
        rows = ws.iter_rows(values_only=True)
        header = [cell_text(v).rstrip("*").strip().lower() for v in (next(rows, None) or ())]
        titles = {key: title for key, title, *_rest in columns()}
        aliases = _aliases()
        index = {}
        for position, text in enumerate(header):
            key = aliases.get(text)
            if key and key not in index:
                index[key] = position
        for key, title, _note, required, _width in columns():
            if key not in index and required:
                result.errors.append(CellError(
                    sheet=result.sheet, row=1, column=title,
                    message=_("Column “%(title)s” is missing from the header row.") % {
                        "title": title}))
        if result.errors:
            return result
        titles_cache = LawTitles()
        for number, values in enumerate(rows, start=2):
            cells = {key: cell_text(values[i] if i < len(values) else None)
                     for key, i in index.items()}
            if not any(cells.values()):
                continue

            def error(key, message, number=number):
                result.errors.append(CellError(
                    sheet=result.sheet, row=number, column=titles[key], message=message,
                    column_letter=get_column_letter(index[key] + 1)))

            for key, _title, _note, required, _width in columns():
                if required and not cells.get(key):
                    error(key, _("This cell is empty."))
            level = LEVEL_WORDS.get(cells.get("level", ""))
            if cells.get("level") and level is None:
                error("level", _("“%(text)s” is not a band; use 不予处罚, 从轻, 一般 or 从重.")
                      % {"text": cells["level"]})
            fines = {}
            for key in ("fine_min", "fine_max"):
                try:
                    fines[key] = _decimal(cells.get(key, ""))
                except ValueError:
                    error(key, _("“%(text)s” is not an amount of money.") % {"text": cells[key]})
            if (fines.get("fine_min") is not None and fines.get("fine_max") is not None
                    and fines["fine_min"] > fines["fine_max"]):
                error("fine_max", _("The maximum fine is below the minimum fine."))
            code = cells.get("code", "")
            if not code:
                continue
            item = result.items.get(code)
            if item is None:
                articles, missing = resolve_all(cells.get("basis", ""), titles_cache)
                if cells.get("basis") and not articles and not missing:
                    error("basis", _("No citation found; write e.g. 《行政处罚法》第三十二条."))
                for citation in missing:
                    error("basis", _("%(citation)s is not in the law library.") % {
                        "citation": citation})
                item = ParsedItem(code=code, name=cells.get("name", ""),
                                  basis=cells.get("basis", ""), articles=articles, row=number)
                result.items[code] = item
            elif (cells.get("name"), cells.get("basis")) != (item.name, item.basis):
                error("name", _("Violation %(code)s has a different name or legal basis in row "
                                "%(row)s.") % {"code": code, "row": item.row})
            if level is not None:
                if level in item.bands:
                    error("level", _("Violation %(code)s has the band “%(level)s” twice.") % {
                        "code": code, "level": cells["level"]})
                item.bands[level] = {"conditions": cells.get("conditions", ""),
                                     "penalty": cells.get("penalty", ""), **fines}
        if not result.items and not result.errors:
            result.errors.append(CellError(sheet=result.sheet, row=2, column="",
                                           message=_("The file has no violations in it.")))
    finally:
        wb.close()
    return result


def summarize(parsed):
    return {
        "filename": parsed.filename,
        "items": len(parsed.items),
        "bands": sum(len(item.bands) for item in parsed.items.values()),
        "error_count": len(parsed.errors),
        "errors": [error.as_dict() for error in parsed.errors[:500]],
    }


@transaction.atomic
def apply_benchmark(benchmark, parsed, user=None):
    """Save an error-free benchmark: update violations and bands in place, drop the rest.

    The rows are then saved as a new revision of the page (published if it is live), so
    the page editor shows the imported rows and cannot republish older ones.
    """
    if not parsed.ok:
        raise ValueError("a benchmark with errors must not be saved")
    existing = {item.code: item for item in benchmark.items.all()}
    benchmark.items.exclude(code__in=list(parsed.items)).delete()
    for position, item in enumerate(parsed.items.values(), start=1):
        row = existing.get(item.code) or BenchmarkItem(benchmark=benchmark, code=item.code)
        row.name, row.basis_text, row.position = item.name, item.basis, position
        row.save()
        row.basis_articles.set(item.articles)
        row.bands.exclude(level__in=list(item.bands)).delete()
        for level, values in item.bands.items():
            BenchmarkBand.objects.update_or_create(item=row, level=level, defaults=values)
    benchmark.save_rows_as_revision(user=user)
    return len(parsed.items)


def export_benchmark(benchmark):
    """Return the bytes of the benchmark as a workbook that imports back unchanged."""
    wb = new_write_only_workbook()
    ws = wb.create_sheet(SHEET)
    ws.append(header_cells(ws, [title for _key, title, *_rest in columns()]))
    for item in benchmark.items.prefetch_related("bands"):
        for band in sorted(item.bands.all(), key=lambda b: list(BandLevel).index(b.level)):
            ws.append([text_cell(ws, value) for value in (
                item.code, item.name, item.basis_text, LEVEL_TEXT[band.level], band.conditions,
                band.penalty)] + [_number(band.fine_min), _number(band.fine_max)])
    return workbook_bytes(wb)


def _number(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
