"""The Secretariat edits the taxonomy: create terms, edit their names, descriptions and choices in the six languages,
retire them (never delete), read a term's history, and export the whole taxonomy in the format of
``knowledge/data/taxonomy.json`` so that :func:`ipvalue.knowledge.services.taxonomy_load` reads it back.

Versions (docs/taxonomy.md): every saved change sets the term's ``version`` to the UTC date-time of the change
(``2026-11-27T17:43:36Z``), strictly later than any version already stored; the taxonomy's version is the latest
version of its terms (loaded terms carry the data file's ``version``, such as ``2026-11``, which counts as older than
any edit of the same month).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from typing import Any

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from ipvalue.core.languages import LANGUAGE_CODES
from ipvalue.core.permissions import require_unless_system
from ipvalue.knowledge.models import Fact, Obstacle, Practice, ReviewStatus, Term, TermKind, ValueType
from ipvalue.knowledge.services import TAXONOMY_FILE

PERM = "knowledge.change_term"
CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
STIP_RE = re.compile(r"^[A-Z]{2,3}[0-9]{1,4}$")
VERSION_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
EDITABLE = ("names", "descriptions", "category", "stip_codes", "parent", "position", "active", "value_type", "choices")
FIXED = ("kind", "code")


# --------------------------------------------------------------------------------------------------------- versions


def _version_key(version: str) -> tuple[dt.datetime, int]:
    """Order versions in time: an edit's date-time, or a data file's ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (the
    start of that period, before any edit made in it); anything else sorts first."""
    try:
        return dt.datetime.strptime(version, VERSION_FORMAT).replace(tzinfo=dt.UTC), 1
    except ValueError:
        pass
    for pattern in ("%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            return dt.datetime.strptime(version, pattern).replace(tzinfo=dt.UTC), 0
        except ValueError:
            continue
    return dt.datetime.min.replace(tzinfo=dt.UTC), 0


def taxonomy_version() -> str:
    """The taxonomy's version: the latest of its terms' versions (retired terms included)."""
    versions = set(Term.objects.values_list("version", flat=True))
    return max(versions, key=lambda version: (_version_key(version), version), default="")


def _next_version() -> str:
    """The version of a change made now: its UTC date-time, or one second after the taxonomy's version if that is not
    earlier (two edits in the same second still get different versions; versions only ever grow)."""
    now = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    latest, _is_edit = _version_key(taxonomy_version())
    if latest >= now:
        now = latest + dt.timedelta(seconds=1)
    return now.strftime(VERSION_FORMAT)


# --------------------------------------------------------------------------------------------------------- reading


def _facts_by_value(term: Term) -> Counter[str]:
    """How many facts (published or waiting for review) give each value of a provision."""
    facts = Fact.objects.filter(provision=term).exclude(status=ReviewStatus.REJECTED)
    return Counter(dict(facts.values_list("value").annotate(count=Count("pk")).values_list("value", "count")))


def term_usage() -> dict[int, dict[str, int]]:
    """Per term id: how many facts, practices and obstacles use it (any review status)."""
    usage: dict[int, dict[str, int]] = {}

    def add(rows: Any, key: str) -> None:
        for term_id, count in rows:
            if term_id is not None:
                usage.setdefault(term_id, {"facts": 0, "practices": 0, "obstacles": 0})[key] += count

    add(Fact.objects.values_list("provision").annotate(n=Count("pk")).values_list("provision", "n"), "facts")
    add(Obstacle.objects.values_list("type").annotate(n=Count("pk")).values_list("type", "n"), "obstacles")
    add(Practice.objects.values_list("instrument").annotate(n=Count("pk")).values_list("instrument", "n"), "practices")
    add(
        Practice.methods.through.objects.values_list("term").annotate(n=Count("pk")).values_list("term", "n"),
        "practices",
    )
    groups = Counter(code for codes in Practice.objects.values_list("stakeholder_groups", flat=True) for code in codes)
    if groups:
        for term_id, code in Term.objects.filter(kind=TermKind.STAKEHOLDER_GROUP, code__in=groups).values_list(
            "pk", "code"
        ):
            add([(term_id, groups[code])], "practices")
    return usage


def missing_translations(term: Term) -> dict[str, list[str]]:
    """Per language, what lacks a translation: the name, the description (when there is one), a choice's name."""
    missing: dict[str, list[str]] = {}
    has_description = any((text or "").strip() for text in term.descriptions.values())
    for language in LANGUAGE_CODES:
        parts = []
        if not (term.names.get(language) or "").strip():
            parts.append("name")
        if has_description and not (term.descriptions.get(language) or "").strip():
            parts.append("description")
        if any(not (choice.get("name", {}).get(language) or "").strip() for choice in term.choices):
            parts.append("choices")
        if parts:
            missing[language] = parts
    return missing


