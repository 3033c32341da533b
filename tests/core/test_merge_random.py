"""Random edits on two offices' files, merged back and forth: after A→B then B→A both hold the same records."""

from __future__ import annotations

import random

import pytest

from tests.core.merge_helpers import delete, live, merge, office_file, save


def _random_round(rng: random.Random, path, tag: str, known: list[str]) -> None:
    alive = list(live(path, "events"))
    for step in range(6):
        choice = rng.random()
        if choice < 0.4 or not alive:
            uid = save(
                path, "events", {"name": f"{tag}新增{step}-{rng.randrange(10**6)}", "start_on": "2012-05-20"}
            )
            known.append(uid)
            alive.append(uid)
        elif choice < 0.85:
            uid = rng.choice(alive)
            save(path, "events", {"name": f"{tag}修改{step}-{rng.randrange(10**6)}"}, uid=uid)
        else:
            uid = alive.pop(rng.randrange(len(alive)))
            delete(path, "events", uid)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edits_converge_after_a_round_trip(tmp_path, seed):
    rng = random.Random(seed)
    a, b = office_file(tmp_path, "甲"), office_file(tmp_path, "乙")
    known: list[str] = []
    for _round in range(3):
        _random_round(rng, a, "甲", known)
        _random_round(rng, b, "乙", known)
        first, second = (a, b) if rng.random() < 0.5 else (b, a)
        merge(second, first)
        merge(first, second)
        assert live(a, "events") == live(b, "events")
    assert merge(a, b)[0].items == [] and merge(b, a)[0].items == []
