"""The form of the taxonomy's edit page: a term's names and descriptions in the six languages side by side, and for a
provision its type of value and its choices, each named in the six languages. The checks are in
:mod:`ipvalue.knowledge.taxonomy`; this form only gathers the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ipvalue.core.languages import LANGUAGE_CODES, field_suffix
from ipvalue.knowledge.models import Term, TermKind, ValueType

EXTRA_CHOICE_ROWS = 3
MAX_CHOICE_ROWS = 100
AUTONYMS = dict(settings.LANGUAGES)


def _language_attrs(language: str, **attrs: Any) -> dict[str, Any]:
    attrs["lang"] = language
    if language in settings.LANGUAGES_BIDI:
        attrs["dir"] = "rtl"
    return attrs


class TermForm(forms.Form):
    """Create (``term`` None: with its code) or edit a term of ``kind``."""

    category = forms.CharField(
        label=_("category"), max_length=30, required=False,
        help_text=_("For obstacles: legal, technical or organisational."),
    )  # fmt: skip
    stip_codes = forms.CharField(
        label=_("OECD STIP Compass codes"), max_length=300, required=False,
        help_text=_("Separated by spaces, for example PI012 TG40; only where the concept matches."),
    )  # fmt: skip
    parent = forms.ModelChoiceField(label=_("parent"), queryset=Term.objects.none(), required=False)
    position = forms.IntegerField(
        label=pgettext_lazy("taxonomy term", "position"), min_value=0, required=False,
        help_text=_("Order within its kind, smallest first. Empty: at the end."),
    )  # fmt: skip
    choice_rows = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, kind: str, term: Term | None = None, **kwargs: Any) -> None:
        self.kind = kind
        self.term = term
        if term is not None:
            kwargs.setdefault("initial", self._initial(term))
        super().__init__(*args, **kwargs)
        self.fields["choice_rows"].initial = self._row_count()
        if term is None:
            self.fields["code"] = forms.CharField(
                label=_("code"), max_length=80,
                help_text=_("Lowercase letters, digits and underscores, unique among the terms of this kind. Fixed "
                            "once the term is created: exports, mappings and the API use it."),
            )  # fmt: skip
            self.order_fields(["code"])
        else:
            self.fields["active"] = forms.BooleanField(
                label=_("in use"), required=False,
                help_text=_("Untick to retire the term: it vanishes from proposal forms and the export, and stays on "
                            "the records that use it."),
            )  # fmt: skip
        for language in LANGUAGE_CODES:
            suffix = field_suffix(language)
            self.fields[f"name_{suffix}"] = forms.CharField(
                label=_("Name (%(language)s)") % {"language": AUTONYMS[language]}, max_length=300,
                required=language == "en", widget=forms.TextInput(attrs=_language_attrs(language)),
            )  # fmt: skip
            self.fields[f"description_{suffix}"] = forms.CharField(
                label=_("Description (%(language)s)") % {"language": AUTONYMS[language]}, max_length=5000,
                required=False, widget=forms.Textarea(attrs=_language_attrs(language, rows=3)),
            )  # fmt: skip
        parents = Term.objects.filter(kind=kind, active=True)
        if term is not None:  # its current parent stays selectable even if retired since
            parents = (parents | Term.objects.filter(pk=term.parent_id)).exclude(
                pk__in=[term.pk, *_descendant_ids(term)]
            )
        parents = parents.order_by("position", "code")
        self.fields["parent"].queryset = parents
        if kind == TermKind.PROVISION:
            self.fields["value_type"] = forms.ChoiceField(label=_("type of value"), choices=ValueType.choices)
            for index in range(self._row_count()):
                self.fields[f"choice_{index}_code"] = forms.CharField(
                    label=_("Code of choice %(number)s") % {"number": index + 1}, max_length=80, required=False
                )
                for language in LANGUAGE_CODES:
                    self.fields[f"choice_{index}_name_{field_suffix(language)}"] = forms.CharField(
                        label=_("Name of choice %(number)s (%(language)s)")
                        % {"number": index + 1, "language": AUTONYMS[language]},
                        max_length=300, required=False, widget=forms.TextInput(attrs=_language_attrs(language)),
                    )  # fmt: skip
                self.fields[f"choice_{index}_remove"] = forms.BooleanField(
                    label=_("Remove choice %(number)s") % {"number": index + 1}, required=False
                )

    @staticmethod
    def _initial(term: Term) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "category": term.category, "stip_codes": " ".join(term.stip_codes), "parent": term.parent_id,
            "position": term.position, "active": term.active, "value_type": term.value_type,
            "choice_rows": len(term.choices) + EXTRA_CHOICE_ROWS,
        }  # fmt: skip
        for language in LANGUAGE_CODES:
            suffix = field_suffix(language)
            initial[f"name_{suffix}"] = term.names.get(language, "")
            initial[f"description_{suffix}"] = term.descriptions.get(language, "")
        for index, choice in enumerate(term.choices):
            initial[f"choice_{index}_code"] = choice.get("code", "")
            for language in LANGUAGE_CODES:
                initial[f"choice_{index}_name_{field_suffix(language)}"] = choice.get("name", {}).get(language, "")
        return initial

    def _row_count(self) -> int:
        if self.is_bound:
            try:
                return max(0, min(int(self.data.get(self.add_prefix("choice_rows")) or 0), MAX_CHOICE_ROWS))
            except ValueError:
                return 0
        existing = len(self.term.choices) if self.term is not None else 0
        return existing + EXTRA_CHOICE_ROWS

    # ----------------------------------------------------------------------------------------------- for the page

    def language_rows(self) -> list[dict[str, Any]]:
        """One row per language: its name and description fields side by side."""
        return [
            {
                "code": language, "autonym": AUTONYMS[language], "bidi": language in settings.LANGUAGES_BIDI,
                "name": self[f"name_{field_suffix(language)}"],
                "description": self[f"description_{field_suffix(language)}"],
            }
            for language in LANGUAGE_CODES
        ]  # fmt: skip

    def choice_table(self) -> list[dict[str, Any]]:
        """One row per choice: its code, its name in each language, and whether to remove it."""
        if self.kind != TermKind.PROVISION:
            return []
        return [
            {
                "number": index + 1, "code": self[f"choice_{index}_code"], "remove": self[f"choice_{index}_remove"],
                "names": [self[f"choice_{index}_name_{field_suffix(language)}"] for language in LANGUAGE_CODES],
            }
            for index in range(self._row_count())
        ]  # fmt: skip

    def languages(self) -> list[tuple[str, str]]:
        return [(language, AUTONYMS[language]) for language in LANGUAGE_CODES]

    # ----------------------------------------------------------------------------------------------- for the service

    def service_values(self) -> dict[str, Any]:
        """The cleaned fields as the keyword arguments of ``term_create`` / ``term_update``."""
        data = self.cleaned_data
        values: dict[str, Any] = {
            "names": {language: data.get(f"name_{field_suffix(language)}", "") for language in LANGUAGE_CODES},
            "descriptions": {
                language: data.get(f"description_{field_suffix(language)}", "") for language in LANGUAGE_CODES
            },
            "category": data.get("category", ""),
            "stip_codes": data.get("stip_codes", ""),
            "parent": data.get("parent"),
        }
        if data.get("position") is not None or self.term is not None:
            values["position"] = data.get("position") if data.get("position") is not None else self.term.position
        if self.term is not None:
            values["active"] = data.get("active", False)
        if self.kind == TermKind.PROVISION:
            values["value_type"] = data.get("value_type", "")
            values["choices"] = self._choices()
        return values

    def _choices(self) -> list[dict[str, Any]]:
        choices = []
        for index in range(self._row_count()):
            if self.cleaned_data.get(f"choice_{index}_remove"):
                continue
            code = (self.cleaned_data.get(f"choice_{index}_code") or "").strip()
            names = {
                language: self.cleaned_data.get(f"choice_{index}_name_{field_suffix(language)}", "")
                for language in LANGUAGE_CODES
            }
            if code or any(text.strip() for text in names.values()):
                choices.append({"code": code, "name": names})
        return choices

    def add_service_errors(self, error: ValidationError) -> None:
        """Show the service's errors beside the fields they concern (the names: beside the English name)."""
        targets = {"names": "name_en", "choices": "choice_rows", "descriptions": None, "kind": None}
        for field, messages in error.message_dict.items():
            target = targets.get(field, field)
            self.add_error(target if target in self.fields else None, messages)


def _descendant_ids(term: Term) -> list[int]:
    """Ids of the term's sub-terms at any depth (a term cannot be placed under them)."""
    found: list[int] = []
    frontier = [term.pk]
    while frontier:
        children = list(Term.objects.filter(parent_id__in=frontier).exclude(pk__in=found).values_list("pk", flat=True))
        children = [pk for pk in children if pk != term.pk]
        found.extend(children)
        frontier = children
    return found
