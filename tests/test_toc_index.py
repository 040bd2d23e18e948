"""The indexed header matching (pipeline/toc.py) answers exactly what scanning every
table-of-contents entry with the plain rules answers, on invented titles and noisy copies."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.ids import topic_id
from pipeline.markup import clean_inline, strip_decoration
from pipeline.models import Topic
from pipeline.toc import TOPIC_HEADING, TocIndex, heading_names, titles_match

WORDS = ["Cache", "Caching", "Queue", "Queues", "Shard", "Sharded", "Storage", "Retry",
         "Retries", "Timeouts", "&", "Basics", "(Inverted)", "Search", "Index", "Indexes",
         "Webhooks", "Callbacks", "Routing", "Request", "Budgets", "Observability", "A", "B"]


def scan(toc: list[Topic], text: str) -> tuple[int, ...]:
    """The definition: every entry checked with the rule for this kind of line."""
    topic = TOPIC_HEADING.match(text)
    title = strip_decoration(clean_inline(topic["title"] if topic else text))
    if not title or len(title) > 90:
        return ()
    rule = heading_names if topic else titles_match
    return tuple(i for i, t in enumerate(toc) if rule(title, t.title))


titles = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)


def noisy(title: str) -> st.SearchStrategy[str]:
    typo = st.tuples(st.integers(0, max(0, len(title) - 1)), st.sampled_from("xe s")).map(
        lambda cut: title[:cut[0]] + cut[1] + title[cut[0] + 1:])
    return st.one_of(st.just(title), typo, st.just(title + " (Part Two)"),
                     st.just(title.upper()), st.just(f"**{title}** 💡"))


@settings(max_examples=150, deadline=None)
@given(st.lists(titles, min_size=1, max_size=12), st.data())
def test_index_answers_what_scanning_answers(toc_titles, data):
    toc = [Topic(id=topic_id(t), title=t, order=i + 1) for i, t in enumerate(toc_titles)]
    index = TocIndex(toc)
    base = data.draw(st.one_of(st.sampled_from(toc_titles), titles))
    line = data.draw(noisy(base))
    for text in (line, f"Topic 3: {line}", f"## Topic 12. {line}"):
        assert index.topics_named(text) == scan(toc, text), text
        assert index.topics_named(text) == scan(toc, text)  # the remembered answer too


def test_duplicate_titles_are_all_named():
    toc = [Topic(id="a", title="Caching Basics", order=1),
           Topic(id="b", title="Queues", order=2),
           Topic(id="a", title="Caching Basics", order=3)]
    assert TocIndex(toc).topics_named("Caching Basics") == (0, 2)
    assert TocIndex(toc).topics_named("Topic 3: Caching Basics (Invalidation)") == (0, 2)
    assert TocIndex(toc).topics_named("Caching Basic") == (0, 2)  # a typo, ratio >= 92
    assert TocIndex(toc).topics_named("Caching") == ()
