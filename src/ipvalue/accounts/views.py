"""Sign in, sign out, and the signed-in user's own account."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from ipvalue.accounts.forms import LoginForm, ProfileForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: object) -> HttpResponse:
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)  # type: ignore[arg-type]


@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your account was saved."))
        return redirect("accounts:profile")
    assignments = request.user.country_assignments.select_related("country")  # type: ignore[union-attr]
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "assignments": assignments},
        status=422 if request.method == "POST" else 200,
    )
