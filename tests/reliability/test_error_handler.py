"""handler500: a lost database connection outside a view is a 503 too; other errors stay 500."""
import json

from django.db import InterfaceError, OperationalError
from django.test import RequestFactory

from ops.unavailable import server_error

rf = RequestFactory()


def raised(exc, request):
    try:
        raise exc
    except Exception:  # noqa: BLE001 - handler500 runs inside the except block
        return server_error(request)


def test_an_error_outside_a_view_is_a_503_too():
    # E.g. the session middleware saving a session after the view.
    response = raised(OperationalError("server closed the connection"), rf.get("/me/"))
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert b"<html" in response.content


def test_a_json_client_gets_json():
    request = rf.post("/exams/attempt/1/save/", "{}", content_type="application/json")
    response = raised(InterfaceError("connection already closed"), request)
    assert response.status_code == 503 and json.loads(response.content)["retry"] is True


def test_other_errors_stay_500():
    response = raised(ValueError("a bug"), rf.get("/me/"))
    assert response.status_code == 500
