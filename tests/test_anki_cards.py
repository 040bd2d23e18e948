"""Which cards a point gets: the Cloze term, the Name card, the Explain card.

Every sentence here is invented for the test; the expected term (or None) is written by
hand from the rules in pipeline/emit/anki/cloze.py and directions.py.
"""
from __future__ import annotations

from importlib import resources

import pytest

from pipeline.emit.anki import directions
from pipeline.emit.anki.cloze import cloze_sides, key_term, refusals
from pipeline.emit.anki.corpus_terms import CorpusTerms, broad_terms
from pipeline.emit.anki.directions import (abbreviates, explain_card, explain_refusal, heading,
                                          instruction, name_card, restates)
from pipeline.tags.words import match_key
from pipeline.emit.anki.notes import anki_escape
from pipeline.emit.anki.terms import is_expansion, split_aside, title_term
from pipeline.tags.recognized import Lexicon
from pipeline import templating
from pipeline.models import Tag


@pytest.fixture(scope="module")
def lexicon():
    return Lexicon()


def blanked(text, shown, lexicon):
    found = key_term(text, shown, lexicon)
    return None if found is None else (text[found.start:found.end], found.hint)


def test_the_fields_synonyms_are_read_from_their_word_list_without_the_why():
    from pipeline.emit.anki.terms import NEAR
    from pipeline.tags.terms import field_synonym_groups, synonym_groups

    groups = field_synonym_groups()
    assert frozenset({"directory", "lookup"}) in groups  # its "# why" is no word of it
    assert all(len(g) >= 2 and not any("#" in w for w in g) for g in groups)
    assert set(NEAR) == set(groups) | set(synonym_groups())


# --- recognized terms ---------------------------------------------------------------------

def test_the_lexicon_knows_listed_terms_in_any_case_but_names_in_capitals_only(lexicon):
    assert lexicon.lookup("Connection Pools").source == "glossary"  # plural, capitals
    assert lexicon.lookup("read committed").family == "isolation level"
    assert lexicon.lookup("SETNX").kind == "command"
    assert lexicon.lookup("set") is None  # the Redis command is SET, not the verb
    assert lexicon.lookup("find the hot shard") is None


def test_corpus_tags_of_a_kind_with_a_family_join_the_lexicon():
    tags = [Tag("hopscotch", "hopscotch hashing", ("hopscotch hashing",), 2, "concept",
                "hashing scheme"),
            Tag("fragile", "fragile thing", ("fragile thing",), 4, "note")]
    lexicon = Lexicon(tags)
    assert lexicon.lookup("Hopscotch hashing").family == "hashing scheme"
    assert lexicon.lookup("fragile thing") is None  # a note is no term


def test_an_aside_is_split_off_a_title_unless_it_spells_out_an_acronym():
    assert split_aside("Open State (Fail Fast)") == ("Open State", "Fail Fast")
    assert split_aside("WAL (Write-Ahead Log)") == ("WAL (Write-Ahead Log)", "")
    assert split_aside("Two-Phase Commit (2PC)") == ("Two-Phase Commit (2PC)", "")
    assert is_expansion("CQRS", "Command Query Responsibility Segregation")
    assert not is_expansion("Fail Fast", "Open State")


def test_title_terms_are_names_not_headings_or_instructions(lexicon):
    committed = title_term("Read Committed (Postgres default)", lexicon)
    assert committed.name == "Read Committed" and committed.aside == "Postgres default"
    assert committed.known.family == "isolation level"
    assert title_term("Bulkhead Pattern", lexicon).name == "Bulkhead Pattern"
    assert title_term("Find the Hot Shard First", lexicon) is None
    assert title_term("Sagas Never Block", lexicon) is None


def test_a_title_naming_a_term_then_its_purpose_asks_for_the_term(lexicon):
    spread = title_term("Connection Pool for Bursty Workers", lexicon)
    assert (spread.name, spread.aside) == ("Connection Pool", "for Bursty Workers")
    bucket = title_term("Token Bucket for Fairness", lexicon)
    assert bucket.name == "Token Bucket" and bucket.known.family == "rate limiting algorithm"
    # a purpose that only names the system is a design's heading, no term
    assert title_term("Connection Pool for ORM", lexicon) is None
    # the part before "for" must itself be a term
    assert title_term("Careful Planning for Bursty Workers", lexicon) is None


# --- cloze --------------------------------------------------------------------------------

def test_a_cloze_blanks_a_recognized_term_and_hints_its_family(lexicon):
    assert blanked("Fetch the author with each post in one JOIN instead of a loop.",
                   ["Eager Fetching"], lexicon) == ("JOIN", "SQL clause")
    assert blanked("Give every worker a connection pool sized to the core count.",
                   ["Sizing Workers"], lexicon) == ("connection pool", "")


def test_a_cloze_never_blanks_what_the_front_gives_away(lexicon):
    # the title prints "Pool" (any form counts: "pooling", "pools")
    assert blanked("Give every worker a connection pool sized to the core count.",
                   ["Pooling Per Worker"], lexicon) is None
    # the title's initials: "AZ" under "availability zones"
    assert blanked("Spread the replicas over availability zones.", ["Multi-AZ Replicas"],
                   lexicon) is None
    # a near-synonym of the field: a "directory" of shards is a lookup table
    assert blanked("Keep a lookup table from each tenant to its shard.", ["Directory Shards"],
                   lexicon) is None
    assert blanked("Keep a lookup table from each tenant to its shard.", ["Mapped Shards"],
                   lexicon) == ("lookup table", "")
    # a near-synonym: HTTPS on the front gives TLS away
    assert blanked("Turn on TLS for every internal hop too.", ["HTTPS Everywhere"],
                   lexicon) is None
    # the family of a front term: a Bloom filter is a probabilistic data structure
    assert blanked("A probabilistic data structure answers 'seen before?' cheaply.",
                   ["Bloom Filter Dedup"], lexicon) is None


