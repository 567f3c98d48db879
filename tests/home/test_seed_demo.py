import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

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
    from content.models import (Attendance, RequirementKind, StudyRecord, StudyRequirement,
                                TrainingEventPage)
    from exams import demo as exams_demo
    from exams.models import Attempt, Exam, Question
    from home import figures

    monkeypatch.setattr(exams_demo, "HISTORY_MONTHS", 2)  # two months prove the same as 24
    call_command("seed_demo", verbosity=0)
    tables = (Question, Exam, Attempt, Certificate, TrainingEventPage, Attendance, StudyRecord)
    first = [model.objects.count() for model in tables]
    assert first[0] >= 200 and first[1] >= 4 and first[2] > 0 and first[3] > 0
    # The managers' dashboard figures: most officers meet the annual study requirement
    # (once the year's training has begun: not on 1 January before nine o'clock).
    if TrainingEventPage.objects.filter(starts_at__lte=timezone.now(),
                                        starts_at__year=timezone.localdate().year).exists():
        annual = StudyRequirement.objects.get(kind=RequirementKind.ANNUAL)
        groups = figures.study(Unit.objects.get(code="JZ"), timezone.localdate(), [annual])
        concerned = sum(g[f"req_{annual.pk}_concerned"] for g in groups.values())
        met = sum(g[f"req_{annual.pk}_met"] for g in groups.values())
        assert concerned > 250 and 0.5 * concerned <= met <= 0.85 * concerned
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
