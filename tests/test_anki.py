"""Anki decks: built from an invented corpus, imported with the official ``anki`` package.

Expectations are written by hand from tests/fixtures/anki/corpus.json (5 problems in 4
topics, 17 points, one without a title); see the comments next to each number. The cards
each point gets (decided by outline.py, directions.py and cloze.py, checked by eye once):

- Outline: "Lost Messages After Crash" (3 approaches) and "Template Injection in Emails"
  (3 titled points) only; the two problems of 2 points get none, nor the one of 6, whose
  list has a claim ("Sticky Sessions Are Fragile") and a title its question prints ("Add
  More Servers"): two of six, more than a long list may leave out of its count;
- Explain: every titled point but "Add More Servers" (the question prints "add more
  servers") and "Sticky Sessions Are Fragile" (a claim: the title is the statement): 14;
- Name: only "Round Robin" (a listed load balancing algorithm; every other title is no
  recognized term, a claim, or has a word on its front): 1;
- Cloze: "at-least-once delivery" (a listed delivery guarantee), "partition count",
  "cross-site scripting", "Redis", "TLS termination"; the other points have no recognized
  term that the front does not print: 5.

A note whose every card is declined ("Add More Servers", the three problems without an
outline) is kept in the manifest but not shipped.
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
from pipeline.emit.anki.cloze import cloze_sides, key_term
from pipeline.tags.recognized import Lexicon
from pipeline.emit.anki.manifest import stamp
from pipeline.emit.anki.notes import NoteSpec, anki_escape, field_text, point_keys
from pipeline.emit.corpus_json import load_corpus
from pipeline.errors import DrillbookError
from pipeline.models import Point, Tag, Where
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
UNEVEN = "uneven-load-across-servers-1b2c3d"


def guid(kind: str, key: str) -> str:
    """The GUID a note must have (format 2), computed independently of the emitter."""
    return genanki.guid_for(f"drillbook-2-{kind}", key)


NOTES = 2 + 15  # shipped notes: problems with an Outline + points with at least one card
ALL_NOTES = 5 + 16  # every problem and titled point, in the manifest whatever is shipped
CARDS = {"problem": 2, "point": 14 + 1, "cloze": 5}
CLOZED = {"acknowledge after processing": "at-least-once delivery",
          "add consumers": "partition count", "escape output": "cross-site scripting",
          "sticky sessions are fragile": "Redis", "layer 7 routing": "TLS termination"}


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


def note_by_guid(col, wanted: str, missing_ok: bool = False):
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        if note.guid == wanted:
            return note
    if missing_ok:
        return None
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


LEXICON = Lexicon()


def blanked(text, shown):
    found = key_term(text, shown, LEXICON)
    return None if found is None else text[found.start:found.end]


def test_key_term_never_blanks_what_the_front_prints():
    text = "Keep a read replica per region so reads stay local."
    # "replica" is in the title (as "Replicas"), "region" in the question: neither is blanked
    assert blanked(text, ["Regional Read Replicas", "Where do regions read from?"]) is None
    # another form of a title word gives it away too: "acknowledgement" for "Acknowledge"
    assert blanked("Send the acknowledgement last.", ["Acknowledge Late"]) is None


def test_key_term_prefers_a_named_technology_to_plain_words():
    text = "Share the counters across instances through Redis with a short expiry."
    assert blanked(text, ["Distributed Limits"]) == "Redis"


def test_key_term_never_blanks_a_generic_word_alone():
    assert blanked("Put the data in the cache near the database.", ["Speed Up Reads"]) is None


def test_key_term_never_blanks_a_verb_an_everyday_name_or_a_cut_phrase():
    # "Fetch" opens an instruction; HTTP is a name every reader fills in
    assert blanked("Fetch the rows in one go.", ["Batch Reads"]) is None
    assert blanked("Tokens sent over plain HTTP can be intercepted.", ["TLS Only"]) is None
    # "transaction tracing" is one phrase: never just "transaction"
    assert blanked("Install an agent for automatic transaction tracing.", ["APM"]) != \
        "transaction"


def test_key_term_keeps_out_of_code_like_text():
    # the book's literal "{{c2::raw}}" holds "c2", which looks like a name: never blanked
    assert blanked("Escaping keeps {{c2::raw}} literal.", ["Escape"]) is None


def test_key_term_none_without_a_specific_word():
    assert key_term("Refuse anything odd before it gets in.", ["Reject Input"], LEXICON) is None


def test_cloze_sides_blank_every_occurrence_and_mark_the_answer():
    text = "Vector clocks order <events>; vector clocks & {{c2::x}} stay."
    front, back = cloze_sides(text, (0, 13), anki_escape)
    assert front == ('<span class="cloze-blank">[...]</span> order &lt;events&gt;; '
                     '<span class="cloze-blank">[...]</span> &amp; '
                     "&#123;&#123;c2::x&#125;&#125; stay.")
    assert back == ('<span class="cloze-term">Vector clocks</span> order &lt;events&gt;; '
                    '<span class="cloze-term">vector clocks</span> &amp; '
                    "&#123;&#123;c2::x&#125;&#125; stay.")


def test_a_lease_explanation_under_a_lease_title_has_no_cloze():
    text = "Take a `lease lock` and renew the *lease* before $t_{lease}$ ends."
    # "lease" is the title's word in every form, "lease lock" is code: nothing is left
    assert key_term(text, ["Short Leases"], LEXICON) is None


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
    return NoteSpec(guid_, "problem", "k", "p", "P", "t", "T", ("sort", text, "back"), ("a",),
                    ((0, 0),))


def test_stamp_keeps_unchanged_times_and_moves_changed_ones_forward():
    first, _ = stamp([_spec("g1", "one"), _spec("g2", "two")], None, NOW)
    assert [s.mod for s in first] == [NOW, NOW]
    manifest = {"format": 2, "notes": {
        s.note.guid: {"kind": "problem", "hash": s.hash, "mod": s.mod,
                      "fields": ["x", "y", "z"], "tags": ["a"], "cards": [[0, 0]]}
        for s in first}}
    second, retired = stamp([_spec("g1", "one"), _spec("g2", "TWO")], manifest, LATER)
    assert [(s.mod, s.status) for s in second] == [(NOW, "unchanged"), (LATER, "changed")]
    assert retired == []
    # A clock behind the manifest still gives a strictly newer time to a changed note.
    third, _ = stamp([_spec("g1", "uno")], manifest, NOW - 50)
    assert third[0].mod == NOW + 1


def test_card_tags_keep_shared_concepts_and_technologies_under_one_root():
    from pipeline.emit.anki.tags import CardTags, TagPolicy
    from pipeline.models import Tag

    tags = [Tag("redis-session", "Redis sessions", ("Redis sessions",), 1, "concept", None,
                "Redis"),
            Tag("httponly-cooky", "HttpOnly cookies", ("HttpOnly cookies",), 3),
            Tag("rare-idea", "rare idea", ("rare idea",), 2),
            Tag("avoid-hot-key", "avoid hot keys", ("avoid hot keys",), 5, "note"),
            Tag("setnx", "SETNX", ("SETNX",), 4, "command", "Redis command")]
    ids = [t.id for t in tags]
    assert CardTags(tags, TagPolicy()).of(ids) == {
        "drillbook::tech::redis", "drillbook::concept::httponly-cookies",
        "drillbook::command::setnx"}
    assert CardTags(tags, TagPolicy(min_points=2, technologies=False)).of(ids) == {
        "drillbook::concept::httponly-cookies", "drillbook::concept::rare-idea",
        "drillbook::command::setnx"}


def test_topic_decks_sort_in_book_order():
    from pipeline.emit.anki.notes import topic_deck
    from pipeline.models import Topic

    names = [topic_deck(Topic(f"t{n}", title, n), 12, True)
             for n, title in enumerate(["Zebra", "Apple", "Mango"] + ["X"] * 9, 1)]
    assert names[:3] == ["01 Zebra", "02 Apple", "03 Mango"] and names[-1] == "12 X"
    assert sorted(names) == names
    assert topic_deck(Topic("t", "A::B", 1), 3, False) == "A:B"


# --- the package, without Anki ----------------------------------------------------------

def test_same_inputs_give_byte_identical_files(corpus, env):
    one = build(corpus, env)
    two = build(corpus, env)
    assert one.files == two.files
    assert sorted(one.files) == [APKG, MANIFEST_PATH]


def test_unchanged_rebuild_keeps_the_manifest(corpus, env):
    first = build(corpus, env)
    again = build(corpus, env, manifest_of(first), now=LATER)
    assert again.files == first.files  # the .apkg too: nothing changed, so nothing is newer
    assert again.changes == {"new": 0, "changed": 0, "unchanged": NOTES}


def test_counts_per_kind(corpus, env):
    built = build(corpus, env)
    assert {kind: c["cards"] for kind, c in built.counts.items()} == CARDS
    # notes carrying each kind: 2 outlined problems, 15 points, 5 points with a cloze
    assert {kind: c["notes"] for kind, c in built.counts.items()} == {
        "problem": 2, "point": 14, "cloze": 5}
    told = {d.code: d.message for d in built.diagnostics}
    assert {"anki-untitled-point", "anki-no-cloze-term", "anki-no-explain"} <= set(told)
    # 3 problems without an outline: two of 2 points, one of 6 with two titles that are no
    # approach (a claim and a restatement of the question)
    assert told["anki-no-outline"].startswith("3 problem(s) get no Outline card")
    assert "fewer than 3 titled points: 2" in told["anki-no-outline"]
    assert "more than one title in 4 is a heading, a claim or a question or restates the " \
        "question: 1" in told["anki-no-outline"]
    assert "2 get one (every point of a list of 3 to 5: 2; some points of a longer list: 0)" \
        in told["anki-no-outline"]
    assert built.outline == {"every": 2, "some": 0, "declined": {"few": 2, "headings": 1}}


def test_clozes_blank_the_chosen_terms(corpus, env):
    data = manifest_of(build(corpus, env))["notes"]
    for problem in corpus.problems:
        for key in point_keys(problem)[0]:
            entry = data.get(guid("point", key))
            if entry is None:
                continue
            name = key.split("/", 1)[1]
            front, back = entry["fields"][5], entry["fields"][6]
            if name not in CLOZED:
                assert front == back == "", name
                continue
            assert f'<span class="cloze-term">{CLOZED[name]}</span>' in back
            assert CLOZED[name] not in front.split('class="explanation"')[1]
            assert '<span class="cloze-blank">[...]</span>' in front


def test_manifest_covers_every_kind_and_topic_whatever_is_shipped(corpus, env):
    built = build(corpus, env, topics=("template-safety",), kinds=("problem",))
    assert built.counts == {"problem": {"notes": 1, "cards": 1}}
    assert len(manifest_of(built)["notes"]) == ALL_NOTES


def test_fields_escape_the_books_markup(corpus, env):
    data = manifest_of(build(corpus, env))["notes"]
    front = data[guid("problem", INJECTION)]["fields"][1]
    assert "&#123;&#123;c1::admin&#125;&#125;" in front and "{{" not in front
    explain_back = data[guid("point", f"{INJECTION}/escape output")]["fields"][2]
    assert "&lt;b&gt; → &amp;lt;b&amp;gt;" in explain_back and "<b>" not in explain_back
    assert "{{" not in explain_back and "&#123;&#123;c2::raw&#125;&#125;" in explain_back


def test_the_tools_line_names_the_tool_not_the_technology_it_belongs_to(corpus, env):
    # "Java Flight Recorder" is about Java, but the tool is the recorder; "WebSockets" is
    # only another spelling of its technology's name, which the line prints. A concept
    # about a technology ("Quorix replay windows") names the technology, a concept about
    # none names nothing, and a command ("Quorix qtrace") names nothing either.
    tags = (Tag("java-flight-recorder", "Java Flight Recorder", ("Java Flight Recorder",), 1,
                "technology", None, "Java"),
            Tag("websockets", "WebSockets", ("WebSockets",), 1, "technology", None,
                "WebSocket"),
            Tag("quorix-replay-windows", "Quorix replay windows", ("Quorix replay windows",),
                1, "concept", None, "Quorix"),
            Tag("replay-windows", "replay windows", ("replay windows",), 1, "concept"),
            Tag("quorix-qtrace", "Quorix qtrace", ("Quorix qtrace",), 1, "command", None,
                "Quorix"))
    problems = []
    for problem in corpus.problems:
        if problem.id == STALE:
            points = list(problem.points)
            points[1] = dataclasses.replace(points[1], tags=tuple(t.id for t in tags))
            problem = dataclasses.replace(problem, points=tuple(points))
        problems.append(problem)
    tooled = dataclasses.replace(corpus, problems=tuple(problems), tags=corpus.tags + tags)
    stale = next(p for p in tooled.problems if p.id == STALE)
    key = point_keys(stale)[0][1]
    back = manifest_of(build(tooled, env))["notes"][guid("point", key)]["fields"][2]
    assert ('<span class="label">Tools</span> Java Flight Recorder, Quorix, WebSocket</div>'
            in back)


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
        build(corpus, env, {"format": 2, "notes": {"g": {"kind": "point", "hash": 3}}})


def test_a_format_1_manifest_is_set_aside_with_a_note(corpus, env):
    old = {"format": 1, "note_types": {}, "notes": {"old-guid": {
        "kind": "cloze", "hash": "x", "mod": NOW, "fields": ["a", "b"], "tags": []}}}
    built = build(corpus, env, old, now=LATER)
    assert built.changes == {"new": NOTES, "changed": 0, "unchanged": 0}
    assert not built.retired and "old-guid" not in manifest_of(built)["notes"]
    assert "anki-format-change" in {d.code for d in built.diagnostics}


def test_retired_problem_is_reported_once_and_kept(corpus, env):
    first = build(corpus, env)
    gone = build(without(corpus, BACKLOG), env, manifest_of(first), now=LATER)
    assert {r.problem for r in gone.retired} == {BACKLOG}
    assert {r.kind for r in gone.retired} == {"problem", "point"}  # 1 problem + 2 point notes
    assert len(gone.retired) == 3 and all(r.newly for r in gone.retired)
    assert [d.code for d in gone.diagnostics].count("anki-retired") == 1
    later = build(without(corpus, BACKLOG), env, manifest_of(gone), now=LATER + 10)
    assert len(later.retired) == 3 and not any(r.newly for r in later.retired)
    assert "anki-retired" not in {d.code for d in later.diagnostics}
    assert later.files[MANIFEST_PATH] == gone.files[MANIFEST_PATH]


# --- imported into Anki -----------------------------------------------------------------

def deck_id(col, name: str) -> int:
    return next(d.id for d in col.decks.all_names_and_ids() if d.name == name)


def queued(col, root_name: str = ROOT, limit: int = 1000):
    """The cards Anki's scheduler would show next when the learner studies ``root_name``."""
    col.decks.select(deck_id(col, root_name))
    return [col.get_card(q.card.id)
            for q in col.sched.get_queued_cards(fetch_limit=limit).cards]


