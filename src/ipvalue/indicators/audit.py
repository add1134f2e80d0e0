"""Imports of statistics are in the audit history (who, when, which file). Observations are written in bulk, which
bypasses the audit log's signals: each import keeps the values it changed (old and new) in ``ImportRecord.changes``,
and every observation points at the import that last read it."""

from auditlog.registry import auditlog

from ipvalue.indicators.models import ImportRecord, Indicator

auditlog.register(ImportRecord, exclude_fields=["changes"])
auditlog.register(Indicator)
