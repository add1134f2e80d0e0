import pytest
from django.utils import translation
from pydantic import ValidationError

from ipvalue.toolkit.inputs import InputError, engine_errors, field_specs, parse_form, parse_number, parse_numbers
from ipvalue.valuation import METHODS, valuate


@pytest.mark.parametrize(
    ("text", "value"),
    [("0.05", 0.05), ("0,05", 0.05), ("5%", 0.05), ("12,5 %", 0.125), ("1 200 000", 1_200_000.0),
     ("1,200,000.5", 1_200_000.5), ("-3", -3.0), ("1e3", 1000.0), ("1\u00a0000", 1000.0)],
)  # fmt: skip
def test_numbers_as_people_type_them(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["abc", "1.2.3", "", "5%%", "--2"])
def test_not_numbers(text):
    with pytest.raises(InputError):
        parse_number(text)


def test_lists_and_rows():
    assert parse_numbers("100 200\n300") == [100, 200, 300]
    assert parse_numbers("100,200,300") == [100, 200, 300]
    specs = field_specs(METHODS["market-comparables"].inputs)
    parsed = parse_form(
        specs,
        {"comparables": "Licence A; 1 000 000; size=-10%, age=5%; 2\nLicence B; 800000;; 1"},
        METHODS["market-comparables"].inputs,
    )
    assert parsed.errors == {}
    first, second = parsed.data["comparables"]
    assert first == {
        "name": "Licence A",
        "price": 1_000_000.0,
        "adjustments": {"size": -0.1, "age": 0.05},
        "weight": 2.0,
    }
    assert second == {"name": "Licence B", "price": 800_000.0, "weight": 1.0}
    assert valuate("market-comparables", parsed.data).value > 0


def test_nested_fields_and_uncertain_ranges():
    specs = field_specs(METHODS["relief-from-royalty"].inputs)
    paths = {spec.path for spec in specs}
    assert {"tab.amortisation_years", "royalty_rate", "revenues"} <= paths
    raw = {"revenues": "100 200", "royalty_rate": "5%", "royalty_rate__low": "3%", "royalty_rate__high": "7%",
           "tax_rate": "25%", "discount_rate": "12%", "tab__amortisation_years": "5"}  # fmt: skip
    parsed = parse_form(specs, raw, METHODS["relief-from-royalty"].inputs)
    assert parsed.errors == {} and parsed.data["tab"] == {"amortisation_years": 5}
    assert parsed.uncertain == {"royalty_rate": (0.03, 0.07)}
    wrong = parse_form(specs, {**raw, "royalty_rate__low": "6%"}, METHODS["relief-from-royalty"].inputs)
    assert "royalty_rate" in wrong.errors


def test_engine_errors_name_the_field_in_the_users_language():
    specs = field_specs(METHODS["relief-from-royalty"].inputs)
    with pytest.raises(ValidationError) as error:
        valuate("relief-from-royalty", {"revenues": [1.0], "royalty_rate": 1.5, "tax_rate": 0.2, "discount_rate": 0.1})
    with translation.override("ru"):
        errors = engine_errors(error.value, specs)
        expected = translation.gettext("Must be at most %(le)s.") % {"le": "1"}
    assert errors == {"royalty_rate": [expected]}
