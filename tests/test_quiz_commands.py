"""Which-command items: a command the point names, same-family distractors, the name blanked."""
from __future__ import annotations

import random
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.emit.quiz.bank import Bank
from pipeline.emit.quiz.commands import (build_command_item, command_keys, family_noun,
                                         first_letter_odd, named_in, redis_type,
                                         same_type_only, shown_name)
from pipeline.emit.quiz.text import BLANK
from pipeline.inline import plain_text
from pipeline.models import Tag


@pytest.fixture(scope="module")
def counters(corpus):
    return next(p for p in corpus.problems if p.title == "Counting Page Views at Scale")


def _point(problem, title):
    return next(pt for pt in problem.points if pt.title == title)


@pytest.mark.parametrize("label, technology, shown", [
    ("PostgreSQL VACUUM", "PostgreSQL", "VACUUM"),  # the stem names the product
    ("Cache-Control headers", None, "Cache-Control"),
    ("acks config", None, "acks"),
    ("JOINs", None, "JOIN"),
    ("ZREVRANGE", None, "ZREVRANGE"),
])
def test_shown_name(label, technology, shown):
    assert shown_name(Tag(label.lower(), label, (label,), 1, "command", "x", technology)) == shown


def test_family_noun_names_the_product():
    assert family_noun("SQL statement", "PostgreSQL") == "PostgreSQL statement"
    assert family_noun("Redis command", None) == "Redis command"


def test_named_in_ignores_spacing_but_not_capitals():
    assert named_in("SETNX", "Redis SET NX with the order id")
    assert not named_in("COPY", "copy the totals")
    assert named_in("max-age", "Cache-Control: public, max-age=3600")


def test_the_key_is_a_command_the_point_names(bank, counters):
    assert [t.label for t in command_keys(bank, _point(counters, "Rank the Top Pages"))] \
        == ["ZREVRANGE"]
    # allkeys-lru is a tag of the point, but the point never names it: a side note
    assert command_keys(bank, _point(counters, "Cap Memory Use")) == []


def test_distractors_are_the_familys_other_commands_and_the_key_is_the_blank(bank, counters):
    point = _point(counters, "Rank the Top Pages")
    for seed in range(6):
        item = build_command_item(bank, counters, point, random.Random(seed), 0)
        assert item and item.key == "ZREVRANGE"
        assert set(item.distractors) <= {"INCR", "MGET", "PFADD", "PFCOUNT", "EXPIRE", "GETDEL"}
        stem = plain_text(item.stem)
        assert stem.startswith("Which Redis command fills the blank?")
        assert stem.count(BLANK) == 1 and "ZREVRANGE" not in stem
        assert "Rank the Top Pages" not in stem  # titles name the data type: left out


def test_a_passage_naming_another_command_of_the_family_is_no_item(bank, counters):
    point = _point(counters, "Count Unique Visitors Approximately")  # PFADD, then PFCOUNT
    found = build_command_item(bank, counters, point, random.Random(1), 0)
    assert not found and "names other commands" in found.reason


def test_a_key_that_starts_unlike_three_alike_distractors_stands_out():
    assert first_letter_odd("SISMEMBER", ("LPUSH", "LRANGE", "LTRIM"))
    assert not first_letter_odd("LPOP", ("LPUSH", "LRANGE", "LTRIM"))
    assert not first_letter_odd("SADD", ("LPUSH", "HGET", "LTRIM"))


def test_two_variants_of_one_command_never_sit_together(corpus):
    from dataclasses import replace as swap

    incrby = Tag("incrby", "INCRBY", ("INCRBY",), 1, "command", "Redis command")
    problems = []
    for problem in corpus.problems:
        if problem.title == "Counting Page Views at Scale":
            points = tuple(swap(pt, tags=pt.tags + ("incrby",)) if pt.title == "Cap Memory Use"
                           else pt for pt in problem.points)
            problem = swap(problem, points=points)
        problems.append(problem)
    bank = Bank(swap(corpus, problems=tuple(problems), tags=corpus.tags + (incrby,)))
    counters = next(p for p in problems if p.title == "Counting Page Views at Scale")
    point = _point(counters, "Rank the Top Pages")
    seen = set()
    for seed in range(30):
        item = build_command_item(bank, counters, point, random.Random(seed), 0)
        if item:
            seen |= set(item.distractors)
            assert not {"INCR", "INCRBY"} <= set(item.distractors)
    assert {"INCR", "INCRBY"} & seen  # each is a distractor, never both at once


