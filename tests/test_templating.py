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
RENDERED = {"anki/problem-sort.html", "anki/problem-front.html", "anki/problem-back.html",
            "anki/point-sort.html", "anki/explain-front.html", "anki/explain-back.html",
            "anki/name-front.html", "anki/name-back.html", "anki/cloze-front.html",
            "anki/cloze-back.html", "anki/style.css", "quiz/answer-key.html",
            "quiz/paper.html", "quiz/quiz.gift",
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


# Ways a template reaches os.popen when Jinja is not sandboxed (each works on a plain
# jinja2.Environment: see test_the_payloads_do_run_unsandboxed).
HOSTILE = [
    "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ joiner.__init__.__globals__['os'].popen('touch MARKER').read() }}",
    "{{ lipsum.__globals__['os'].popen('touch MARKER').read() }}",
    "{{ namespace.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ self._TemplateReference__context.cycler.__init__.__globals__.os"
    ".popen('touch MARKER').read() }}",
    "{% for c in ''.__class__.__mro__[1].__subclasses__() %}"
    "{% if c.__name__ == 'Popen' %}{{ c('touch MARKER', shell=True) }}{% endif %}{% endfor %}",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_the_payloads_do_run_unsandboxed(payload, tmp_path):
    import jinja2

    marker = tmp_path / "MARKER"
    env = jinja2.Environment()
    try:
        env.from_string(payload.replace("MARKER", str(marker))).render()
    except Exception:
        pass
    import time

    for _ in range(50):  # Popen without wait: give the shell a moment
        if marker.exists():
            break
        time.sleep(0.05)
    assert marker.exists(), "the payload is not a real attack: fix the test"


@pytest.mark.parametrize("payload", HOSTILE)
def test_a_hostile_template_never_runs_code(payload, tmp_path):
    marker = tmp_path / "MARKER"
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "x.html").write_text(payload.replace("MARKER", str(marker)), "utf-8")
    with pytest.raises(DrillbookError, match="template error: .*unsafe"):
        render(make_environment(folder), "x.html")
    import time

    time.sleep(0.2)
    assert not marker.exists()


def test_a_symlink_out_of_the_folder_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:the secret line", "utf-8")
    folder = tmp_path / "templates"
    (folder / "quiz").mkdir(parents=True)
    (folder / "quiz" / "paper.html").symlink_to(secret)
    (folder / "passwd.html").symlink_to("/etc/passwd")
    for name in ("quiz/paper.html", "passwd.html"):
        with pytest.raises(DrillbookError, match="links outside the templates folder") as caught:
            render(make_environment(folder), name)
        assert "the secret line" not in str(caught.value)
    include = folder / "include.html"
    include.write_text('{% include "quiz/paper.html" %}', "utf-8")
    with pytest.raises(DrillbookError, match="links outside"):
        render(make_environment(folder), "include.html")


def test_a_symlink_inside_the_folder_is_followed(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "real.html").write_text("<p>{{ x }}</p>", "utf-8")
    (folder / "alias.html").symlink_to(folder / "real.html")
    assert render(make_environment(folder), "alias.html", x="ok") == "<p>ok</p>"
    # The folder itself may be a link: containment is judged on real paths.
    (tmp_path / "link-to-folder").symlink_to(folder)
    linked = make_environment(tmp_path / "link-to-folder")
    assert render(linked, "alias.html", x="ok") == "<p>ok</p>"


# --- compiled default templates (ShippedTemplateCache) -------------------------------------

def _shipped_folder(tmp_path, monkeypatch, source: str):
    """A stand-in for the shipped templates folder, with one template."""
    import pipeline.templating as templating

    shipped = tmp_path / "shipped"
    shipped.mkdir()
    (shipped / "page.html").write_text(source, "utf-8")
    monkeypatch.setattr(templating, "DEFAULT_TEMPLATES", shipped)
    return shipped


def _environment(cache_dir, user_dir=None, compiles=True):
    from pipeline.templating import ShippedTemplateCache

    env = make_environment(user_dir)
    env.bytecode_cache = ShippedTemplateCache(cache_dir)
    if not compiles:
        def refuse(*args, **kwargs):
            raise AssertionError("compiled a template the cache holds")
        env.compile = refuse  # type: ignore[method-assign]
    return env


def test_a_shipped_template_is_compiled_once_and_read_back(tmp_path, monkeypatch):
    shipped = _shipped_folder(tmp_path, monkeypatch, "<p>{{ text }} one</p>")
    cache = tmp_path / "cache"
    assert render(_environment(cache), "page.html", text="<b>") == "<p>&lt;b&gt; one</p>"
    assert len(list(cache.glob("*.cache"))) == 1
    # A new process (a new environment) renders it from the cache, without compiling.
    assert render(_environment(cache, compiles=False), "page.html", text="x") == "<p>x one</p>"
    # A changed template is compiled again, never served from the stale entry.
    (shipped / "page.html").write_text("<p>{{ text }} two</p>", "utf-8")
    assert render(_environment(cache), "page.html", text="x") == "<p>x two</p>"


def test_a_users_templates_are_not_kept(tmp_path, monkeypatch):
    _shipped_folder(tmp_path, monkeypatch, "shipped")
    user = tmp_path / "mine"
    user.mkdir()
    (user / "page.html").write_text("mine {{ 1 + 1 }}", "utf-8")
    cache = tmp_path / "cache"
    assert render(_environment(cache, user), "page.html") == "mine 2"
    assert not cache.exists() or not list(cache.iterdir())


def test_an_unwritable_cache_folder_only_costs_a_compile(tmp_path, monkeypatch):
    _shipped_folder(tmp_path, monkeypatch, "ok {{ 2 * 3 }}")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", "utf-8")
    assert render(_environment(blocker / "cache"), "page.html") == "ok 6"
    assert render(_environment(blocker / "cache"), "page.html") == "ok 6"
