"""
The neutral question types every file format reads into and writes from.

Nothing here knows about Django models: a format turns bytes into ParsedQuestions
(plus warnings and errors) and ParsedQuestions back into bytes; saving them is the
importer's business.

Conventions shared by all formats:
- `location` says where a question (or a problem) is, in the user's language: "第 12 行"
  (line 12) for text and XML formats — the line where the question starts — or
  "题库!C7" for Excel. It is left out of equality, so a question read back from an
  exported file compares equal to the original.
- A fill-in-the-blank stem marks its blanks with BLANK ("____", four or more
  underscores), one
  per ParsedBlank, in order. A stem with no marker has one blank after the text (as in
  Moodle's short-answer questions).
- `fraction` is the share of the question's points an option gives (Moodle's
  `<answer fraction>` / 100). Formats that only say which options are right use
  `default_fractions()`: 1 for the right option of a single choice, 1/k for each of the
  k right options of a multiple choice, 0 for the others.
"""
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

BLANK = "____"
# Moodle users draw blanks of any length ("__________"); a run of four or more
# underscores is one blank.
BLANK_PATTERN = re.compile(r"_{4,}")
MOODLE_CONTEXT_PREFIX = re.compile(r"^\$[a-z0-9]+\$/(top(/|$))?")

SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "true_false"
FILL_BLANK = "fill_blank"
SHORT_ANSWER = "short_answer"
CASE_ANALYSIS = "case_analysis"
QUESTION_TYPES = (SINGLE, MULTIPLE, TRUE_FALSE, FILL_BLANK, SHORT_ANSWER, CASE_ANALYSIS)
CHOICE_TYPES = (SINGLE, MULTIPLE)

# Moodle accepts only these grades (question_bank::fraction_options_full); a grade
# within 0.00001 of one of them is snapped to its exact value, anything else is an
# error. Exact values make 1/3 read back as 1/3 after an export.
_GRADES = [1.0, 0.9, 5 / 6, 0.8, 0.75, 0.7, 2 / 3, 0.6, 0.5, 0.4, 1 / 3, 0.3, 0.25, 0.2,
           1 / 6, 1 / 7, 0.125, 1 / 9, 0.1, 0.05, 0.0]
VALID_FRACTIONS = tuple(_GRADES + [-grade for grade in _GRADES if grade])


class FormatError(Exception):
    """A file that cannot be read at all; the message names the file and the reason."""


@dataclass
class ParsedOption:
    """One option of a choice question."""

    text: str
    correct: bool = False
    # Share of the question's points (1.0, 0.5, -1/3 …), or None when the file gives none
    # (Excel, Aiken: they only say which options are right; grading.option_credits).
    fraction: float | None = None
    feedback: str = ""


@dataclass
class ParsedBlank:
    """The accepted answers for one blank of a fill-in-the-blank question."""

    answers: list[str] = field(default_factory=list)


@dataclass
class ParsedQuestion:
    """A question read from (or to be written to) a file, independent of any format.

    Fields beyond the brief: none; every field has a default so a format fills only
    what it knows.
    """

    qtype: str
    stem: str = ""
    stem_format: str = "text"  # "html" or "text"
    options: list[ParsedOption] = field(default_factory=list)  # single / multiple
    answer_bool: bool | None = None  # true_false
    blanks: list[ParsedBlank] = field(default_factory=list)  # fill_blank
    order_insensitive: bool = False  # fill_blank: blanks may be answered in any order
    reference_answer: str = ""  # short_answer, and case sub-questions
    scoring_points: list[str] = field(default_factory=list)
    explanation: str = ""  # 解析; Moodle generalfeedback, GIFT "####"
    legal_basis: str = ""
    category: list[str] = field(default_factory=list)  # ["通用法律", "行政处罚法"]
    tags: list[str] = field(default_factory=list)
    difficulty: int | None = None  # 1–5
    points: Decimal | None = None
    name: str = ""  # Moodle / GIFT title
    location: str = field(default="", compare=False)
    case_text: str = ""  # case_analysis: the case material
    sub_questions: list["ParsedQuestion"] = field(default_factory=list)  # case_analysis

    @property
    def correct_letters(self):
        """Return the letters of the correct options, e.g. "ABD"."""
        return "".join(letter(index) for index, option in enumerate(self.options)
                       if option.correct)


@dataclass
class Issue:
    """One problem found in a file; the message names the place and the field."""

    location: str
    message: str

    def __str__(self):
        return self.message


@dataclass
class ParseResult:
    """What a format read: the questions, and the problems it found on the way."""

    questions: list[ParsedQuestion] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    skipped: int = 0  # questions left out; each has a warning saying why

    @property
    def ok(self):
        return not self.errors

    def warn(self, location, message):
        self.warnings.append(Issue(location, message))

    def error(self, location, message):
        self.errors.append(Issue(location, message))

    def skip(self, location, message):
        """Record that the question at `location` was left out, and why."""
        self.skipped += 1
        self.warn(location, message)


def line_location(number):
    """Return the location text for a line of a text or XML file."""
    return _("line %(number)s") % {"number": number}


def problem(location, field_label, text):
    """Return a message naming the place, the field and what is wrong."""
    return _("%(location)s, %(field)s: %(problem)s") % {
        "location": location, "field": field_label, "problem": text}


def letter(index):
    """Return the option letter for a 0-based index: 0 → "A"."""
    return chr(ord("A") + index)


def default_fractions(options, qtype):
    """Set each option's fraction from `correct`, for formats that only mark right answers."""
    right = sum(1 for option in options if option.correct)
    for option in options:
        if not option.correct:
            option.fraction = 0.0
        elif qtype == SINGLE or right == 1:
            option.fraction = 1.0
        else:
            option.fraction = snap_fraction(1 / right)
    return options


def snap_fraction(value):
    """Return the Moodle grade `value` is meant to be, or None if it is not one."""
    for grade in VALID_FRACTIONS:
        if abs(value - grade) < 0.00001:
            return grade
    return None


def percent_text(fraction):
    """Return a fraction as Moodle writes it in percent: 1/3 → "33.33333"."""
    return f"{fraction * 100:.5f}".rstrip("0").rstrip(".") or "0"


def moodle_category_path(text):
    """Return the category path of a Moodle category: "$course$/top/A/B" → ["A", "B"]."""
    path = MOODLE_CONTEXT_PREFIX.sub("", text.strip())
    # Moodle writes a "/" inside a category name as "//".
    parts = path.replace("//", "\0").split("/")
    return [part.replace("\0", "/").strip() for part in parts if part.strip()]


def moodle_category_text(path):
    """Return the Moodle category text for a path: ["A", "B"] → "$course$/A/B"."""
    return "$course$/" + "/".join(part.replace("/", "//") for part in path)
