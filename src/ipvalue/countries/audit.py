"""Records that matter for the audit history (django-auditlog): who, when, what changed."""

from auditlog.registry import auditlog

from ipvalue.countries.models import Country, RegionalGroup, SelectionCriterion

auditlog.register(Country, exclude_fields=["updated_at", "created_at"], m2m_fields={"groups"})
auditlog.register(RegionalGroup)
auditlog.register(SelectionCriterion, exclude_fields=["updated_at"])