def bury_siblings(col) -> None:
    """Deck options -> Burying: bury new, review and interday learning siblings."""
    config = col.decks.config_dict_for_deck_id(1)
    config["new"]["bury"] = config["rev"]["bury"] = config["buryInterdayLearning"] = True
    config["new"]["perDay"] = 1000
    col.decks.update_config(config)


def test_fresh_import_counts_decks_tags_and_rendered_cards(corpus, env, collection, tmp_path):
    log = import_deck(collection, build(corpus, env), tmp_path, "first")
    assert len(log.new) == NOTES and not log.updated and not log.conflicting
    assert not (log.missing_notetype or log.missing_deck or log.empty_first_field)
    assert collection.note_count() == NOTES
    assert collection.card_count() == sum(CARDS.values())
    assert deck_names(collection) == {"Default", ROOT, f"{ROOT}::01 Message Queues",
                                      f"{ROOT}::02 Caching & CDNs", f"{ROOT}::03 Template Safety",
                                      f"{ROOT}::04 Load Balancing"}
    per_deck = {name: len(collection.find_cards(f'"deck:{name}" -"deck:{name}::*"'))
                for name in deck_names(collection)}
    # 1 outline + 5 explain + 2 cloze; 2 explain; 1 outline + 3 explain + 1 cloze;
    # 5 explain + 1 name + 2 cloze
    assert per_deck[f"{ROOT}::01 Message Queues"] == 8
    assert per_deck[f"{ROOT}::02 Caching & CDNs"] == 2
    assert per_deck[f"{ROOT}::03 Template Safety"] == 5
    assert per_deck[f"{ROOT}::04 Load Balancing"] == 7

    ack = note_by_guid(collection, guid("point", f"{LOST}/acknowledge after processing"))
    assert ack.tags == ["drillbook::topic::message-queues"]  # its tags are on one point only
    assert all(tag.startswith("drillbook::") for nid in collection.find_notes("")
               for tag in collection.get_note(nid).tags)

    explain = note_by_guid(collection, guid("point", f"{BACKLOG}/add consumers")).cards()[0]
    assert "The queue depth grows all afternoon. How do you catch up?" in explain.question()
    # an order ("Add Consumers") asks why it helps and how, not only how it works
    assert "Add Consumers" in explain.question() \
        and "Why does it help here, and how is it done?" in explain.question()
    assert "partition count" not in explain.question()
    answer = explain.answer()
    assert "Run more consumers while their count stays &lt;= the partition count." in answer
    assert "partitions=12 &amp; consumers=4 → add 8" in answer

    robin = note_by_guid(collection, guid("point", f"{UNEVEN}/round robin"))
    by_template = {card.template()["name"]: card for card in robin.cards()}
    assert sorted(by_template) == ["Explain", "Name"]
    name = by_template["Name"]
    assert "Round Robin" not in name.question()
    assert "Which load balancing algorithm is this?" in name.question()
    assert "A → B → C → A again" in name.question()  # the example does not name it
    assert "Round Robin" in name.answer()
    escape = note_by_guid(collection, guid("point", f"{INJECTION}/escape output"))
    cloze = {card.template()["name"]: card for card in escape.cards()}["Cloze"]
    assert "cross-site scripting" not in cloze.question() and "[...]" in cloze.question()
    assert '<span class="cloze-term">cross-site scripting</span>' in cloze.answer()
    outline = note_by_guid(collection, guid("problem", LOST)).cards()[0]
    assert "Which 3 points would you cover in your answer?" in outline.question()
    assert "Park Poison Messages" not in outline.question()
    assert "Park Poison Messages" in outline.answer()
    assert not note_by_guid(collection, guid("problem", UNEVEN), missing_ok=True)


