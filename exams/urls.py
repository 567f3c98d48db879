from django.urls import path, re_path

from .views import bank, taking

app_name = "exams"
urlpatterns = [
    path("", taking.my_exams, name="my_exams"),
    path("<int:exam_id>/", taking.exam_start, name="exam_start"),
    path("attempt/<int:attempt_id>/begin/", taking.attempt_begin, name="attempt_begin"),
    path("attempt/<int:attempt_id>/", taking.attempt_take, name="attempt"),
    path("attempt/<int:attempt_id>/save/", taking.attempt_save, name="attempt_save"),
    path("attempt/<int:attempt_id>/event/", taking.attempt_event, name="attempt_event"),
    path("attempt/<int:attempt_id>/submit/", taking.attempt_submit, name="attempt_submit"),
    path("attempt/<int:attempt_id>/result/", taking.attempt_result, name="attempt_result"),
    # The question bank (trainers and organizers)
    path("bank/import/", bank.import_questions, name="import"),
    path("bank/import/<uuid:job_id>/confirm/", bank.import_confirm, name="import_confirm"),
    path("bank/questions/<int:pk>/preview/", bank.preview, name="preview"),
    path("bank/template.xlsx", bank.xlsx_template, name="template"),
    re_path(r"^bank/export/(?P<fmt>xlsx|moodlexml|gift)/$", bank.export, name="export"),
]

# Practice, the wrong-answer notebook and mock exams (exams/views/practice.py)
from .views import practice as practice_views  # noqa: E402

urlpatterns += [
    path("practice/", practice_views.home, name="practice"),
    path("practice/<int:category_id>/", practice_views.practise_category,
         name="practice_category"),
    path("practice/answer/", practice_views.answer, name="practice_answer"),
    path("practice/feedback/<int:answer_id>/", practice_views.feedback,
         name="practice_feedback"),
    path("notebook/", practice_views.notebook_page, name="notebook"),
    path("notebook/practice/", practice_views.notebook_practice, name="notebook_practice"),
    path("notebook/<int:entry_id>/", practice_views.notebook_entry, name="notebook_entry"),
    path("mock/<int:exam_id>/start/", practice_views.mock_start, name="mock_start"),
]

# Marking, results and the live monitor (markers, organizers and managers)
from .views import marking as marking_views  # noqa: E402
from .views import results as results_views  # noqa: E402

urlpatterns += [
    path("marking/", marking_views.queue, name="marking"),
    path("marking/exam/<int:exam_id>/", marking_views.exam_queue, name="marking_exam"),
    path("marking/exam/<int:exam_id>/question/<int:version_id>/next/", marking_views.next_item,
         name="marking_next"),
    path("marking/exam/<int:exam_id>/remark/", marking_views.remark, name="marking_remark"),
    path("marking/item/<int:item_id>/", marking_views.mark_item, name="marking_item"),
    path("marking/item/<int:item_id>/change/", marking_views.change_mark, name="marking_change"),
    path("results/", results_views.exam_list, name="results"),
    path("results/<int:exam_id>/", results_views.exam_results, name="results_exam"),
    path("results/<int:exam_id>/chart.png", results_views.distribution_chart,
         name="results_chart"),
    path("results/<int:exam_id>/items/", results_views.items, name="results_items"),
    path("results/<int:exam_id>/absent/", results_views.absentees, name="results_absent"),
    path("results/<int:exam_id>/export/", results_views.export, name="results_export"),
    path("results/<int:exam_id>/monitor/", results_views.monitor, name="results_monitor"),
    path("results/<int:exam_id>/monitor.json", results_views.monitor_data,
         name="results_monitor_data"),
]
