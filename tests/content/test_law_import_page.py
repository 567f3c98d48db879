"""The law-import page: a trainer uploads a statute's plain text and gets its articles;
a faulty text is refused with the line of each problem."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from content.lawtext import INFO_END, LawTextError, parse_law
from content.models import Article, LawPage

from . import factories

URL = reverse("content:law_import")
NAME = "互联网上网服务营业场所管理条例"


def plain_text(prefix=NAME):
    """The statute as a trainer would paste it from a government site: no Markdown marks."""
    lines = factories.law_file(prefix).read_text(encoding="utf-8").splitlines()
    return "\n".join(line.lstrip("#").strip() for line in lines if line.strip() != INFO_END)


def upload(text, name="law.txt", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/plain")


def line_of(text, start):
    """Return the 1-based number of the line of `text` that starts with `start`."""
    return next(number for number, line in enumerate(text.split("\n"), start=1)
                if line.startswith(start))


@pytest.fixture
def shelf(db):
    return factories.shelf()


def post(client, shelf, text, **extra):
    return client.post(URL, {"shelf": shelf.pk, "file": upload(text, **extra),
                             "short_title": "上网服务营业场所条例", "issuing_body": "国务院"})


def test_a_trainer_imports_a_plain_text_law_into_chapters_and_articles(people, client_for,
                                                                      shelf):
    client = client_for(people["trainer"])
    assert client.get(URL).status_code == 200
    text = plain_text()
    assert "#" not in text and INFO_END not in text
    response = post(client, shelf, text)
    law = LawPage.objects.get()
    assert response.status_code == 302 and response["Location"] == law.url
    assert law.title == NAME and law.live and law.issuing_body == "国务院"
    assert "2002年9月29日" in law.preamble  # the history lines before 第一章
    assert law.articles.count() == 38
    chapters = list(dict.fromkeys(law.articles.values_list("chapter", flat=True)))
    assert chapters == ["第一章 总则", "第二章 设立", "第三章 经营", "第四章 罚则", "第五章 附则"]
    article = law.articles.get(number=21)
    source = next(line for line in text.split("\n") if line.startswith("第二十一条"))
    # Its first paragraph (款) follows 第二十一条 on the same line; the second is its own line.
    assert article.paragraphs[0] == source.removeprefix("第二十一条").strip()
    assert len(article.paragraphs) == 2 and "禁入标志" in article.paragraphs[1]
    assert article.citation == "《上网服务营业场所条例》第二十一条"
    assert article.chapter == "第三章 经营"
    page = client.get(law.url).content.decode()
    assert "第二十一条" in page and all(p in page for p in article.paragraphs)


def test_a_missing_article_is_refused_naming_its_line(people, client_for, shelf):
    text = plain_text()
    lines = text.split("\n")
    missing = line_of(text, "第二十二条")
    text = "\n".join(lines[:missing - 1] + lines[missing:])
    response = post(client_for(people["trainer"]), shelf, text)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1
    assert str(line_of(text, "第二十三条")) in errors[0]
    assert "第二十三条" in errors[0] and "第二十一条" in errors[0] and "第二十二条" in errors[0]
    assert errors[0] in response.content.decode()
    assert not LawPage.objects.exists() and not Article.objects.exists()


def test_each_problem_is_named_with_its_line(people, client_for, shelf):
    text = plain_text()
    # A repeated article, and a chapter heading that skips a number.
    repeated = next(line for line in text.split("\n") if line.startswith("第五条"))
    text = text.replace(repeated, repeated + "\n" + repeated, 1)
    text = text.replace("第四章 罚 则", "第六章 罚 则").replace("第四章 罚则", "第六章 罚则")
    with pytest.raises(LawTextError) as caught:
        parse_law(text)
    problems = caught.value.problems
    first, second = [number for number, line in enumerate(text.split("\n"), start=1)
                     if line == repeated]
    assert problems[0][0] == second and str(first) in problems[0][1]
    assert "第五条" in problems[0][1]
    chapter_line = line_of(text, "第六章")
    assert problems[1][0] == chapter_line and "第六章" in problems[1][1]
    assert "第三章" in problems[1][1]
    # 第五章 is then out of step with 第六章 too: the trainer sees both lines.
    assert problems[2][0] == line_of(text, "第五章") and len(problems) == 3
    response = post(client_for(people["trainer"]), shelf, text)
    errors = response.context["form"].errors["file"]
    assert [f"{line}" in error for (line, _m), error in zip(problems, errors)] == [True] * 3
    assert not LawPage.objects.exists()


def test_a_text_without_articles_or_in_another_encoding_is_refused(people, client_for,
                                                                   shelf):
    client = client_for(people["trainer"])
    response = post(client, shelf, "关于加强文化市场执法的通知\n各支队：\n请认真贯彻落实。")
    assert "第X条" in response.context["form"].errors["file"][0]
    response = post(client, shelf, plain_text(), encoding="gb18030")
    assert "UTF-8" in response.context["form"].errors["file"][0]
    assert not LawPage.objects.exists()


def test_the_law_must_start_at_the_first_article(shelf):
    text = plain_text()
    first = line_of(text, "第一条")
    lines = text.split("\n")
    with pytest.raises(LawTextError) as caught:
        parse_law("\n".join(lines[:first - 1] + lines[first:]))
    assert caught.value.problems[0][0] == first + 1  # the blank line kept the numbering
    assert "第二条" in caught.value.problems[0][1]


def test_only_trainers_import_laws(people, client_for, shelf):
    for role in ("officer", "manager", "judge"):
        assert client_for(people[role]).get(URL).status_code == 403
    assert client_for(people["officer"]).post(
        URL, {"shelf": shelf.pk, "file": upload(plain_text())}).status_code == 403
    assert not LawPage.objects.exists()
