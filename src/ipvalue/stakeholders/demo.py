"""Demo organisations and people (fictional), so that a new user sees the registry at work."""

from django.db import transaction
from django.utils import timezone

from ipvalue.countries.models import Country
from ipvalue.stakeholders import services
from ipvalue.stakeholders.models import Organisation
from ipvalue.stakeholders.taxonomy import DEFAULT_GROUP

DEMO_ORGANISATIONS = [
    # (country, type, name, Russian name, [(person, position, e-mail, status, languages)])
    ("KZ", "ip_office", "National Institute of Intellectual Property (demo)", "Национальный институт ИС (демо)",
     [("Aliya Demo", "Head of valuation unit", "aliya.demo@example.org", "engaged", ["ru", "kk", "en"])]),
    ("KZ", "bank", "Steppe Bank (demo)", "Степной банк (демо)",
     [("Timur Demo", "SME credit officer", "timur.demo@example.org", "contacted", ["ru", "kk"])]),
    ("KZ", "university", "Almaty Technical University (demo)", "Алматинский технический университет (демо)",
     [("Saule Demo", "Technology transfer officer", "saule.demo@example.org", "identified", ["ru", "en"])]),
    ("UZ", "valuation_body", "Tashkent Valuers' Chamber (demo)", "Палата оценщиков Ташкента (демо)",
     [("Dilshod Demo", "Certified valuer", "dilshod.demo@example.org", "active", ["uz", "ru"])]),
    ("UZ", "incubator", "Silk Road Incubator (demo)", "Инкубатор «Шелковый путь» (демо)",
     [("Nodira Demo", "Programme manager", "nodira.demo@example.org", "identified", ["uz", "ru", "en"])]),
]  # fmt: skip


@transaction.atomic
def demo_stakeholders_create(*, actor: object) -> int:
    """Create the demo organisations and people unless the registry already has organisations; return how many
    people were created."""
    if Organisation.objects.exists():
        return 0
    created = 0
    for iso2, kind, name, name_ru, people in DEMO_ORGANISATIONS:
        country = Country.objects.get(iso2=iso2)
        organisation = services.organisation_create(
            actor=actor, data={"name": name, "name_ru": name_ru, "type": kind, "country": country}
        )
        for full_name, position, email, status, languages in people:
            person = services.person_create(
                actor=actor,
                data={
                    "full_name": full_name,
                    "position": position,
                    "email": email,
                    "country": country,
                    "organisation": organisation,
                    "group": DEFAULT_GROUP[kind],
                    "languages": languages,
                },
            )
            services.consent_record(actor=actor, person=person, purpose="contact", granted=True, evidence="Demo data")
            if status != "identified":
                services.person_set_status(actor=actor, person=person, status=status, changed_on=timezone.localdate())
            created += 1
    return created
