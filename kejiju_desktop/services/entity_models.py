"""Binds the field specs to the store's models by table name: the one place the two meet."""

from __future__ import annotations

from db.models import ENTITY_MODELS, Entity
from kejiju_desktop.fields import EntitySpec


def model_of(entity: EntitySpec) -> type[Entity]:
    """The mapped class of the table a spec names (its columns carry the spec's field keys)."""
    return ENTITY_MODELS[entity.table]
