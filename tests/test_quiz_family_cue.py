"""The family cue: a stem naming a technology whose family only the key says."""
from __future__ import annotations

import random
from dataclasses import replace

import pytest

from pipeline.emit.quiz.bank import Bank
from pipeline.emit.quiz.checks import item_findings
from pipeline.emit.quiz.family_cue import (family_cue, family_words, named_families,
                                           named_subjects, parse_family_words, says_family)
from pipeline.emit.quiz.items import Item
from pipeline.emit.quiz.naming import NAME_FROM_EXAMPLE, build_name_item
from pipeline.emit.quiz.solver import CueSolver
from pipeline.tags.families import family_list

KNOWN = frozenset({"cache", "relational database", "message broker"})


def test_the_table_reads_family_lines():
    table = parse_family_words("# a comment\n\ncache: cache, caching\n"
                               "relational database: database, SQL\n"
                               'screens: display, UI | button, "quoted"\n', KNOWN)
    assert table.said_by == {"cache": {"cache", "caching"},
                             "relational database": {"database", "SQL"},
                             "screens": {"display", "UI"}}
    assert table.named_by == {"screens": {"button", '"quoted"'}}  # a subject needs no family


@pytest.mark.parametrize("text, line, says", [
    ("cache: cache\nnot a family: word\n", 2, "no family"),
    ("cache: cache\ncache: caching\n", 2, "listed twice"),
    ("# header\ncache cache\n", 2, "family: word"),
    ("cache:\n", 1, "family: word"),
    ("screens: display |\n", 1, "stem word"),
])
def test_a_bad_table_line_is_named(text, line, says):
    with pytest.raises(ValueError, match=rf"family_words.txt:{line}: .*{says}"):
        parse_family_words(text, KNOWN)


def test_the_shipped_table_names_only_listed_families():
    table = family_words()  # parsing checks every family against families.txt
    assert set(table.said_by) - set(table.named_by) <= set(family_list().families)
    assert "database" in table.said_by["relational database"]
    assert "button" in table.named_by["user interface"]


def test_technologies_are_found_by_family_once_each():
    found = named_families("Use AWS Lambda here; Lambda scales; redis and Redis; GET /x")
    assert found["serverless platform"] == ("AWS Lambda",)  # "Lambda" inside it, once
    assert found["cache"] == ("redis",)  # one name in two cases
    assert all(family not in found for family in ("HTTP method", "Redis command"))
    # names joined by a slash or a hyphen are read as the cards read them
    assert named_families("Fan out with Redis Pub/Sub")["message broker"] == ("Redis Pub/Sub",)
    assert "cache" not in named_families("Fan out with Redis Pub/Sub")
    assert named_families("A Redis-backed session store")["cache"] == ("Redis",)
    assert named_families("Use Kafka. Streams of clicks arrive")["message broker"] == ("Kafka",)


@pytest.mark.parametrize("option, family, says", [
    ("Cache-Aside with Fallback", "cache", True),
    ("Caching Layer", "cache", True),
    ("NoSQL Injection Prevention", "document database", True),  # "SQL" inside a name
    ("Filter Response Data", "relational database", False),  # "Data" only starts "database"
    ("Network Redundancy", "relational database", False),
    # a shared start is no family word: these print none
    ("Broken Consumer Recovery", "message broker", False),
    ("Correlation IDs", "relational database", False),
    ("DataLoader Batching", "relational database", False),
    ("GraphQL Complexity", "graph database", False),
    ("Logic in Handlers", "logging", False),
    ("Logging with Context", "logging", True),
])
def test_an_option_says_a_family_by_its_words(option, family, says):
    assert says_family(option, family) is says


def test_the_key_alone_saying_the_stems_family_is_a_cue():
    stem = "Which idea does this example illustrate: “A PostgreSQL standby takes over”?"
    others = ("Queue Redundancy", "Network Redundancy", "Cache-Aside with Fallback")
    cue = family_cue(stem, "Database Failover", others)
    assert cue and "PostgreSQL" in cue and "relational database" in cue
    # a distractor saying the family too, or a key that does not: no cue
    assert family_cue(stem, "Database Failover", ("SQL Proxy Pools", *others[1:])) is None
    assert family_cue(stem, "Standby Promotion", others) is None
    # a cue that points away from the key is a cue too: that distractor is ruled out
    assert family_cue(stem, "Standby Promotion", ("Database Failover", *others[1:]))
    # two members named: still a cue for a naming item; in a contrast of the two the
    # family word cannot say which side is meant
    both = "Which fits MySQL rather than PostgreSQL: “a standby takes over”?"
    assert family_cue(both, "Database Failover", others)
    assert family_cue(both, "Database Failover", others, contrast=True) is None


