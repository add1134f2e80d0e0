from django.urls import path

from ipvalue.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list_view, name="list"),
    path("example.xlsx", views.starter_xlsform_view, name="starter"),
    path("<int:pk>/", views.survey_detail_view, name="detail"),
    path("<int:pk>/do/<str:action>/", views.survey_action_view, name="action"),
    path("<int:pk>/xlsform/", views.survey_xlsform_view, name="xlsform"),
    path("<int:pk>/progress/", views.progress_view, name="progress"),
    path("<int:pk>/campaign/<str:action>/", views.campaign_action_view, name="campaign"),
    path("<int:pk>/export/", views.export_view, name="export"),
    path("exports/<str:key>/", views.export_download_view, name="export_download"),
    path("<int:pk>/preview/", views.survey_preview_view, name="preview"),
    path("<int:pk>/translate/", views.translate_view, name="translate"),
    path("<int:pk>/questions/<str:name>/", views.question_edit_view, name="question"),
    path("<int:pk>/responses/<int:response_id>/", views.response_detail_view, name="response"),
    path("<int:pk>/files/<str:key>/", views.response_file_staff_view, name="staff_file"),
    path("r/<str:token>/", views.respond_view, name="respond"),
    path("r/<str:token>/files/<str:key>/", views.response_file_view, name="file"),
    path("r/<str:token>/stop/", views.opt_out_view, name="opt_out"),
    path("s/<str:public_token>/", views.open_survey_view, name="open"),
]