def test_book_cloze_and_template_syntax_render_literally(corpus, env, collection, tmp_path):
    import_deck(collection, build(corpus, env), tmp_path, "c")
    question = note_by_guid(collection, guid("problem", INJECTION)).cards()[0].question()
    assert "A user named their account {{c1::admin}} and" in html.unescape(question)
    escape = note_by_guid(collection, guid("point", f"{INJECTION}/escape output"))
    shown = html.unescape(escape.cards()[0].answer())
    assert "{{c2::raw}} stays literal" in shown and "<em>" in shown
    data = note_by_guid(collection, guid("point", f"{INJECTION}/pass user text as data"))
    assert "{{ user input }}" in html.unescape(data.cards()[0].answer())


def long_list_corpus(corpus):
    """The fixture with the claim of the 6-point problem retitled as an approach whose
    title holds markup and Anki syntax: its list then has one title left out of the count
    ("Add More Servers", which the question prints) and five approaches."""
    problems = []
    for problem in corpus.problems:
        if problem.id == UNEVEN:
            points = list(problem.points)
            assert points[2].title == "Sticky Sessions Are Fragile"
            points[2] = dataclasses.replace(points[2],
                                            title="Weighted <Round> Robin & {{c1::Spread}}")
            problem = dataclasses.replace(problem, points=tuple(points))
        problems.append(problem)
    return dataclasses.replace(corpus, problems=tuple(problems))


