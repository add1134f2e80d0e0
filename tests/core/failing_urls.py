"""A URLconf with a view that fails, to test the server-error page."""

from django.urls import path


def failing_view(request):
    return 1 / 0


urlpatterns = [path("boom/", failing_view)]
