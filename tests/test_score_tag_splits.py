"""scripts/score_tag_splits.py: the numbers it prints for a hand-split file."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import load_script

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "score_tag_splits.py"
score_tag_splits = load_script("score_tag_splits")


def test_tags_are_right_only_at_the_same_place_in_the_row():
    pairs = [(("a b", "c"), ("a b", "c")),  # exact
             (("a", "b c"), ("a b", "c")),  # both tags wrong
             (("a", "b", "c d"), ("a", "b c d"))]  # one of two right, one of three found
    result = score_tag_splits.score(pairs)
    assert result["exact_rows"] == 1 and result["rows"] == 3
    assert result["tag_precision"] == round(3 / 6, 4)  # a b, c, a right of 6 split tags
    assert result["tag_recall"] == round(3 / 7, 4)


def test_the_script_scores_a_hand_split_file_of_the_sample(tmp_path):
    hand = tmp_path / "hand.txt"
    hand.write_text("# invented splits of sample rows\nRound robin | NGINX upstream | equal "
                    "weights\nWeighted rotation spare capacity\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(SCRIPT), "--json", "--book",
                           str(ROOT / "raw" / "sample" / "sample-ebook.txt"), str(hand)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["rows"] == 2 and result["hand_tags"] == 4
    assert 0 <= result["exact_rows"] <= 2 and 0.0 <= result["tag_precision"] <= 1.0
