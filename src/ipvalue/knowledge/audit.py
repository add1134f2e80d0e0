"""Every change to the knowledge base is in the audit history (who, when, what)."""

from auditlog.registry import auditlog

from ipvalue.knowledge.models import Fact, Institution, Obstacle, Practice, Term

auditlog.register(Term)
auditlog.register(Fact, exclude_fields=["updated_at", "created_at"])
auditlog.register(Practice, exclude_fields=["updated_at", "created_at"], m2m_fields={"methods"})
auditlog.register(Obstacle, exclude_fields=["updated_at", "created_at"])
auditlog.register(Institution, exclude_fields=["updated_at", "created_at"])