def test_a_long_list_asks_for_some_points_and_lists_them_all_in_book_order(
        corpus, env, collection, tmp_path):
    built = build(long_list_corpus(corpus), env)
    assert built.outline == {"every": 2, "some": 1, "declined": {"few": 2}}
    assert built.counts["problem"] == {"notes": 3, "cards": 3}
    log = import_deck(collection, built, tmp_path, "long")
    assert not (log.conflicting or log.missing_notetype)
    card = note_by_guid(collection, guid("problem", UNEVEN)).cards()[0]
    assert card.template()["name"] == "Outline"
    question, answer = card.question(), card.answer()
    # 6 titles, 5 of them counted: half of 5 rounded up is 3
    assert "Name 3 of the 5 points you would cover in your answer." in question
    assert "Round Robin" not in question and "Health Checks" not in question
    assert "Any 3 of the 5 numbered points count." in answer
    back = answer.split('<hr id="answer">')[1]
    # every title in book order, the approaches numbered 1 to 5, the restatement unnumbered
    items = ['<li value="1">Round Robin</li>',
             '<li value="2">Least Connections (Busy Servers Wait)</li>',
             '<li value="3">Weighted &lt;Round&gt; Robin &amp; &#123;&#123;c1::Spread&#125;'
             '&#125;</li>',
             '<li class="uncounted">Add More Servers</li>',
             '<li value="4">Layer 7 Routing</li>', '<li value="5">Health Checks</li>']
    where = [back.find(item) for item in items]
    assert -1 not in where and where == sorted(where), where
    assert "Weighted <Round> Robin & {{c1::Spread}}" in html.unescape(back)
    assert "<Round>" not in back