def _item(stem, key, distractors):
    return Item("q-1", NAME_FROM_EXAMPLE, "p-1", "t-1", stem, key, distractors, key)


def test_the_check_and_the_solver_see_the_family_cue():
    stem = "Which idea does this example illustrate: “Redis is down, so reads go on”?"
    cued = _item(stem, "Cache-Aside with Fallback",
                 ("Queue Redundancy", "Network Redundancy", "Database Failover"))
    fair = _item(stem, "Cache-Aside with Fallback",
                 ("Write-Through Caching", "Network Redundancy", "Database Failover"))
    assert "no_family_cue" in item_findings(cued)
    assert "no_family_cue" not in item_findings(fair)


def test_the_solver_answers_by_the_family(quiz_fixture_corpus):
    solver = CueSolver(quiz_fixture_corpus)
    stem = "Which idea does this example illustrate: “Redis is down, so reads go on”?"
    cued = _item(stem, "Cache-Aside with Fallback",
                 ("Queue Redundancy", "Network Redundancy", "Database Failover"))
    assert solver.picks(cued, "family") == (0,)
    assert solver.credit(cued, "family") == 1.0
    fair = _item(stem, "Cache-Aside with Fallback",
                 ("Write-Through Caching", "Network Redundancy", "Database Failover"))
    assert solver.picks(fair, "family") == (0, 1)  # two say it: half an answer
    assert solver.credit(fair, "family") == 0.5


def test_no_naming_item_whose_key_alone_says_the_examples_family(quiz_fixture_corpus):
    corpus = quiz_fixture_corpus
    problem = next(p for p in corpus.problems if p.title == "Nightly Report Overruns")
    title = "Read from a Database Replica"

    def items(example):
        points = tuple(replace(pt, title=title, example=example)
                       if pt.title == "Read from a Replica" else pt for pt in problem.points)
        changed = replace(problem, points=points)
        bank = Bank(replace(corpus, problems=tuple(changed if p.id == problem.id else p
                                                   for p in corpus.problems)))
        point = next(pt for pt in points if pt.title == title)
        return [build_name_item(bank, changed, point, random.Random(seed), 0,
                                NAME_FROM_EXAMPLE) for seed in range(4)]

    plain = items("The report queries the standby; checkout traffic keeps the primary.")
    assert all(plain)  # no technology named: the siblings are fair
    named = items("The report queries a PostgreSQL standby; checkout keeps the primary.")
    assert not any(named)
    assert all("what the stem names" in found.reason for found in named)
    both = items("The report queries a MySQL or PostgreSQL standby; checkout keeps the "
                 "primary.")
    assert not any(both)


@pytest.mark.parametrize("stem, named", [
    ('“Disable the buttons after one click.”', "buttons"),  # any inflection
    ('“"Prices may be up to a minute old" shown under the total.”', "a quoted message"),
    ('“{"event": "paid", "order": 7} is logged.”', None),  # JSON keys are no message
    ('“Save the page id in the session.”', None),
])
def test_a_stem_names_the_user_interface_by_its_words(stem, named):
    assert named_subjects(stem).get("user interface") == named


def test_the_key_alone_saying_what_the_user_sees_is_a_cue():
    stem = 'Which idea does this example illustrate: “"Totals may lag by a minute" banner.”?'
    others = ("Read from the Primary", "Cache Warm-Up", "Alert on Lag")
    cue = family_cue(stem, "Display Lag Warnings", others)
    assert cue and "user interface" in cue
    assert family_cue(stem, "Display Lag Warnings",
                      ("Per-User Read Routing", *others[1:])) is None  # "User" too
    assert family_cue("Which idea: “Totals may lag by a minute.”?", "Display Lag Warnings",
                      others) is None  # nothing a user sees in the stem
