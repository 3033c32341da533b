"""Every child spec has a panel to show it beside its parent's form."""

from kejiju_desktop import fields
from ui.child_panels import PANELS


def test_every_child_spec_has_a_registered_panel():
    children = [child for entity in fields.ENTITIES.values() for child in entity.children]
    assert children
    assert [child.table for child in children if child.table not in PANELS] == []
