"""Forms of the knowledge base's pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ipvalue.accounts.selectors import user_country_scope
from ipvalue.core.languages import active_language
from ipvalue.knowledge.models import Confidence, InstitutionKind, Outcome, Term, TermKind


class FactForm(forms.Form):
    country = forms.ModelChoiceField(label=_("Country"), queryset=None)
    provision = forms.ModelChoiceField(
        label=_("Provision"), queryset=Term.objects.filter(kind=TermKind.PROVISION, active=True)
    )
    value = forms.CharField(label=_("Value"), max_length=200, help_text=_("yes / no, a choice's code, or a number."))
    detail = forms.CharField(label=_("detail"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    source_title = forms.CharField(
        label=_("source"), max_length=500, help_text=_("Law and article, or document title.")
    )
    source_article = forms.CharField(label=_("article"), max_length=200, required=False)
    source_url = forms.URLField(label=_("link"), required=False, assume_scheme="https")
    source_date = forms.CharField(label=_("date of the source"), max_length=20, required=False)
    confidence = forms.ChoiceField(label=_("confidence"), choices=Confidence.choices, initial=Confidence.MEDIUM)
    verified_at = forms.DateField(
        label=_("last verified"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = user_country_scope(user=user)


def _written_in_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Written in"), choices=settings.LANGUAGES, initial=active_language,
        help_text=_("The language of the texts below; translations can be added later."),
    )  # fmt: skip


class _SourceFields(forms.Form):
    source_title = forms.CharField(
        label=_("source"), max_length=500, help_text=_("Law and article, or document title.")
    )
    source_url = forms.URLField(label=_("link"), required=False, assume_scheme="https")
    source_date = forms.CharField(label=_("date of the source"), max_length=20, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = user_country_scope(user=user)


class PracticeForm(_SourceFields):
    country = forms.ModelChoiceField(label=_("Country"), queryset=None)
    language = _written_in_field()
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("What happened"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    instrument = forms.ModelChoiceField(
        label=_("Financial instrument"), required=False,
        queryset=Term.objects.filter(kind=TermKind.INSTRUMENT, active=True),
    )  # fmt: skip
    methods = forms.ModelMultipleChoiceField(
        label=_("Valuation methods"), required=False, widget=forms.CheckboxSelectMultiple,
        queryset=Term.objects.filter(kind=TermKind.METHOD, active=True),
    )  # fmt: skip
    stakeholder_groups = forms.ModelMultipleChoiceField(
        label=_("Stakeholder groups involved"), required=False, widget=forms.CheckboxSelectMultiple,
        queryset=Term.objects.filter(kind=TermKind.STAKEHOLDER_GROUP, active=True),
    )  # fmt: skip
    figures = forms.CharField(
        label=_("Figures"), required=False, max_length=1000,
        help_text=_("Amounts and counts, as the source gives them."),
    )  # fmt: skip
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, initial=Outcome.UNKNOWN)
    source_publisher = forms.CharField(label=_("publisher"), max_length=300, required=False)

    field_order = [
        "country", "language", "title", "description", "instrument", "methods", "stakeholder_groups", "figures",
        "year", "outcome", "source_title", "source_publisher", "source_url", "source_date",
    ]  # fmt: skip


class ObstacleForm(_SourceFields):
    country = forms.ModelChoiceField(label=_("Country"), queryset=None)
    type = forms.ModelChoiceField(
        label=_("Type of obstacle"), queryset=Term.objects.filter(kind=TermKind.OBSTACLE, active=True)
    )
    severity = forms.TypedChoiceField(
        label=_("Severity"), coerce=int, initial=3,
        choices=[(1, _("1: minor")), (2, "2"), (3, _("3: serious")), (4, "4"), (5, _("5: blocks IP finance"))],
    )  # fmt: skip
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    field_order = ["country", "type", "severity", "description", "source_title", "source_url", "source_date"]


class InstitutionForm(_SourceFields):
    country = forms.ModelChoiceField(label=_("Country"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind of institution"), choices=InstitutionKind.choices)
    language = _written_in_field()
    name = forms.CharField(label=_("Name"), max_length=300)
    role = forms.CharField(
        label=_("Role in valuing or financing IP"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    field_order = [
        "country", "kind", "language", "name", "role", "website", "source_title", "source_url", "source_date",
    ]  # fmt: skip


class TranslationsForm(forms.Form):
    """A record's texts in the six languages side by side: ``titles``/``descriptions`` of a practice, ``names``/
    ``roles`` of an institution. Field names are ``<field>__<language>``."""

    LABELS = {
        "titles": _("Title"), "descriptions": _("What happened"), "names": _("Name"),
        "roles": _("Role in valuing or financing IP"),
    }  # fmt: skip

    def __init__(self, *args: Any, record: Any, fields: tuple[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.text_fields = fields
        for index, field in enumerate(fields):
            for code, language_name in settings.LANGUAGES:
                attrs = {"lang": code, "dir": "rtl" if code == "ar" else "ltr"}
                widget = forms.TextInput(attrs=attrs) if index == 0 else forms.Textarea(attrs={**attrs, "rows": 3})
                self.fields[f"{field}__{code}"] = forms.CharField(
                    label=f"{self.LABELS[field]} ({language_name})", required=False, widget=widget,
                    max_length=300 if index == 0 else 5000, initial=getattr(record, field).get(code, ""),
                )  # fmt: skip

    def texts(self) -> dict[str, dict[str, str]]:
        return {
            field: {code: self.cleaned_data[f"{field}__{code}"] for code, _name in settings.LANGUAGES}
            for field in self.text_fields
        }