def test_a_cloze_never_blanks_one_item_of_a_list(lexicon):
    for text in ("Watch memory and CPU usage on each replica.",
                 "Keep the owner, size and URL of each upload in Postgres rows.",
                 "Ship the logs over TCP/UDP to the collector.",
                 "WebSockets, long polling sessions and gRPC streams all pin a worker.",
                 "Check the JWT signature, look at expiry, compare scopes."):
        assert blanked(text, ["Anything Else"], lexicon) is None, text
    # an item that says what it is for is pinned by it: one filling
    assert blanked("GET to read, POST to create, DELETE to remove a record.",
                   ["Verbs for Records"], lexicon)[0] in ("GET", "POST", "DELETE")


def test_a_cloze_never_blanks_a_term_of_a_question(lexicon):
    # a question states nothing to recall: any answer a reader gives fills its blank
    question = "Do the workers really need a connection pool, or is one socket enough?"
    assert blanked(question, ["Sizing Workers"], lexicon) is None
    assert refusals(question, ["Sizing Workers"], lexicon) == [("connection pool", "question")]
    # the sentence after a question is no question
    assert blanked("Why share sockets? Give every worker a connection pool sized to the "
                   "core count.", ["Sizing Workers"], lexicon) == ("connection pool", "")


def test_a_cloze_never_blanks_a_generic_or_everyday_term(lexicon):
    assert blanked("Put the data in the cache near the database.", ["Speed Up"], lexicon) is None
    assert blanked("Serve everything over HTTP from one box.", ["One Box"], lexicon) is None
    assert blanked("Send the form with POST to create the record.", ["Forms"], lexicon) is None
    # a listed phrase that only describes: a generic head and plain modifiers
    assert blanked("Autoscaling rides out traffic spikes.", ["Elastic Fleet"], lexicon) is None
    assert blanked("Each night, shift cold blobs onto cheaper storage tiers.", ["Night Moves"],
                   lexicon) is None
    # the architecture the whole field talks about: any heading on tracing or calls implies it
    assert blanked("Follow each call as it hops across microservices.", ["Call Paths"],
                   lexicon) is None


def test_a_cloze_never_blanks_part_of_a_phrase_or_a_term_printed_twice(lexicon):
    # "cache misses" goes on as "cache miss rate": blanking part of it is a guess
    assert blanked("Alert when the cache miss rate doubles.", ["Alerts"], lexicon) is None
    # "read models" after "read and write models": filled from the same sentence
    assert blanked("Split read and write models; events refresh the read models later.",
                   ["Split Models"], lexicon) is None


def test_no_recognized_term_means_no_cloze_and_the_reasons_are_told(lexicon):
    assert key_term("Refuse anything odd before it gets in.", ["Reject Input"], lexicon) is None
    assert refusals("Watch memory and CPU usage on each replica.", ["Watch It"], lexicon) == [
        ("CPU usage", "list")]


def test_cloze_sides_blank_every_occurrence_mark_the_answer_and_show_the_hint():
    text = "Vector clocks order <events>; vector clocks & {{c2::x}} stay."
    front, back = cloze_sides(text, (0, 13), anki_escape, "versioning scheme")
    assert front == ('<span class="cloze-blank">[...]</span> <span class="hint">'
                     '(versioning scheme)</span> order &lt;events&gt;; '
                     '<span class="cloze-blank">[...]</span> <span class="hint">'
                     '(versioning scheme)</span> &amp; &#123;&#123;c2::x&#125;&#125; stay.')
    assert back == ('<span class="cloze-term">Vector clocks</span> order &lt;events&gt;; '
                    '<span class="cloze-term">vector clocks</span> &amp; '
                    "&#123;&#123;c2::x&#125;&#125; stay.")


def test_a_cloze_never_cuts_a_code_span_or_a_formula(lexicon):
    # "connection pool" inside a code span is code: not blanked
    assert key_term("Name it `connection pool` in the config, then $n_{pool}$ grows.",
                    ["Config Names"], lexicon) is None
    text = "Take a `lease lock` and renew the *lease* before $t_{lease}$ ends."
    plain = "Take a lease lock and renew the lease before t_lease ends."
    front, back = cloze_sides(text, (plain.index("the lease") + 4, plain.index(" before")),
                              anki_escape)
    assert front == ('Take a <code>lease lock</code> and renew the '
                     '<em><span class="cloze-blank">[...]</span></em> before '
                     r'<span class="math">\(t_&#123;lease&#125;\)</span> ends.')
    assert '<span class="cloze-term"><em>lease</em></span>' in back \
        or '<em><span class="cloze-term">lease</span></em>' in back


# --- name ---------------------------------------------------------------------------------

QUESTION = "Servers leave the pool during deploys. How do you avoid dropped requests?"


def test_a_name_card_asks_for_a_recognized_term_and_says_what_sort_it_is(lexicon):
    card = name_card("Round Robin", "Hand each new request to the next box in turn.",
                     "A → B → C → A", "Requests pile up on one box. What spreads them?",
                     lexicon)
    assert card is not None and card.family == "load balancing algorithm"
    assert card.example_on_front and card.name == "Round Robin"
    card = name_card("Connection Draining", "Let in-flight requests finish before removal.",
                     "Wait 30 s, then remove the server.", QUESTION, lexicon)
    assert card is not None and card.family is None and card.example_on_front


