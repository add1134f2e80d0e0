from django.urls import path

from ipvalue.stakeholders import views

app_name = "stakeholders"
urlpatterns = [
    path("", views.person_list_view, name="person_list"),
    path("people/new/", views.person_create_view, name="person_create"),
    path("people/<int:pk>/", views.person_detail_view, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit_view, name="person_edit"),
    path("people/<int:pk>/status/", views.person_status_view, name="person_status"),
    path("people/<int:pk>/interactions/", views.person_interaction_view, name="person_interaction"),
    path("people/<int:pk>/consents/", views.person_consent_view, name="person_consent"),
    path("people/<int:pk>/export.json", views.person_export_view, name="person_export"),
    path("people/<int:pk>/erase/", views.person_erase_view, name="person_erase"),
    path("organisations/", views.organisation_list_view, name="organisation_list"),
    path("organisations/new/", views.organisation_edit_view, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail_view, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit_view, name="organisation_edit"),
    path("partnerships/", views.partnership_list_view, name="partnership_list"),
    path("partnerships/new/", views.partnership_edit_view, name="partnership_create"),
    path("partnerships/<int:pk>/", views.partnership_edit_view, name="partnership_edit"),
    path("documents/<int:pk>/", views.partnership_document_view, name="document"),
    path("lists/", views.saved_list_index_view, name="list_index"),
    path("lists/<int:pk>/", views.saved_list_detail_view, name="list_detail"),
    path("import/", views.import_view, name="import"),
    path("duplicates/", views.duplicates_view, name="duplicates"),
    path("coordinators/", views.coordinators_view, name="coordinators"),
]
