from django.contrib import admin
from django.db import models

from ipvalue.stakeholders.models import (
    ConsentEvent,
    ErasureRecord,
    Interaction,
    Organisation,
    Partnership,
    PartnershipDocument,
    Person,
    PersonList,
    StatusChange,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "type", "country"]
    list_filter = ["type", "country"]
    search_fields = ["name", "name_en", "name_ru"]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0


class InteractionInline(admin.TabularInline):
    model = Interaction
    extra = 0


class ConsentEventInline(admin.TabularInline):
    model = ConsentEvent
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """Erasure is done on the person's page in the registry, which removes the audit entries too."""

    list_display = ["full_name", "organisation", "country", "group", "status", "erased_at"]
    list_filter = ["group", "status", "country"]
    search_fields = ["full_name", "email"]
    autocomplete_fields = ["organisation"]
    inlines = [StatusChangeInline, InteractionInline, ConsentEventInline]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).filter(erased_at__isnull=True)


class PartnershipDocumentInline(admin.TabularInline):
    model = PartnershipDocument
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["organisation", "kind", "starts_on", "ends_on"]
    list_filter = ["kind"]
    autocomplete_fields = ["organisation"]
    inlines = [PartnershipDocumentInline]


@admin.register(PersonList)
class PersonListAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "created_at"]


@admin.register(ErasureRecord)
class ErasureRecordAdmin(admin.ModelAdmin):
    list_display = ["erased_at", "country", "group", "requested_on", "erased_by"]
    list_filter = ["country", "group"]
