"""An untouched record is not saved: no UPDATE, no `auto_now` bump, no history row.

Every model whose changes are recorded (django-simple-history) gets this guard once, at
start-up (`CoreConfig.ready`), so every form, service and import benefits without each view
checking `form.has_changed()`: saving an existing row whose stored values equal the ones
about to be written does nothing. Text compares through `normalize_text` so a line ending or
a trailing space is not a change either (forms and loaders normalise what they write).
"""

from functools import wraps

from django.apps import apps
from django.db.models.fields.files import FieldFile

from opencls.core.text import normalize_text


def _comparable(field, value):
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, str):
        value = normalize_text(value)
    try:
        value = field.to_python(value)
    except Exception:  # noqa: BLE001 - an unreadable value simply compares as different
        return value
    return normalize_text(value) if isinstance(value, str) else value


# Who last wrote the row: bookkeeping that follows a change, never a change by itself (the
# history records the author anyway).
BOOKKEEPING_FIELDS = {"updated_by", "entered_by", "set_by", "recorded_by"}


def compared_fields(model) -> list:
    """Stored columns a save would write, except keys, `auto_now` timestamps and authors."""
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key
        and not getattr(field, "auto_now", False)
        and field.name not in BOOKKEEPING_FIELDS
    ]


def is_unchanged(instance, using=None, update_fields=None) -> bool:
    """True when `instance` exists and the database row already holds every value it would write
    (only `update_fields` when given, as `update_or_create` does)."""
    if instance._state.adding or instance.pk is None:
        return False
    model = type(instance)
    fields = compared_fields(model)
    if update_fields is not None:
        names = set(update_fields)
        fields = [field for field in fields if field.name in names or field.attname in names]
        if not fields:
            return False  # only bookkeeping asked for: a deliberate touch
    stored = (
        model._base_manager.using(using or instance._state.db or "default")
        .filter(pk=instance.pk)
        .values(*(field.attname for field in fields))
        .first()
    )
    if stored is None:
        return False
    return all(
        _comparable(field, stored[field.attname]) == _comparable(field, getattr(instance, field.attname))
        for field in fields
    )


def _guarded(save_base):
    @wraps(save_base)
    def save_base_unless_unchanged(self, *args, **kwargs):
        raw = kwargs.get("raw", False)
        forced = kwargs.get("force_insert") or kwargs.get("force_update")
        if not raw and not forced and is_unchanged(self, kwargs.get("using"), kwargs.get("update_fields")):
            return None
        return save_base(self, *args, **kwargs)

    save_base_unless_unchanged.opencls_unchanged_guard = True
    return save_base_unless_unchanged


def install_unchanged_guard() -> None:
    """Wrap `save_base` of every model with history (idempotent)."""
    for model in apps.get_models():
        if model._meta.abstract or not hasattr(model, "history") or model.__name__.startswith("Historical"):
            continue
        if getattr(model.save_base, "opencls_unchanged_guard", False):
            continue  # already guarded, possibly through a parent model
        model.save_base = _guarded(model.save_base)