def test_studying_the_root_deck_follows_the_book(corpus, env, collection, tmp_path):
    import_deck(collection, build(corpus, env), tmp_path, "order")
    shown = queued(collection)
    first = shown[0]
    assert collection.decks.name(first.did) == f"{ROOT}::01 Message Queues"
    assert first.note().guid == guid("problem", LOST)  # the book's first problem, outlined
    decks = list(dict.fromkeys(collection.decks.name(card.did) for card in shown))
    assert decks == sorted(decks) and len(decks) == 4  # topics in table-of-contents order
    # inside the first topic: outlines and Explain cards in book order, then the clozes
    topic = [(card.note().guid, card.template()["name"]) for card in shown
             if card.did == first.did]
    assert topic[:4] == [(guid("problem", LOST), "Outline"),
                         (guid("point", f"{LOST}/acknowledge after processing"), "Explain"),
                         (guid("point", f"{LOST}/idempotent handlers"), "Explain"),
                         (guid("point", f"{LOST}/park poison messages"), "Explain")]
    assert [name for _, name in topic[6:]] == ["Cloze"] * 2


def test_anki_buries_the_siblings_of_a_point(corpus, env, collection, tmp_path):
    import_deck(collection, build(corpus, env), tmp_path, "bury")
    bury_siblings(collection)
    shown = queued(collection)
    notes = [card.nid for card in shown]
    assert len(notes) == len(set(notes)) == NOTES  # one card per note a day
    ack = note_by_guid(collection, guid("point", f"{LOST}/acknowledge after processing"))
    assert [c.nid for c in shown[:2]] == [shown[0].nid, ack.id]  # the outline, then this point
    answer_good(collection, shown[0])
    answer_good(collection, queued(collection, limit=1)[0])  # its Explain card
    buried = collection.find_cards("is:buried")
    assert [collection.get_card(cid).template()["name"] for cid in buried] == ["Cloze"]
    assert {collection.get_card(cid).nid for cid in buried} == {ack.id}  # for another day


