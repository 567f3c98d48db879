"""Routes for the contest results, awards and trends pages (names live in the competitions namespace)."""
urlpatterns = []
