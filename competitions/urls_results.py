"""Routes for the contest results, awards and trends pages (names live in the competitions namespace)."""
from django.urls import path, register_converter

from . import views_results as views


class ImageFormat:
    regex = "png|svg"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ImageFormat, "imgfmt")

urlpatterns = [
    path("<int:contest_id>/results/", views.contest_results, name="results"),
    path("<int:contest_id>/results/event/<int:event_id>/", views.event_results,
         name="results_event"),
    path("<int:contest_id>/results/compute/", views.compute, name="results_compute"),
    path("<int:contest_id>/results/publish/", views.publish, name="results_publish"),
    path("<int:contest_id>/results/withdraw/", views.withdraw, name="results_withdraw"),
    path("<int:contest_id>/results/best-organisation/", views.best_organisation,
         name="results_best_organisation"),
    path("<int:contest_id>/results/best-organisation/certificate/",
         views.best_organisation_certificate, name="best_organisation_certificate"),
    path("<int:contest_id>/results/certificates/", views.certificates_zip,
         name="results_certificates"),
    path("<int:contest_id>/results/export/", views.export_results, name="results_export"),
    path("<int:contest_id>/results/distribution.<imgfmt:fmt>", views.distribution_chart,
         name="results_distribution"),
    path("awards/<int:award_id>/change/", views.award_override, name="award_override"),
    path("awards/<int:award_id>/certificate/", views.award_certificate,
         name="award_certificate"),
    path("awards/verify/<str:token>/", views.award_verify, name="award_verify"),
    path("awards/verify-organisation/<str:token>/", views.best_organisation_verify,
         name="best_organisation_verify"),
    path("trends/", views.trends_index, name="trends"),
    path("trends/officer/<int:officer_id>/", views.officer_trend, name="trend_officer"),
    path("trends/officer/<int:officer_id>/chart.<imgfmt:fmt>", views.officer_trend_chart,
         name="trend_officer_chart"),
    path("trends/unit/<int:unit_id>/", views.unit_trend, name="trend_unit"),
    path("trends/unit/<int:unit_id>/chart.<imgfmt:fmt>", views.unit_trend_chart,
         name="trend_unit_chart"),
    path("trends/series/", views.series_trend, name="trend_series"),
    path("trends/series/chart.<imgfmt:fmt>", views.series_trend_chart,
         name="trend_series_chart"),
    path("trends/export/", views.trend_export, name="trend_export"),
]
