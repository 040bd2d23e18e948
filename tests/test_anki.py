"""Anki decks: built from an invented corpus, imported with the official ``anki`` package.

Expectations are written by hand from tests/fixtures/anki/corpus.json (4 problems in 3
topics, 11 points, one without a title); see the comments next to each number.
"""
from __future__ import annotations

import dataclasses
import html
import json
from pathlib import Path

import genanki
import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.scheduler.v3 import CardAnswer
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.emit.anki import (MANIFEST_PATH, RETIRED_TAG, AnkiOptions, anki_outputs,
                                resolve_topics)
from pipeline.emit.anki.cloze import cloze_markup, key_term
from pipeline.emit.anki.manifest import stamp
from pipeline.emit.anki.notes import NoteSpec, anki_escape, field_text, point_keys
from pipeline.emit.corpus_json import load_corpus
from pipeline.errors import DrillbookError
from pipeline.models import Point, Where
from pipeline.templating import make_environment

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "anki" / "corpus.json"
ROOT = "Backend Interview Problems"
NOW = 1_700_000_000
LATER = NOW + 86_400
APKG = "anki/backend-interview-problems.apkg"

# Problem ids of the fixture.
LOST = "lost-messages-after-crash-d4e5f6"
BACKLOG = "slow-consumer-backlog-0a9b8c"
STALE = "stale-prices-in-cache-a1b2c3"
INJECTION = "template-injection-in-emails-7f7f7f"


def guid(kind: str, key: str) -> str:
    """The GUID a note must have, computed independently of the emitter."""
    return genanki.guid_for(f"drillbook-{kind}", key)


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(FIXTURE)


@pytest.fixture(scope="module")
def env():
    return make_environment()


def build(corpus, env, manifest=None, now=NOW, **options):
    return anki_outputs(corpus, AnkiOptions(**options), manifest, now, env)


def manifest_of(built) -> dict:
    return json.loads(built.files[MANIFEST_PATH])


def changed_corpus(corpus):
    """The fixture after an edit of one explanation of the stale-prices problem only."""
    problems = []
    for problem in corpus.problems:
        if problem.id == STALE:
            points = list(problem.points)
            points[1] = dataclasses.replace(
                points[1], explanation="Cut the TTL to five minutes so old entries age out fast.")
            problem = dataclasses.replace(problem, points=tuple(points))
        problems.append(problem)
    return dataclasses.replace(corpus, problems=tuple(problems))


def without(corpus, problem_id):
    return dataclasses.replace(corpus, problems=tuple(p for p in corpus.problems
                                                      if p.id != problem_id))


@pytest.fixture
def collection(tmp_path):
    col = Collection(str(tmp_path / "collection.anki2"))
    yield col
    col.close()


def import_deck(col, built, folder: Path, name: str):
    """Import the built .apkg with Anki's defaults (update notes only when newer)."""
    path = folder / f"{name}.apkg"
    path.write_bytes(built.files[built.apkg_path])
    response = col.import_anki_package(ImportAnkiPackageRequest(
        package_path=str(path), options=ImportAnkiPackageOptions()))
    return response.log


def guids(col, notes) -> set[str]:
    return {col.get_note(note.id.nid).guid for note in notes}


def deck_names(col) -> set[str]:
    return {deck.name for deck in col.decks.all_names_and_ids()}


def note_by_guid(col, wanted: str):
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        if note.guid == wanted:
            return note
    raise AssertionError(f"no note with guid {wanted}")


def answer_good(col, card) -> None:
    states = col._backend.get_scheduling_states(card.id)
    card.start_timer()
    col.sched.answer_card(col.sched.build_answer(card=card, states=states,
                                                 rating=CardAnswer.GOOD))


# --- pieces -----------------------------------------------------------------------------

def test_field_text_escapes_html_and_braces():
    assert field_text('a <b> & "c"\n{{c1::x}} {% y %}') == (
        "a &lt;b&gt; &amp; &#34;c&#34;<br>&#123;&#123;c1::x&#125;&#125; &#123;% y %&#125;"
        .replace("&#34;", "&quot;"))