def test_reimport_keeps_progress_and_updates_only_the_edited_point(corpus, env, collection,
                                                                   tmp_path):
    first = build(corpus, env)
    import_deck(collection, first, tmp_path, "first")
    shorter = note_by_guid(collection, guid("point", f"{STALE}/shorter ttl")).cards()[0]
    answer_good(collection, shorter)
    reviews = collection.db.scalar("select count() from revlog")
    assert reviews == 1
    edited = note_by_guid(collection, guid("point", f"{LOST}/idempotent handlers"))
    edited["Explain Back"] = "my own words"
    collection.update_note(edited)

    # An unchanged rebuild a day later adds and updates nothing; the edit survives.
    same = build(corpus, env, manifest_of(first), now=LATER)
    log = import_deck(collection, same, tmp_path, "same")
    assert not log.new and not log.updated and len(log.duplicate) == NOTES
    assert note_by_guid(collection, edited.guid)["Explain Back"] == "my own words"

    # One explanation changed: only that point's note updates (the outline lists titles).
    changed = build(changed_corpus(corpus), env, manifest_of(same), now=LATER + 60)
    assert changed.changes == {"new": 0, "changed": 1, "unchanged": NOTES - 1}
    log = import_deck(collection, changed, tmp_path, "changed")
    assert not log.new
    assert guids(collection, log.updated) == {guid("point", f"{STALE}/shorter ttl")}
    card = collection.get_card(shorter.id)
    assert card.reps == 1 and card.type != 0  # still reviewed, not reset to new
    assert collection.db.scalar("select count() from revlog") == reviews
    assert "Cut the TTL to five minutes" in card.answer()
    assert note_by_guid(collection, edited.guid)["Explain Back"] == "my own words"
    assert collection.note_count() == NOTES