def test_no_name_card_for_a_heading_a_claim_or_a_front_that_names_it(lexicon):
    assert name_card("Find the Hot Shard First", "Look at query logs per shard.", "",
                     QUESTION, lexicon) is None  # an instruction, not a name
    # the explanation, the question or the problem prints a word of the name
    assert name_card("Connection Draining", "Drain the connections one by one.", "",
                     QUESTION, lexicon) is None
    assert name_card("Connection Draining", "Let in-flight requests finish first.", "",
                     "How do you drain a server?", lexicon) is None
    assert name_card("Connection Draining", "Let in-flight requests finish first.", "",
                     QUESTION, lexicon, ("Draining Servers Safely",)) is None  # the topic
    # a front term whose family names the answer: Memcached is a cache
    assert name_card("Caching Layer", "Keep hot rows in Memcached.", "", QUESTION,
                     lexicon) is None


def test_a_name_card_leaves_off_a_problem_title_that_names_it(lexicon):
    # the problem's title prints "draining": the card keeps the topic and the question
    card = name_card("Connection Draining", "Let in-flight requests finish before removal.",
                     "", QUESTION, lexicon, ("Deploys",), "Draining Servers Safely")
    assert card is not None and not card.problem_on_front
    card = name_card("Connection Draining", "Let in-flight requests finish before removal.",
                     "", QUESTION, lexicon, ("Deploys",), "Safe Server Removal")
    assert card is not None and card.problem_on_front
    env = templating.make_environment()
    view = {"problem": {"topic": "Deploys", "title": "Draining Servers Safely",
                        "question": QUESTION},
            "point": {"rank": 1, "of": 2, "explanation": "Let in-flight requests finish.",
                      "example": "", "name": {"name": "Connection Draining", "aside": "",
                                              "family": None, "example_on_front": False,
                                              "problem_on_front": False}}}
    for side in ("front", "back"):
        shown = templating.render(env, f"anki/name-{side}.html", **view)
        assert '<div class="context">Deploys</div>' in shown and "Draining Servers" not in shown
    view["point"]["name"]["problem_on_front"] = True
    shown = templating.render(env, "anki/name-front.html", **view)
    assert '<div class="context">Deploys · Draining Servers Safely</div>' in shown


def test_a_front_that_clips_a_word_of_the_name_gives_it_away(lexicon):
    # "acks" and "nack" are the start of "acknowledgment" cut short: no English words
    question = "How do you make sure no message is lost when a worker dies?"
    assert name_card("Manual Acknowledgment", "The worker acks each message once it is done.",
                     "", question, lexicon) is None
    assert name_card("Manual Acknowledgment", "The worker confirms each message once done.",
                     "", question, lexicon) is not None
    card = name_card("Manual Acknowledgment", "The worker confirms each message once done.",
                     "Done, then send nack.", question, lexicon)
    assert card is not None and not card.example_on_front
    # an English word that ends like the clipped start is no clipping ("back", "track")
    assert name_card("Manual Acknowledgment", "Workers track each message and report back.",
                     "", question, lexicon) is not None


def test_a_name_card_moves_an_example_that_names_it_to_the_back(lexicon):
    card = name_card("Connection Draining", "Let in-flight requests finish before removal.",
                     "Drain for 30 s.", QUESTION, lexicon)
    assert card is not None and not card.example_on_front


# --- explain ------------------------------------------------------------------------------

def test_an_explain_card_needs_a_back_that_says_more_than_the_front():
    assert explain_card("Secret Rotation", "Rotate the secrets on a timer.", "Where do keys "
                        "live?") is None  # only "timer" is new
    card = explain_card("Semantic Lock", "Mark the row as pending so other sagas skip it "
                        "until the saga ends.", "How do sagas avoid dirty reads?")
    assert card is not None and card.front_title == "Semantic Lock"


def test_an_explain_card_is_skipped_when_the_question_prints_the_answer():
    assert explain_card("Scale Out", "Add more servers behind the load balancer quickly.",
                        "Should you buy a bigger box or add more servers?") is None


def test_an_explain_card_keeps_an_aside_that_answers_off_the_front():
    card = explain_card("Open State (Fail Fast)", "Reject calls at once without waiting on "
                        "the broken service.", "How do you stop a cascade?")
    assert card is not None and (card.front_title, card.aside) == ("Open State", "Fail Fast")


def test_an_instruction_whose_back_only_rewords_it_gets_no_explain_card():
    # Four new words, no reason, no mechanism, no number: the back restates the order.
    assert explain_card("Queue Calls for Throttling", "Put requests on a queue, workers pull "
                        "at a fixed pace.", "How do you protect a slow partner API?") is None
    assert explain_card("Monitor Disk Usage", "Watch free space on the volumes.",
                        "How do you keep the log shippers alive?") is None
    assert explain_card("Plan Schema Changes", "Schedule column changes with the owners.",
                        "How do you change a busy table?") is None


def test_an_instruction_whose_back_says_why_or_how_keeps_its_explain_card():
    question = "How do you protect a slow partner API?"
    # a reason
    assert explain_card("Queue Calls for Throttling", "Drain the queue slowly so bursts pass.",
                        question) is not None
    # a purpose ("to <verb>")
    assert explain_card("Queue Calls for Throttling", "Park requests on a queue to smooth "
                        "bursts.", question) is not None
    # a number
    assert explain_card("Queue Calls for Throttling", "Workers pull 20 jobs a second from the "
                        "queue.", question) is not None
    # a name the front does not print
    assert explain_card("Queue Calls for Throttling", "Park requests in SQS, pull them with "
                        "Lambda.", question) is not None
    # a product no dictionary knows, a comparison
    assert explain_card("Use Failover Tools", "Let Quorix promote a healthy standby.",
                        "Your primary died. What now?") is not None
    assert explain_card("Use Sticky Reads", "Pick a copy as current as yours.",
                        "Why do users see old posts?") is not None
    # enough new content words without any marker
    assert explain_card("Design Disk Quotas", "Graph free space per volume, page the "
                        "on-call engineer, rotate stale archives.", "How do you keep the log "
                        "shippers alive?") is not None


