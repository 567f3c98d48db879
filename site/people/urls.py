from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.officer_list, name="officer_list"),
    path("roster/template/", views.roster_template, name="roster_template"),
    path("roster/import/", views.roster_import, name="roster_import"),
    path("roster/import/<uuid:job_id>/confirm/", views.roster_import_confirm,
         name="roster_import_confirm"),
    path("roster/export/", views.roster_export, name="roster_export"),
]
