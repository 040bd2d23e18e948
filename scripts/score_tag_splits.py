"""Score the tag splitter against rows a person split by hand.

    python scripts/score_tag_splits.py --book BOOK.txt HAND-SPLIT.txt [...]
    python scripts/score_tag_splits.py --book BOOK.txt HAND.txt --errors   # list wrong rows

Each line of a hand-split file is one joined tag row of BOOK with its tags separated by
`` | `` (``#`` starts a comment; a line without `` | `` is a row of one tag). The book is
built as ``drillbook build`` builds it (no tags.toml), every row is split the way the tags
stage splits it (with the row's own point as context when the book prints the row), and
the splits are compared with the hand splits:

* exact rows: every cut of the row is where the hand split puts it;
* tag precision: the share of the splitter's tags that are a hand-split tag (the same
  words at the same place in the row); tag recall: the share of hand-split tags found.

Keep the hand-split files outside the repository when the book is not yours.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.build import SourceInput, build_corpus  # noqa: E402
from pipeline.config import Config  # noqa: E402
from pipeline.tags.aliases import TagAliases  # noqa: E402
from pipeline.tags.stage import split_joined_rows  # noqa: E402
from pipeline.tags.words import match_key, tag_words  # noqa: E402


def read_hand_splits(path: Path) -> list[tuple[str, ...]]:
    """The hand-split rows of one file: each row's tags, in order."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            rows.append(tuple(part.strip() for part in line.split(" | ") if part.strip()))
    return rows


def spans(parts: tuple[str, ...] | list[str]) -> set[tuple[int, int]]:
    """Each tag as the (first, last + 1) word positions it covers in its row."""
    found, start = set(), 0
    for part in parts:
        length = len(tag_words(part))
        found.add((start, start + length))
        start += length
    return found


def score(pairs: list[tuple[tuple[str, ...], tuple[str, ...]]]) -> dict[str, float | int]:
    """Exact-row accuracy and tag precision/recall of (hand split, splitter's split) pairs."""
    exact = right = predicted = gold = 0
    for hand, split in pairs:
        want, got = spans(hand), spans(split)
        exact += want == got
        right += len(want & got)
        predicted += len(got)
        gold += len(want)
    return {"rows": len(pairs), "exact_rows": exact,
            "exact_rate": round(exact / max(1, len(pairs)), 4),
            "tag_precision": round(right / max(1, predicted), 4),
            "tag_recall": round(right / max(1, gold), 4),
            "hand_tags": gold, "split_tags": predicted}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", type=Path, required=True, help="the book the rows come from")
    parser.add_argument("--errors", action="store_true", help="also list every wrong row")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("hand_splits", type=Path, nargs="+")
    args = parser.parse_args(argv)

    built = build_corpus([SourceInput(args.book, str(args.book))], Config())
    rows = [parts for path in args.hand_splits for parts in read_hand_splits(path)]
    texts = [" ".join(parts) for parts in rows]
    splitter = split_joined_rows(built.corpus, built.dedupe.evidence, TagAliases(),
                                 extra_rows=texts)
    printed = {match_key(text) for text in splitter.printed_rows}
    pairs = []
    for parts, text in zip(rows, texts):
        pairs.append((parts, splitter.rows[text].parts))
    result = score(pairs)
    result["rows_not_in_book"] = sum(1 for text in texts if match_key(text) not in printed)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{result['rows']} hand-split rows ({result['rows_not_in_book']} not printed "
              f"as a joined row of the book)")
        print(f"exact rows:    {result['exact_rows']}/{result['rows']} = "
              f"{result['exact_rate']:.1%}")
        print(f"tag precision: {result['tag_precision']:.1%} of {result['split_tags']} tags")
        print(f"tag recall:    {result['tag_recall']:.1%} of {result['hand_tags']} tags")
    if args.errors:
        for hand, split in pairs:
            if spans(hand) != spans(split):
                print(f"  hand:  {' | '.join(hand)}\n  split: {' | '.join(split)}",
                      file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
