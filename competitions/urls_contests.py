"""Routes for the contest set-up, registration and judging pages (names live in the competitions namespace)."""
urlpatterns = []