def test_key_term_prefers_the_longest_run_the_hints_name():
    text = "Keep a read replica per region so reads stay local."
    start, end = key_term(text, ["Regional Read Replicas", "read replica"])
    assert text[start:end] == "read replica"


def test_key_term_none_without_a_shared_content_word():
    assert key_term("Refuse anything odd before it gets in.", ["Reject Input"]) is None
    # stop words and phrasing words ("use") never count as the key term
    assert key_term("Use them as they are.", ["Use Them"]) is None


def test_key_term_refuses_a_term_that_is_most_of_the_text():
    assert key_term("Circuit breaker.", ["circuit breaker"]) is None


def test_cloze_markup_blanks_every_occurrence_and_escapes_the_rest():
    text = "Cache <hot> keys; a cache & {{c2::x}} stays."
    marked = cloze_markup(text, (0, 5), anki_escape)
    assert marked == ("{{c1::Cache}} &lt;hot&gt; keys; a {{c1::cache}} &amp; "
                      "&#123;&#123;c2::x&#125;&#125; stays.")


def test_point_keys_follow_titles_not_positions(corpus):
    problem = next(p for p in corpus.problems if p.id == LOST)
    keys, _ = point_keys(problem)
    assert keys == [f"{LOST}/acknowledge after processing", f"{LOST}/idempotent handlers",
                    f"{LOST}/park poison messages"]
    shuffled = dataclasses.replace(problem, points=problem.points[::-1])
    assert point_keys(shuffled)[0] == keys[::-1]


def test_point_keys_number_repeated_titles_and_key_untitled_points_by_text(corpus):
    problem = next(p for p in corpus.problems if p.id == LOST)
    twin = dataclasses.replace(problem.points[0], explanation="Another take.")
    untitled = Point(title="", explanation="Text only.", example="", where=Where("x"))
    keys, noticed = point_keys(dataclasses.replace(
        problem, points=(problem.points[0], twin, untitled)))
    assert keys[:2] == [f"{LOST}/acknowledge after processing",
                        f"{LOST}/acknowledge after processing #2"]
    assert keys[2].startswith(f"{LOST}/untitled ")
    assert [d.code for d in noticed] == ["anki-duplicate-point"]


def _spec(guid_: str, text: str) -> NoteSpec:
    return NoteSpec(guid_, "point", "k", "p", "P", "t", "T", (text, "back"), ("a",))


def test_stamp_keeps_unchanged_times_and_moves_changed_ones_forward():
    first, _ = stamp([_spec("g1", "one"), _spec("g2", "two")], None, NOW)
    assert [s.mod for s in first] == [NOW, NOW]
    manifest = {"format": 1, "notes": {
        s.note.guid: {"kind": "point", "hash": s.hash, "mod": s.mod, "fields": ["x", "y"],
                      "tags": ["a"]} for s in first}}
    second, retired = stamp([_spec("g1", "one"), _spec("g2", "TWO")], manifest, LATER)
    assert [(s.mod, s.status) for s in second] == [(NOW, "unchanged"), (LATER, "changed")]
    assert retired == []
    # A clock behind the manifest still gives a strictly newer time to a changed note.
    third, _ = stamp([_spec("g1", "uno")], manifest, NOW - 50)
    assert third[0].mod == NOW + 1


# --- the package, without Anki ----------------------------------------------------------

def test_same_inputs_give_byte_identical_files(corpus, env):
    one = build(corpus, env, kinds=("problem", "point", "cloze"))
    two = build(corpus, env, kinds=("problem", "point", "cloze"))
    assert one.files == two.files
    assert sorted(one.files) == [APKG, MANIFEST_PATH]


def test_unchanged_rebuild_keeps_the_manifest(corpus, env):
    first = build(corpus, env)
    again = build(corpus, env, manifest_of(first), now=LATER)
    assert again.files == first.files  # the .apkg too: nothing changed, so nothing is newer
    assert again.changes == {"new": 0, "changed": 0, "unchanged": 14}


