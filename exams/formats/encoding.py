"""
Decode the text files people bring: UTF-8 (with or without BOM), UTF-16 with a BOM, or
GB18030 — what Chinese Windows (Notepad, Excel's "CSV" and "Unicode text") writes.

Detection is deterministic, not statistical: a BOM decides; otherwise strict UTF-8 is
tried first (GB18030 text almost never happens to be valid UTF-8, while UTF-8 is always
valid-looking GB18030), then GB18030, a superset of GBK and GB2312.
"""
import codecs

from django.utils.translation import gettext as _

from .base import FormatError

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data, filename):
    """Return (text, encoding name) for `data`, or raise FormatError naming the file."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                raise _undecodable(filename) from None
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise _undecodable(filename)


def _undecodable(filename):
    return FormatError(
        _("“%(name)s” is not a text file in UTF-8, UTF-16 or GB18030 (GBK); save it as "
          "UTF-8 text and upload it again.") % {"name": filename})


def split_lines(text):
    """Return the lines of `text`, whatever the line endings (\\r\\n, \\n or \\r)."""
    # Not str.splitlines(): it also breaks on form feeds and U+2028, which editors do
    # not count as lines, so line numbers in messages would drift.
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
