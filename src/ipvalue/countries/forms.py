"""Forms for country data."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ipvalue.countries.models import SelectionCriterion
from ipvalue.countries.services import CriterionInput


class CountryListFilterForm(forms.Form):
    """Filters of the country list; every field optional."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    group = forms.ChoiceField(label=_("Regional group"), required=False)
    beneficiary = forms.TypedChoiceField(
        label=_("Beneficiary countries"),
        required=False,
        choices=[("", _("All member states")), ("1", _("Beneficiaries only"))],
        coerce=lambda value: value == "1",
        empty_value=None,
    )

    def __init__(self, *args: object, group_choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["group"].choices = [("", _("All groups")), *group_choices]  # type: ignore[attr-defined]


class SelectionCriterionForm(forms.ModelForm):
    """One selection criterion of a beneficiary country."""

    class Meta:
        model = SelectionCriterion
        fields = ["assessment", "evidence", "source", "assessed_on"]
        widgets = {
            "evidence": forms.Textarea(attrs={"rows": 3}),
            # An HTML date input takes ISO dates whatever the page's language; the browser shows them localised.
            "assessed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        assessed = data.get("assessment") not in (None, SelectionCriterion.Assessment.NOT_ASSESSED)
        if assessed and not (data.get("evidence") or "").strip():
            self.add_error("evidence", _("Give the evidence for this assessment."))
        if assessed and not data.get("assessed_on"):
            self.add_error("assessed_on", _("Give the date of this assessment."))
        return data

    def to_input(self) -> CriterionInput:
        data = self.cleaned_data
        return CriterionInput(
            criterion=self.instance.criterion,
            assessment=data["assessment"],
            evidence=data["evidence"],
            source=data["source"],
            assessed_on=data["assessed_on"],
        )


class BeneficiaryStatusForm(forms.Form):
    is_beneficiary = forms.BooleanField(label=_("Beneficiary country"), required=False)
