"""Forms of the knowledge base's pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ipvalue.accounts.selectors import user_country_scope
from ipvalue.knowledge.models import Confidence, Term, TermKind


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