def test_counts_per_kind(corpus, env):
    built = build(corpus, env, kinds=("problem", "point", "cloze"))
    # 4 problems; 11 points minus 1 untitled; 11 points minus "Reject Block Statements",
    # whose explanation shares no word with its title or tag.
    assert built.counts == {"problem": {"notes": 4, "cards": 4},
                            "point": {"notes": 10, "cards": 10},
                            "cloze": {"notes": 10, "cards": 10}}
    codes = {d.code for d in built.diagnostics}
    assert {"anki-untitled-point", "anki-no-cloze-term"} <= codes


def test_manifest_covers_every_kind_and_topic_whatever_is_shipped(corpus, env):
    built = build(corpus, env, topics=("caching-cdns",), kinds=("problem",))
    assert built.counts == {"problem": {"notes": 1, "cards": 1}}
    assert len(manifest_of(built)["notes"]) == 24  # 4 problem + 10 point + 10 cloze notes


def test_fields_escape_the_books_markup(corpus, env):
    data = manifest_of(build(corpus, env, kinds=("problem", "point", "cloze")))["notes"]
    front = data[guid("problem", INJECTION)]["fields"][0]
    assert "&#123;&#123;c1::admin&#125;&#125;" in front and "{{" not in front
    point_back = data[guid("point", f"{INJECTION}/escape output")]["fields"][1]
    assert "&lt;b&gt; → &amp;lt;b&amp;gt;" in point_back and "<b>" not in point_back
    cloze = data[guid("cloze", f"{INJECTION}/escape output")]["fields"][0]
    assert cloze.count("{{c1::") == 1 and "{{c2::" not in cloze
    assert "{{c1::Autoescape}} turns &lt;script&gt; into" in cloze


def test_topics_resolve_by_id_or_title(corpus):
    assert resolve_topics(corpus, ["Caching & CDNs", "message-queues"]) == [
        "caching-cdns", "message-queues"]
    assert resolve_topics(corpus, []) is None
    with pytest.raises(DrillbookError, match="unknown topic"):
        resolve_topics(corpus, ["Databases"])


def test_bad_options_and_damaged_manifest_are_errors(corpus, env):
    with pytest.raises(DrillbookError, match="unknown card kind"):
        build(corpus, env, kinds=("problem", "basic"))
    with pytest.raises(DrillbookError, match="deck name"):
        build(corpus, env, deck="  ")
    with pytest.raises(DrillbookError, match="manifest"):
        build(corpus, env, {"format": 1, "notes": {"g": {"kind": "point", "hash": 3}}})


def test_user_template_that_drops_the_cloze_skips_the_note(corpus, tmp_path):
    (tmp_path / "anki").mkdir()
    (tmp_path / "anki" / "cloze-text.html").write_text("{{ point.explanation }}", "utf-8")
    built = build(corpus, make_environment(tmp_path), kinds=("cloze",))
    assert built.counts == {"cloze": {"notes": 0, "cards": 0}}
    assert "anki-cloze-without-marker" in {d.code for d in built.diagnostics}


def test_retired_problem_is_reported_once_and_kept(corpus, env):
    first = build(corpus, env)
    gone = build(without(corpus, BACKLOG), env, manifest_of(first), now=LATER)
    assert {r.problem for r in gone.retired} == {BACKLOG}
    assert {r.kind for r in gone.retired} == {"problem", "point", "cloze"}  # 1 + 2 + 2 notes
    assert len(gone.retired) == 5 and all(r.newly for r in gone.retired)
    assert [d.code for d in gone.diagnostics].count("anki-retired") == 1
    later = build(without(corpus, BACKLOG), env, manifest_of(gone), now=LATER + 10)
    assert len(later.retired) == 5 and not any(r.newly for r in later.retired)
    assert "anki-retired" not in {d.code for d in later.diagnostics}
    assert later.files[MANIFEST_PATH] == gone.files[MANIFEST_PATH]


# --- imported into Anki -----------------------------------------------------------------

