"""
Open uploaded .xlsx files defensively and describe problems in the user's language.

Checks, before openpyxl parses anything: the extension, the size, that the bytes are a
zip (an encrypted workbook or an old .xls is an OLE file; a renamed CSV is text), and
that the zip does not expand to something huge (a zip bomb).
"""
import zipfile
import zlib
from dataclasses import dataclass

import openpyxl
from django.conf import settings
from django.utils.translation import gettext as _

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


class WorkbookError(Exception):
    """A file that cannot be read as a workbook; the message names the file and the reason."""


@dataclass(frozen=True)
class CellError:
    """One problem in one place of an imported file."""

    row: int
    column: str  # the column's header, as the user sees it
    message: str
    sheet: str = ""
    column_letter: str = ""

    @property
    def location(self):
        cell = f"{self.column_letter}{self.row}" if self.column_letter else _("row %(row)s") % {
            "row": self.row}
        return f"{self.sheet}!{cell}" if self.sheet else cell

    def as_dict(self):
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "column_letter": self.column_letter,
            "location": self.location,
            "message": self.message,
        }


def open_workbook(fileobj, filename):
    """Return a read-only openpyxl workbook of cached values, or raise WorkbookError."""
    if not filename.lower().endswith((".xlsx", ".xlsm")):
        raise WorkbookError(
            _("“%(name)s” is not an Excel .xlsx file. Please save it as .xlsx "
              "(Excel workbook) and upload it again.") % {"name": filename}
        )
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(0)
    if size == 0:
        raise WorkbookError(_("“%(name)s” is empty.") % {"name": filename})
    if size > settings.LIANBING_MAX_UPLOAD_BYTES:
        raise WorkbookError(
            _("“%(name)s” is too large (%(size)s MB; the limit is %(limit)s MB).") % {
                "name": filename,
                "size": round(size / 1024 / 1024, 1),
                "limit": settings.LIANBING_MAX_UPLOAD_BYTES // 1024 // 1024,
            }
        )
    head = fileobj.read(8)
    fileobj.seek(0)
    if head.startswith(OLE_MAGIC):
        raise WorkbookError(
            _("“%(name)s” is password-protected or in the old .xls format. Remove the "
              "password / save it as .xlsx and upload it again.") % {"name": filename}
        )
    if not head.startswith(ZIP_MAGIC):
        raise WorkbookError(
            _("“%(name)s” has an .xlsx name but is not an Excel workbook (perhaps a renamed "
              "CSV or another file).") % {"name": filename}
        )
    try:
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
            expanded = sum(info.file_size for info in infos)
            compressed = sum(info.compress_size for info in infos) or 1
            if "[Content_Types].xml" not in {info.filename for info in infos}:
                raise WorkbookError(
                    _("“%(name)s” is a zip archive, not an Excel workbook.") % {"name": filename}
                )
            if expanded > MAX_UNCOMPRESSED_BYTES or expanded / compressed > MAX_COMPRESSION_RATIO:
                raise WorkbookError(
                    _("“%(name)s” expands to an implausible size (a “zip bomb”); it was not "
                      "opened.") % {"name": filename}
                )
            # Read every part once now (CRC, compression method, encryption): openpyxl reads
            # sheets lazily, and a damaged part would otherwise fail in the middle of an import.
            if archive.testzip() is not None:
                raise zipfile.BadZipFile
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError,
            zlib.error):
        raise WorkbookError(
            _("“%(name)s” is damaged and cannot be opened as an Excel workbook.") % {
                "name": filename}
        ) from None
    fileobj.seek(0)
    try:
        return openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on damaged files
        raise WorkbookError(
            _("“%(name)s” is damaged and cannot be opened as an Excel workbook.") % {
                "name": filename}
        ) from None


def cell_text(value):
    """Return a cell's value as stripped text ('' for empty cells)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