def test_an_order_naming_an_activity_gets_no_explain_card():
    # what to monitor or check is the title itself, however long the explanation
    assert explain_refusal("Monitor Disk Usage", "Graph free space per volume, page the "
                           "on-call engineer, rotate stale archives.", "How do you keep the "
                           "log shippers alive?") == "instruction"
    assert explain_refusal("Check Order Ownership", "Verify the caller owns the order "
                           "before any change → deny on mismatch.", "Who may cancel an "
                           "order?") == "instruction"


def test_a_heading_of_activities_gets_no_explain_card_as_the_order_would_not():
    # "Tracking & Reporting" names what to do, as "Track Disk Usage" does.
    assert explain_refusal("Tracking & Reporting", "Graph free space per volume, page the "
                           "on-call engineer, rotate stale archives.", "How do you keep the "
                           "log shippers alive?") == "instruction"
    # a noun after the activity, or an activity the list does not name, is no such heading
    for title in ("Tracking Cookies", "Tracking & Reports", "Sharding & Rebalancing"):
        assert not directions.activity_heading(title), title


def test_a_technique_name_is_not_held_to_the_instruction_rule():
    # "Retry ..." names how, and a noun title names a technique: four new words suffice.
    assert explain_card("Retry with Jittered Backoff", "Wait longer between attempts, "
                        "randomly spread.", "How do clients survive a flaky partner?") \
        is not None
    assert explain_card("Drip Gate", "Requests drain out at a steady pace.",
                        "How do you smooth bursts?") is not None


def test_instruction_titles():
    for title in ("Monitor Disk Usage", "Plan Schema Changes", "Use Queue for Throttling",
                  "Split Topic for Slow Readers", "Store Flags in the Cookie"):
        assert instruction(title), title
    for title in ("Retry with Jittered Backoff", "Drip Gate", "Use Cases for Sagas",
                  "Pull vs Push", "When to Use Layer 4", "Denormalize Orders"):
        assert not instruction(title), title


def test_an_instruction_card_asks_why_it_helps_and_how():
    env = templating.make_environment()
    context = {"problem": {"topic": "Queues", "title": "Slow partner", "question": "How?"},
               "point": {"rank": 1, "of": 2, "explain": {"title": "Use Queue for Throttling"},
                         "instruction": True, "heading": True}}
    front = templating.render(env, "anki/explain-front.html", **context)
    assert "Why does it help here, and how is it done?" in front
    context["point"] = {**context["point"], "instruction": False, "heading": False}
    assert "How does it work here?" in templating.render(env, "anki/explain-front.html",
                                                         **context)


def test_headings_ask_what_the_point_says():
    for title in ("When to Use Layer 4", "Why Not 2PC?", "Vertical Scaling Limits",
                  "Tokens Can't Be Revoked", "Use Sessions for Server-Rendered Apps"):
        assert heading(title), title
    for title in ("Round Robin", "Semantic Lock", "Rotate Keys Often"):
        assert not heading(title), title


def test_an_explain_card_needs_most_of_its_telling_words_new():
    # new to the front: "expire", "tokens", "hour" (3) but "rotation", "signing", "key",
    # "weekly" reword the title: 3 of 7 is less than half
    assert explain_card("Rotate Signing Keys Weekly", "Rotation of signing keys weekly; old "
                        "tokens expire within the hour.", "How do you stay safe?") is None
    # generic words of the field (data, users, show) say nothing new either
    assert explain_card("Stale Read Banner", "Show users the data might be stale.",
                        "Replicas lag. What do users see?") is None


def test_a_name_card_needs_a_clue_of_several_words(lexicon):
    assert name_card("Round Robin", "Next box, in turn.", "", QUESTION, lexicon) is None


def test_claims_and_aspect_headings_ask_what_the_point_says():
    for title in ("Real-World Example: Shop Carts", "Sharding Creates Hot Spots"):
        assert heading(title), title


# --- outline ------------------------------------------------------------------------------

def _problem(titles, question="Orders arrive twice. What do you change?",
             summary="Make every step safe to repeat."):
    from pipeline.models import Point, Problem, Where

    where = Where("book.txt", 1)
    points = tuple(Point(title, f"Explanation of {title.lower()}.", "", where)
                   for title in titles)
    return Problem("p", "Duplicate Orders", 1, "t", question, summary, points, ())


def test_a_short_outline_needs_three_to_five_distinct_approaches():
    from pipeline.emit.anki.outline import outline_refusal

    assert outline_refusal(_problem(["Idempotency Keys", "Outbox Table",
                                     "Deduplicate Consumers", "Unique Constraint"])) is None
    assert outline_refusal(_problem(["Idempotency Keys", "Outbox Table"])) == "few"
    # more than 5 is a long list (tests below); titles that name nothing are no approaches
    assert outline_refusal(_problem([f"Approach {n}" for n in "ABCDEF"])) == "headings"
    assert outline_refusal(_problem(["Idempotency Keys", "Outbox Table", "Unique Constraint"],
                                    summary="")) == "summary"
    # a "when to use" remark, a claim or an aspect heading is no approach to list
    assert outline_refusal(_problem(["Idempotency Keys", "Outbox Table",
                                     "When to Use Each"])) == "shape"
    assert outline_refusal(_problem(["Idempotency Keys", "Outbox Table",
                                     "Retries Are Dangerous"])) == "shape"
    # "Duplicate Orders Twice" only restates the question and the problem title
    assert outline_refusal(_problem(["Idempotency Keys", "Outbox Table",
                                     "Duplicate Orders Twice"])) == "restates"
    # "Idempotency Keys" and "Idempotency Key Table" say the same
    assert outline_refusal(_problem(["Idempotency Keys", "Outbox Table",
                                     "Idempotency Key Table"])) == "overlap"


