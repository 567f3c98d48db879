"""The discretion benchmark page offers the Excel import only to those the import view lets
in (trainers, administrators), and labels the legal basis with the language's colon."""
import pytest

from content import benchmark_workbook as bw
from tests.content.test_benchmark import ROWS, benchmark, parse

pytestmark = pytest.mark.django_db



def test_only_trainers_and_administrators_are_offered_the_import(study, people, client_for):
    page = benchmark(study["shelf"])
    import_url = f"/study/benchmarks/{page.pk}/import/"
    for who in ("trainer", "admin", "manager", "organizer", "officer", "judge"):
        client = client_for(people[who])
        html = client.get(page.url).content.decode()
        offered = f'href="{import_url}"' in html
        allowed = client.get(import_url).status_code == 200
        assert offered == allowed, who
        assert offered is (who in ("trainer", "admin")), who


def test_the_legal_basis_label_uses_the_language_colon(study, people, client_for):
    page = benchmark(study["shelf"])
    bw.apply_benchmark(page, parse(ROWS))
    client = client_for(people["officer"])
    chinese = client.get(page.url).content.decode()
    assert "法律依据：<a href=" in chinese and "法律依据 ：" not in chinese
    english = client.get(page.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Legal basis: <a href=" in english and "Legal basis：" not in english
