"""The case index: filters, Chinese search, and a bounded number of queries."""
import datetime as dt
from decimal import Decimal

from tests.content import factories


def titles(client, **params):
    response = client.get("/cases/", params)
    assert response.status_code == 200
    return {case.title for case in response.context["page"]}


def test_filters_and_search(study, people, client_for):
    a = factories.case(title="某网吧接纳未成年人案")
    a.tags.add("未成年人保护")
    a.save_revision().publish()
    factories.case(title="某KTV含禁止内容曲目案", domain="entertainment",
                   violation_type="提供含有禁止内容的曲目", decided_on=dt.date(2024, 6, 1),
                   penalty_amount=Decimal("20000"), paragraphs=["某KTV点歌系统中含有禁止内容曲目。"])
    factories.case(title="某演出未经批准案", domain="performance", violation_type="未经批准举办营业性演出",
                   penalty_amount=None, paragraphs=["某公司未经批准举办营业性演出。"])
    client = client_for(people["officer"])
    assert len(titles(client)) == 3
    assert titles(client, domain="entertainment") == {"某KTV含禁止内容曲目案"}
    assert titles(client, violation="接纳未成年人") == {"某网吧接纳未成年人案"}
    assert titles(client, fine_min="10000") == {"某KTV含禁止内容曲目案"}
    assert titles(client, fine_max="10000") == {"某网吧接纳未成年人案"}
    assert titles(client, year="2024") == {"某KTV含禁止内容曲目案"}
    assert titles(client, tag="未成年人保护") == {"某网吧接纳未成年人案"}
    assert titles(client, q="点歌") == {"某KTV含禁止内容曲目案"}
    assert titles(client, q="营业性演出") == {"某演出未经批准案"}


def test_the_index_makes_a_bounded_number_of_queries(study, people, client_for,
                                                     django_assert_max_num_queries):
    for number in range(12):
        factories.case(title=f"案例{number}").tags.add(f"标签{number}")
    client = client_for(people["officer"])
    with django_assert_max_num_queries(22):
        assert client.get("/cases/").status_code == 200


def test_cases_citing_an_article_are_listed_on_the_article(study, people, client_for):
    from cases_library.models import CaseLegalBasis

    article = study["law"].articles.get(number=32)
    case = factories.case(title="从轻处罚案例")
    CaseLegalBasis.objects.create(case=case, article=article, note="主动减轻危害后果")
    draft = factories.case(title="未发布的引用案例", publish=False)
    CaseLegalBasis.objects.create(case=draft, article=article)
    page = client_for(people["officer"]).get(article.get_absolute_url()).content.decode()
    assert "从轻处罚案例" in page and "未发布的引用案例" not in page