def taxonomy_list(*, kind: str = "", missing_language: str = "") -> list[dict[str, Any]]:
    """The terms grouped by kind (in the taxonomy's order), each in position order, with what they lack in each
    language and how many records use them; filtered by kind and by a language lacking a translation."""
    usage = term_usage()
    terms = Term.objects.select_related("parent").order_by("position", "code")
    if kind:
        terms = terms.filter(kind=kind)
    groups: dict[str, list[dict[str, Any]]] = {value: [] for value in TermKind.values if not kind or value == kind}
    for term in terms:
        missing = missing_translations(term)
        if missing_language and missing_language not in missing:
            continue
        counts = usage.get(term.pk, {"facts": 0, "practices": 0, "obstacles": 0})
        groups[term.kind].append(
            {
                "term": term, "missing": missing, "usage": counts, "used": sum(counts.values()),
                "missing_names": [language for language, parts in missing.items() if "name" in parts],
                "missing_other": [language for language, parts in missing.items() if set(parts) - {"name"}],
            }
        )  # fmt: skip
    return [{"kind": value, "label": TermKind(value).label, "rows": rows} for value, rows in groups.items()]


def _history_value(field: str, value: Any, parents: dict[str, str]) -> str:
    if value in (None, "None"):
        return ""
    if field == "parent":
        return parents.get(str(value), str(value))
    return str(value)


def term_history(*, term: Term) -> list[dict[str, Any]]:
    """The term's audit-log entries, newest first: who, when, and each field changed from what to what (names,
    descriptions and choices language by language)."""
    entries = (
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Term), object_pk=str(term.pk))
        .select_related("actor")
        .order_by("-timestamp", "-pk")
    )
    labels = _field_labels()
    parents = {str(pk): code for pk, code in Term.objects.filter(kind=term.kind).values_list("pk", "code")}
    history = []
    for entry in entries:
        changes = []
        for field, (old, new) in (entry.changes_dict or {}).items():
            if field not in labels:  # reverse relations logged on creation
                continue
            label = labels[field]
            old_data, new_data = _json_or_none(old), _json_or_none(new)
            if isinstance(old_data, dict) or isinstance(new_data, dict):
                old_data, new_data = old_data or {}, new_data or {}
                for language in sorted(set(old_data) | set(new_data), key=_language_order):
                    if old_data.get(language, "") != new_data.get(language, ""):
                        changes.append(
                            {"field": f"{label} ({language})", "old": old_data.get(language, ""),
                             "new": new_data.get(language, ""), "language": language}
                        )  # fmt: skip
                continue
            changes.append(
                {"field": label, "old": _history_value(field, old, parents), "new": _history_value(field, new, parents)}
            )
        history.append({"entry": entry, "changes": changes})
    return history


def _field_labels() -> dict[str, str]:
    return {
        "kind": _("kind"), "code": _("code"), "names": pgettext("taxonomy term", "name"),
        "descriptions": _("description"), "value_type": _("type of value"), "choices": _("choices"),
        "category": _("category"), "stip_codes": _("OECD STIP Compass codes"), "parent": _("parent"),
        "position": pgettext("taxonomy term", "position"),
        "active": _("in use"), "version": _("taxonomy version"),
    }  # fmt: skip