def test_fresh_import_counts_decks_tags_and_a_rendered_field(corpus, env, collection, tmp_path):
    log = import_deck(collection, build(corpus, env), tmp_path, "first")
    assert len(log.new) == 14 and not log.updated and not log.conflicting
    assert collection.note_count() == 14 and collection.card_count() == 14
    assert deck_names(collection) == {"Default", ROOT, f"{ROOT}::Message Queues",
                                      f"{ROOT}::Caching & CDNs", f"{ROOT}::Template Safety"}
    per_deck = {name: len(collection.find_cards(f'"deck:{name}" -"deck:{name}::*"'))
                for name in deck_names(collection)}
    assert per_deck[f"{ROOT}::Message Queues"] == 7  # 2 problems + 3 + 2 points
    assert per_deck[f"{ROOT}::Caching & CDNs"] == 3
    assert per_deck[f"{ROOT}::Template Safety"] == 4  # 1 problem + 3 titled points

    ack = note_by_guid(collection, guid("point", f"{LOST}/acknowledge after processing"))
    assert sorted(ack.tags) == ["acknowledgement", "at-least-once", "topic::message-queues"]
    problem = note_by_guid(collection, guid("problem", INJECTION))
    assert sorted(problem.tags) == ["audit-logging", "autoescape", "input-validation",
                                    "template-injection", "topic::template-safety", "xss"]

    card = note_by_guid(collection, guid("point", f"{BACKLOG}/add consumers")).cards()[0]
    answer = card.answer()
    assert "Run more consumers while their count stays &lt;= the partition count." in answer
    assert "partitions=12 &amp; consumers=4 → add 8" in answer
    assert "horizontal scaling" in answer
    assert "Slow Consumer Backlog" not in card.question()
    assert "The queue depth grows all afternoon. How do you catch up?" in card.question()
    # New cards come in table-of-contents order: every message-queue card before the others.
    first_topic = [c.due for c in (collection.get_card(i) for i in collection.find_cards(
        '"deck:Backend Interview Problems::Message Queues"'))]
    others = [c.due for c in (collection.get_card(i) for i in collection.find_cards(
        '-"deck:Backend Interview Problems::Message Queues"'))]
    assert max(first_topic) < min(others)


def test_book_cloze_and_template_syntax_render_literally(corpus, env, collection, tmp_path):
    import_deck(collection, build(corpus, env, kinds=("problem", "cloze")), tmp_path, "c")
    question = note_by_guid(collection, guid("problem", INJECTION)).cards()[0].question()
    assert "A user named their account {{c1::admin}} and" in html.unescape(question)
    assert "[...]" not in question
    cloze = note_by_guid(collection, guid("cloze", f"{INJECTION}/pass user text as data"))
    assert len(cloze.cards()) == 1
    shown = html.unescape(cloze.cards()[0].question())
    assert "{{ user input }}" in shown and shown.count("[...]") == 2  # "template" twice
    literal = note_by_guid(collection, guid("cloze", f"{INJECTION}/escape output"))
    assert len(literal.cards()) == 1  # the book's {{c2::raw}} made no second card
    assert "{{c2::raw}} stays literal" in html.unescape(literal.cards()[0].question())
    assert collection.card_count() == 4 + 10


def test_reimport_keeps_progress_and_updates_only_the_changed_problem(corpus, env, collection,
                                                                      tmp_path):
    first = build(corpus, env)
    import_deck(collection, first, tmp_path, "first")
    stale_card = note_by_guid(collection, guid("problem", STALE)).cards()[0]
    answer_good(collection, stale_card)
    reviews = collection.db.scalar("select count() from revlog")
    assert reviews == 1
    edited = note_by_guid(collection, guid("point", f"{LOST}/idempotent handlers"))
    edited["Back"] = "my own words"
    collection.update_note(edited)

    # An unchanged rebuild a day later adds and updates nothing; the edit survives.
    same = build(corpus, env, manifest_of(first), now=LATER)
    log = import_deck(collection, same, tmp_path, "same")
    assert not log.new and not log.updated and len(log.duplicate) == 14
    assert note_by_guid(collection, edited.guid)["Back"] == "my own words"

    # One explanation of the stale-prices problem changed: its problem note (the back lists
    # every point) and that point's note update; nothing else does.
    changed = build(changed_corpus(corpus), env, manifest_of(same), now=LATER + 60)
    assert changed.changes == {"new": 0, "changed": 2, "unchanged": 12}
    log = import_deck(collection, changed, tmp_path, "changed")
    assert not log.new
    assert guids(collection, log.updated) == {guid("problem", STALE),
                                             guid("point", f"{STALE}/shorter ttl")}
    card = collection.get_card(stale_card.id)
    assert card.reps == 1 and card.type != 0  # still reviewed, not reset to new
    assert collection.db.scalar("select count() from revlog") == reviews
    assert "Cut the TTL to five minutes" in card.answer()
    assert note_by_guid(collection, edited.guid)["Back"] == "my own words"
    assert collection.note_count() == 14


