"""
Saving parsed questions into the bank, all or nothing.

Two kinds of trouble are kept apart: a well-formed question we cannot take (a type we do
not support, or a duplicate of one already in the bank or earlier in the file) is
skipped with a warning and the rest is imported; a malformed file or question is an
error, and then nothing at all is saved.
"""
import html

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from security.richtext import clean_html

from . import formats
from .blocks import stem_from_html, stem_to_text
from .formats.base import ParseResult
from .models import (Category, Question, QuestionOption, QuestionStatus, QuestionTag,
                     QuestionType, QuestionVersion)
from .normalize import fingerprint, plain_text
from .versions import snapshot

TYPES = [choice.value for choice in QuestionType]


def empty_report():
    return {"created": 0, "updated": 0, "skipped": 0, "by_type": dict.fromkeys(TYPES, 0),
            "warnings": [], "errors": []}


def _issues(items):
    return [{"location": issue.location, "message": issue.message} for issue in items]


def text_to_html(text, text_format):
    """Return stem HTML from a parsed stem (plain text lines become paragraphs)."""
    if text_format == "html":
        return clean_html(text)  # no scripts or event handlers from a file reach a page
    return "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())


def import_file(data, filename, fmt, *, category=None, dry_run=False, author=None,
                status=QuestionStatus.ACTIVE, progress=None):
    """Parse and import a question file; return the report dict (see the module docstring)."""
    try:
        result = formats.parse(data, filename, fmt)
    except formats.FormatError as exc:
        report = empty_report()
        report["errors"].append({"location": filename, "message": str(exc)})
        return report
    return import_parsed(result, category=category, dry_run=dry_run, author=author,
                         status=status, progress=progress)


def import_parsed(result: ParseResult, *, category=None, dry_run=False, author=None,
                  status=QuestionStatus.ACTIVE, progress=None):
    """Save the questions of a ParseResult (unless it has errors or this is a dry run)."""
    report = empty_report()
    report["warnings"] = _issues(result.warnings)
    report["errors"] = _issues(result.errors)
    report["skipped"] = result.skipped
    prefix = [part for part in (category or "").split("/") if part.strip()]

    existing = set(Question.objects.exclude(status=QuestionStatus.RETIRED)
                   .values_list("fingerprint", flat=True))
    accepted = []
    for parsed in result.questions:
        key = _fingerprint(parsed)
        if key in existing:
            report["skipped"] += 1
            report["warnings"].append({
                "location": parsed.location,
                "message": _("%(location)s: a question with the same text and options is already "
                             "in the bank (or earlier in this file); skipped.")
                % {"location": parsed.location}})
            continue
        existing.add(key)
        accepted.append(parsed)
        report["by_type"][parsed.qtype] += 1
    report["created"] = len(accepted)
    if report["errors"] or dry_run:
        if report["errors"]:
            report["created"] = 0
            report["by_type"] = dict.fromkeys(TYPES, 0)
        return report
    with transaction.atomic():
        save_questions(accepted, prefix, author, status, progress)
    return report


def _fingerprint(parsed):
    stem = parsed.case_text + "\n" + parsed.stem if parsed.case_text else parsed.stem
    return fingerprint(plain_text(stem), [option.text for option in parsed.options])


def save_questions(accepted, prefix, author, status, progress=None, batch=1000):
    """Save parsed questions in bulk (a 20,000-question file in seconds, not minutes)."""
    from taggit.models import Tag

    categories = {}
    for parsed in accepted:
        path = tuple(prefix + list(parsed.category)) or (_("Imported"),)
        if path not in categories:
            categories[path] = Category.get_or_create_path(list(path))
    rows = []  # (Question, ParsedQuestion)
    for parsed in accepted:
        path = tuple(prefix + list(parsed.category)) or (_("Imported"),)
        rows.append((_build(parsed, categories[path], author, status), parsed))
    total = len(rows) or 1
    for start in range(0, len(rows), batch):
        Question.objects.bulk_create([q for q, _p in rows[start:start + batch]])
        if progress:
            progress.step(start, total * 2, _("Saving questions"))
    children = []
    for question, parsed in rows:
        for index, child in enumerate(parsed.sub_questions, start=1):
            child_question = _build(child, question.category, author, status)
            child_question.parent, child_question.position = question, index
            children.append((child_question, child))
    for start in range(0, len(children), batch):
        Question.objects.bulk_create([q for q, _p in children[start:start + batch]])
    everything = rows + children

    options, by_question = [], {}
    for question, parsed in everything:
        mine = [QuestionOption(question=question, text=o.text, is_correct=o.correct,
                               fraction=o.fraction, sort_order=i)
                for i, o in enumerate(parsed.options)]
        options += mine
        by_question[question.pk] = [
            {"key": chr(ord("A") + i), "text": o.text, "correct": o.is_correct,
             "fraction": float(o.fraction) if o.fraction is not None else None}
            for i, o in enumerate(mine)]  # as Question.option_list gives them
    QuestionOption.objects.bulk_create(options, batch_size=batch)

    names = {tag for _q, parsed in everything for tag in parsed.tags}
    if names:
        existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
        for name in names - set(existing):
            existing[name] = Tag.objects.create(name=name)
        QuestionTag.objects.bulk_create(
            [QuestionTag(content_object=q, tag=existing[name])
             for q, parsed in everything for name in dict.fromkeys(parsed.tags)],
            batch_size=batch)

    names_by_category = {category.pk: category.full_name for category in categories.values()}
    versions = [QuestionVersion(question=q, number=1, qtype=q.qtype, created_by=author,
                                data=snapshot(q, by_question[q.pk], names_by_category[q.category_id]))
                for q, _p in everything]
    for start in range(0, len(versions), batch):
        QuestionVersion.objects.bulk_create(versions[start:start + batch])
        if progress:
            progress.step(total + start, total * 2, _("Saving versions"))
    for version in versions:
        question = version.question
        question.current_version = version
        question.fingerprint = fingerprint(question.stem_text,
                                           [o["text"] for o in by_question[question.pk]])
    Question.objects.bulk_update([q for q, _p in everything], ["current_version", "fingerprint"],
                                 batch_size=batch)