def _json_or_none(text: Any) -> Any:
    if not isinstance(text, str) or not text.startswith(("{", "[")):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _language_order(code: str) -> tuple[int, str]:
    return (LANGUAGE_CODES.index(code) if code in LANGUAGE_CODES else len(LANGUAGE_CODES), code)


# --------------------------------------------------------------------------------------------------------- checks


def _texts(values: dict[str, Any] | None) -> dict[str, str]:
    """Per-language texts, stripped, in the order of the six languages, empty ones left out."""
    values = values or {}
    return {code: str(values[code]).strip() for code in LANGUAGE_CODES if str(values.get(code) or "").strip()}


def _clean_choices(value_type: str, choices: list[dict[str, Any]] | None, errors: dict[str, list[str]]) -> list:
    cleaned: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, choice in enumerate(choices or [], start=1):
        code = str(choice.get("code") or "").strip()
        names = _texts(choice.get("name"))
        if not CODE_RE.match(code):
            errors.setdefault("choices", []).append(
                _("Choice %(number)s: the code “%(code)s” must be lowercase letters, digits and underscores, starting "
                  "with a letter.") % {"number": number, "code": code}
            )  # fmt: skip
        elif code in seen:
            errors.setdefault("choices", []).append(
                _("Choice %(number)s: the code “%(code)s” is given twice.") % {"number": number, "code": code}
            )
        if "en" not in names:
            errors.setdefault("choices", []).append(
                _("Choice %(number)s (“%(code)s”): give its name in English.") % {"number": number, "code": code}
            )
        seen.add(code)
        cleaned.append({"code": code, "name": names})
    if value_type == ValueType.CHOICE and not cleaned:
        errors.setdefault("choices", []).append(_("A provision whose value is one of a list needs its choices."))
    if value_type != ValueType.CHOICE and cleaned:
        errors.setdefault("choices", []).append(
            _("Only a provision whose value is one of a list has choices: remove them or change the type of value.")
        )
    return cleaned


