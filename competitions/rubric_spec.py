"""
The stored form of a rubric (`Rubric.definition`, JSON) and of a judge's rubric marks
(`Mark.raw`), and their conversion to the plain-value dataclasses of `rubrics`.

Rubric definition
    {
      "criteria": [
        {"code": "presentation", "name": "卷面", "max_points": 20,
         "levels":     [{"name": "好", "low": 16, "high": 20, "description": "…"}, …],
         "measures":   [{"code": "m1", "name": "…", "points": 5, "basic": false}, …],
         "deductions": [{"code": "d1", "name": "…", "low": 5, "high": 15,
                         "basic": false, "repeatable": false}, …]},
        …
      ],
      "vetoes": [{"code": "subject", "name": "主体", "description": "…"}, …],
      "grades": {"bands": [{"name": "优秀", "min_points": 90,
                            "requires_no_basic_problem": true},
                           {"name": "合格", "min_points": 70}],
                 "failing": "不合格"}
    }
    Numbers may be JSON numbers or strings ("2.5"); "high" may be left out for a fixed
    deduction; "levels", "measures", "deductions", "vetoes" and "grades" are optional
    (the default grades are 优秀 ≥ 90 without basic problems, 合格 ≥ 70).

Rubric marks (`Mark.raw` of a drafting or practical event)
    {"levels": {criterion code: points}, "measures_met": [code, …],
     "deductions": [{"code": …, "amount": … | null}, …], "vetoes": [code, …]}

Every problem raises InvalidScoring with a message naming the criterion or item.
"""
from django.utils.translation import gettext as _

from . import rubrics
from .scoring_types import InvalidScoring, to_decimal


def _number(value, where):
    if value is None or value == "":
        raise InvalidScoring(_("%(where)s: a number is missing.") % {"where": where})
    try:
        return to_decimal(value)
    except InvalidScoring:
        raise InvalidScoring(
            _("%(where)s: %(value)r is not a number.") % {"where": where, "value": value}
        ) from None


def _text(item, key, where, required=True):
    value = item.get(key, "")
    if not isinstance(value, str):
        raise InvalidScoring(_("%(where)s: “%(key)s” must be text.") % {"where": where, "key": key})
    value = value.strip()
    if required and not value:
        raise InvalidScoring(_("%(where)s: “%(key)s” is missing.") % {"where": where, "key": key})
    return value


def _list(container, key, where):
    value = container.get(key) or []
    if not isinstance(value, list):
        raise InvalidScoring(_("%(where)s: “%(key)s” must be a list.")
                             % {"where": where, "key": key})
    for item in value:
        if not isinstance(item, dict):
            raise InvalidScoring(
                _("%(where)s: every item of “%(key)s” must be an object.")
                % {"where": where, "key": key})
    return value


def _flag(item, key, where):
    value = item.get(key, False)
    if not isinstance(value, bool):
        raise InvalidScoring(
            _("%(where)s: “%(key)s” must be true or false.") % {"where": where, "key": key})
    return value


def to_rubric(definition, name=""):
    """Return the rubrics.Rubric a stored `definition` describes; raise InvalidScoring."""
    if not isinstance(definition, dict):
        raise InvalidScoring(_("A rubric definition must be a JSON object."))
    criteria = []
    raw_criteria = _list(definition, "criteria", _("Rubric"))
    if not raw_criteria:
        raise InvalidScoring(_("A rubric needs at least one criterion."))
    for number, raw in enumerate(raw_criteria, start=1):
        where = _("Criterion %(number)s") % {"number": number}
        code = _text(raw, "code", where)
        where = _("Criterion %(code)s") % {"code": code}
        levels = tuple(
            rubrics.Level(
                _text(level, "name", where),
                _number(level.get("low"), where),
                _number(level.get("high"), where),
                _text(level, "description", where, required=False))
            for level in _list(raw, "levels", where))
        measures = []
        for item in _list(raw, "measures", where):
            item_where = _("Item %(code)s") % {"code": _text(item, "code", where)}
            measures.append(rubrics.MeasureItem(
                item["code"].strip(), _text(item, "name", item_where),
                _number(item.get("points"), item_where), basic=_flag(item, "basic", item_where)))
        deductions = []
        for item in _list(raw, "deductions", where):
            item_where = _("Deduction %(code)s") % {"code": _text(item, "code", where)}
            high = item.get("high")
            deductions.append(rubrics.DeductionItem(
                item["code"].strip(), _text(item, "name", item_where),
                _number(item.get("low"), item_where),
                None if high in (None, "") else _number(high, item_where),
                basic=_flag(item, "basic", item_where),
                repeatable=_flag(item, "repeatable", item_where)))
        criteria.append(rubrics.Criterion(
            code, _text(raw, "name", where), _number(raw.get("max_points"), where),
            levels=levels, measures=tuple(measures), deductions=tuple(deductions)))
    vetoes = tuple(
        rubrics.VetoItem(_text(item, "code", _("Veto item")),
                         _text(item, "name", _("Veto item %(code)s") % {"code": item.get("code")}),
                         _text(item, "description", _("Veto item"), required=False))
        for item in _list(definition, "vetoes", _("Rubric")))
    grades = rubrics.GradeScale()
    raw_grades = definition.get("grades")
    if raw_grades:
        if not isinstance(raw_grades, dict):
            raise InvalidScoring(_("The grades must be a JSON object."))
        bands = tuple(
            rubrics.GradeBand(
                _text(band, "name", _("Grade")),
                _number(band.get("min_points"), _("Grade %(name)s") % {"name": band.get("name")}),
                requires_no_basic_problem=_flag(band, "requires_no_basic_problem", _("Grade")))
            for band in _list(raw_grades, "bands", _("Grades")))
        failing = raw_grades.get("failing") or rubrics.UNQUALIFIED
        if not isinstance(failing, str):
            raise InvalidScoring(_("The failing grade must be text."))
        grades = rubrics.GradeScale(bands=bands, failing=failing)
    return rubrics.Rubric(name=name, criteria=tuple(criteria), vetoes=vetoes, grades=grades)


