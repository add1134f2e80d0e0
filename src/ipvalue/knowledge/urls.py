from django.urls import path

from ipvalue.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("compare/", views.compare_view, name="compare"),
    path("practices/", views.practices_view, name="practices"),
    path("review/", views.review_view, name="review"),
    path("propose/", views.propose_view, name="propose"),
    path("propose/<slug:kind>/", views.propose_view, name="propose_kind"),
]
