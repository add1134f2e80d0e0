"""Records that matter for the audit history (django-auditlog): who, when, what changed."""

from auditlog.registry import auditlog

from ipvalue.accounts.models import CountryAssignment, User

auditlog.register(User, exclude_fields=["password", "last_login"], m2m_fields={"groups"})
auditlog.register(CountryAssignment)
