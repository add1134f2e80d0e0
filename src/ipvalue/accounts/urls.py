from django.urls import path

from ipvalue.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile_view, name="profile"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
]
