"""
Split a statute's plain text into chapters (章), sections (节) and articles (条).

Accepts the usual Chinese layout, as plain text or as the Markdown of /work/shared/laws:
a title line, optional history lines (a line ``<!-- INFO END -->`` ends them), then
``第X章 …`` / ``第X节 …`` headings (with or without leading #) and articles that start a
paragraph with ``第X条`` or ``第X条之Y``. Every following paragraph belongs to the
article (its 款 and 项) until the next heading or article.

Articles must follow on (第一条, 第二条, 第二条之一, 第三条 …) and so must chapters: a gap,
a repeat or a step back is almost always a typo or a lost page, so the text is refused
with the line of each such problem rather than imported with an article missing.
"""
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .chinese_numbers import NUMERAL_CHARS, to_chinese, to_int

NUM = f"[{NUMERAL_CHARS}0-9]+"
CHAPTER_RE = re.compile(rf"^第({NUM})章\s*(.*)$")
SECTION_RE = re.compile(rf"^第({NUM})节\s*(.*)$")
ARTICLE_RE = re.compile(rf"^第({NUM})条(?:之({NUM}))?(?:\s+|　|$)(.*)$", re.S)
INFO_END = "<!-- INFO END -->"


MAX_REPORTED = 20


class LawTextError(ValueError):
    """The text is not a statute in the usual layout; `problems` lists (line, message)."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(message for _line, message in self.problems))


def _problem(line, message, **values):
    values["line"] = line
    return (line, _("Line %(line)s: ") % values + message % values)


def _article_label(number, suffix=0):
    return f"第{to_chinese(number)}条" + (f"之{to_chinese(suffix)}" if suffix else "")


def _check_article_order(previous, article):
    """Return a problem if `article` does not follow `previous` (None: it is the first)."""
    found = article.label
    if previous is None:
        if (article.number, article.suffix) != (1, 0):
            return _problem(article.line, _("the first article is %(found)s; a law's articles "
                                            "start at 第一条."), found=found)
        return None
    key, last = (article.number, article.suffix), (previous.number, previous.suffix)
    if key == last:
        return _problem(article.line, _("%(found)s appears twice (first on line %(first)s)."),
                        found=found, first=previous.line)
    if key < last:
        return _problem(article.line, _("%(found)s comes after %(previous)s; the articles are "
                                        "out of order."), found=found, previous=previous.label)
    if article.suffix == 0 and article.number == previous.number + 1:
        return None
    if article.number == previous.number and article.suffix == previous.suffix + 1:
        return None
    expected = _article_label(previous.number + 1)
    return _problem(article.line, _("%(found)s follows %(previous)s: %(expected)s is missing "
                                    "or misnumbered."),
                    found=found, previous=previous.label, expected=expected)


@dataclass
class ParsedArticle:
    number: int
    suffix: int  # 0, or Y for 第X条之Y
    label: str  # as written: 第三十二条, 第十条之一
    chapter: str
    section: str
    paragraphs: list = field(default_factory=list)
    line: int = 0  # where it starts in the file (1-based)

    @property
    def text(self):
        return "\n".join(self.paragraphs)


@dataclass
class ParsedLaw:
    title: str = ""
    preamble: list = field(default_factory=list)
    chapters: list = field(default_factory=list)  # [(label, [section labels])]
    articles: list = field(default_factory=list)


def _clean(line):
    line = line.strip().lstrip("#").strip()
    # Headings are often spaced out for layout (第一章 总 则); keep one space after
    # the number and drop the rest of the padding between Chinese characters.
    return re.sub(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])", "", line)


def _number(text, line, label):
    """Return the value of a heading's numeral, or a problem naming the line."""
    try:
        value = to_int(text)
    except ValueError:
        value = 0
    if value < 1:
        return None, _problem(line, _("“%(label)s” has no readable number."), label=label)
    return value, None


def parse_law(text):
    """Return a ParsedLaw for `text`; raise LawTextError naming the line of each problem."""
    law = ParsedLaw()
    problems = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    has_info_end = any(line.strip() == INFO_END for line in lines)
    in_header = True
    chapter = section = ""
    chapter_number = 0
    current = None
    for line_number, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        if not stripped:
            continue
        if stripped == INFO_END:
            in_header = False
            continue
        line = _clean(stripped)
        if not law.title:
            law.title = line
            continue
        chapter_match = CHAPTER_RE.match(line)
        section_match = SECTION_RE.match(line)
        article_match = ARTICLE_RE.match(stripped.lstrip("#").strip())
        if in_header and (has_info_end or not (chapter_match or article_match)):
            law.preamble.append(stripped.lstrip("#").strip())
            continue
        in_header = False
        if chapter_match:
            chapter = f"第{chapter_match.group(1)}章 {chapter_match.group(2).strip()}".strip()
            number, problem = _number(chapter_match.group(1), line_number, chapter)
            if problem:
                problems.append(problem)
            elif number != chapter_number + 1:
                problems.append(_problem(
                    line_number, _("%(found)s follows %(previous)s; a chapter is missing, "
                                   "repeated or misnumbered."),
                    found=chapter, previous=law.chapters[-1][0] if law.chapters
                    else _("the start of the text")))
            chapter_number = number or chapter_number
            section = ""
            law.chapters.append((chapter, []))
            current = None
        elif section_match:
            section = f"第{section_match.group(1)}节 {section_match.group(2).strip()}".strip()
            if not law.chapters:
                law.chapters.append(("", []))
            law.chapters[-1][1].append(section)
            current = None
        elif article_match:
            number, suffix, body = article_match.groups()
            label = f"第{number}条" + (f"之{suffix}" if suffix else "")
            value, problem = _number(number, line_number, label)
            suffix_value, suffix_problem = _number(suffix, line_number, label) if suffix \
                else (0, None)
            if problem or suffix_problem:
                problems.append(problem or suffix_problem)
                current = None
                continue
            article = ParsedArticle(
                number=value, suffix=suffix_value, label=label, chapter=chapter,
                section=section, paragraphs=[body.strip()] if body.strip() else [],
                line=line_number)
            problem = _check_article_order(law.articles[-1] if law.articles else None, article)
            if problem:
                problems.append(problem)
            current = article
            law.articles.append(current)
        elif current is not None:
            current.paragraphs.append(stripped)
        else:
            law.preamble.append(line)
    if not law.articles and not problems:
        problems.append((None, _("No article was found: each article must start a line "
                                 "with 第X条 (第一条, 第二条 …).")))
    if problems:
        raise LawTextError(problems[:MAX_REPORTED])
    return law
