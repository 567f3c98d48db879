from django.urls import path

from . import views

app_name = "content"
urlpatterns = [
    path("", views.my_study, name="my_study"),
    path("search/", views.search, name="search"),
    path("articles/<int:pk>/", views.article, name="article"),
    path("cite/", views.cite, name="cite"),
    path("pages/<int:page_id>/beat/", views.reading_beat, name="reading_beat"),
    path("pages/<int:page_id>/check/<int:question_id>/", views.self_check_answer,
         name="self_check"),
    path("lessons/<int:page_id>/complete/", views.complete_lesson, name="complete_lesson"),
    path("events/<int:page_id>/attendance/", views.event_attendance, name="event_attendance"),
    path("events/<int:page_id>/attendance/template/", views.attendance_template,
         name="attendance_template"),
    path("events/<int:page_id>/attendance/import/", views.attendance_import,
         name="attendance_import"),
    path("imports/<uuid:job_id>/confirm/", views.import_confirm,
         name="attendance_import_confirm"),
    path("imports/<uuid:job_id>/save/", views.import_confirm, name="benchmark_import_confirm"),
    path("benchmarks/template/", views.benchmark_template, name="benchmark_template"),
    path("benchmarks/<int:page_id>/export/", views.benchmark_export, name="benchmark_export"),
    path("benchmarks/<int:page_id>/import/", views.benchmark_import, name="benchmark_import"),
    path("laws/import/", views.law_import, name="law_import"),
]
