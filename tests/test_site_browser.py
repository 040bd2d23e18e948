"""The study site in a real browser (Chromium via Playwright), opened from disk (file://).

Expectations come from corpus.json and from the quiz library (``drillbook quiz``), never
from the page itself. Each test gets a fresh browser context: empty local storage.
"""
from __future__ import annotations

import json
import re
import time

import pytest
from click.testing import CliRunner
from conftest import ROOT
from site_browser import CHROMIUM_ARGS, Page, chromium_path

from pipeline.cli import main


def build(out, book=None, extra_settings=""):
    settings = out.parent / "drillbook.toml"
    settings.write_text("[quiz]\npdf = false\n" + extra_settings, "utf-8")
    result = CliRunner().invoke(main, ["build", str(book or ROOT / "raw" / "sample"),
                                       "--out", str(out), "--config", str(settings)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = build(tmp_path_factory.mktemp("site") / "build")
    return {"site": out / "site", "out": out,
            "corpus": json.loads((out / "corpus.json").read_text("utf-8"))}


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield Page(context.new_page())
    context.close()


def problem_with_title(corpus, word):
    (found,) = [p for p in corpus["problems"] if word in p["plain"]["title"]]
    return found


def test_opens_from_disk_with_no_errors_and_no_network(page, sample):
    page.open(sample["site"])
    assert page.errors == []
    assert page.requests and all(url.startswith("file://") for url in page.requests)
    policy = page.page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
    assert "default-src 'none'" in policy and "unsafe" not in policy
    # Every topic with problems is listed with its problems, in book order.
    expected = [p["id"] for p in sample["corpus"]["problems"]]
    assert page.visible_problems() == expected
    assert page.page.text_content("#result-count") == f"{len(expected)} problems"


def test_search_ranks_the_matching_problem_first_and_links_to_it(page, sample):
    poison = problem_with_title(sample["corpus"], "Poison")
    page.open(sample["site"])
    page.page.fill("#search", "poison messages")
    page.page.wait_for_function("() => document.getElementById('search-results').hidden === false")
    found = page.visible_problems()
    assert found[0] == poison["id"]
    total = len(sample["corpus"]["problems"])
    assert page.page.text_content("#result-count").startswith(f"{len(found)} of {total} problems")
    assert "q=poison" in page.page.evaluate("location.hash")  # the search is in the address
    page.follow(lambda: page.page.click(f'#search-results a[href="#{poison["id"]}"]'))
    article = page.page.locator(f'article[id="{poison["id"]}"]')
    assert article.is_visible()
    assert article.locator("h1").text_content() == poison["plain"]["title"]
    page.follow(page.page.go_back)
    page.page.wait_for_function(
        "() => document.getElementById('search').value === 'poison messages'")
    page.page.fill("#search", "retry & back-off")  # "&" must survive the address
    page.page.wait_for_function("() => location.hash === '#/?q=retry+%26+back-off'")
    page.page.reload()
    page.page.wait_for_selector("html[data-ready]")
    assert page.page.input_value("#search") == "retry & back-off"
    page.page.fill("#search", "qqqzzzxxv")
    page.page.wait_for_function("() => document.getElementById('result-count').textContent"
                                f".startsWith('0 of {total}')")
    assert page.errors == []


def test_filters_by_topic_tag_kind_and_family(page, sample):
    corpus = sample["corpus"]
    tags = {t["id"]: t for t in corpus["tags"]}
    page.open(sample["site"])
    topic = corpus["topics"][3]["id"]
    page.page.select_option("#filter-topic", topic)
    assert page.visible_problems() == [p["id"] for p in corpus["problems"] if p["topic"] == topic]
    page.page.click("#filters-clear")
    page.page.wait_for_function("() => document.getElementById('filter-topic').value === ''")

    page.page.select_option("#filter-kind", "technology")
    has_technology = [p["id"] for p in corpus["problems"]
                      if any(tags[t]["kind"] == "technology" for t in p["tags"])]
    assert page.visible_problems() == has_technology and 0 < len(has_technology) < 21
    page.page.select_option("#filter-kind", "")

    family = "Redis command"
    page.page.select_option("#filter-family", family)
    in_family = [p["id"] for p in corpus["problems"]
                 if any(tags[t]["family"] == family for t in p["tags"])]
    assert page.visible_problems() == in_family and in_family
    # Only the family's tags are offered in the tag box.
    offered = page.page.eval_on_selector_all("#tag-list option", "os => os.map(o => o.value)")
    assert sorted(offered) == sorted(t["plain"]["label"] for t in corpus["tags"]
                                     if t["family"] == family)


def test_a_tag_chip_lists_every_problem_with_that_tag(page, sample):
    corpus = sample["corpus"]
    shared = max(corpus["tags"],
                 key=lambda t: sum(t["id"] in p["tags"] for p in corpus["problems"]))
    first = next(p for p in corpus["problems"] if shared["id"] in p["tags"])
    page.open(sample["site"], "#" + first["id"])
    chip = f'article[id="{first["id"]}"] a.tag[href="#/?tag={shared["id"]}"]'
    page.page.locator(chip).first.click()
    page.page.wait_for_function(
        "() => document.getElementById('view-browse').classList.contains('active')")
    expected = [p["id"] for p in corpus["problems"] if shared["id"] in p["tags"]]
    assert len(expected) >= 2 and page.visible_problems() == expected
    assert page.page.input_value("#filter-tag") == shared["plain"]["label"]


def test_every_problem_has_a_stable_address(page, sample):
    problems = sample["corpus"]["problems"]
    target = problems[5]
    page.open(sample["site"], "#" + target["id"])
    assert page.page.locator("article.current h1").text_content() == target["plain"]["title"]
    assert page.page.title().startswith(target["plain"]["title"])
    points = page.page.locator("article.current .point .point-title")
    assert points.all_text_contents() == [pt["plain"]["title"] for pt in target["points"]]
    page.page.reload()
    page.page.wait_for_selector("html[data-ready]")
    assert page.page.locator("article.current").get_attribute("id") == target["id"]
    page.follow(lambda: page.page.click("article.current a[rel=next]"))
    assert page.page.locator("article.current").get_attribute("id") == problems[6]["id"]
    assert page.page.evaluate("document.activeElement.tagName") == "H1"  # focus follows


def test_flashcards_are_scheduled_and_the_schedule_survives_a_reload(page, sample):
    problems = sample["corpus"]["problems"]
    page.open(sample["site"], "#/cards")
    seen = []
    for grade in ("3", "4", "1"):  # Good, Easy, Again: all due later than now
        card = page.page.get_attribute("#card", "data-card")
        seen.append(card)
        assert not page.page.is_visible("#card-back")
        page.page.keyboard.press("Space")
        assert page.page.is_visible("#card-back")
        assert page.page.locator("#card-grades .interval").all_text_contents()[2]  # "10m"
        page.page.keyboard.press(grade)
    # The first cards are the first problem's, in book order: problem card, then points.
    first = problems[0]
    assert seen[0] == "problem:" + first["id"]
    assert all(card.startswith(("problem:", "point:" + first["id"] + "/")) for card in seen)
    saved = next(v for k, v in page.storage().items() if k.endswith(":cards"))
    assert sorted(saved) == sorted(seen)
    now = time.time()
    for card in seen:
        due = (time.mktime(time.strptime(saved[card]["due"][:19], "%Y-%m-%dT%H:%M:%S"))
               - time.timezone)
        assert due > now + 30, card  # Again is a minute away, Good ten minutes, Easy days
    assert saved[seen[1]]["scheduled_days"] >= 1  # Easy on a new card skips learning

    page.page.reload()
    page.page.wait_for_selector("html[data-ready]")
    assert page.page.get_attribute("#card", "data-card") not in seen
    assert "reviewed today: 3" in page.page.text_content("#cards-counts")
    page.confirm = True
    page.page.click("#cards-reset")
    assert "reviewed today: 0" in page.page.text_content("#cards-counts")
    assert page.page.get_attribute("#card", "data-card") == seen[0]
    assert page.errors == []


def test_flashcards_of_one_topic_and_kind(page, sample):
    problems = sample["corpus"]["problems"]
    topic = problems[-1]["topic"]
    page.open(sample["site"], "#/cards")
    page.page.select_option("#cards-topic", topic)
    page.page.uncheck('#cards-options input[name="problem"]')
    card = page.page.get_attribute("#card", "data-card")
    first = next(p for p in problems if p["topic"] == topic)
    assert card.startswith("point:" + first["id"] + "/")
    counts = page.page.text_content("#cards-counts")
    expected = sum(1 for p in problems if p["topic"] == topic for pt in p["points"] if pt["title"])
    assert counts.endswith(f"{expected} cards")


def printed(sample, count, folder):
    """The same quiz made by `drillbook quiz` (the printed quiz's library): its items."""
    result = CliRunner().invoke(main, ["quiz", "--corpus", str(sample["out"] / "corpus.json"),
                                       "--count", str(count), "--versions", "1", "--no-pdf",
                                       "--out", str(folder)])
    assert result.exit_code == 0, result.output
    return json.loads((folder / "quiz.json").read_text("utf-8"))["versions"][0]["items"]


@pytest.fixture(scope="module")
def printed_quiz(sample, tmp_path_factory):
    return printed(sample, 50, tmp_path_factory.mktemp("printed"))


def test_quiz_marks_answers_with_the_printed_quizs_key(page, sample, printed_quiz):
    page.open(sample["site"], "#/quiz")
    for number, choose_right in enumerate((True, False, True)):
        item = printed_quiz[number]
        assert page.page.get_attribute("#quiz-box", "data-item") == item["id"]
        options = page.page.locator("#quiz-box .quiz-option")
        assert options.count() == len(item["options"])
        pick = item["answer"] if choose_right else (item["answer"] + 1) % len(item["options"])
        page.page.keyboard.press("ABCD"[pick].lower())
        page.page.keyboard.press("Enter")
        feedback = page.page.text_content("#quiz-box .feedback")
        assert feedback.startswith("Right." if choose_right else "Not quite.")
        assert f"The answer is {'ABCD'[item['answer']]}." in feedback
        assert options.nth(item["answer"]).get_attribute("class").split()[-1] == "key"
        page.page.keyboard.press("Enter")  # next question
    assert page.page.text_content("#quiz-score").startswith("2 of 3 answered right")
    page.page.reload()
    page.page.wait_for_selector("html[data-ready]")
    assert page.page.text_content("#quiz-score").startswith("2 of 3 answered right")
    assert page.page.get_attribute("#quiz-box", "data-item") == printed_quiz[3]["id"]
    assert page.errors == []


def test_mock_interview_reveals_the_points_and_keeps_the_rating(page, sample):
    problems = sample["corpus"]["problems"]
    page.open(sample["site"], "#/interview")
    first = problems[0]
    asked = page.page.locator("#interview-question .question-text").text_content()
    assert asked == first["plain"]["question"]
    assert not page.page.is_visible("#interview-answer")
    page.page.fill("#interview-notes", "weights by capacity")
    page.page.keyboard.press("Control+Enter")
    titles = page.page.locator("#interview-answer .point-title").all_text_contents()
    assert titles == [pt["plain"]["title"] for pt in first["points"]]
    page.page.keyboard.press("3")
    assert page.page.get_attribute("#interview-question", "data-problem") == problems[1]["id"]
    assert page.page.text_content("#interview-stats").startswith(
        f"Rated 1 of {len(problems)} questions; last time 1 nailed")
    page.page.reload()
    page.page.wait_for_selector("html[data-ready]")
    # A rated question goes to the back of the line.
    assert page.page.get_attribute("#interview-question", "data-problem") == problems[1]["id"]


def test_the_keyboard_reaches_everything(page, sample):
    page.open(sample["site"])
    page.page.keyboard.press("Tab")
    assert page.page.evaluate("document.activeElement.className") == "skip"
    page.page.keyboard.press("Enter")
    assert page.page.evaluate("document.activeElement.id") == "main"
    names = []
    for _ in range(12):
        page.page.keyboard.press("Tab")
        names.append(page.page.evaluate("document.activeElement.id || "
                                        "document.activeElement.textContent.trim()"))
    assert ["search", "filters-clear", "filter-topic", "filter-kind", "filter-family",
            "filter-tag"] == [n for n in names if n.startswith(("search", "filter"))][:6]
    page.page.evaluate("document.activeElement.blur()")
    page.page.keyboard.press("/")
    assert page.page.evaluate("document.activeElement.id") == "search"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_width_fits_and_follows_the_colour_scheme(browser, sample, scheme):
    context = browser.new_context(viewport={"width": 360, "height": 740}, color_scheme=scheme)
    page = Page(context.new_page()).open(sample["site"])
    first = sample["corpus"]["problems"][0]["id"]
    try:
        for route in ("#/", "#" + first, "#/cards", "#/quiz", "#/interview"):
            page.go(route)
            width = page.page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{route} scrolls sideways ({width} px)"
        background = page.page.evaluate("getComputedStyle(document.body).backgroundColor")
        red, green, blue = map(int, re.findall(r"\d+", background)[:3])
        assert (red + green + blue < 150) == (scheme == "dark"), background
    finally:
        context.close()


def test_reads_without_javascript(browser, sample):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto((sample["site"] / "index.html").resolve().as_uri())
        assert page.is_visible(".js-missing") and not page.is_visible("#filters")
        corpus = sample["corpus"]
        assert page.locator("article.problem").count() == len(corpus["problems"])
        assert page.locator("article.problem").last.is_visible()
        assert page.is_visible(".quiz-items")
    finally:
        context.close()


# ----- hostile book text ------------------------------------------------------------------

TITLE_EVIL = "<script>window.__pwned = 1</script>"
TEXT_EVIL = '<img src=x onerror="window.__pwned = 2">'
SUMMARY_EVIL = "{{ 7 * 7 }} {% if 1 %}x{% endif %} ${ location }"
QUESTION_EVIL = "</textarea><svg onload=\"window.__pwned = 3\"></svg> &amp; &lt;b&gt;"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    text = (ROOT / "raw" / "sample" / "sample-ebook.txt").read_text("utf-8")
    replacements = {
        "Picking a Load Balancing Algorithm": f"Picking a Load Balancing Algorithm {TITLE_EVIL}",
        "in a fixed rotation.": f"in a fixed rotation. {TEXT_EVIL}",
        "your requests really are.": f"your requests really are. {SUMMARY_EVIL}",
        "spread requests between them?": f"spread requests between them? {QUESTION_EVIL}",
        "Round robin NGINX upstream equal weights":
            "Round robin NGINX upstream equal weights\n\n`<b onmouseover=alert(4)>tag</b>`",
    }
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new)
    folder = tmp_path_factory.mktemp("hostile")
    book = folder / "book.txt"
    book.write_text(text, "utf-8")
    out = build(folder / "build", book)
    return {"site": out / "site", "corpus": json.loads((out / "corpus.json").read_text("utf-8"))}


def test_hostile_book_text_stays_text_everywhere(page, hostile):
    corpus = hostile["corpus"]
    target = problem_with_title(corpus, "Load Balancing Algorithm")
    page.open(hostile["site"], "#" + target["id"])
    p = page.page

    def nothing_ran():
        assert p.evaluate("window.__pwned") is None
        assert p.evaluate("document.querySelectorAll('main img, main svg, main b, main script,"
                          " main textarea:not(#interview-notes)').length") == 0

    article = p.locator(f'article[id="{target["id"]}"]')
    assert TITLE_EVIL in article.locator("h1").text_content()
    # Entities are text in the book's format: shown as printed, never resolved.
    assert QUESTION_EVIL in article.locator(".question-text").text_content()
    assert SUMMARY_EVIL in article.locator(".summary").text_content()
    assert TEXT_EVIL in article.locator(".explanation").first.text_content()
    assert "<b onmouseover=alert(4)>tag</b>" in article.locator(".tags").first.text_content()
    nothing_ran()
    # Search results, flashcards, the interview and the quiz copy the same text as text.
    page.go("#/")
    p.fill("#search", "pwned")
    p.wait_for_function("() => document.getElementById('search-results').hidden === false")
    assert TITLE_EVIL in p.locator("#search-results li").first.text_content()
    page.go("#/cards")
    p.keyboard.press("Space")
    assert "</textarea><svg" in p.text_content("#card-front")
    assert SUMMARY_EVIL in p.text_content("#card-back")
    page.go("#/interview")
    assert "</textarea><svg" in p.text_content("#interview-question")
    page.go("#/quiz")
    stems = p.eval_on_selector_all("#quiz-items .stem", "s => s.map(n => n.textContent)")
    # (the problem's title frames its items' stems: "In “Picking … <script>…”, which …")
    assert any(evil in s for s in stems for evil in ("</textarea><svg", TEXT_EVIL, TITLE_EVIL))
    page.go("#/")
    p.select_option("#filter-family", index=0)
    p.fill("#filter-tag", "<b onmouseover=alert(4)>tag</b>")
    p.dispatch_event("#filter-tag", "change")
    assert page.visible_problems() == [target["id"]]
    nothing_ran()
    assert page.errors == []


@pytest.fixture(scope="module")
def small(sample, tmp_path_factory):
    """The sample's site with a 3-item quiz and one new card a day (`drillbook site`)."""
    out = tmp_path_factory.mktemp("small") / "site"
    result = CliRunner().invoke(main, ["site", "--corpus", str(sample["out"] / "corpus.json"),
                                       "--out", str(out), "--quiz-count", "3",
                                       "--new-cards-per-day", "1"])
    assert result.exit_code == 0, result.output
    return out


def test_quiz_keeps_an_answer_while_the_problem_is_read_and_retries_the_missed(page, small,
                                                                             sample, tmp_path):
    items = printed(sample, 3, tmp_path)
    page.open(small, "#/quiz")
    for item, right in zip(items, (False, True, False)):
        pick = item["answer"] if right else (item["answer"] + 1) % 4
        page.page.click(f"#quiz-box .quiz-option >> nth={pick}")
        page.page.click("#quiz-box button:text('Check')")
        if item is items[0]:  # read the problem, come back: the answer is still marked
            page.follow(lambda: page.page.click("#quiz-box .feedback a"))
            assert page.page.locator("article.current").get_attribute("id") == item["problem"]
            page.follow(page.page.go_back)
            assert page.page.text_content("#quiz-box .feedback").startswith("Not quite.")
        page.page.click("#quiz-box button:text('Next question')")
    assert page.page.text_content("#quiz-box h2") == "End of the quiz"
    page.page.click("#quiz-box button:text('Retry the 2 I missed')")
    assert page.page.get_attribute("#quiz-box", "data-item") == items[0]["id"]
    assert page.page.text_content("#quiz-score").startswith("1 of 1 answered right")
    page.page.reload()
    page.page.wait_for_selector("html[data-ready]")
    page.page.keyboard.press("Enter")  # nothing chosen: nothing to check
    assert page.page.get_attribute("#quiz-box", "data-item") == items[0]["id"]
    page.page.keyboard.press("1")
    page.page.keyboard.press("Enter")
    page.page.keyboard.press("Enter")
    assert page.page.get_attribute("#quiz-box", "data-item") == items[2]["id"]
    assert page.errors == []


def test_a_card_in_its_learning_steps_comes_early_when_nothing_else_is_left(page, small, sample):
    page.open(small, "#/cards")
    first = page.page.get_attribute("#card", "data-card")
    page.page.keyboard.press("Space")
    page.page.keyboard.press("1")  # Again: due in a minute; no new card left today
    assert page.page.is_visible("#card") and not page.page.is_visible("#cards-done")
    assert page.page.get_attribute("#card", "data-card") == first
    page.page.keyboard.press("Space")
    page.page.keyboard.press("4")  # Easy: days away
    assert page.page.is_visible("#cards-done") and not page.page.is_visible("#card")
    assert page.page.text_content("#cards-done").startswith("Nothing to study right now.")


def test_back_from_a_problem_returns_to_the_same_place_in_the_list(browser, sample):
    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = Page(context.new_page()).open(sample["site"])
    try:
        target = sample["corpus"]["problems"][15]["id"]
        link = page.page.locator(f'#contents a[href="#{target}"]')
        link.scroll_into_view_if_needed()
        before = page.page.evaluate("window.scrollY")
        assert before > 1000
        page.follow(link.click)
        assert page.page.evaluate("window.scrollY") < 200  # a problem opens at its top
        page.follow(page.page.go_back)
        assert abs(page.page.evaluate("window.scrollY") - before) < 5
        assert page.page.evaluate("document.activeElement.getAttribute('href')") == "#" + target
    finally:
        context.close()
