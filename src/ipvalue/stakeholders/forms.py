"""Forms of the stakeholder registry. Country and organisation choices are limited to the user's countries."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ipvalue.accounts.selectors import user_country_scope
from ipvalue.core.languages import collation_key, language_name
from ipvalue.countries.models import Country
from ipvalue.stakeholders.models import Organisation, Partnership, Person
from ipvalue.stakeholders.selectors import organisation_list
from ipvalue.stakeholders.taxonomy import (
    DEFAULT_GROUP,
    SPOKEN_LANGUAGES,
    ConsentPurpose,
    InteractionKind,
    MobilisationStatus,
    OrganisationType,
    StakeholderGroup,
)


def spoken_language_choices() -> list[tuple[str, str]]:
    """Language codes with their names in the page's language (from CLDR)."""
    return sorted(((code, language_name(code)) for code in SPOKEN_LANGUAGES), key=lambda item: collation_key(item[1]))


class CountryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Country) -> str:
        return obj.name


class ScopedFormMixin:
    """Limits the ``country`` (and ``organisation``) choices of a form to the countries of ``user``."""

    def limit_to(self, user: Any) -> None:
        fields = self.fields  # type: ignore[attr-defined]
        if "country" in fields:
            fields["country"].queryset = user_country_scope(user=user)
        if "organisation" in fields:
            fields["organisation"].queryset = organisation_list(user=user).order_by("name")


class OrganisationForm(ScopedFormMixin, forms.ModelForm):
    country = CountryChoiceField(label=_("Country"), queryset=Country.objects.none())
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "type", "country", "website", "name_en", "name_fr", "name_es", "name_ru", "name_zh_hans",
                  "name_ar", "notes"]  # fmt: skip
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_to(user)


class PersonForm(ScopedFormMixin, forms.ModelForm):
    country = CountryChoiceField(label=_("Country"), queryset=Country.objects.none())
    languages = forms.MultipleChoiceField(
        label=_("Languages"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    group = forms.ChoiceField(
        label=_("Stakeholder group"),
        required=False,
        choices=[("", _("From the organisation's type")), *StakeholderGroup.choices],
        help_text=_("Leave empty to take it from the organisation's type."),
    )

    class Meta:
        model = Person
        fields = ["full_name", "organisation", "position", "country", "email", "phone", "group", "languages", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_to(user)
        self.fields["languages"].choices = spoken_language_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("group"):
            organisation = data.get("organisation")
            if organisation is None:
                self.add_error("group", _("Choose a stakeholder group, or an organisation to take it from."))
            else:
                data["group"] = DEFAULT_GROUP[organisation.type]
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Mobilisation status"), choices=MobilisationStatus.choices)
    changed_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class InteractionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=InteractionKind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    granted = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Consent given")), ("0", _("Consent withdrawn"))],
        coerce=lambda value: value == "1",
    )
    evidence = forms.CharField(label=_("How it was given or withdrawn"), required=False, max_length=300)


class ErasureForm(forms.Form):
    requested_on = forms.DateField(
        label=_("Request received on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    confirm = forms.BooleanField(
        label=_("I understand that the name, contact details, notes, interactions and consents are deleted for good."),
    )


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    country = forms.MultipleChoiceField(label=_("Countries"), required=False, choices=())
    group = forms.MultipleChoiceField(label=_("Stakeholder groups"), required=False, choices=StakeholderGroup.choices)
    type = forms.MultipleChoiceField(label=_("Organisation types"), required=False, choices=OrganisationType.choices)
    status = forms.MultipleChoiceField(label=_("Status"), required=False, choices=MobilisationStatus.choices)
    consent = forms.ChoiceField(
        label=_("With consent for"), required=False, choices=[("", _("Any")), *ConsentPurpose.choices]
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = sorted(user_country_scope(user=user), key=lambda country: collation_key(country.name))
        self.fields["country"].choices = [(country.iso2, country.name) for country in scope]
        for name in ("country", "group", "type", "status"):
            self.fields[name].widget.attrs["size"] = 4


class SaveListForm(forms.Form):
    name = forms.CharField(label=_("List name"), max_length=200)


class PartnershipForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["organisation", "kind", "scope", "starts_on", "ends_on"]
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 3}),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_to(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The partnership cannot end before it starts."))
        return data


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))
    mode = forms.ChoiceField(
        label=_("If some rows have errors"),
        choices=[
            ("all-or-nothing", _("Import nothing")),
            ("good-rows", _("Import the good rows and report the others")),
        ],
        initial="all-or-nothing",
        widget=forms.RadioSelect,
    )


class AppointmentForm(forms.Form):
    """The Secretariat appoints a national coordinator (an account with that role) to a country for a term."""

    user = forms.ModelChoiceField(label=_("Coordinator"), queryset=None)  # type: ignore[arg-type]
    country = CountryChoiceField(label=_("Country"), queryset=Country.objects.none())
    starts_on = forms.DateField(
        label=_("Term starts"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Term ends"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from ipvalue.accounts.models import Role, User

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("username")
        self.fields["country"].queryset = user_country_scope(user=user).order_by("name_en")
