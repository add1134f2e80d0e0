from django.urls import path

from ipvalue.countries import views

app_name = "countries"
urlpatterns = [
    path("", views.country_list_view, name="list"),
    path("<str:iso2>/", views.country_detail_view, name="detail"),
    path("<str:iso2>/selection/", views.country_selection_edit_view, name="selection_edit"),
    path("<str:iso2>/history/", views.country_history_view, name="history"),
]