def _build(parsed, category, author, status):
    """Return an unsaved Question for a parsed one (stem_text set: bulk_create skips save())."""
    stem = parsed.stem
    if parsed.qtype == QuestionType.CASE_ANALYSIS and parsed.case_text:
        stem = parsed.case_text + ("\n" + parsed.stem if parsed.stem else "")
    question = Question(
        qtype=parsed.qtype, category=category,
        stem=stem_from_html(text_to_html(stem, parsed.stem_format)),
        explanation=parsed.explanation, legal_basis=parsed.legal_basis,
        answer_bool=parsed.answer_bool,
        blank_answers="\n".join("/".join(blank.answers) for blank in parsed.blanks),
        order_insensitive=parsed.order_insensitive, reference_answer=parsed.reference_answer,
        scoring_points="\n".join(parsed.scoring_points), difficulty=parsed.difficulty or 3,
        status=status, author=author)
    if parsed.points is not None:
        question.points = parsed.points
    question.stem_text = stem_to_text(question.stem)
    return question


def export_questions(queryset, fmt):
    """Return the bytes of `queryset` (top-level questions) written in format `fmt`.

    A fixed number of queries however many questions: the category names are built once,
    and options, tags and the sub-questions of cases (with theirs) are prefetched.
    """
    # Excel cells hold plain text; Moodle XML and GIFT carry the stem's HTML.
    as_html = fmt != "xlsx"
    children = (Question.objects.order_by("position", "pk")
                .prefetch_related("options", "tags"))
    questions = queryset.prefetch_related("options", "tags",
                                          Prefetch("sub_questions", queryset=children))
    names = category_names()
    return formats.write([to_parsed(question, as_html, names) for question in questions], fmt)


def category_names():
    """Return {category id: full name ("通用法律/行政处罚法")} for every category, in one query."""
    rows = list(Category.objects.values_list("pk", "path", "name"))
    by_path = {path: name for _pk, path, name in rows}
    steplen = Category.steplen
    return {pk: "/".join(by_path.get(path[:end], "")
                         for end in range(steplen, len(path) + 1, steplen))
            for pk, path, _name in rows}


def export_fractions(options, qtype):
    """Return the options' values for a file: those given, the others filled in.

    Files need a value for every option. With none given (all or nothing) the usual
    defaults are written (formats.base.default_fractions: the right option of a single
    choice 1, each of k right options 1/k, wrong ones 0); among given values an empty one
    is written as grading counts it (1/k right, -1/m wrong; a single choice's wrong one 0).
    """
    from .formats.base import ParsedOption, default_fractions, snap_fraction
    from .grading import option_credits

    given = [float(o.fraction) if o.fraction is not None else None for o in options]
    if all(value is None for value in given):
        return [o.fraction for o in default_fractions(
            [ParsedOption(o.text, o.is_correct) for o in options], qtype)]
    keyed = [{"key": index, "correct": o.is_correct, "fraction": value}
             for index, (o, value) in enumerate(zip(options, given))]
    credits = option_credits(keyed)
    values = []
    for entry in keyed:
        if entry["fraction"] is not None:
            values.append(entry["fraction"])
        elif qtype == QuestionType.SINGLE:
            values.append(1.0 if entry["correct"] else 0.0)
        else:
            values.append(snap_fraction(float(credits[entry["key"]])) or 0.0)
    return values


def to_parsed(question, as_html=True, names=None):
    """Return a ParsedQuestion for a saved question (for export).

    `names`: category_names(), when the caller exports many questions."""
    from .formats.base import ParsedBlank, ParsedOption, ParsedQuestion

    if as_html:
        stem_html = "".join(block.value.source for block in question.stem
                            if block.block_type == "text")
    else:
        stem_html = question.stem_text
    options = list(question.options.all())
    parsed = ParsedQuestion(
        qtype=question.qtype,
        stem=stem_html,
        stem_format="html" if as_html else "text",
        options=[ParsedOption(text=o.text, correct=o.is_correct, fraction=fraction)
                 for o, fraction in zip(options, export_fractions(options, question.qtype))],
        answer_bool=question.answer_bool,
        blanks=[ParsedBlank(answers=alts) for alts in question.blanks],
        order_insensitive=question.order_insensitive,
        reference_answer=question.reference_answer,
        scoring_points=question.scoring_point_list,
        explanation=question.explanation,
        legal_basis=question.legal_basis,
        category=(names[question.category_id] if names is not None
                  else question.category.full_name).split("/"),
        tags=sorted(tag.name for tag in question.tags.all()),
        difficulty=question.difficulty,
        points=question.points,
    )
    if question.qtype == QuestionType.CASE_ANALYSIS:
        parsed.case_text, parsed.stem = stem_html, ""
        if "sub_questions" in getattr(question, "_prefetched_objects_cache", {}):
            children = question.sub_questions.all()  # prefetched in order (export_questions)
        else:
            children = question.sub_questions.order_by("position", "pk")
        parsed.sub_questions = [to_parsed(child, as_html, names) for child in children]
    return parsed
