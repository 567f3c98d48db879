import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from people.models import Officer, Unit
from people.roles import Role, user_roles


def counts():
    return (Unit.objects.count(), Officer.objects.count(), get_user_model().objects.count())


@pytest.mark.django_db
def test_seed_demo_builds_the_organisation_and_is_idempotent():
    call_command("seed_demo", "--only", "people", verbosity=0)
    first = counts()
    assert first[0] == 1 + 4 + 12
    assert 280 <= first[1] <= 320
    call_command("seed_demo", "--only", "people", verbosity=0)
    assert counts() == first


@pytest.mark.django_db
@pytest.mark.slow
def test_the_whole_demo_is_idempotent(monkeypatch):
    from certificates.models import Certificate
    from exams import demo as exams_demo
    from exams.models import Attempt, Exam, Question

    monkeypatch.setattr(exams_demo, "HISTORY_MONTHS", 2)  # two months prove the same as 24
    call_command("seed_demo", verbosity=0)
    tables = (Question, Exam, Attempt, Certificate)
    first = [model.objects.count() for model in tables]
    assert first[0] >= 200 and first[1] >= 4 and first[2] > 0 and first[3] > 0
    call_command("seed_demo", verbosity=0)
    assert [model.objects.count() for model in tables] == first


@pytest.mark.django_db
def test_seed_demo_creates_one_account_per_role_with_the_known_password():
    from people.demo import DEMO_PASSWORD

    call_command("seed_demo", "--only", "people", verbosity=0)
    User = get_user_model()
    for role in Role:
        user = User.objects.get(username=role.value)
        assert user.check_password(DEMO_PASSWORD)
        assert role in user_roles(user)
        assert user.officer.unit.code.startswith("JZ")


@pytest.mark.django_db
def test_seed_demo_refuses_a_production_database(monkeypatch):
    from django.core.management.base import CommandError

    monkeypatch.setenv("LIANBING_PRODUCTION", "1")
    with pytest.raises(CommandError):
        call_command("seed_demo", verbosity=0)
    assert Unit.objects.count() == 0