def test_topic_filter_exports_only_that_topic(corpus, env, collection, tmp_path):
    log = import_deck(collection, build(corpus, env, topics=("Caching & CDNs",)), tmp_path, "t")
    assert len(log.new) == 3  # 1 problem + 2 points
    assert deck_names(collection) == {"Default", ROOT, f"{ROOT}::Caching & CDNs"}
    assert {tag for nid in collection.find_notes("") for tag in collection.get_note(nid).tags
            if tag.startswith("topic::")} == {"topic::caching-cdns"}
    # The full deck afterwards adds the rest and leaves the three alone.
    log = import_deck(collection, build(corpus, env), tmp_path, "all")
    assert len(log.new) == 11 and not log.updated


def test_retired_notes_ship_tagged_and_stay_where_the_learner_has_them(corpus, env, collection,
                                                                       tmp_path):
    first = build(corpus, env)
    import_deck(collection, first, tmp_path, "first")
    retiring = build(without(corpus, BACKLOG), env, manifest_of(first), now=LATER, retired=True)
    assert retiring.counts["retired"] == {"notes": 3, "cards": 3}  # 1 problem + 2 point notes
    log = import_deck(collection, retiring, tmp_path, "retiring")
    assert not log.new and len(log.updated) == 3
    tagged = collection.find_notes(f"tag:{RETIRED_TAG}")
    assert {collection.get_note(nid).guid for nid in tagged} == {
        guid("problem", BACKLOG), guid("point", f"{BACKLOG}/add consumers"),
        guid("point", f"{BACKLOG}/batch acknowledgements")}
    for nid in tagged:  # Anki never moves cards a learner has: they stay in their topic deck
        assert collection.decks.name(collection.get_note(nid).cards()[0].did) == \
            f"{ROOT}::Message Queues"


def test_css_change_updates_the_note_type_but_no_note(corpus, collection, tmp_path):
    first = build(corpus, make_environment())
    import_deck(collection, first, tmp_path, "first")
    (tmp_path / "mine" / "anki").mkdir(parents=True)
    (tmp_path / "mine" / "anki" / "style.css").write_text(".card { color: teal; }", "utf-8")
    restyled = build(corpus, make_environment(tmp_path / "mine"), manifest_of(first), now=LATER)
    assert restyled.changes == {"new": 0, "changed": 0, "unchanged": 14}
    assert manifest_of(restyled)["note_types"]["point"]["mod"] == LATER
    log = import_deck(collection, restyled, tmp_path, "restyled")
    assert not log.new and not log.updated
    assert collection.models.get(2128929281)["css"] == ".card { color: teal; }"


# --- the command --------------------------------------------------------------------------

