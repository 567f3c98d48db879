"""Save a statute's text as the articles of a LawPage (re-importing updates in place)."""
from django.db import transaction

from .lawtext import parse_law
from .models import Article


@transaction.atomic
def import_law_text(law, text):
    """Replace `law`'s articles with those in `text`; return (created, updated, deleted).

    Articles are matched by number (and 之Y suffix), so an article that exists before and
    after keeps its id, and the cases citing it keep their links.
    """
    parsed = parse_law(text)
    if not law.preamble and parsed.preamble:
        law.preamble = "\n".join(parsed.preamble)
        law.save(update_fields=["preamble"])
    existing = {(a.number, a.suffix): a for a in law.articles.all()}
    new, changed, seen = [], [], set()
    for position, parsed_article in enumerate(parsed.articles, start=1):
        key = (parsed_article.number, parsed_article.suffix)
        if key in seen:
            continue  # a repeated number is a typo in the source; keep the first
        seen.add(key)
        fields = {"position": position, "chapter": parsed_article.chapter,
                  "section": parsed_article.section, "text": parsed_article.text}
        article = existing.get(key)
        if article is None:
            new.append(Article(law=law, number=key[0], suffix=key[1], **fields))
        else:
            for name, value in fields.items():
                setattr(article, name, value)
            changed.append(article)
    gone = [a.pk for key, a in existing.items() if key not in seen]
    Article.objects.filter(pk__in=gone).delete()
    Article.objects.bulk_create(new)
    Article.objects.bulk_update(changed, ["position", "chapter", "section", "text"])
    return len(new), len(changed), len(gone)


@transaction.atomic
def create_law(parent, text, **facts):
    """Create a LawPage under `parent` from a statute's text (title from the text).

    Raise LawTextError (before anything is saved) if the text has problems.
    """
    from .models import LawPage

    parsed = parse_law(text)
    law = LawPage(title=facts.pop("title", parsed.title), **facts)
    parent.add_child(instance=law)
    law.save_revision().publish()
    import_law_text(law, text)
    return law