def _clean(kind: str, values: dict[str, Any], term: Term | None) -> dict[str, Any]:
    """Check the editable fields of a term of ``kind``; every problem at once, by field, nothing saved."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    if "names" in values:
        cleaned["names"] = _texts(values["names"])
        if "en" not in cleaned["names"]:
            errors["names"] = [_("Give the name in English.")]
    if "descriptions" in values:
        cleaned["descriptions"] = _texts(values["descriptions"])
    if "category" in values:
        cleaned["category"] = str(values["category"] or "").strip()
        if (cleaned["category"] and not CODE_RE.match(cleaned["category"])) or len(cleaned["category"]) > 30:
            errors["category"] = [_("Use at most 30 lowercase letters, digits and underscores.")]
    if "stip_codes" in values:
        codes = values["stip_codes"] or []
        if isinstance(codes, str):
            codes = codes.replace(",", " ").split()
        cleaned["stip_codes"] = list(dict.fromkeys(str(code).strip().upper() for code in codes if str(code).strip()))
        wrong = [code for code in cleaned["stip_codes"] if not STIP_RE.match(code)]
        if wrong:
            errors["stip_codes"] = [
                _("Not an OECD STIP Compass code: %(codes)s (expected like PI012 or TG40).")
                % {"codes": ", ".join(wrong)}
            ]
    if "position" in values:
        try:
            cleaned["position"] = int(values["position"])
            if cleaned["position"] < 0:
                raise ValueError
        except (TypeError, ValueError):
            errors["position"] = [_("Give the position as a whole number, 0 or more.")]
    if "active" in values:
        cleaned["active"] = bool(values["active"])
    if "parent" in values:
        parent = values["parent"]
        if parent is not None:
            if not isinstance(parent, Term) or parent.kind != kind:
                errors["parent"] = [_("The parent must be a term of the same kind.")]
            elif not parent.active and (term is None or parent.pk != term.parent_id):
                errors["parent"] = [_("The parent must be a term in use, not a retired one.")]
            elif term is not None and (parent.pk == term.pk or _is_descendant(parent, term)):
                errors["parent"] = [_("A term cannot be placed under itself or one of its sub-terms.")]
        cleaned["parent"] = parent
    if "value_type" in values or "choices" in values:
        value_type = str(values.get("value_type", term.value_type if term else "") or "")
        if kind == TermKind.PROVISION:
            if value_type not in ValueType.values:
                errors["value_type"] = [_("Choose the type of value of the provision.")]
        elif value_type:
            errors["value_type"] = [_("Only provisions have a type of value.")]
        cleaned["value_type"] = value_type
        cleaned["choices"] = _clean_choices(value_type, values.get("choices", term.choices if term else []), errors)
    if term is not None and "choices" in cleaned:
        _check_used_values(term, cleaned, errors)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _is_descendant(candidate: Term, ancestor: Term) -> bool:
    seen: set[int] = set()
    node: Term | None = candidate
    while node is not None and node.pk not in seen:
        if node.parent_id == ancestor.pk:
            return True
        seen.add(node.pk)
        node = node.parent
    return False


def _check_used_values(term: Term, cleaned: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """Facts keep their values: a provision's type cannot change under them, and a choice they give can be neither
    removed nor renamed in code (its names may change)."""
    used = _facts_by_value(term)
    if not used:
        return
    if cleaned["value_type"] != term.value_type:
        errors.setdefault("value_type", []).append(
            ngettext(
                "%(count)s fact gives a value of this provision: its type of value cannot change.",
                "%(count)s facts give a value of this provision: its type of value cannot change.",
                sum(used.values()),
            )
            % {"count": sum(used.values())}
        )
        return
    kept = {choice["code"] for choice in cleaned["choices"]}
    for choice in term.choices:
        code = choice.get("code")
        if code not in kept and used.get(code):
            errors.setdefault("choices", []).append(
                ngettext(
                    "The choice “%(code)s” is the value of %(count)s fact (published or waiting for review): it can "
                    "be neither removed nor given another code. Change its names instead.",
                    "The choice “%(code)s” is the value of %(count)s facts (published or waiting for review): it can "
                    "be neither removed nor given another code. Change its names instead.",
                    used[code],
                )
                % {"code": code, "count": used[code]}
            )


# --------------------------------------------------------------------------------------------------------- writing


def term_create(
    *,
    actor: Any,
    kind: str,
    code: str,
    names: dict[str, str],
    descriptions: dict[str, str] | None = None,
    category: str = "",
    stip_codes: list[str] | str | None = None,
    parent: Term | None = None,
    position: int | None = None,
    value_type: str = "",
    choices: list[dict[str, Any]] | None = None,
) -> Term:
    """A new term of ``kind``, at the end of its kind unless ``position`` is given; its code is fixed from now on."""
    require_unless_system(actor, PERM)
    errors: dict[str, list[str]] = {}
    if kind not in TermKind.values:
        raise ValidationError({"kind": _("Choose a kind of term.")})
    code = (code or "").strip()
    if not CODE_RE.match(code) or len(code) > 80:
        errors["code"] = [
            _("The code is a slug: at most 80 lowercase letters, digits and underscores, starting with a letter.")
        ]
    elif Term.objects.filter(kind=kind, code=code).exists():
        errors["code"] = [
            _("The code “%(code)s” is already used by another %(kind)s.") % {"code": code, "kind": TermKind(kind).label}
        ]
    values: dict[str, Any] = {
        "names": names, "descriptions": descriptions or {}, "category": category, "stip_codes": stip_codes or [],
        "parent": parent, "value_type": value_type, "choices": choices or [],
    }  # fmt: skip
    if position is not None:
        values["position"] = position
    try:
        cleaned = _clean(kind, values, None)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    if position is None:
        last = Term.objects.filter(kind=kind).order_by("-position").values_list("position", flat=True).first()
        cleaned["position"] = 0 if last is None else last + 1
    with set_actor(actor), transaction.atomic():
        return Term.objects.create(kind=kind, code=code, version=_next_version(), active=True, **cleaned)


def term_update(*, actor: Any, term: Term, **changes: Any) -> Term:
    """Change the editable fields of a term (names, descriptions, category, stip_codes, parent, position, active,
    value_type, choices); its kind and code are fixed after creation. Saving a change sets the term's version."""
    require_unless_system(actor, PERM, term)
    unknown = set(changes) - set(EDITABLE) - set(FIXED)
    if unknown:
        raise TypeError(f"term_update() got unexpected fields: {', '.join(sorted(unknown))}")
    fixed = {
        field: [_("Fixed after creation: exports, mappings and the API use it.")]
        for field in FIXED
        if field in changes and changes[field] != getattr(term, field)
    }
    if fixed:
        raise ValidationError(fixed)
    changes = {field: value for field, value in changes.items() if field in EDITABLE}
    cleaned = _clean(term.kind, changes, term)
    if cleaned.get("active") is False and term.active:
        _check_retirable(term)
    parent = cleaned.get("parent", term.parent)
    if cleaned.get("active") and not term.active and parent is not None and not parent.active:
        raise ValidationError({"active": _("Bring its parent “%(code)s” back into use first.") % {"code": parent.code}})
    changed = [field for field, value in cleaned.items() if getattr(term, field) != value]
    if not changed:
        return term
    with set_actor(actor), transaction.atomic():
        for field in changed:
            setattr(term, field, cleaned[field])
        term.version = _next_version()
        term.save(update_fields=[*changed, "version"])
    return term


