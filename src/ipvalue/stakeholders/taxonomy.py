"""Organisation types and stakeholder groups, with the OECD STIP Compass target-group codes beside them.

STIP codes come from the EC-OECD STIP Compass survey codebook (2021), sheet TargetGroups; a type without a STIP
counterpart (banks, valuers, financial supervisors have none) has no code.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Languages people in the project speak (ISO 639-1): the six UN languages and those of the beneficiary countries.
SPOKEN_LANGUAGES = ("en", "fr", "es", "ru", "zh", "ar", "hy", "az", "be", "kk", "ky", "ro", "tg", "tk", "uz", "ka",
                    "uk", "de", "tr", "fa")  # fmt: skip


class StakeholderGroup(models.TextChoices):
    PUBLIC_AUTHORITIES = "public_authorities", _("Public authorities and IP offices")
    RESEARCH_EDUCATION = "research_education", _("Universities and research institutes")
    BUSINESS = "business", _("Businesses and start-ups")
    FINANCE = "finance", _("Banks, lenders and investors")
    VALUATION = "valuation", _("Valuers and their professional bodies")
    INTERMEDIARIES = "intermediaries", _("Incubators, technology transfer and industry associations")
    INTERNATIONAL = "international", _("International organisations")


class OrganisationType(models.TextChoices):
    IP_OFFICE = "ip_office", _("IP office")
    MINISTRY = "ministry", _("Ministry")
    FINANCIAL_SUPERVISOR = "financial_supervisor", _("Financial supervisor")
    UNIVERSITY = "university", _("University")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    SME = "sme", _("SME")
    STARTUP = "startup", _("Start-up")
    LARGE_FIRM = "large_firm", _("Large firm")
    BANK = "bank", _("Bank or lender")
    VALUATION_BODY = "valuation_body", _("Valuation firm or expert body")
    INCUBATOR = "incubator", _("Incubator or accelerator")
    TTO = "tto", _("Technology transfer office")
    INDUSTRY_ASSOCIATION = "industry_association", _("Industry association")
    INTERNATIONAL = "international", _("International organisation")


# OECD STIP Compass target-group code of each organisation type, where STIP has one.
STIP_TARGET_GROUP: dict[str, str] = {
    OrganisationType.IP_OFFICE: "TG23",  # Governmental entities | National government
    OrganisationType.MINISTRY: "TG23",
    OrganisationType.FINANCIAL_SUPERVISOR: "TG23",
    OrganisationType.UNIVERSITY: "TG20",  # Research and education organisations | Higher education institutes
    OrganisationType.RESEARCH_INSTITUTE: "TG21",  # Research and education organisations | Public research institutes
    OrganisationType.SME: "TG31",  # Firms by size | SMEs
    OrganisationType.STARTUP: "TG27",  # Firms by age | Young firms (1 to 5 years old)
    OrganisationType.LARGE_FIRM: "TG32",  # Firms by size | Large firms
    OrganisationType.INCUBATOR: "TG34",  # Intermediaries | Incubators, accelerators, science parks or technoparks
    OrganisationType.TTO: "TG35",  # Intermediaries | Technology transfer offices
    OrganisationType.INDUSTRY_ASSOCIATION: "TG36",  # Intermediaries | Industry associations
    OrganisationType.INTERNATIONAL: "TG40",  # Governmental entities | International entity
}

# The stakeholder group a person of each organisation type falls into unless stated otherwise.
DEFAULT_GROUP: dict[str, str] = {
    OrganisationType.IP_OFFICE: StakeholderGroup.PUBLIC_AUTHORITIES,
    OrganisationType.MINISTRY: StakeholderGroup.PUBLIC_AUTHORITIES,
    OrganisationType.FINANCIAL_SUPERVISOR: StakeholderGroup.PUBLIC_AUTHORITIES,
    OrganisationType.UNIVERSITY: StakeholderGroup.RESEARCH_EDUCATION,
    OrganisationType.RESEARCH_INSTITUTE: StakeholderGroup.RESEARCH_EDUCATION,
    OrganisationType.SME: StakeholderGroup.BUSINESS,
    OrganisationType.STARTUP: StakeholderGroup.BUSINESS,
    OrganisationType.LARGE_FIRM: StakeholderGroup.BUSINESS,
    OrganisationType.BANK: StakeholderGroup.FINANCE,
    OrganisationType.VALUATION_BODY: StakeholderGroup.VALUATION,
    OrganisationType.INCUBATOR: StakeholderGroup.INTERMEDIARIES,
    OrganisationType.TTO: StakeholderGroup.INTERMEDIARIES,
    OrganisationType.INDUSTRY_ASSOCIATION: StakeholderGroup.INTERMEDIARIES,
    OrganisationType.INTERNATIONAL: StakeholderGroup.INTERNATIONAL,
}


class MobilisationStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    CONTACTED = "contacted", _("Contacted")
    ENGAGED = "engaged", _("Engaged")
    ACTIVE = "active", _("Active")


class InteractionKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    CALL = "call", _("Call")
    EMAIL = "email", _("E-mail")
    EVENT = "event", _("Event")


class ConsentPurpose(models.TextChoices):
    CONTACT = "contact", _("Contact for the project")
    LISTING = "listing", _("Listing as a participant")
    NEWSLETTER = "newsletter", _("Newsletters")


class PartnershipKind(models.TextChoices):
    BANK = "bank", _("Bank or lender")
    EXPERT_COMMUNITY = "expert_community", _("Expert community")
    INCUBATOR = "incubator", _("Incubator or accelerator")
    UNIVERSITY = "university", _("University or research institute")
    GOVERNMENT = "government", _("Government body")
    OTHER = "other", _("Other")
