from django.urls import path

from . import views

app_name = "cases_library"
urlpatterns = [
    path("", views.case_index, name="index"),
    path("<int:page_id>/annotations/", views.add_annotation, name="add_annotation"),
    path("annotations/<int:pk>/delete/", views.delete_annotation, name="delete_annotation"),
]