def _check_retirable(term: Term) -> None:
    children = list(term.children.filter(active=True).values_list("code", flat=True))
    if children:
        raise ValidationError(
            {"active": _("Retire or move its sub-terms first: %(codes)s.") % {"codes": ", ".join(children)}}
        )


def term_retire(*, actor: Any, term: Term) -> Term:
    """Retire a term instead of deleting it: it vanishes from proposal forms and from the export, and stays on the
    records that use it."""
    require_unless_system(actor, PERM, term)
    return term_update(actor=actor, term=term, active=False)


# --------------------------------------------------------------------------------------------------------- export


def taxonomy_export(*, actor: Any) -> dict[str, Any]:
    """The terms in use, in the format of ``knowledge/data/taxonomy.json`` (same keys in the same order, kinds in the
    file's order, each in position order), with the taxonomy's version. Retired terms are left out: a database loaded
    from the export has exactly the terms in use."""
    require_unless_system(actor, PERM)
    source = json.loads(TAXONOMY_FILE.read_text(encoding="utf-8")).get("source", "")
    terms = sorted(
        Term.objects.filter(active=True).select_related("parent"),
        key=lambda term: (TermKind.values.index(term.kind), term.position, term.code),
    )
    items = []
    for term in terms:
        item: dict[str, Any] = {"kind": term.kind, "code": term.code}
        if term.kind == TermKind.OBSTACLE or term.category:
            item["category"] = term.category
        item["parent"] = term.parent.code if term.parent is not None else None
        item["name"] = _in_language_order(term.names)
        item["description"] = _in_language_order(term.descriptions)
        if term.kind == TermKind.PROVISION or term.value_type:
            item["value_type"] = term.value_type
        if term.value_type == ValueType.CHOICE or term.choices:
            item["choices"] = [
                {
                    "code": choice.get("code"),
                    "name": _in_language_order(choice.get("name", {})),
                    **{key: value for key, value in choice.items() if key not in ("code", "name")},
                }
                for choice in term.choices
            ]
        item["stip_codes"] = term.stip_codes
        items.append(item)
    return {"version": taxonomy_version(), "source": source, "terms": items}


def _in_language_order(texts: dict[str, str]) -> dict[str, str]:
    """Texts in the order of the six languages, as the data file has them (PostgreSQL's jsonb reorders keys)."""
    return {**{code: texts[code] for code in LANGUAGE_CODES if code in texts}, **texts}


def taxonomy_export_text(*, actor: Any) -> str:
    """The export as the data file is written: JSON indented by two spaces, UTF-8 characters as they are."""
    return json.dumps(taxonomy_export(actor=actor), indent=2, ensure_ascii=False) + "\n"
