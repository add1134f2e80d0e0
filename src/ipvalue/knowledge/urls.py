from django.urls import path

from ipvalue.knowledge import taxonomy_views, views

app_name = "knowledge"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("compare/", views.compare_view, name="compare"),
    path("practices/", views.practices_view, name="practices"),
    path("practices/<int:pk>/", views.practice_view, name="practice"),
    path("translate/<slug:kind>/<int:pk>/", views.translate_view, name="translate"),
    path("review/", views.review_view, name="review"),
    path("propose/", views.propose_view, name="propose"),
    path("propose/<slug:kind>/", views.propose_view, name="propose_kind"),
    path("taxonomy/", taxonomy_views.taxonomy_list_view, name="taxonomy"),
    path("taxonomy/export.json", taxonomy_views.taxonomy_export_view, name="taxonomy_export"),
    path("taxonomy/add/<str:kind>/", taxonomy_views.taxonomy_add_view, name="taxonomy_add"),
    path("taxonomy/<str:kind>/<slug:code>/", taxonomy_views.taxonomy_edit_view, name="taxonomy_edit"),
    path("taxonomy/<str:kind>/<slug:code>/retire/", taxonomy_views.taxonomy_retire_view, name="taxonomy_retire"),
    path("taxonomy/<str:kind>/<slug:code>/history/", taxonomy_views.taxonomy_history_view, name="taxonomy_history"),
]
