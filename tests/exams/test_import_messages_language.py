"""The missing columns of a question-bank workbook are named as the language joins lists."""
import io

import openpyxl
from django.utils import translation

from exams.formats import parse


def test_the_missing_columns_are_joined_as_the_language_joins_lists():
    workbook = openpyxl.Workbook()
    workbook.active.title = "题库"
    workbook.active.append(["分类", "解析"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    for language, columns in (("en", "题型, 题干, 答案"), ("zh-hans", "题型、题干、答案")):
        with translation.override(language):
            result = parse(buffer.getvalue(), "题库.xlsx", "xlsx")
        [error] = result.errors
        assert columns in error.message, language