def test_a_question_that_asks_which_one_thing_to_use_gets_no_outline():
    from pipeline.emit.anki.outline import outline_refusal

    options = ["Idempotency Keys", "Outbox Table", "Deduplicate Consumers",
               "Unique Constraint"]
    for question in ("Orders arrive twice. Which dedupe scheme should you use?",
                     "Orders arrive twice. What safeguard do you pick?"):
        assert outline_refusal(_problem(options, question=question)) == "choice"
    # a question about what to do, or about two named options, still gets one
    assert outline_refusal(_problem(options, question="Orders arrive twice. What should "
                                                      "you change to stop it?")) is None
    assert outline_refusal(_problem(options, question="Orders arrive twice. Should you use "
                                                      "keys or a unique constraint?")) is None


def test_a_short_outline_lists_one_heading_in_four_without_counting_it():
    from pipeline.emit.anki.outline import Outline, outline_card

    four = ["Idempotency Keys", "When to Use Each", "Outbox Table", "Unique Constraint"]
    found = outline_card(_problem(four))
    # 1 of 4 is within one in four: the three approaches are asked for, all of them
    assert found == Outline(3, (True, False, True, True)) and found.variant == "every"
    # two headings in five is more than one in four
    assert outline_card(_problem(four + ["Retries Are Dangerous"])) == "shape"
    # a restatement is listed the same way; two counted titles saying the same still refuse
    assert outline_card(_problem(four[:1] + ["Duplicate Orders Twice"] + four[2:])) \
        == Outline(3, (True, False, True, True))
    assert outline_card(_problem(four + ["Idempotency Key Table"])) == "overlap"


def test_a_name_before_a_generic_head_is_no_term_to_blank(lexicon):
    # "POST requests": the phrase only describes; "POST" alone is printed in a list
    assert blanked("Send writes as POST requests so caches pass them by.", ["Writes"],
                   lexicon) in (None, ("POST", "HTTP method"))
    assert refusals("Send writes as POST requests so caches pass them by.", ["Writes"],
                    lexicon).count(("POST requests", "generic")) == 1


# --- what readers rejected: titles that state the point, backs that only order -----------

def test_a_title_that_states_the_point_gets_no_explain_card():
    question = "Which store do you pick for the sessions?"
    # a choice "use X for Y": the title is the whole statement
    assert explain_refusal("Use Kettle for Warm Restarts", "Kettle snapshots memory to disk "
                           "and reloads it on boot.", question) == "states"
    # claims with their own verb
    assert explain_refusal("Sagas Are Lock-Free", "Each step commits at once and a "
                           "compensation reverts it later.", question) == "states"
    assert explain_refusal("Tokens Can't Be Recalled", "A signed token stays valid until "
                           "expiry; keep lifetimes short.", question) == "states"
    # a question or "when to" heading asks something: kept
    assert explain_refusal("When to Pick Kettle", "Pick it when restarts must keep warm "
                           "memory across deploys.", question) is None


def test_a_noun_heading_over_a_bare_order_gets_no_explain_card():
    question = "One tenant starves the others. What do you do?"
    # an aspect heading that names a technique, explained by one order
    assert explain_refusal("Pod Memory Limits", "Set memory caps on every pod to stop "
                           "hogging.", question) == "names"
    # any noun heading over an order of a few words
    assert explain_refusal("Dependency Drills", "Simulate partner outages weekly.",
                           question) == "names"
    # an order title is asked as one; a noun heading explained by a statement is kept
    assert explain_refusal("Cap Pod Memory", "Set memory caps on every pod to stop "
                           "hogging.", question) is None
    assert explain_refusal("Drip Gate", "Requests drain out at a steady pace, the rest "
                           "wait in line.", question) is None


def test_a_heading_word_counts_as_printed_not_as_an_opening_order():
    assert not heading("Rate Limiting")  # a technique, not a "limit" heading
    assert not heading("Limit Page Size")
    assert heading("Vertical Scaling Limits")


def test_abbreviations_of_a_name():
    assert abbreviates("NACL", ["network", "acls"])
    assert abbreviates("LWW", ["last", "write", "wins"])
    assert abbreviates("CBs", ["circuit", "breaker"])
    assert not abbreviates("NAT", ["network", "acls"])
    assert not abbreviates("ACL", ["network", "acls"])  # one word of it, not the name


def test_a_name_card_is_refused_when_the_front_abbreviates_or_rewords_the_name(lexicon):
    question = "Bots flood the public endpoint. What protects it?"
    # a near-synonym of a word of the name ("throttle" for "Rate Limiting")
    assert name_card("Rate Limiting", "Throttle each noisy client to protect the pool.", "",
                     question, lexicon) is None
    assert name_card("Rate Limiting", "Cap each client at so many calls per second.", "",
                     question, lexicon) is not None
    # "track" says "audit": the clue only defines the name
    assert name_card("Audit Logging", "Track every read of the vault, for the compliance team.",
                     "", question, lexicon) is None
    assert name_card("Audit Logging", "Keep who read which vault entry, for the compliance "
                     "team.", "", question, lexicon) is not None
    # an abbreviation of the name: in the clue, no card; in the example, it moves back
    assert name_card("Network ACLs", "Stateless allow and deny rules per NACL and subnet.",
                     "", question, lexicon) is None
    card = name_card("Network ACLs", "Stateless allow and deny rules for a whole subnet.",
                     "Deny the bad ranges in the NACL.", question, lexicon)
    assert card is not None and not card.example_on_front