def validate_definition(definition):
    """Raise InvalidScoring with a clear message if `definition` is not a valid rubric."""
    to_rubric(definition)


def _json_number(value):
    """Return a Decimal as a JSON number: an int when whole, else a float of its str."""
    value = to_decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return float(str(value))


def to_definition(rubric):
    """Return the JSON definition of a rubrics.Rubric (the inverse of to_rubric)."""
    criteria = []
    for criterion in rubric.criteria:
        item = {"code": criterion.code, "name": criterion.name,
                "max_points": _json_number(criterion.max_points)}
        if criterion.levels:
            item["levels"] = [{"name": lv.name, "low": _json_number(lv.low),
                               "high": _json_number(lv.high), "description": lv.description}
                              for lv in criterion.levels]
        if criterion.measures:
            item["measures"] = [{"code": m.code, "name": m.name,
                                 "points": _json_number(m.points), "basic": m.basic}
                                for m in criterion.measures]
        if criterion.deductions:
            item["deductions"] = [{"code": d.code, "name": d.name, "low": _json_number(d.low),
                                   "high": _json_number(d.high), "basic": d.basic,
                                   "repeatable": d.repeatable}
                                  for d in criterion.deductions]
        criteria.append(item)
    return {
        "criteria": criteria,
        "vetoes": [{"code": v.code, "name": v.name, "description": v.description}
                   for v in rubric.vetoes],
        "grades": {
            "bands": [{"name": b.name, "min_points": _json_number(b.min_points),
                       "requires_no_basic_problem": b.requires_no_basic_problem}
                      for b in rubric.grades.bands],
            "failing": rubric.grades.failing,
        },
    }


CASE_FILE_REVIEW_NAME = "案卷评查标准"


def case_file_review_definition(excellent=90, qualified=70):
    """Return the definition of the shipped 案卷评查 standard (rubrics.case_file_review_rubric)."""
    return to_definition(rubrics.case_file_review_rubric(excellent, qualified))


def builtin_rubric_defaults():
    """Return the fields of the shipped 案卷评查 Rubric row (also used by the migration)."""
    return {
        "description": "基本要素（主体、执法资格、证据、事实、定性、法律适用、程序）"
                       "一票否决；卷面20分、内容80分按扣分项扣分，扣完为止，不计负分；"
                       "优秀≥90分且无基本要素问题，合格≥70分。",
        "definition": case_file_review_definition(),
    }


def ensure_builtin_rubrics():
    """Create the shipped rubrics if they are missing; return the 案卷评查 Rubric row."""
    from .models import Rubric

    rubric, _created = Rubric.objects.get_or_create(name=CASE_FILE_REVIEW_NAME,
                                                    defaults=builtin_rubric_defaults())
    return rubric


# --- judge's marks ------------------------------------------------------------------------

def rubric_marks(raw):
    """Return the rubrics.RubricMarks stored in a Mark.raw dict; raise InvalidScoring."""
    if not isinstance(raw, dict):
        raise InvalidScoring(_("The marks must be a JSON object."))
    levels = raw.get("levels") or {}
    if not isinstance(levels, dict):
        raise InvalidScoring(_("The level scores must be a JSON object."))
    levels = {code: _number(value, _("Criterion %(code)s") % {"code": code})
              for code, value in levels.items()}
    deductions = []
    for item in raw.get("deductions") or []:
        if not isinstance(item, dict) or not item.get("code"):
            raise InvalidScoring(_("Every deduction needs an item code."))
        amount = item.get("amount")
        if amount not in (None, ""):
            amount = _number(amount, _("Deduction %(code)s") % {"code": item["code"]})
        else:
            amount = None
        deductions.append(rubrics.AppliedDeduction(item["code"], amount))
    return rubrics.RubricMarks(
        levels=levels,
        measures_met=frozenset(raw.get("measures_met") or ()),
        deductions=tuple(deductions),
        vetoes=frozenset(raw.get("vetoes") or ()),
    )


def marks_raw(marks):
    """Return the Mark.raw dict for rubrics.RubricMarks (the inverse of rubric_marks)."""
    return {
        "levels": {code: _json_number(value) for code, value in marks.levels.items()},
        "measures_met": sorted(marks.measures_met),
        "deductions": [{"code": d.code,
                        "amount": None if d.amount is None else _json_number(d.amount)}
                       for d in marks.deductions],
        "vetoes": sorted(marks.vetoes),
    }


def empty_marks():
    """Return the raw marks a judge starts from: no level given, nothing deducted."""
    return {"levels": {}, "measures_met": [], "deductions": [], "vetoes": []}

