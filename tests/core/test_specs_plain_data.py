"""Field specs are plain data: importing them loads nothing of the store."""

import subprocess
import sys
from pathlib import Path

from kejiju_desktop import fields

ROOT = Path(__file__).resolve().parents[2]


def modules_loaded_by(module: str) -> set[str]:
    """The top-level packages a fresh interpreter has loaded after importing one module."""
    code = f"import sys, {module}; print(' '.join(sorted({{name.split('.')[0] for name in sys.modules}})))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    return set(done.stdout.split())


def test_importing_the_field_specs_loads_no_part_of_db():
    loaded = modules_loaded_by("kejiju_desktop.fields")
    assert "kejiju_desktop" in loaded
    assert "db" not in loaded
    assert "sqlalchemy" not in loaded


def test_importing_the_validators_loads_no_part_of_db():
    assert "db" not in modules_loaded_by("kejiju_desktop.validation")


def test_every_child_spec_names_an_entity_and_its_link_to_the_parent():
    for entity in fields.ENTITIES.values():
        for child in entity.children:
            assert fields.entity(child.table).field(child.key).kind == fields.UNIT, (entity.table, child)
