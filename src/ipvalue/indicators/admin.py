from django.contrib import admin

from ipvalue.indicators.models import ImportRecord, Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "worldbank_code", "kind", "position"]
    readonly_fields = ["code", "worldbank_code", "wipo_keys"]


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    list_display = ["filename", "source", "publisher_updated", "imported_at", "imported_by"]
    list_filter = ["source"]
    readonly_fields = [field.name for field in ImportRecord._meta.fields]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False