def test_a_name_card_is_refused_when_the_front_spells_out_or_negates_a_word_of_it(lexicon):
    question = "The region's zones fail one at a time. How do you stay up?"
    # the acronym of the name, written out on the front: "AZ" is "availability zones"
    assert name_card("Multi-AZ Deployment", "Run copies of each tier in three availability "
                     "zones.", "", question, lexicon) is None
    assert name_card("Multi-AZ Deployment", "Run copies of each tier in three separate "
                     "data halls.", "", question, lexicon) is not None
    # a word of the name behind a negating prefix: "unhealthy" prints "health"
    assert name_card("Health Checks", "Probe each box and pull the unhealthy ones from "
                     "the pool.", "", question, lexicon) is None
    assert name_card("Health Checks", "Probe each box and pull the failing ones from the "
                     "pool.", "", question, lexicon) is not None


def test_a_cloze_never_blanks_a_term_its_parenthesis_explains(lexicon):
    assert blanked("Keep static assets (logos, fonts) in the browser for a year.",
                   ["Browser Layer"], lexicon) is None


def test_a_cloze_never_blanks_an_open_means_closing_the_sentence(lexicon):
    # "with [...]." at the end takes many fair fillings
    assert blanked("Keep two copies in sync with automatic failover.", ["Two Copies"],
                   lexicon) is None
    assert blanked("If the gateway dies, everything stops — need high availability.",
                   ["Single Gateway"], lexicon) is None
    # a purpose slot closing the sentence, even before a short "for locks"
    assert blanked("Pin each shopper to one box for session affinity.", ["Pinning"],
                   lexicon) is None
    assert blanked("Claim a row with a unique constraint for locks.", ["Row Claims"],
                   lexicon) is None
    # ... or before where it leads or what it is for, however long: "replication" fills
    # "with [...] to the standby" as well (readers rejected such a card)
    assert blanked("Keep one primary with automatic failover to the standby.",
                   ["Primary Copy"], lexicon) is None
    # pinned by what follows, or a named thing: kept
    assert blanked("Keep one primary with automatic failover that promotes the standby.",
                   ["Primary Copy"], lexicon) == ("automatic failover", "")


def test_a_cloze_never_blanks_a_term_printed_under_many_topics(lexicon):
    text = "Give every worker a connection pool sized to the core count."
    assert blanked(text, ["Sizing Workers"], lexicon) == ("connection pool", "")
    pages = [(f"topic-{n}", "Reuse a connection pool here.") for n in range(5)]
    broad = broad_terms(pages, lexicon)
    assert match_key("connection pool") in broad
    assert key_term(text, ["Sizing Workers"], lexicon, CorpusTerms(broad=broad)) is None
    assert match_key("connection pool") not in broad_terms(pages[:4], lexicon)


def test_a_cloze_never_blanks_the_only_member_of_a_family_its_hint_and_subject_name(lexicon):
    from pipeline.emit.anki.corpus_terms import sole_members

    text = "An upload to the bucket starts Lambda, which resizes the image."
    # Written from scratch: a book that names no serverless platform but Lambda ...
    pages = ["Lambda runs the handler.", "Each Lambda has a timeout.",
             "Kafka keeps the events."]
    sole = sole_members(pages, lexicon)
    assert match_key("Lambda") in sole and match_key("Kafka") in sole
    # ... under a topic that says the family: the hint and the topic say the answer
    assert blanked(text, ["Serverless Image Jobs"], lexicon) == ("Lambda",
                                                                  "serverless platform")
    assert key_term(text, ["Serverless Image Jobs"], lexicon, CorpusTerms(sole=sole)) is None
    # under a topic that does not say the family, the blank still asks for recall
    found = key_term(text, ["Image Thumbnails"], lexicon, CorpusTerms(sole=sole))
    assert found is not None and text[found.start:found.end] == "Lambda"
    # a book that names other members as often: Lambda is not the family to its readers
    mixed = pages + ["Azure Functions runs it too.", "Cloudflare Workers run at the edge."]
    assert match_key("Lambda") not in sole_members(mixed, lexicon)
    assert key_term(text, ["Serverless Image Jobs"], lexicon,
                    CorpusTerms(sole=sole_members(mixed, lexicon))) is not None


def test_a_blank_that_closes_its_sentence_after_a_verb_of_checking_is_open(lexicon):
    # what a burst of traffic tests is open: resilience, elasticity, auto-scaling ...
    assert blanked("Fire short bursts of traffic to test auto-scaling.", ["Burst Drills"],
                   lexicon) is None
    # like every open slot, only a blank that closes its sentence: here more follows
    assert blanked("Fire short bursts of traffic to test auto-scaling before a sale.",
                   ["Burst Drills"], lexicon) == ("auto-scaling", "")


def test_a_cloze_never_asks_for_what_the_headings_own_choice_fills_as_well(lexicon):
    text = "Pick synchronous replication for the writes that may never diverge."
    assert blanked(text, ["Billing Writes"], lexicon) == ("synchronous replication", "")
    # "Choose X for ...": the heading's X fills "pick [...] for ..." just as well
    assert blanked(text, ["Choose Strong Consistency for Billing"], lexicon) is None
    # not the same frame (nothing it is for after the blank): one filling again
    other = "Pick synchronous replication on the billing cluster."
    assert blanked(other, ["Choose Strong Consistency for Billing"], lexicon) == (
        "synchronous replication", "")
    # a heading's X that is no listed term chooses nothing to recall
    assert blanked(text, ["Choose Plain Words for Billing"], lexicon) == (
        "synchronous replication", "")


def test_a_hint_is_left_out_where_the_next_word_says_it(lexicon):
    assert blanked("Workers share one queue as competing consumers.", ["Shared Work"],
                   lexicon) == ("competing consumers", "architecture pattern")
    # "[...] (architecture pattern) pattern" would say it twice
    assert blanked("Workers share one queue in a competing consumers pattern.",
                   ["Shared Work"], lexicon) == ("competing consumers", "")


