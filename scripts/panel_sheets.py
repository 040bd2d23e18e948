"""Blind card panels: a built deck's cards as the plain text readers judge, in seeded sheets.

The judging recipe of docs/anki.md ("Where the cards stand"), as one command, so a panel
can be drawn again on any machine:

    .venv/bin/python scripts/panel_sheets.py draw build/anki/DECK.apkg /tmp/panel \\
        --seed 52817 --sample Explain=30,Cloze=20,Outline=15,Name=all --sheets 2
    # give /tmp/panel/sheet-1.json to three readers with docs/panels/CARD_JUDGE_RUBRIC.md,
    # each writing /tmp/panel/sheet-1.<reader>.json (a JSON list, one verdict per card)
    .venv/bin/python scripts/panel_sheets.py tally /tmp/panel

``draw`` imports the deck into a fresh collection with the official ``anki`` package,
renders every card's question and answer as Anki does, turns the HTML into the rubric's
plain text (``[...]`` a blank, ``[[...]]`` a revealed cloze answer, backticks for code,
formulas as plain text) and writes the sampled cards, shuffled, into sheets with a
``key.json`` that maps each sheet's card numbers back to the deck. ``tally`` counts a card
as kept when most of its readers keep it, per card type, and lists every reject with
what its readers said. The sheets hold the book's text: keep the folder outside the
repository when the book is not yours.
"""
from __future__ import annotations

import argparse
import html
import json
import random
import re
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def card_text(fragment: str) -> str:
    """A card side's HTML as the rubric's plain text."""
    from pylatexenc.latex2text import LatexNodes2Text

    to_text = LatexNodes2Text()
    text = re.sub(r"<style.*?</style>", "", fragment, flags=re.S)
    text = re.sub(r'<span class="cloze-blank"[^>]*>.*?</span>', "[...]", text, flags=re.S)
    text = re.sub(r'<span class="cloze-term"[^>]*>(.*?)</span>', r"[[\1]]", text, flags=re.S)
    text = re.sub(r"<code[^>]*>(.*?)</code>", r"`\1`", text, flags=re.S)
    text = re.sub(r'<li class="uncounted"[^>]*>', "\n(unnumbered heading, faded italics) ", text)
    text = re.sub(r'<li[^>]*value="(\d+)"[^>]*>', r"\n\1. ", text)
    text = re.sub(r"<li[^>]*>", "\n- ", text)
    # a formula's braces are escaped for Anki's templates: unescape before reading TeX
    text = re.sub(r"\\\((.*?)\\\)",
                  lambda m: to_text.latex_to_text(html.unescape(m.group(1))), text, flags=re.S)
    text = re.sub(r"<(br|/p|/div|/h\d|hr|/ol|/ul)[^>]*>", "\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text)
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r"\n\s*\n+", "\n", text).strip()


def deck_cards(apkg: Path) -> list[dict[str, object]]:
    """Every card of the package, imported into a fresh collection, as plain text."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    with tempfile.TemporaryDirectory() as folder:
        collection = Collection(str(Path(folder) / "collection.anki2"))
        try:
            collection.import_anki_package(ImportAnkiPackageRequest(
                package_path=str(apkg), options=ImportAnkiPackageOptions()))
            cards = []
            for card_id in sorted(collection.find_cards("")):
                card = collection.get_card(card_id)
                cards.append({"card_id": card_id, "card_type": card.template()["name"],
                              "deck": collection.decks.name(card.did),
                              "tags": list(card.note().tags),
                              "front": card_text(card.question()),
                              "back": card_text(card.answer())})
        finally:
            collection.close()
    return cards


def parse_sample(spec: str) -> dict[str, int | None]:
    """"Explain=30,Name=all" -> {"Explain": 30, "Name": None} (None: every card)."""
    wanted: dict[str, int | None] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        kind, _, count = part.partition("=")
        if not count:
            raise SystemExit(f"panel_sheets: error: --sample wants KIND=N or KIND=all: {part!r}")
        wanted[kind] = None if count == "all" else int(count)
    return wanted


def draw(apkg: Path, folder: Path, seed: int, sample: dict[str, int | None],
         sheets: int) -> dict[str, int]:
    if folder.resolve().is_relative_to(ROOT):
        raise SystemExit("panel_sheets: error: the sheets hold the book's text; write them "
                         "outside the repository")
    cards = deck_cards(apkg)
    rng = random.Random(seed)
    picked: list[dict[str, object]] = []
    for kind, count in sample.items():
        of_kind = [c for c in cards if c["card_type"] == kind]
        picked += of_kind if count is None or count >= len(of_kind) else rng.sample(of_kind, count)
    rng.shuffle(picked)
    folder.mkdir(parents=True, exist_ok=True)
    key: dict[str, dict[str, object]] = {}
    for sheet in range(sheets):
        rows = []
        for number, card in enumerate(picked[sheet::sheets], 1):
            key[f"{sheet + 1}:{number}"] = {"card_id": card["card_id"],
                                            "card_type": card["card_type"]}
            rows.append({"n": number, **{k: v for k, v in card.items() if k != "card_id"}})
        (folder / f"sheet-{sheet + 1}.json").write_text(
            json.dumps(rows, indent=1, ensure_ascii=False) + "\n", "utf-8")
    (folder / "key.json").write_text(json.dumps(key, indent=1) + "\n", "utf-8")
    return dict(Counter(str(c["card_type"]) for c in picked))


def tally(folder: Path) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """(kept, judged) per card type, a card kept when most of its readers keep it; and
    one line per reject."""
    key = json.loads((folder / "key.json").read_text("utf-8"))
    verdicts: dict[str, list[dict[str, object]]] = defaultdict(list)
    for path in sorted(folder.glob("sheet-*.*.json")):
        sheet = path.name.split(".")[0].removeprefix("sheet-")
        for verdict in json.loads(path.read_text("utf-8")):
            verdicts[f"{sheet}:{verdict['n']}"].append(verdict)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    rejects = []
    for number, card in key.items():
        said = verdicts.get(number, [])
        if not said:
            continue
        kind = str(card["card_type"])
        counts[kind][1] += 1
        if 2 * sum(bool(v["keep"]) for v in said) > len(said):
            counts[kind][0] += 1
        else:
            reasons = "; ".join(str(v.get("problem", "")) for v in said if not v["keep"])
            rejects.append(f"{kind} {number} (card {card['card_id']}): {reasons}")
    return {kind: (kept, judged) for kind, (kept, judged) in sorted(counts.items())}, rejects


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    draw_cmd = commands.add_parser("draw", help="draw a seeded sample of a deck into sheets")
    draw_cmd.add_argument("apkg", type=Path)
    draw_cmd.add_argument("folder", type=Path)
    draw_cmd.add_argument("--seed", type=int, required=True)
    draw_cmd.add_argument("--sample", default="Explain=30,Cloze=20,Outline=15,Name=all")
    draw_cmd.add_argument("--sheets", type=int, default=2)
    tally_cmd = commands.add_parser("tally", help="count the readers' verdicts")
    tally_cmd.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    if args.command == "draw":
        drawn = draw(args.apkg, args.folder, args.seed, parse_sample(args.sample), args.sheets)
        print(f"wrote {args.sheets} sheet(s) to {args.folder}: "
              + ", ".join(f"{kind} {n}" for kind, n in drawn.items()))
    else:
        counts, rejects = tally(args.folder)
        for kind, (kept, judged) in counts.items():
            print(f"{kind}: {kept} of {judged} kept")
        for line in rejects:
            print("  reject:", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
