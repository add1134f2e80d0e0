from django.contrib import admin

from ipvalue.countries.models import Country, RegionalGroup, SelectionCriterion

REFERENCE_FIELDS = [
    "iso2",
    "iso3",
    "numeric",
    "name_en",
    "name_fr",
    "name_es",
    "name_ru",
    "name_zh_hans",
    "name_ar",
]


class SelectionCriterionInline(admin.StackedInline):
    model = SelectionCriterion
    extra = 0


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    """Codes, names and groups are reference data (``ipvalue load_reference_data``): read-only here."""

    list_display = ["iso2", "iso3", "name_en", "is_beneficiary"]
    list_filter = ["is_beneficiary", "groups"]
    search_fields = ["iso2", "iso3", "name_en", "name_fr", "name_es", "name_ru", "name_zh_hans", "name_ar"]
    readonly_fields = [*REFERENCE_FIELDS, "groups"]
    fields = [*REFERENCE_FIELDS, "groups", "is_beneficiary"]
    inlines = [SelectionCriterionInline]


@admin.register(RegionalGroup)
class RegionalGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en"]
    readonly_fields = ["code", "name_en", "name_fr", "name_es", "name_ru", "name_zh_hans", "name_ar"]
