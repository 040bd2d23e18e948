"""Template lookup: user folder first, `default/` prefix to extend, no path traversal."""
from __future__ import annotations

import jinja2
import jinja2.meta
import pytest

from pipeline.errors import DrillbookError
from pipeline.templating import DEFAULT_TEMPLATES, make_environment, render


def test_user_template_wins_and_can_extend_the_default(tmp_path):
    defaults = sorted(p.relative_to(DEFAULT_TEMPLATES).as_posix()
                      for p in DEFAULT_TEMPLATES.rglob("*.html"))
    assert defaults, f"no default templates in {DEFAULT_TEMPLATES}"
    name = defaults[0]
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_text('{% extends "default/' + name + '" %}', "utf-8")
    env = make_environment(tmp_path)
    assert env.get_template(name).filename == str(tmp_path / name)
    assert env.get_template("default/" + name).filename == str(DEFAULT_TEMPLATES / name)


def test_html_is_autoescaped(tmp_path):
    (tmp_path / "x.html").write_text("<p>{{ text }}</p>", "utf-8")
    out = render(make_environment(tmp_path), "x.html", text="<script>{{ 1 }}</script> & co")
    assert out == "<p>&lt;script&gt;{{ 1 }}&lt;/script&gt; &amp; co</p>"


def test_templates_cannot_escape_their_folder(tmp_path):
    inner = tmp_path / "inner"
    inner.mkdir()
    (tmp_path / "secret.html").write_text("secret", "utf-8")
    (inner / "evil.html").write_text('{% include "../secret.html" %}', "utf-8")
    with pytest.raises(DrillbookError, match="template not found"):
        render(make_environment(inner), "evil.html")


def test_missing_templates_folder_and_broken_template(tmp_path):
    with pytest.raises(DrillbookError, match="templates folder does not exist"):
        make_environment(tmp_path / "nope")
    (tmp_path / "bad.html").write_text("{% for x in %}", "utf-8")
    with pytest.raises(DrillbookError) as caught:
        render(make_environment(tmp_path), "bad.html")
    assert str(caught.value).startswith(f"{tmp_path / 'bad.html'}:1: template syntax error")


def test_render_error_names_the_user_file_and_line(tmp_path):
    (tmp_path / "x.html").write_text("<p>\n{{ missing.attribute }}</p>", "utf-8")
    with pytest.raises(DrillbookError) as caught:
        render(make_environment(tmp_path), "x.html")
    assert str(caught.value).startswith(f"{tmp_path / 'x.html'}:2: template error")


# Every template the package renders by name (a new one is added here with its code).
RENDERED = {"anki/cloze-extra.html", "anki/cloze-text.html", "anki/point-back.html",
            "anki/point-front.html", "anki/problem-back.html", "anki/problem-front.html",
            "anki/style.css", "quiz/answer-key.html", "quiz/paper.html", "quiz/quiz.gift",
            "quiz/quiz.moodle.xml", "report/report.html"}


def test_every_template_the_code_names_is_packaged():
    import fnmatch
    import re
    import tomllib

    from conftest import ROOT

    named = set()
    for path in (ROOT / "pipeline").rglob("*.py"):
        named |= set(re.findall(r'"((?:anki|quiz|report)/[\w.-]+\.(?:html|css|gift|xml))"',
                                path.read_text("utf-8")))
    assert named == RENDERED
    env = make_environment()
    referenced = set()
    for name in sorted(RENDERED):
        source = env.loader.get_source(env, name)[0]  # fails when the file is missing
        referenced |= {r for r in jinja2.meta.find_referenced_templates(env.parse(source)) if r}
    for name in sorted(referenced):
        env.loader.get_source(env, name)  # includes and extends resolve too
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))[
        "tool"]["setuptools"]["package-data"]["pipeline"]
    for name in sorted(RENDERED | {r.removeprefix("default/") for r in referenced}):
        assert (DEFAULT_TEMPLATES / name).is_file(), name
        assert any(fnmatch.fnmatch(f"templates/{name}", glob.replace("**/", "*"))
                   for glob in package_data), f"{name} is not in the package data"
