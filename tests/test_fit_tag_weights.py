"""scripts/fit_tag_weights.py: the optimiser, the hand-split reader, and a dry run."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
from conftest import load_script

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "fit_tag_weights.py"
fit_tag_weights = load_script("fit_tag_weights")


def test_gold_cuts_follow_the_hand_split_whatever_the_case_or_plural():
    words = "Drip lines soil probe night timers".split()
    assert fit_tag_weights.gold_cuts(words, ("drip line", "Soil probes", "night timers")) == (2, 4)
    assert fit_tag_weights.gold_cuts(words, ("drip lines", "soil")) is None


def test_fit_moves_the_weights_towards_the_hand_splits():
    # two splits per row, one feature that only the wrong split has: the prior likes it
    wrong, right = [1.0, 0.0], [0.0, 1.0]
    data = [fit_tag_weights.Example(["a", "b"], (1,), matrix=np.array([wrong, right]),
                                    splits=[(), (1,)], gold=1)] * 5
    prior = np.array([2.0, 0.0])
    assert fit_tag_weights.accuracy(data, prior) == 0.0
    fitted = fit_tag_weights.fit(data, prior, free=np.array([1.0, 1.0]), strength=0.1)
    assert fit_tag_weights.accuracy(data, fitted) == 1.0
    held = fit_tag_weights.fit(data, prior, free=np.array([0.0, 0.0]), strength=0.1)
    assert np.array_equal(held, prior)  # fixed weights do not move


def test_dry_run_on_the_sample_book(tmp_path):
    sample = tmp_path / "hand.txt"
    sample.write_text("# rows split by hand\nRound robin | NGINX upstream | equal weights\n"
                      "Weighted rotation | spare capacity\nSoil probes | drip lines\n",
                      encoding="utf-8")
    before = (ROOT / "pipeline" / "tags" / "weights_fitted.py").read_bytes()
    done = subprocess.run([sys.executable, str(SCRIPT), "--dry-run", "--folds", "2",
                           "--strength", "1.0",
                           "--book", str(ROOT / "raw" / "sample" / "sample-ebook.txt"),
                           str(sample)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "need the weights" in done.stdout
    assert "cross-validated" in done.stdout and "tag precision" in done.stdout
    assert (ROOT / "pipeline" / "tags" / "weights_fitted.py").read_bytes() == before