def test_a_name_cards_back_prints_the_titles_aside_in_parentheses():
    # A bare second line under the name reads as a stray word; in parentheses it reads as
    # the book's own qualifier ("Drip Gate (Edge Proxy)").
    env = templating.make_environment()
    context = {"problem": {"topic": "Queues", "title": "Slow partner", "question": "How?"},
               "point": {"rank": 1, "of": 2, "explanation": "Requests drain at a fixed pace.",
                         "example": "", "name": {"name": "Drip Gate", "aside": "Edge Proxy",
                                                 "family": None, "example_on_front": False,
                                                 "problem_on_front": True}}}
    back = templating.render(env, "anki/name-back.html", **context)
    assert '<div class="aside">(Edge Proxy)</div>' in back
    assert back.index("Drip Gate") < back.index("(Edge Proxy)")


def test_a_near_synonym_of_the_front_is_nothing_new_on_an_explain_back():
    # "coordinate" says "orchestration" again: two new words are left, under the minimum
    back = "Coordinate report steps in a nightly workflow."
    assert explain_refusal("Step Orchestration", back, "How do you run reports?") == "rewords"
    assert explain_refusal("Step Scheduling", back, "How do you run reports?") is None
    back = "Adapt the payload to a mobile shape."
    assert explain_refusal("Payload Transformation", back, "How do apps differ?") == "rewords"
    assert explain_refusal("Payload Trimming", back, "How do apps differ?") is None


def test_an_acronym_of_words_on_the_front_is_nothing_new_on_an_explain_back():
    # "PMQ" only abbreviates the problem's "Poison Message Queue": two new words are left
    question = "Some orders keep failing at checkout. What do you do with them?"
    back = "Park the order in the PMQ once its retries exceed a cap."
    assert explain_refusal("Park Orders After Retries", back, question,
                           ("Building a Poison Message Queue", "Queues")) == "rewords"
    # where the front spells out no PMQ, the acronym is something the back adds
    assert explain_refusal("Park Orders After Retries", back, question,
                           ("Building a Holding Area", "Queues")) is None
    # only a word written as an acronym: "id" is no short form of "is delayed"
    assert explain_refusal("Trace Fields in Headers", "Carry the trace and span id in every "
                           "header.", "A reply is delayed. How do you follow it?") is None


def test_a_cloze_never_blanks_an_acronym_the_front_spells_out(lexicon):
    # "continuous" is the C of CI and CD (continuous integration / delivery)
    assert {"ci", "cd"} <= lexicon.spelled_by({"continuous"})
    # a head word only says what sort of thing it is: "integration" spells out no CI
    assert "ci" not in lexicon.spelled_by({"integration"})
    text = "Run the smoke suite in the CI/CD pipeline on every merge."
    assert blanked(text, ["Smoke Checks on Merge"], lexicon) == ("CI/CD pipeline", "")
    assert blanked(text, ["Continuous Smoke Checks"], lexicon) is None


def test_a_cloze_never_blanks_a_class_whose_members_all_fit(lexicon):
    # a family of the lists ("wide-column store": Cassandra, HBase...) has many fillings
    text = "Keep sensor readings in a wide-column store keyed by device."
    assert blanked(text, ["Sensor History"], lexicon) == ("wide-column store", "")
    broad = broad_terms([], lexicon)
    assert match_key("wide-column store") in broad
    assert key_term(text, ["Sensor History"], lexicon, CorpusTerms(broad=broad)) is None


def test_a_cloze_never_blanks_the_name_of_the_code_before_it(lexicon):
    # "`cursor` and `size` [query parameters]": the code says what the blank is
    assert blanked("Pass `cursor` and `size` query parameters to walk the results.",
                   ["Cursor Paging"], lexicon) is None
    assert blanked("Pass the cursor as query parameters to walk the results.",
                   ["Cursor Paging"], lexicon) == ("query parameters", "")
    assert ("query parameters", "code") in refusals(
        "Pass `cursor` and `size` query parameters to walk the results.", ["Cursor Paging"],
        lexicon)


def test_an_explain_back_that_spells_out_its_heading_in_other_words_is_refused():
    # "increasing delays" says "exponential backoff" again: only "attempt" is left
    back = "Poll with increasing delays between attempts."
    assert explain_refusal("Poll with Exponential Backoff", back, "How do you poll a job?") \
        == "rewords"
    # control: the same back under a heading it does not restate says something new
    assert explain_refusal("Polling Cadence", back, "How do you poll a job?") is None
    # "bounds" says "min/max"; "over-" and "under-" are prefixes, not words of their own
    back = "Set bounds to prevent over-sharding or under-provisioning."
    assert explain_refusal("Min/Max Shards", back, "How big is a search index?") == "rewords"
    assert explain_refusal("Shard Sizing", back, "How big is a search index?") is None
    # "each" says "per", "transition" says "migration": what is left is two words
    back = "Give each tenant its own cold archive bucket."
    assert explain_refusal("Archive Bucket per Tenant", back, "Where do old files go?") \
        == "rewords"
    assert explain_refusal("Archive Bucket Layout", back, "Where do old files go?") is None
    back = "Accept old spellings during the transition."
    assert explain_refusal("Rename Migration", back, "How do you ship a rename?") == "rewords"
    assert explain_refusal("Rename Grace Window", back, "How do you ship a rename?") is None


def test_a_one_line_definition_of_a_two_word_name_by_itself_is_refused():
    # the back explains "Blob Vault" with "blob vault" and three new words
    back = "Keep uploads in a blob vault built for huge volume."
    assert explain_refusal("Blob Vault", back, "Where do uploads go?") == "rewords"
    # control: a longer back that says how it works keeps its card
    back = ("Keep uploads in a hosted blob vault; clients send parts in parallel with signed "
            "links and the vault stitches them together.")
    assert explain_refusal("Blob Vault", back, "Where do uploads go?") is None


