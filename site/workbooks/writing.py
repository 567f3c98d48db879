"""Write workbooks: header rows with notes, dropdowns, and cells that can never be formulas."""
import io

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
REQUIRED_FILL = PatternFill("solid", fgColor="9C2A2A")


def text_cell(ws, value):
    """Return a write-only cell; text that looks like a formula is stored as plain text."""
    cell = WriteOnlyCell(ws, value=value)
    _defuse(cell, value)
    return cell


def _defuse(cell, value):
    # openpyxl turns text starting with "=" into a formula; text starting with + - @ is
    # read as a formula by spreadsheet programs on re-entry. Store all of them as text.
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True


def set_text(cell, value):
    """Assign `value` to a normal cell, storing formula-like text as text."""
    cell.value = value
    _defuse(cell, value)


def write_header(ws, columns, row=1):
    """Write a header row; `columns` are (title, note, required, width) tuples."""
    for index, (title, note, required, width) in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=index, value=f"{title}*" if required else title)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        if note:
            cell.comment = Comment(note, "练兵")
            cell.comment.width = 320
            cell.comment.height = 120
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = ws.cell(row=row + 1, column=1)


def header_cells(ws, titles):
    """Return styled write-only header cells for an export sheet."""
    cells = []
    for title in titles:
        cell = WriteOnlyCell(ws, value=str(title))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cells.append(cell)
    return cells


def workbook_bytes(wb):
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def new_write_only_workbook():
    return openpyxl.Workbook(write_only=True)
