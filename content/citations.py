"""Citations of articles, written the Chinese way: 《行政处罚法》第三十二条."""
import re

from .chinese_numbers import NUMERAL_CHARS, to_int

NUM = f"[{NUMERAL_CHARS}0-9]+"
CITATION_RE = re.compile(rf"《([^》]+)》\s*第({NUM})条(?:之({NUM}))?")


def find_citations(text):
    """Return [(citation text, law title, number, suffix)] for every citation in `text`."""
    return [(m.group(0), m.group(1), to_int(m.group(2)), to_int(m.group(3)) if m.group(3) else 0)
            for m in CITATION_RE.finditer(text or "")]


class LawTitles:
    """Find live laws by the names citations use (short title, full title, without 中华人民共和国)."""

    def __init__(self):
        from .models import LawPage

        self.by_name = {}
        for law in LawPage.objects.live().only("id", "title", "short_title"):
            for name in {law.title, law.short_title, law.title.removeprefix("中华人民共和国")}:
                if name:
                    self.by_name.setdefault(name, law.pk)

    def law_id(self, name):
        return self.by_name.get(name.strip())


def resolve(text, titles=None):
    """Return the Article a single citation names, or None."""
    from .models import Article

    found = find_citations(text)
    if len(found) != 1:
        return None
    _text, law_name, number, suffix = found[0]
    law_id = (titles or LawTitles()).law_id(law_name)
    if law_id is None:
        return None
    return (Article.objects.select_related("law")
            .filter(law_id=law_id, number=number, suffix=suffix).first())


def resolve_all(text, titles=None):
    """Return ([Article], [unresolved citation texts]) for the citations in `text`."""
    titles = titles or LawTitles()
    articles, missing = [], []
    for citation, *_rest in find_citations(text):
        article = resolve(citation, titles)
        if article is None:
            missing.append(citation)
        elif article not in articles:
            articles.append(article)
    return articles, missing
