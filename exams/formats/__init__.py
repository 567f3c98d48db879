"""
Question-bank file formats: turn files into neutral ParsedQuestions and back.

    result = parse(data, "题库.xlsx", detect_format("题库.xlsx"))
    if result.ok: ...save result.questions...
    data = write(questions, "moodlexml")

Formats: "xlsx" (Lianbing's Excel layout, with a template), "moodlexml", "gift" and
"aiken" (read only). Nothing here touches the database.
"""
import dataclasses
from pathlib import PurePath

from django.utils.translation import gettext as _

from . import aiken, gift, moodlexml, xlsx
from .base import (
    FormatError,
    Issue,
    ParsedBlank,
    ParsedOption,
    ParsedQuestion,
    ParseResult,
    default_fractions,
)

READERS = {"xlsx": xlsx.parse, "moodlexml": moodlexml.parse, "gift": gift.parse,
           "aiken": aiken.parse}
WRITERS = {"xlsx": xlsx.write, "moodlexml": moodlexml.write, "gift": gift.write}
EXTENSIONS = {"xlsx": "xlsx", "xlsm": "xlsx", "xml": "moodlexml", "gift": "gift",
              "aiken": "aiken"}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "moodlexml": "application/xml",
    "gift": "text/plain; charset=utf-8",
}
FILE_EXTENSIONS = {"xlsx": ".xlsx", "moodlexml": ".xml", "gift": ".gift.txt"}


def detect_format(filename):
    """Return the format a file name suggests ("xlsx", "moodlexml", "gift", "aiken"),
    or None when the name does not say (a plain .txt may be GIFT or Aiken)."""
    suffixes = [suffix.lower().lstrip(".") for suffix in PurePath(filename).suffixes]
    for suffix in reversed(suffixes):
        if suffix in EXTENSIONS:
            return EXTENSIONS[suffix]
    return None


def parse(data, filename, fmt):
    """Return the ParseResult of `data` read as `fmt`; raise FormatError if unreadable."""
    reader = READERS.get(fmt)
    if reader is None:
        raise FormatError(_("“%(format)s” is not a question file format Lianbing reads.")
                          % {"format": fmt})
    if not data:
        raise FormatError(_("“%(name)s” is empty.") % {"name": filename})
    return reader(data, filename)


def write(questions, fmt):
    """Return `questions` as the bytes of a `fmt` file ("xlsx", "moodlexml" or "gift")."""
    writer = WRITERS.get(fmt)
    if writer is None:
        raise FormatError(_("“%(format)s” is not a question file format Lianbing writes.")
                          % {"format": fmt})
    questions = list(questions)
    if fmt != "xlsx":  # Moodle XML and GIFT write a value for every option
        questions = with_option_values(questions)
    return writer(questions)


def with_option_values(questions):
    """Return copies of `questions` whose options all have a value: the defaults
    (base.default_fractions) where a question gives none, 0 for any other option without."""
    copies = []
    for question in questions:
        options = [dataclasses.replace(option) for option in question.options]
        if options and all(option.fraction is None for option in options):
            default_fractions(options, question.qtype)
        for option in options:
            if option.fraction is None:
                option.fraction = 0.0
        copies.append(dataclasses.replace(
            question, options=options,
            sub_questions=with_option_values(question.sub_questions)))
    return copies


__all__ = ["FormatError", "Issue", "ParseResult", "ParsedBlank", "ParsedOption",
           "ParsedQuestion", "detect_format", "parse", "write", "build_template"]


def build_template():
    """Return the Excel import template (bytes)."""
    return xlsx.build_template()
