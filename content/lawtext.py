"""
Split a statute's plain text into chapters (章), sections (节) and articles (条).

Accepts the usual Chinese layout, as plain text or as the Markdown of /work/shared/laws:
a title line, optional history lines (a line ``<!-- INFO END -->`` ends them), then
``第X章 …`` / ``第X节 …`` headings (with or without leading #) and articles that start a
paragraph with ``第X条`` or ``第X条之Y``. Every following paragraph belongs to the
article (its 款 and 项) until the next heading or article.
"""
import re
from dataclasses import dataclass, field

from .chinese_numbers import NUMERAL_CHARS, to_int

NUM = f"[{NUMERAL_CHARS}0-9]+"
CHAPTER_RE = re.compile(rf"^第({NUM})章\s*(.*)$")
SECTION_RE = re.compile(rf"^第({NUM})节\s*(.*)$")
ARTICLE_RE = re.compile(rf"^第({NUM})条(?:之({NUM}))?(?:\s+|　|$)(.*)$", re.S)
INFO_END = "<!-- INFO END -->"


class LawTextError(ValueError):
    """The text does not look like a statute (no article could be found)."""


@dataclass
class ParsedArticle:
    number: int
    suffix: int  # 0, or Y for 第X条之Y
    label: str  # as written: 第三十二条, 第十条之一
    chapter: str
    section: str
    paragraphs: list = field(default_factory=list)

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


def parse_law(text):
    """Return a ParsedLaw for `text`; raise LawTextError if no article is found."""
    law = ParsedLaw()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    has_info_end = any(line.strip() == INFO_END for line in lines)
    in_header = True
    chapter = section = ""
    current = None
    for raw in lines:
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
            current = ParsedArticle(
                number=to_int(number), suffix=to_int(suffix) if suffix else 0, label=label,
                chapter=chapter, section=section, paragraphs=[body.strip()] if body.strip() else [])
            law.articles.append(current)
        elif current is not None:
            current.paragraphs.append(stripped)
        else:
            law.preamble.append(line)
    if not law.articles:
        raise LawTextError("no article (第X条) found")
    return law
