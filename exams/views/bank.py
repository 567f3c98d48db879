"""Question-bank pages for trainers and organizers: import, template and export."""
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobs import checked_import
from people.access import role_required
from people.roles import Role

from ..forms import QuestionImportForm
from ..models import Question
from ..rendering import officer_view
from ..versions import sync_version

BANK_ROLES = (Role.TRAINER, Role.ORGANIZER)
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "moodlexml": "application/xml; charset=utf-8",
    "gift": "text/plain; charset=utf-8",
}
EXTENSIONS = {"xlsx": "xlsx", "moodlexml": "xml", "gift": "gift.txt"}


@role_required(*BANK_ROLES)
def import_questions(request):
    return checked_import.upload_view(
        request, QuestionImportForm, "exams.import_questions", "exams/import.html",
        params=lambda form: {"fmt": form.cleaned_data["format"],
                             "category": form.cleaned_data["category"]})


@require_POST
@role_required(*BANK_ROLES)
def import_confirm(request, job_id):
    return checked_import.confirm_view(
        request, job_id, ("exams.import_questions",),
        _("Only a checked file without errors can be imported."))


@role_required(*BANK_ROLES)
def preview(request, pk):
    """Show a question (its current version) exactly as a candidate sees it."""
    question = get_object_or_404(Question.objects.select_related("current_version"), pk=pk)
    version = question.current_version or sync_version(question)
    children = [child.current_version or sync_version(child)
                for child in question.sub_questions.select_related("current_version")
                .order_by("position")]
    return render(request, "exams/question_preview.html", {
        "q": officer_view(version.data),
        "children": [officer_view(child.data, number=f"({index})")
                     for index, child in enumerate(children, start=1)],
    })


@role_required(*BANK_ROLES)
def xlsx_template(request):
    from ..formats import xlsx as xlsx_format

    response = HttpResponse(xlsx_format.build_template(), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = "attachment; filename*=UTF-8''question-template.xlsx"
    return response


@role_required(*BANK_ROLES)
def export(request, fmt):
    # export_questions prefetches what it writes (a fixed number of queries).
    questions = Question.objects.top_level().order_by("category__path", "pk")
    from ..importing import export_questions

    data = export_questions(questions, fmt)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''questions-{stamp}.{EXTENSIONS[fmt]}")
    return response
