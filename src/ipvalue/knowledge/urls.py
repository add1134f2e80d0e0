from django.urls import path

from ipvalue.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("compare/", views.compare_view, name="compare"),
]
