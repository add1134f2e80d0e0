from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from ipvalue.accounts.models import CountryAssignment, User


class CountryAssignmentInline(admin.TabularInline):
    model = CountryAssignment
    extra = 0
    autocomplete_fields = ["country"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active", "is_staff", "is_superuser"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Role in the project"), {"fields": ["role", "preferred_language"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Role in the project"), {"fields": ["email", "role", "preferred_language"]}),
    ]
    inlines = [CountryAssignmentInline]


@admin.register(CountryAssignment)
class CountryAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "country", "starts_on", "ends_on"]
    list_filter = ["country"]
    autocomplete_fields = ["user", "country"]
