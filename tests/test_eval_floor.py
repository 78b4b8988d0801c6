"""The extractor's scores on the development gold set never fall below the recorded floor.

When a change raises the scores, raise the floor in tests/gold/floor.json with it."""

import json
from pathlib import Path

from graph.evaluate import evaluate, load_gold
from graph.ontology import load_codebook

GOLD = Path(__file__).resolve().parent / "gold"


def test_scores_stay_above_the_floor(extractor):
    floor = json.loads((GOLD / "floor.json").read_text())
    report = evaluate(extractor, load_gold(GOLD), load_codebook(), keep_misses=False)
    scores = {
        "dyad_f1": report.dyad.f1,
        "dyad_precision": report.dyad.precision,
        "dyad_plover_f1": report.typed.f1,
        "dyad_plover_precision": report.typed.precision,
    }
    below = {
        name: (round(scores[name], 4), value)
        for name, value in floor.items()
        if scores[name] < value
    }
    assert not below, f"scores below the floor (score, floor): {below}"