def test_kinds_chosen_later_add_cards_to_the_same_notes(corpus, env, collection, tmp_path):
    log = import_deck(collection, build(corpus, env, kinds=("problem", "point")), tmp_path, "pp")
    assert len(log.new) == NOTES - 1  # "Sticky Sessions Are Fragile" has only a Cloze card
    assert collection.card_count() == CARDS["problem"] + CARDS["point"]
    log = import_deck(collection, build(corpus, env), tmp_path, "all")
    # the other notes are the same notes with the same content: only that one is new
    assert guids(collection, log.new) == {guid("point", f"{UNEVEN}/sticky sessions are fragile")}
    assert not log.updated
    assert collection.card_count() == sum(CARDS.values())  # the clozes came as new cards


def test_topic_filter_exports_only_that_topic(corpus, env, collection, tmp_path):
    log = import_deck(collection, build(corpus, env, topics=("Caching & CDNs",)), tmp_path, "t")
    assert len(log.new) == 2  # 2 points (the problem of 2 points has no outline)
    assert deck_names(collection) == {"Default", ROOT, f"{ROOT}::02 Caching & CDNs"}
    log = import_deck(collection, build(corpus, env), tmp_path, "all")
    assert len(log.new) == NOTES - 2 and not log.updated


def test_retired_notes_ship_tagged_and_stay_where_the_learner_has_them(corpus, env, collection,
                                                                       tmp_path):
    first = build(corpus, env)
    import_deck(collection, first, tmp_path, "first")
    retiring = build(without(corpus, BACKLOG), env, manifest_of(first), now=LATER, retired=True)
    # the problem of 2 points had no outline, so only its 2 point notes were shipped
    assert retiring.counts["retired"] == {"notes": 2, "cards": 2 + 1}
    log = import_deck(collection, retiring, tmp_path, "retiring")
    assert not log.new and len(log.updated) == 2
    tagged = collection.find_notes(f"tag:{RETIRED_TAG}")
    assert {collection.get_note(nid).guid for nid in tagged} == {
        guid("point", f"{BACKLOG}/add consumers"),
        guid("point", f"{BACKLOG}/batch acknowledgements")}
    for nid in tagged:  # Anki never moves cards a learner has: they stay in their topic deck
        assert collection.decks.name(collection.get_note(nid).cards()[0].did) == \
            f"{ROOT}::01 Message Queues"


def test_css_change_updates_the_note_type_but_no_note(corpus, collection, tmp_path):
    first = build(corpus, make_environment())
    import_deck(collection, first, tmp_path, "first")
    (tmp_path / "mine" / "anki").mkdir(parents=True)
    (tmp_path / "mine" / "anki" / "style.css").write_text(".card { color: teal; }", "utf-8")
    restyled = build(corpus, make_environment(tmp_path / "mine"), manifest_of(first), now=LATER)
    assert restyled.changes == {"new": 0, "changed": 0, "unchanged": NOTES}
    assert manifest_of(restyled)["note_types"]["point"]["mod"] == LATER
    log = import_deck(collection, restyled, tmp_path, "restyled")
    assert not log.new and not log.updated
    card = note_by_guid(collection, guid("point", f"{LOST}/idempotent handlers")).cards()[0]
    assert ".card { color: teal; }" in card.question()


# --- the command --------------------------------------------------------------------------

