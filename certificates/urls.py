from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("pdf/", views.mine_pdf, name="mine_pdf"),
    path("renew/", views.renew, name="renew"),
    path("roster/", views.roster_view, name="roster"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status/", views.change_status, name="change_status"),
    path("roster/export/", views.roster_export, name="roster_export"),
    path("roster/pdfs/", views.batch_pdf, name="batch_pdf"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:request_id>/", views.decide, name="decide"),
    path("import/", views.import_upload, name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("import/<uuid:job_id>/confirm/", views.import_confirm, name="import_confirm"),
    path("verify/<str:token>/", views.verify, name="verify"),
]
