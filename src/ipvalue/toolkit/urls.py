from django.urls import path

from ipvalue.toolkit import views

app_name = "toolkit"
urlpatterns = [
    path("", views.start_view, name="start"),
    path("value/<str:method>/", views.method_view, name="method"),
    path("result/", views.result_view, name="result"),
    path("result/save/", views.save_last_view, name="save_last"),
    path("result/report/", views.result_report_view, name="result_report"),
    path("scorecard/", views.scorecard_view, name="scorecard"),
    path("valuations/", views.saved_list_view, name="saved_list"),
    path("reconcile/", views.reconcile_view, name="reconcile"),
    path("valuations/<int:pk>/", views.saved_detail_view, name="saved_detail"),
    path("valuations/<int:pk>/edit/<str:method>/", views.method_view, name="saved_edit"),
    path("valuations/<int:pk>/do/<str:action>/", views.saved_action_view, name="saved_action"),
    path("valuations/<int:pk>/report/", views.saved_report_view, name="saved_report"),
    path("shared/<str:token>/", views.shared_view, name="shared"),
    path("shared/<str:token>/report/", views.shared_report_view, name="shared_report"),
]
