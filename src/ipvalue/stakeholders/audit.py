"""Records that matter for the audit history. Erasure removes a person's entries (they hold personal data)."""

from auditlog.registry import auditlog

from ipvalue.stakeholders.models import (
    ConsentEvent,
    ErasureRecord,
    Interaction,
    Organisation,
    Partnership,
    Person,
    PersonList,
)

auditlog.register(Organisation, exclude_fields=["updated_at", "created_at"])
auditlog.register(Person, exclude_fields=["updated_at", "created_at"])
auditlog.register(Interaction)
auditlog.register(ConsentEvent)
auditlog.register(Partnership)
auditlog.register(PersonList, m2m_fields={"countries"})
auditlog.register(ErasureRecord)

# Models whose audit entries describe a person, purged when the person is erased.
PERSONAL_MODELS = (Person, Interaction, ConsentEvent)
