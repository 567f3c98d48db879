"""The managers' view, mounted at /manage/ (config/urls.py)."""
from django.urls import path

from . import managers

app_name = "home"
urlpatterns = [
    path("", managers.index, name="managers"),
    path("unit/<int:unit_id>/", managers.unit_dashboard, name="managers_unit"),
    path("unit/<int:unit_id>/coverage/<int:requirement_id>/", managers.coverage_gaps,
         name="managers_coverage_gaps"),
    path("unit/<int:unit_id>/absent/<str:month>/", managers.non_participants,
         name="managers_non_participants"),
    path("unit/<int:unit_id>/chart/<str:name>.<str:fmt>", managers.chart,
         name="managers_chart"),
    path("unit/<int:unit_id>/annual/", managers.annual_summary, name="managers_annual"),
    path("unit/<int:unit_id>/export/", managers.export, name="managers_export"),
    path("unit/<int:unit_id>/officers/", managers.officer_search, name="managers_officers"),
    path("officer/<int:officer_id>/", managers.officer_file, name="managers_officer_file"),
    path("officer/<int:officer_id>/export/", managers.officer_file_export,
         name="managers_officer_file_export"),
    path("reports/", managers.reports, name="managers_reports"),
    path("reports/<int:report_id>/download/", managers.report_download,
         name="managers_report_download"),
]
