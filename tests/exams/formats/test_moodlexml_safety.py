"""Moodle XML is parsed defensively: no entity expansion, no external files, clear errors."""
import time

import pytest

from exams.formats import FormatError, parse

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<quiz><question type="essay"><questiontext><text>&lol9;</text></questiontext></question></quiz>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="essay"><questiontext><text>&secret;</text></questiontext></question></quiz>
"""


def test_billion_laughs_is_refused_before_anything_expands():
    started = time.monotonic()
    with pytest.raises(FormatError, match="lolz.xml"):
        parse(BILLION_LAUGHS, "lolz.xml", "moodlexml")
    # Refused at the first <!ENTITY>, so this is milliseconds, never a hang.
    assert time.monotonic() - started < 2


def test_external_entities_are_never_resolved():
    with pytest.raises(FormatError, match="entities"):
        parse(EXTERNAL_ENTITY, "xxe.xml", "moodlexml")


def test_xml_that_is_not_well_formed_is_an_error_with_its_line():
    broken = b'<?xml version="1.0"?>\n<quiz>\n<question type="essay">\n</quiz>\n'
    with pytest.raises(FormatError, match="line 4"):
        parse(broken, "broken.xml", "moodlexml")


def test_unsupported_types_are_skipped_by_name_and_line_never_silently():
    source = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="matching"><questiontext><text>配对</text></questiontext></question>
  <question type="numerical"><questiontext><text>数值</text></questiontext></question>
  <question type="ddwtos"><questiontext><text>拖放</text></questiontext></question>
  <question type="cloze"><questiontext><text>{1:MULTICHOICE:=甲~乙}</text></questiontext>
  </question>
  <question type="description"><questiontext><text>说明</text></questiontext></question>
</quiz>""".encode()
    result = parse(source, "q.xml", "moodlexml")
    assert result.questions == [] and result.skipped == 5 and result.ok
    assert [w.location for w in result.warnings] == [
        "line 3", "line 4", "line 5", "line 6", "line 8"]
    for name, warning in zip(["matching", "numerical", "ddwtos", "MULTICHOICE",
                              "description"], result.warnings):
        assert name in warning.message


def test_a_gb18030_file_declaring_gb2312_is_read():
    source = ('<?xml version="1.0" encoding="GB2312"?>\n<quiz><question type="truefalse">'
              "<questiontext><text>罚款属于行政处罚。</text></questiontext>"
              '<answer fraction="100"><text>true</text></answer>'
              '<answer fraction="0"><text>false</text></answer></question></quiz>')
    (question,) = parse(source.encode("gb18030"), "q.xml", "moodlexml").questions
    assert question.stem == "罚款属于行政处罚。" and question.answer_bool is True