def test_cli_writes_deck_and_manifest_and_reports_unchanged_reruns(tmp_path):
    runner = CliRunner()
    out = tmp_path / "build"
    first = runner.invoke(main, ["anki", "--corpus", str(FIXTURE), "--out", str(out),
                                 "--kinds", "problem,point,cloze"])
    assert first.exit_code == 0, first.output
    assert (out / APKG).is_file() and (out / MANIFEST_PATH).is_file()
    assert "4 problem, 10 point, 10 cloze notes; 24 new" in first.output
    again = runner.invoke(main, ["anki", "--corpus", str(FIXTURE), "--out", str(out),
                                 "--kinds", "problem,point,cloze"])
    assert again.exit_code == 0 and "0 new, 0 changed, 24 unchanged" in again.output
    named = runner.invoke(main, ["anki", "--corpus", str(FIXTURE), "--out", str(out),
                                 "--deck", "Study::Backend", "--topic", "Template Safety"])
    assert named.exit_code == 0, named.output
    assert (out / "anki" / "study-backend.apkg").is_file()
    assert "1 problem, 3 point notes" in named.output


def test_cli_errors_are_one_line(tmp_path):
    runner = CliRunner()
    unknown = runner.invoke(main, ["anki", "--corpus", str(FIXTURE), "--out", str(tmp_path),
                                   "--topic", "Databases"])
    assert unknown.exit_code == 1
    assert unknown.output.strip().count("\n") == 0 and "unknown topic" in unknown.output
    (tmp_path / "anki").mkdir()
    (tmp_path / MANIFEST_PATH).write_text("{not json", "utf-8")
    damaged = runner.invoke(main, ["anki", "--corpus", str(FIXTURE), "--out", str(tmp_path)])
    assert damaged.exit_code == 1 and "manifest" in damaged.output
    assert not (tmp_path / APKG).exists()


def test_cli_user_templates_change_the_fields(tmp_path):
    templates = tmp_path / "mine" / "anki"
    templates.mkdir(parents=True)
    (templates / "point-back.html").write_text("<p class=mine>{{ point.example }}</p>", "utf-8")
    result = CliRunner().invoke(main, ["anki", "--corpus", str(FIXTURE), "--out",
                                       str(tmp_path / "out"), "--templates",
                                       str(tmp_path / "mine")])
    assert result.exit_code == 0, result.output
    notes = json.loads((tmp_path / "out" / MANIFEST_PATH).read_text("utf-8"))["notes"]
    back = notes[guid("point", f"{BACKLOG}/add consumers")]["fields"][1]
    assert back == "<p class=mine>partitions=12 &amp; consumers=4 → add 8</p>"


# --- the real book (skips without it) -----------------------------------------------------

def test_real_book_deck_imports_without_errors(real_corpus, collection, tmp_path):
    real = real_corpus
    built = anki_outputs(real, AnkiOptions(kinds=("problem", "point", "cloze")), None, NOW,
                         make_environment())
    log = import_deck(collection, built, tmp_path, "real")
    assert not (log.conflicting or log.missing_notetype or log.missing_deck
                or log.empty_first_field or log.duplicate or log.updated)
    notes = sum(c["notes"] for c in built.counts.values())
    assert len(log.new) == notes == collection.note_count()
    assert collection.card_count() == sum(c["cards"] for c in built.counts.values())
    assert built.counts["problem"]["notes"] == len(real.problems)
    assert len([d for d in deck_names(collection) if d.startswith(f"{ROOT}::")]) == \
        len(real.topics)


# --- the book's formatting in fields and clozes ----------------------------------------

def test_fields_render_code_emphasis_and_mathjax():
    assert field_text(r"Run `SET {k} 1` *now*: $O(\log N)$, \$5") == (
        "Run <code>SET &#123;k&#125; 1</code> <em>now</em>: "
        r'<span class="math">\(O(\log N)\)</span>, $5')


def test_a_cloze_never_cuts_a_code_span_or_a_formula():
    text = "Take a `lease lock` and renew the *lease* before $t_{lease}$ ends."
    plain = "Take a lease lock and renew the lease before t_lease ends."
    # "lease" is in the code span and the formula too; only the one outside them counts
    start, end = key_term(text, ["Lease"])
    assert plain[start:end] == "lease" and start == plain.index("the lease") + 4
    marked = cloze_markup(text, (start, end), anki_escape)
    assert marked == ("Take a <code>lease lock</code> and renew the {{c1::<em>lease</em>}} "
                      r'before <span class="math">\(t_&#123;lease&#125;\)</span> ends.')