def test_cli_writes_deck_and_manifest_and_reports_unchanged_reruns(tmp_path):
    runner = CliRunner()
    out = tmp_path / "build"
    first = runner.invoke(main, ["anki", "--corpus", str(FIXTURE), "--out", str(out)])
    assert first.exit_code == 0, first.output
    assert (out / APKG).is_file() and (out / MANIFEST_PATH).is_file()
    assert f"2 problem, 15 point, 5 cloze cards; notes: {NOTES} new" in first.output
    again = runner.invoke(main, ["anki", "--corpus", str(FIXTURE), "--out", str(out)])
    assert again.exit_code == 0 and f"0 new, 0 changed, {NOTES} unchanged" in again.output
    named = runner.invoke(main, ["anki", "--corpus", str(FIXTURE), "--out", str(out),
                                 "--deck", "Study::Backend", "--topic", "Template Safety",
                                 "--kinds", "problem,point"])
    assert named.exit_code == 0, named.output
    assert (out / "anki" / "study-backend.apkg").is_file()
    assert "1 problem, 3 point cards" in named.output  # 3 Explain cards, no Name card


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
    (templates / "explain-back.html").write_text("<p class=mine>{{ point.example }}</p>",
                                                 "utf-8")
    result = CliRunner().invoke(main, ["anki", "--corpus", str(FIXTURE), "--out",
                                       str(tmp_path / "out"), "--templates",
                                       str(tmp_path / "mine")])
    assert result.exit_code == 0, result.output
    notes = json.loads((tmp_path / "out" / MANIFEST_PATH).read_text("utf-8"))["notes"]
    back = notes[guid("point", f"{BACKLOG}/add consumers")]["fields"][2]
    assert back == "<p class=mine>partitions=12 &amp; consumers=4 → add 8</p>"


# --- the real book (skips without it) -----------------------------------------------------

def test_real_book_deck_imports_without_errors_and_starts_with_the_first_topic(
        real_corpus, collection, tmp_path):
    real = real_corpus
    built = anki_outputs(real, AnkiOptions(), None, NOW, make_environment())
    log = import_deck(collection, built, tmp_path, "real")
    assert not (log.conflicting or log.missing_notetype or log.missing_deck
                or log.empty_first_field or log.duplicate or log.updated)
    assert len(log.new) == collection.note_count() == built.changes["new"]
    assert collection.card_count() == sum(c["cards"] for c in built.counts.values())
    # only problems of 3 to 10 titled points may get an Outline card, and most of the long
    # lists get one that asks for some of their points
    listed = [len([q for q in p.points if q.title.strip()]) for p in real.problems]
    assert built.counts["problem"]["notes"] == built.outline["every"] + built.outline["some"]
    assert 1 <= built.outline["every"] <= len([n for n in listed if 3 <= n <= 5])
    assert len([n for n in listed if 5 < n <= 10]) / 2 < built.outline["some"] \
        <= len([n for n in listed if 5 < n <= 10])
    assert len([d for d in deck_names(collection) if d.startswith(f"{ROOT}::")]) == \
        len(real.topics)
    first_topic = min(real.topics, key=lambda t: t.order)
    card = queued(collection, limit=1)[0]
    assert collection.decks.name(card.did) == f"{ROOT}::01 {first_topic.title}"
    first_problem = next(p for p in real.problems if p.topic == first_topic.id)
    # its Outline card, or the Explain card of its first point that has one
    assert card.note().guid in {guid("problem", first_problem.id)} | {
        guid("point", key) for key in point_keys(first_problem)[0]}
    # no tag outside drillbook's root, none on a single point unless it names a technology
    tags = {tag for nid in collection.find_notes("") for tag in collection.get_note(nid).tags}
    assert tags and all(tag.startswith("drillbook::") for tag in tags)
    assert len(tags) < len(real.tags) / 3
    again = anki_outputs(real, AnkiOptions(), json.loads(built.files[MANIFEST_PATH]), LATER,
                         make_environment())
    log = import_deck(collection, again, tmp_path, "again")
    assert not log.new and not log.updated


def test_key_term_never_blanks_what_the_explanation_or_an_acronym_gives_away():
    # "chunks" is printed before the blank: "chunk" would be filled from the sentence
    assert blanked("Cut the job into chunks and give each chunk its own worker.",
                   ["Fan-Out"]) != "chunk"
    # "DLQ" is the title's initials
    assert blanked("Keep the trace context when messages move to the DLQ.",
                   ["Dead Letter Queue Tracing"]) is None
