"""Cases are published through a two-person review: the submitter cannot approve."""
import pytest
from django.core.exceptions import PermissionDenied

from cases_library.models import CasePage
from cases_library.review import setup_review
from people.roles import Role
from tests.content import factories


@pytest.fixture
def review(study, org, people):
    index = factories.case_index()
    workflow = setup_review(index)
    second = org.person("trainer2", org.corps, Role.TRAINER, name="第二教员")
    return {"index": index, "workflow": workflow, "author": people["trainer"],
            "reviewer": second}


def submit(review):
    case = factories.case(title="待审核案例", publish=False)
    revision = case.save_revision(user=review["author"])
    review["workflow"].start(case, review["author"])
    case.refresh_from_db()
    return case, revision


def test_the_author_cannot_approve_their_own_case(review):
    case, _revision = submit(review)
    state = case.current_workflow_task_state
    task = state.task.specific
    assert task.get_actions(case, review["author"]) == []
    with pytest.raises(PermissionDenied):
        task.on_action(state, review["author"], "approve")
    assert not CasePage.objects.get(pk=case.pk).live


def test_a_second_trainer_approves_and_the_case_is_published(review, client_for):
    case, _revision = submit(review)
    state = case.current_workflow_task_state
    task = state.task.specific
    assert [name for name, *_rest in task.get_actions(case, review["reviewer"])] == [
        "reject", "approve", "approve"]
    task.on_action(state, review["reviewer"], "approve")
    case = CasePage.objects.get(pk=case.pk)
    assert case.live
    assert case.revisions.count() >= 2
    from wagtail.models import PageLogEntry

    actions = set(PageLogEntry.objects.filter(page=case).values_list("action", flat=True))
    assert {"wagtail.workflow.start", "wagtail.workflow.approve", "wagtail.publish"} <= actions


def test_the_admin_refuses_the_authors_approval(review, client_for):
    case, _revision = submit(review)
    state = case.current_workflow_task_state
    url = f"/cms/pages/workflow/action/{case.pk}/approve/{state.pk}/"
    client = client_for(review["author"])
    response = client.post(url, {"comment": ""})
    assert response.status_code in (302, 403)
    assert not CasePage.objects.get(pk=case.pk).live


def test_trainers_cannot_publish_directly(review):
    from wagtail.models import Page

    case = factories.case(title="直接发布尝试", publish=False)
    perms = Page.objects.get(pk=case.pk).permissions_for_user(review["author"])
    assert perms.can_edit() and not perms.can_publish()
