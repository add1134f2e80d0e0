"""The administration of the knowledge base's records. The taxonomy is edited on its own pages
(``/LANG/knowledge/taxonomy/``, which check what is in use and version each change): here terms are read only and never
deleted; reviews go through ``services.record_review`` on the review page."""

from typing import Any

from django.contrib import admin
from django.db import models

from ipvalue.knowledge.models import Fact, Institution, Obstacle, Practice, Term


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "category", "value_type", "active", "version"]
    list_filter = ["kind", "category", "active"]
    search_fields = ["code"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Fact)
class FactAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["country", "provision", "value", "status", "confidence", "is_demo", "reviewed_at"]
    list_filter = ["status", "confidence", "is_demo", "provision", "country"]
    readonly_fields = ["entered_by", "reviewed_by", "reviewed_at", "origin_response"]


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["__str__", "country", "instrument", "year", "outcome", "status", "is_demo"]
    list_filter = ["status", "outcome", "is_demo", "instrument", "country"]
    readonly_fields = ["entered_by", "reviewed_by", "reviewed_at", "origin_response"]


@admin.register(Obstacle)
class ObstacleAdmin(admin.ModelAdmin):
    list_display = ["country", "type", "severity", "status", "is_demo"]
    list_filter = ["status", "is_demo", "type", "country"]
    readonly_fields = ["entered_by", "reviewed_by", "reviewed_at"]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["__str__", "country", "kind", "status", "is_demo"]
    list_filter = ["status", "is_demo", "kind", "country"]
    readonly_fields = ["entered_by", "reviewed_by", "reviewed_at", "origin_response"]
