"""Forms of the Secretariat's questionnaire pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ipvalue.countries.models import Country
from ipvalue.stakeholders.taxonomy import StakeholderGroup
from ipvalue.surveys.models import Survey, SurveyAccess
from ipvalue.surveys.xlsform import Language, Question

XLSFORM_EXTENSIONS = (".xlsx", ".xls")
MAX_XLSFORM_SIZE = 5 * 1024 * 1024


class XLSFormField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> Any:
        file = super().clean(data, initial)
        if file is not None:
            if not file.name.lower().endswith(XLSFORM_EXTENSIONS):
                raise forms.ValidationError(_("Choose an XLSForm file (.xlsx or .xls)."))
            if file.size > MAX_XLSFORM_SIZE:
                raise forms.ValidationError(_("The file is larger than 5 MB."))
        return file


class SurveyUploadForm(forms.Form):
    file = XLSFormField(label=_("XLSForm file"), help_text=_("An .xlsx or .xls workbook in the XLSForm format."))
    title = forms.CharField(
        label=_("Title"), max_length=300, required=False, help_text=_("Leave empty to use the form's title.")
    )
    access = forms.ChoiceField(label=_("Access"), choices=SurveyAccess.choices, initial=SurveyAccess.CLOSED)


class ReplaceForm(forms.Form):
    file = XLSFormField(label=_("XLSForm file"))


class SurveySettingsForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "description", "access"]


class InvitationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="en")
    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.all(), required=False)
    group = forms.ChoiceField(
        label=_("Stakeholder group"), choices=[("", "—"), *StakeholderGroup.choices], required=False
    )
    valid_until = forms.DateTimeField(
        label=_("Valid until"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    uses = forms.IntegerField(label=_("Submissions allowed"), min_value=1, max_value=1000, initial=1)


_TEXT_ATTRIBUTES = (("label", _("Label")), ("hint", _("Hint")), ("constraint_message", _("Constraint message")))


class QuestionForm(forms.Form):
    """A question's texts in every language of the form, and its logic (expressions are checked on save)."""

    required = forms.BooleanField(label=_("An answer is required"), required=False)
    relevant = forms.CharField(label=_("Shown when (relevant)"), required=False, max_length=2000)
    constraint = forms.CharField(label=_("Valid when (constraint)"), required=False, max_length=2000)
    calculation = forms.CharField(label=_("Calculation"), required=False, max_length=2000)

    def __init__(self, *args: Any, question: Question, languages: list[Language], **kwargs: Any) -> None:
        initial = {
            "required": question.required is True,
            "relevant": question.relevant or "",
            "constraint": question.constraint or "",
            "calculation": question.calculation or "",
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.language_keys = [item.key for item in languages] or ["default"]
        self.text_fields: list[tuple[str, str, str]] = []
        for attribute, label in _TEXT_ATTRIBUTES:
            texts = getattr(question, attribute)
            for key in self.language_keys:
                field_name = f"{attribute}:{key}"
                self.fields[field_name] = forms.CharField(
                    label=f"{label} · {key}", required=False, max_length=5000, initial=texts.get(key, ""),
                    widget=forms.Textarea(attrs={"rows": 2}),
                )  # fmt: skip
                self.text_fields.append((field_name, attribute, key))
        if isinstance(question.required, str):
            self.fields["required"].help_text = _("Decided by the expression %(expression)s.") % {
                "expression": question.required
            }

    def texts(self) -> dict[str, dict[str, str]]:
        result: dict[str, dict[str, str]] = {}
        for field_name, attribute, key in self.text_fields:
            result.setdefault(attribute, {})[key] = self.cleaned_data.get(field_name, "")
        return result

    def properties(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("required", "relevant", "constraint", "calculation")}


class ReminderScheduleForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["reminders_enabled", "reminder_after_days", "reminder_interval_days", "max_reminders"]
        widgets = {
            "reminder_after_days": forms.NumberInput(attrs={"min": 1, "max": 365}),
            "reminder_interval_days": forms.NumberInput(attrs={"min": 1, "max": 365}),
            "max_reminders": forms.NumberInput(attrs={"min": 0, "max": 20}),
        }


class InviteListForm(forms.Form):
    saved_list = forms.ModelChoiceField(label=_("Saved list of the stakeholder registry"), queryset=None)
    language = forms.ChoiceField(
        label=_("Language for people whose languages the questionnaire lacks"), choices=settings.LANGUAGES, initial="en"
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from ipvalue.stakeholders.selectors import saved_lists

        super().__init__(*args, **kwargs)
        self.fields["saved_list"].queryset = saved_lists(user=user)


class RespondentImportForm(forms.Form):
    file = forms.FileField(
        label=_("Respondents (CSV or XLSX)"),
        help_text=_("Columns: email (required), name, language, country (ISO code), group, valid_until, uses."),
    )
    mode = forms.ChoiceField(
        label=_("If some rows are wrong"),
        choices=[("all-or-nothing", _("invite nobody")), ("good-rows", _("invite the good rows"))],
        initial="all-or-nothing",
    )
    language = forms.ChoiceField(label=_("Language when the row gives none"), choices=settings.LANGUAGES, initial="en")


EXPORT_FORMATS = [("csv", "CSV"), ("xlsx", "XLSX"), ("zip", _("ZIP of CSV tables")), ("json", "JSON")]


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=EXPORT_FORMATS, initial="xlsx")
    labels = forms.ChoiceField(label=_("Headers and choices as"), initial="code")
    table = forms.ChoiceField(label=_("Table (CSV)"), required=False)
    status = forms.ChoiceField(
        label=_("Responses"),
        choices=[("submitted", _("submitted only")), ("all", _("submitted and drafts"))],
        initial="submitted",
    )

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        from ipvalue.surveys import runtime, services

        super().__init__(*args, **kwargs)
        form = services.form_of(services.latest_version(survey))
        self.fields["labels"].choices = [("code", _("codes"))] + [
            (language.code, language.name) for language in runtime.form_languages(form)
        ]
        self.fields["table"].choices = [("responses", _("responses"))] + [
            (name, name) for name in sorted(runtime.repeat_names(form.children))
        ]
