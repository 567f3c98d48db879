"""Contest pages; the setup/registration/judging routes and the results routes live apart."""
from django.urls import include, path

app_name = "competitions"
urlpatterns = [
    path("", include("competitions.urls_contests")),
    path("", include("competitions.urls_results")),
]
