"""Build ``src/ipvalue/countries/data/member_states.json``: WIPO member states and regional groups.

The member list, the English names and the regional groups are kept by hand below. ISO alpha-3 and
numeric codes come from ``pycountry``; French, Spanish, Russian, Chinese (simplified) and Arabic
names come from Unicode CLDR through ``babel``. Run with ``python tools/build_member_states.py``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import babel
import pycountry
from babel import Locale

REPO_ROOT = Path(__file__).resolve().parent.parent
OUTPUT = REPO_ROOT / "src" / "ipvalue" / "countries" / "data" / "member_states.json"

CHECKED_ON = "2026-11-27"
EXPECTED_COUNT = 193

# Output language code -> Babel locale identifier (English is hand-kept, not taken from CLDR).
CLDR_LANGUAGES: dict[str, str] = {
    "fr": "fr",
    "es": "es",
    "ru": "ru",
    "zh-hans": "zh_Hans",
    "ar": "ar",
}
LANGUAGES: tuple[str, ...] = ("en", *CLDR_LANGUAGES)

# WIPO member states: the UN member states except FM, PW and SS, plus CK, NU and VA.
# English short names as WIPO / the UN write them.
MEMBER_STATES: dict[str, str] = {
    "AD": "Andorra",
    "AE": "United Arab Emirates",
    "AF": "Afghanistan",
    "AG": "Antigua and Barbuda",
    "AL": "Albania",
    "AM": "Armenia",
    "AO": "Angola",
    "AR": "Argentina",
    "AT": "Austria",
    "AU": "Australia",
    "AZ": "Azerbaijan",
    "BA": "Bosnia and Herzegovina",
    "BB": "Barbados",
    "BD": "Bangladesh",
    "BE": "Belgium",
    "BF": "Burkina Faso",
    "BG": "Bulgaria",
    "BH": "Bahrain",
    "BI": "Burundi",
    "BJ": "Benin",
    "BN": "Brunei Darussalam",
    "BO": "Bolivia (Plurinational State of)",
    "BR": "Brazil",
    "BS": "Bahamas",
    "BT": "Bhutan",
    "BW": "Botswana",
    "BY": "Belarus",
    "BZ": "Belize",
    "CA": "Canada",
    "CD": "Democratic Republic of the Congo",
    "CF": "Central African Republic",
    "CG": "Congo",
    "CH": "Switzerland",
    "CI": "Côte d'Ivoire",
    "CK": "Cook Islands",
    "CL": "Chile",
    "CM": "Cameroon",
    "CN": "China",
    "CO": "Colombia",
    "CR": "Costa Rica",
    "CU": "Cuba",
    "CV": "Cabo Verde",
    "CY": "Cyprus",
    "CZ": "Czech Republic",
    "DE": "Germany",
    "DJ": "Djibouti",
    "DK": "Denmark",
    "DM": "Dominica",
    "DO": "Dominican Republic",
    "DZ": "Algeria",
    "EC": "Ecuador",
    "EE": "Estonia",
    "EG": "Egypt",
    "ER": "Eritrea",
    "ES": "Spain",
    "ET": "Ethiopia",
    "FI": "Finland",
    "FJ": "Fiji",
    "FR": "France",
    "GA": "Gabon",
    "GB": "United Kingdom",
    "GD": "Grenada",
    "GE": "Georgia",
    "GH": "Ghana",
    "GM": "Gambia",
    "GN": "Guinea",
    "GQ": "Equatorial Guinea",
    "GR": "Greece",
    "GT": "Guatemala",
    "GW": "Guinea-Bissau",
    "GY": "Guyana",
    "HN": "Honduras",
    "HR": "Croatia",
    "HT": "Haiti",
    "HU": "Hungary",
    "ID": "Indonesia",
    "IE": "Ireland",
    "IL": "Israel",
    "IN": "India",
    "IQ": "Iraq",
    "IR": "Iran (Islamic Republic of)",
    "IS": "Iceland",
    "IT": "Italy",
    "JM": "Jamaica",
    "JO": "Jordan",
    "JP": "Japan",
    "KE": "Kenya",
    "KG": "Kyrgyzstan",
    "KH": "Cambodia",
    "KI": "Kiribati",
    "KM": "Comoros",
    "KN": "Saint Kitts and Nevis",
    "KP": "Democratic People's Republic of Korea",
    "KR": "Republic of Korea",
    "KW": "Kuwait",
    "KZ": "Kazakhstan",
    "LA": "Lao People's Democratic Republic",
    "LB": "Lebanon",
    "LC": "Saint Lucia",
    "LI": "Liechtenstein",
    "LK": "Sri Lanka",
    "LR": "Liberia",
    "LS": "Lesotho",
    "LT": "Lithuania",
    "LU": "Luxembourg",
    "LV": "Latvia",
    "LY": "Libya",
    "MA": "Morocco",
    "MC": "Monaco",
    "MD": "Republic of Moldova",
    "ME": "Montenegro",
    "MG": "Madagascar",
    "MH": "Marshall Islands",
    "MK": "North Macedonia",
    "ML": "Mali",
    "MM": "Myanmar",
    "MN": "Mongolia",
    "MR": "Mauritania",
    "MT": "Malta",
    "MU": "Mauritius",
    "MV": "Maldives",
    "MW": "Malawi",
    "MX": "Mexico",
    "MY": "Malaysia",
    "MZ": "Mozambique",
    "NA": "Namibia",
    "NE": "Niger",
    "NG": "Nigeria",
    "NI": "Nicaragua",
    "NL": "Netherlands (Kingdom of the)",
    "NO": "Norway",
    "NP": "Nepal",
    "NR": "Nauru",
    "NU": "Niue",
    "NZ": "New Zealand",
    "OM": "Oman",
    "PA": "Panama",
    "PE": "Peru",
    "PG": "Papua New Guinea",
    "PH": "Philippines",
    "PK": "Pakistan",
    "PL": "Poland",
    "PT": "Portugal",
    "PY": "Paraguay",
    "QA": "Qatar",
    "RO": "Romania",
    "RS": "Serbia",
    "RU": "Russian Federation",
    "RW": "Rwanda",
    "SA": "Saudi Arabia",
    "SB": "Solomon Islands",
    "SC": "Seychelles",
    "SD": "Sudan",
    "SE": "Sweden",
    "SG": "Singapore",
    "SI": "Slovenia",
    "SK": "Slovakia",
    "SL": "Sierra Leone",
    "SM": "San Marino",
    "SN": "Senegal",
    "SO": "Somalia",
    "SR": "Suriname",
    "ST": "Sao Tome and Principe",
    "SV": "El Salvador",
    "SY": "Syrian Arab Republic",
    "SZ": "Eswatini",
    "TD": "Chad",
    "TG": "Togo",
    "TH": "Thailand",
    "TJ": "Tajikistan",
    "TL": "Timor-Leste",
    "TM": "Turkmenistan",
    "TN": "Tunisia",
    "TO": "Tonga",
    "TR": "Türkiye",
    "TT": "Trinidad and Tobago",
    "TV": "Tuvalu",
    "TZ": "United Republic of Tanzania",
    "UA": "Ukraine",
    "UG": "Uganda",
    "US": "United States of America",
    "UY": "Uruguay",
    "UZ": "Uzbekistan",
    "VA": "Holy See",
    "VC": "Saint Vincent and the Grenadines",
    "VE": "Venezuela (Bolivarian Republic of)",
    "VN": "Viet Nam",
    "VU": "Vanuatu",
    "WS": "Samoa",
    "YE": "Yemen",
    "ZA": "South Africa",
    "ZM": "Zambia",
    "ZW": "Zimbabwe",
}

# WIPO regional groups: code -> names in the six languages (order here is the output order).
REGIONAL_GROUPS: dict[str, dict[str, str]] = {
    "AFRICAN": {
        "en": "African Group",
        "fr": "Groupe des pays africains",
        "es": "Grupo Africano",
        "ru": "Группа африканских государств",
        "zh-hans": "非洲集团",
        "ar": "المجموعة الأفريقية",
    },
    "APG": {
        "en": "Asia and the Pacific Group",
        "fr": "Groupe des pays d'Asie et du Pacifique",
        "es": "Grupo de Asia y el Pacífico",
        "ru": "Группа государств Азии и Тихого океана",
        "zh-hans": "亚洲及太平洋集团",
        "ar": "مجموعة آسيا والمحيط الهادئ",
    },
    "CACEEC": {
        "en": "Group of Central Asian, Caucasus and Eastern European Countries",
        "fr": "Groupe des pays d'Asie centrale, du Caucase et d'Europe orientale",
        "es": "Grupo de Países de Asia Central, el Cáucaso y Europa Oriental",
        "ru": "Группа стран Центральной Азии, Кавказа и Восточной Европы",
        "zh-hans": "中亚、高加索和东欧国家集团",
        "ar": "مجموعة بلدان آسيا الوسطى والقوقاز وأوروبا الشرقية",
    },
    "CEBS": {
        "en": "Group of Central European and Baltic States",
        "fr": "Groupe des pays d'Europe centrale et des États baltes",
        "es": "Grupo de Estados de Europa Central y el Báltico",
        "ru": "Группа государств Центральной Европы и Балтии",
        "zh-hans": "中欧和波罗的海国家集团",
        "ar": "مجموعة دول أوروبا الوسطى والبلطيق",
    },
    "GRULAC": {
        "en": "Group of Latin American and Caribbean Countries",
        "fr": "Groupe des pays d'Amérique latine et des Caraïbes",
        "es": "Grupo de Países de América Latina y el Caribe",
        "ru": "Группа стран Латинской Америки и Карибского бассейна",
        "zh-hans": "拉丁美洲和加勒比国家集团",
        "ar": "مجموعة بلدان أمريكا اللاتينية والكاريبي",
    },
    "B": {
        "en": "Group B",
        "fr": "Groupe B",
        "es": "Grupo B",
        "ru": "Группа B",
        "zh-hans": "B集团",
        "ar": "المجموعة باء",
    },
    "CHINA": {
        "en": "China",
        "fr": "Chine",
        "es": "China",
        "ru": "Китай",
        "zh-hans": "中国",
        "ar": "الصين",
    },
}

# Membership of each regional group (ISO alpha-2). A state may sit in more than one group.
GROUP_MEMBERS: dict[str, tuple[str, ...]] = {
    "AFRICAN": (
        "AO", "BF", "BI", "BJ", "BW", "CD", "CF", "CG", "CI", "CM", "CV", "DJ", "DZ", "EG", "ER", "ET",
        "GA", "GH", "GM", "GN", "GQ", "GW", "KE", "KM", "LR", "LS", "LY", "MA", "MG", "ML", "MR", "MU",
        "MW", "MZ", "NA", "NE", "NG", "RW", "SC", "SD", "SL", "SN", "SO", "ST", "SZ", "TD", "TG", "TN",
        "TZ", "UG", "ZA", "ZM", "ZW",
    ),
    "APG": (
        "AE", "AF", "BD", "BH", "BN", "BT", "CK", "CY", "FJ", "ID", "IN", "IQ", "IR", "JO", "KH", "KI",
        "KP", "KR", "KW", "LA", "LB", "LK", "MH", "MM", "MN", "MV", "MY", "NP", "NR", "NU", "OM", "PG",
        "PH", "PK", "QA", "SA", "SB", "SG", "SY", "TH", "TL", "TO", "TV", "VN", "VU", "WS", "YE",
    ),
    "CACEEC": ("AM", "AZ", "BY", "KG", "KZ", "MD", "RU", "TJ", "TM", "UZ"),
    "CEBS": (
        "AL", "BA", "BG", "CZ", "EE", "GE", "HR", "HU", "LT", "LV", "ME", "MK", "PL", "RO", "RS", "SI",
        "SK", "UA",
    ),
    "GRULAC": (
        "AG", "AR", "BB", "BO", "BR", "BS", "BZ", "CL", "CO", "CR", "CU", "DM", "DO", "EC", "GD", "GT",
        "GY", "HN", "HT", "JM", "KN", "LC", "MX", "NI", "PA", "PE", "PY", "SR", "SV", "TT", "UY", "VC",
        "VE",
    ),
    "B": (
        "AD", "AT", "AU", "BE", "CA", "CH", "CY", "DE", "DK", "ES", "FI", "FR", "GB", "GR", "IE", "IL",
        "IS", "IT", "JP", "LI", "LU", "MC", "MT", "NL", "NO", "NZ", "PT", "SE", "SM", "TR", "US", "VA",
    ),
    "CHINA": ("CN",),
}  # fmt: skip


class DataError(RuntimeError):
    """Raised when the hand-kept or library data fail a consistency check."""


def check(condition: bool, message: str) -> None:
    """Fail loudly (also under ``python -O``, unlike ``assert``)."""
    if not condition:
        raise DataError(message)


def validate_hand_kept() -> None:
    """Check the hand-kept member list and group memberships against each other."""
    check(len(MEMBER_STATES) == EXPECTED_COUNT, f"expected {EXPECTED_COUNT} states, got {len(MEMBER_STATES)}")
    check(set(GROUP_MEMBERS) == set(REGIONAL_GROUPS), "GROUP_MEMBERS and REGIONAL_GROUPS disagree on codes")
    for code, members in GROUP_MEMBERS.items():
        check(len(members) == len(set(members)), f"group {code} lists a state twice")
        unknown = sorted(set(members) - set(MEMBER_STATES))
        check(not unknown, f"group {code} lists non-member codes: {unknown}")
    for code, names in REGIONAL_GROUPS.items():
        missing = [lang for lang in LANGUAGES if not names.get(lang, "").strip()]
        check(not missing, f"group {code} has no name in {missing}")


def build_states(locales: dict[str, Locale]) -> list[dict[str, Any]]:
    """Assemble one record per member state, sorted by ISO alpha-2 code."""
    states: list[dict[str, Any]] = []
    for iso2 in sorted(MEMBER_STATES):
        country = pycountry.countries.get(alpha_2=iso2)
        check(country is not None, f"pycountry does not know {iso2}")
        names = {"en": MEMBER_STATES[iso2]}
        for lang, locale in locales.items():
            names[lang] = locale.territories.get(iso2, "")
        missing = [lang for lang in LANGUAGES if not names.get(lang, "").strip()]
        check(not missing, f"{iso2} has no name in {missing}")
        groups = [code for code, members in GROUP_MEMBERS.items() if iso2 in members]
        check(bool(groups), f"{iso2} is in no regional group")
        states.append(
            {
                "iso2": iso2,
                "iso3": country.alpha_3,
                "numeric": country.numeric,
                "names": names,
                "groups": groups,
            }
        )
    check(len(states) == EXPECTED_COUNT, f"expected {EXPECTED_COUNT} states, built {len(states)}")
    check(len({s["iso3"] for s in states}) == EXPECTED_COUNT, "duplicate alpha-3 codes")
    check(len({s["numeric"] for s in states}) == EXPECTED_COUNT, "duplicate numeric codes")
    return states


def build() -> dict[str, Any]:
    """Return the whole document written to ``member_states.json``."""
    validate_hand_kept()
    locales = {lang: Locale.parse(ident) for lang, ident in CLDR_LANGUAGES.items()}
    return {
        "source": {
            "member_states": "WIPO member states (wipo.int/members), compiled from WIPO's published list",
            "names_en": "Short names as used by WIPO and the United Nations, kept by hand",
            "names_other": f"Unicode CLDR via Babel {babel.__version__}",
            "regional_groups": "WIPO regional groups as used in WIPO Assemblies documents, kept by hand",
            "checked_on": CHECKED_ON,
        },
        "regional_groups": [{"code": code, "names": names} for code, names in REGIONAL_GROUPS.items()],
        "member_states": build_states(locales),
    }


def main() -> int:
    """Build the data and write it to :data:`OUTPUT`."""
    document = build()
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    counts = {code: len(members) for code, members in GROUP_MEMBERS.items()}
    print(f"wrote {OUTPUT} ({len(document['member_states'])} states; groups: {counts})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
