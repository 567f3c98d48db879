"""Two-person review of typical cases: draft → review by a second trainer → publish."""
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Workflow, WorkflowPage, WorkflowTask

from people.roles import Role

from .models import TwoPersonReviewTask

WORKFLOW_NAME = "典型案例双人审核"
TASK_NAME = "第二名教员审核"


@transaction.atomic
def setup_review(index_page):
    """Put the case library under two-person review; trainers may draft but not publish.

    Safe to run again. Returns the workflow.
    """
    trainers, _created = Group.objects.get_or_create(name=Role.TRAINER)
    task = TwoPersonReviewTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = TwoPersonReviewTask.objects.create(name=TASK_NAME)
    task.groups.add(trainers)
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=index_page, defaults={"workflow": workflow})
    for codename in ("add_page", "change_page"):
        permission = Permission.objects.get(content_type__app_label="wagtailcore",
                                            codename=codename)
        GroupPagePermission.objects.get_or_create(group=trainers, page=index_page,
                                                  permission=permission)
    return workflow
