"""A record type's field list → a Django form, and cleaned data → JSON content."""
import datetime

from django import forms
from django.core.exceptions import ValidationError

from liuhen.common import text

_DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


# Dates a record can hold (a year-1 date is stored but cannot be shown in local time: the record
# would no longer open). Enforcement acts of this system fall well inside.
YEAR_MIN, YEAR_MAX = 1900, 2100


def _year_in_range(value):
    if value is not None and not YEAR_MIN <= value.year <= YEAR_MAX:
        raise ValidationError(f"日期须在{YEAR_MIN}年至{YEAR_MAX}年之间。", code="year_out_of_range")


def _form_field(spec: dict) -> forms.Field:
    kind = spec.get("type", "text")
    common = {"label": spec["label"], "required": spec.get("required", True), "help_text": spec.get("help", "")}
    if "default" in spec:
        common["initial"] = spec["default"]
    if kind == "text":
        return forms.CharField(max_length=text.LINE_MAX, validators=[text.single_line], **common)
    if kind == "textarea":
        return forms.CharField(max_length=text.TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5}),
                               validators=[text.multi_line], **common)
    if kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                               validators=[_year_in_range], **common)
    if kind == "datetime":
        return forms.DateTimeField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            input_formats=_DT_FORMATS, validators=[_year_in_range], **common)
    if kind == "integer":
        return forms.IntegerField(min_value=0, **common)
    if kind == "choice":
        return forms.ChoiceField(choices=[("", "——请选择——")] + [(c, c) for c in spec["choices"]], **common)
    if kind == "bool":
        return forms.BooleanField(**common)
    raise ValueError(f"unknown field type {kind!r} in record schema")


def form_class(fields: list[dict]) -> type[forms.Form]:
    attrs = {spec["name"]: _form_field(spec) for spec in fields}
    return type("RecordContentForm", (forms.Form,), attrs)


def to_content(fields: list[dict], cleaned: dict) -> dict:
    """JSON-safe content in schema order; dates as ISO 8601 (datetimes with their offset)."""
    out = {}
    for spec in fields:
        value = cleaned.get(spec["name"])
        if isinstance(value, datetime.datetime):
            value = value.isoformat(timespec="minutes")
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        elif value is None:
            value = ""
        out[spec["name"]] = value
    return out


def to_initial(fields: list[dict], content: dict) -> dict:
    """Stored content back into form initial values."""
    initial = {}
    for spec in fields:
        value = content.get(spec["name"], "")
        if spec.get("type") == "datetime" and value:
            value = datetime.datetime.fromisoformat(value)
        initial[spec["name"]] = value
    return initial


def validate_content(fields: list[dict], data: dict) -> dict:
    """Validate raw values (form POST or API JSON) against the schema; return clean content.

    Raises django.core.exceptions.ValidationError with the form's Chinese messages.
    """
    from django.core.exceptions import ValidationError

    form = form_class(fields)(data=data)
    if not form.is_valid():
        raise ValidationError(
            [f"{form.fields[name].label if name in form.fields else name}：{msg}"
             for name, errs in form.errors.items() for msg in errs]
        )
    return to_content(fields, form.cleaned_data)


def display_rows(fields: list[dict], content: dict) -> list[dict]:
    """(label, text) pairs for showing a record: dates and times in local form, booleans as 是/否."""
    from django.utils import timezone

    rows = []
    for spec in fields:
        value = content.get(spec["name"], "")
        kind = spec.get("type")
        if kind == "bool":
            text = "是" if value else "否"
        elif kind == "datetime" and value:
            text = timezone.localtime(datetime.datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")
        else:
            text = "" if value is None else str(value)
        rows.append({"label": spec["label"], "value": text})
    return rows