@pytest.mark.parametrize("name, kind", [
    ("HSET", "hash"), ("HGETALL", "hash"), ("LPUSH", "list"), ("BRPOP", "list"),
    ("ZADD", "sorted set"), ("SINTER", "set"), ("SISMEMBER", "set"), ("XADD", "stream"),
    ("SET", None), ("SETNX", None), ("MGET", None), ("EXPIRE", None)])
def test_redis_data_types(name, kind):
    assert redis_type(name) == kind


REDIS_KEY = Tag(id="sinter", label="SINTER", forms=("SINTER",), count=1, kind="command",
                family="Redis command")


def test_a_passage_naming_the_keys_data_type_gets_distractors_of_that_type_only():
    # "fields in a hash" beside one hash command and three others leaves the key the only
    # command of the type the passage names: the others are ruled out at once
    names = ["LTRIM", "SUNION", "LRANGE", "SDIFF", "MGET"]
    ordered = same_type_only(REDIS_KEY, "SINTER", "Intersect two sets of user ids.", names)
    assert ordered == ["SUNION", "SDIFF"]


def test_a_passage_not_naming_the_type_keeps_the_order():
    names = ["LTRIM", "SUNION", "LRANGE", "SDIFF"]
    assert same_type_only(REDIS_KEY, "SINTER", "Keep users common to both groups.",
                          names) == names
    # "sorted set" is not the set type
    assert same_type_only(REDIS_KEY, "SINTER", "Rank players in a sorted set.",
                          names) == names


def test_a_description_of_several_commands_of_the_family_is_no_item(corpus):
    """A point that uses two commands of one family (PFADD, then PFCOUNT) and a passage
    naming neither (the blank would take a whole code span, so the example is left out):
    the description may be of what both do together."""
    from dataclasses import replace as swap

    def build(example, tags):
        problems = []
        for problem in corpus.problems:
            if problem.title == "Counting Page Views at Scale":
                problem = swap(problem, points=tuple(
                    swap(pt, explanation="Put every visitor in a small sketch, then read "
                                         "back an estimate of how many were distinct.",
                         example=example, tags=tags)
                    if pt.title == "Count Unique Visitors Approximately" else pt
                    for pt in problem.points))
            problems.append(problem)
        bank = Bank(swap(corpus, problems=tuple(problems)))
        counters = next(p for p in problems if p.title == "Counting Page Views at Scale")
        point = _point(counters, "Count Unique Visitors Approximately")
        return [build_command_item(bank, counters, point, random.Random(seed), 0)
                for seed in range(4)]

    both = build("`PFADD visitors:today user:17` → `PFCOUNT visitors:today` → about 1.2M",
                 ("pfadd", "pfcount"))
    assert not any(both) and all("several commands" in found.reason for found in both)
    one = build("`PFADD visitors:today user:17` → one more visitor counted", ("pfadd",))
    assert all(one) and {item.key for item in one} == {"PFADD"}


def test_the_letters_that_fold_to_ascii_are_every_one_there_is():
    from pipeline.emit.quiz.commands import CASE_FOLDS_TO_ASCII

    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    folding = {c for c in re.findall("[a-z]", every, re.IGNORECASE) if not c.isascii()}
    assert folding and all(CASE_FOLDS_TO_ASCII.fullmatch(c) for c in folding)
    assert {chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000
            and CASE_FOLDS_TO_ASCII.fullmatch(chr(c))} == folding


_NAME_CHARS = st.sampled_from(list("SETNXsetnxAB12 -._=/Kk\u212aı\u0130ſé"))


@settings(max_examples=400, deadline=None)
@example(name="sk", text="\u017f\u212a")  # the long s and the Kelvin sign
@example(name="Set-Nx", text="set . nx")
@given(name=st.text(_NAME_CHARS, min_size=1, max_size=6),
       text=st.text(st.sampled_from(list("SETNXsetnxAB12 -._=/\t\u00a0\u2009Kk\u212aı\u0130ſé,;")),
                    max_size=30))
def test_the_quick_refusal_never_refuses_a_name_the_pattern_finds(name, text):
    from pipeline.emit.quiz.commands import _may_name, _name_pattern

    pattern = _name_pattern(name)
    if pattern is not None and pattern.search(text):
        assert _may_name(name, text)
