from django.urls import path

from ipvalue.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("compare/", views.compare_view, name="compare"),
    path("review/", views.review_view, name="review"),
    path("propose/", views.propose_fact_view, name="propose"),
]
