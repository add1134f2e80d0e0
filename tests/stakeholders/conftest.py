import pytest

from ipvalue.countries.models import Country
from ipvalue.stakeholders import services


@pytest.fixture
def kz_bank(secretariat):
    return services.organisation_create(
        actor=secretariat,
        data={"name": "Halyk Bank", "type": "bank", "country": Country.objects.get(iso2="KZ")},
    )


@pytest.fixture
def aigul(secretariat, kz_bank):
    return services.person_create(
        actor=secretariat,
        data={
            "full_name": "Aigul Zhaksylykova",
            "email": "aigul.zh@example.kz",
            "phone": "+7 701 555 0199",
            "position": "Head of SME lending",
            "country": Country.objects.get(iso2="KZ"),
            "organisation": kz_bank,
            "group": "finance",
            "languages": ["ru", "kk"],
            "notes": "Met Aigul Zhaksylykova at the Astana forum",
        },
    )