# --- outline of a long list: name some of the points ---------------------------------------

# Seven invented approaches to "orders arrive twice", none printed in the question.
SEVEN = ["Idempotency Keys", "Outbox Table", "Deduplicate Consumers", "Unique Constraint",
         "Fencing Tokens", "Sequence Counters", "Exactly-Once Delivery"]


def test_a_long_list_of_approaches_asks_for_some_of_them():
    from pipeline.emit.anki.outline import Outline, outline_card

    found = outline_card(_problem(SEVEN))
    # 7 counted points: half rounded up is 4
    assert found == Outline(4, (True,) * 7)
    assert (found.total, found.variant) == (7, "some")
    # a short list keeps the card that asks for every point
    short = outline_card(_problem(SEVEN[:4]))
    assert short == Outline(4, (True,) * 4) and short.variant == "every"


def test_the_count_asked_is_half_rounded_up_from_three_to_five():
    from pipeline.emit.anki.outline import ask_count

    # written out by hand: 5 -> 3, 6 -> 3, 7 -> 4, 8 -> 4, 9 -> 5, 10 -> 5, then capped
    assert [ask_count(n) for n in range(5, 13)] == [3, 3, 4, 4, 5, 5, 5, 5]
    for total in range(5, 13):  # always a real choice, never more than a short outline
        assert 3 <= ask_count(total) < total and ask_count(total) <= 5


def test_a_long_list_lists_a_heading_or_a_restatement_without_counting_it():
    from pipeline.emit.anki.outline import Outline, outline_card

    # a "when to use" remark third, and a title that only restates the question last
    titles = SEVEN[:2] + ["When to Use Each"] + SEVEN[2:] + ["Orders Twice"]
    found = outline_card(_problem(titles))
    # 2 of 9 is within one in four: listed in place, left out of the 7 counted
    assert found == Outline(4, (True, True, False, True, True, True, True, True, False))
    assert found.total == 7


def test_a_long_list_with_more_than_one_heading_in_four_gets_no_outline():
    from pipeline.emit.anki.outline import outline_card

    # 6 titles, 2 headings (a claim and an aspect heading): a third of the list
    assert outline_card(_problem(SEVEN[:4] + ["Retries Are Dangerous", "Consumer Crash Risks"])) \
        == "headings"
    # 8 titles, 2 headings: one in four, still fair
    assert not isinstance(outline_card(_problem(SEVEN[:6] + ["Retries Are Dangerous",
                                                             "Consumer Crash Risks"])), str)
    # 8 titles, 3 headings
    assert outline_card(_problem(SEVEN[:5] + ["Retries Are Dangerous", "Consumer Crash Risks",
                                              "What Is a Duplicate?"])) == "headings"


def test_sibling_techniques_are_no_overlap_in_a_long_list_but_the_same_words_are():
    from pipeline.emit.anki.outline import outline_card

    siblings = ["Token Bucket Limiter", "Leaky Bucket Limiter", "Round Robin Picker",
                "Weighted Round Robin Picker", "Fixed Window Tally", "Sliding Window Tally"]
    assert not isinstance(outline_card(_problem(siblings)), str)
    # in a short list, the same siblings share more than half their words: no card
    assert outline_card(_problem(siblings[:3])) == "overlap"
    # "Idempotency Keys" and "Idempotency Key" count one idea twice
    assert outline_card(_problem(SEVEN[:5] + ["Idempotency Key"])) == "overlap"
    # ... unless one of them is not counted anyway (a claim)
    assert not isinstance(outline_card(_problem(SEVEN[:5] + ["Idempotency Keys Are Enough"])),
                          str)


def test_a_long_list_needs_a_summary_and_at_most_twelve_points():
    from pipeline.emit.anki.outline import outline_card

    assert outline_card(_problem(SEVEN, summary=" ")) == "summary"
    twelve = SEVEN + ["Write-Ahead Log", "Replay Protection", "Nonce Cache", "Request Hashing",
                      "Clock Skew Allowance"]
    card = outline_card(_problem(twelve))
    assert not isinstance(card, str) and card.ask == 5  # half of 12, capped at five
    assert outline_card(_problem(twelve + ["Token Rotation"])) == "many"


def test_the_card_word_lists_ship_as_data_files_of_the_stated_shape():
    # restates.txt: one group per line, words that spell one another out (so two or more);
    # goal_verbs.txt, activity_verbs.txt: one lower-case word per line
    data = resources.files("pipeline.tags") / "data"
    for name in ("restates.txt", "goal_verbs.txt", "activity_verbs.txt"):
        text = (data / name).read_text(encoding="utf-8")
        assert "general knowledge" in text.split("\n\n")[0] and "not from any book" in text
    groups = restates()
    assert groups and all(len(group) >= 2 for group in groups)
    assert frozenset({"backoff", "delay", "wait"}) in groups
    for verbs in (directions._goal_verbs(), directions._activity_verbs()):
        assert verbs and all(v.isalpha() and v == v.lower() for v in verbs)
    # one listed verb of each, read from the files: an order opening with it is caught
    assert instruction("Document the Failover") and not instruction("Shard the Orders")
    assert directions.activity("Evaluate the Options") \
        and not directions.activity("Document the Failover")


def test_a_hyphenated_negating_prefix_is_no_word_of_its_own():
    # "un-" and "dis-" are stripped like "non-" (english.HYPHENATED_NEGATING), "in-" never
    # needs it (the word "in" says nothing)
    assert directions.telling_words("Keep un-retryable calls apart.") \
        == directions.telling_words("Keep retryable calls apart.")
    assert directions.telling_words("Mark dis-allowed hosts.") \
        == directions.telling_words("Mark allowed hosts.")
    assert "un" in directions.telling_words("Keep un retryable calls apart.")  # control
