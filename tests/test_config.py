"""Settings: one source of defaults, values checked for type and range with file and line."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from pipeline.config import ANKI_KINDS, QUIZ_KINDS, Config, load_config
from pipeline.errors import DrillbookError


def settings(tmp_path, text: str, name: str = "drillbook.toml"):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return load_config(tmp_path)


def test_values_of_the_file_override_the_defaults(tmp_path):
    config = settings(tmp_path, '[dedupe]\ntitle_threshold = 90\n\n[quiz]\ncount = 7\n'
                                'kinds = ["which-contrast"]\n\n[anki]\ndeck = "Mine"\n')
    assert config.dedupe.title_threshold == 90.0 and config.dedupe.body_threshold == 80.0
    assert config.quiz.count == 7 and config.quiz.kinds == ("which-contrast",)
    assert config.anki.deck == "Mine" and config.anki.kinds == ("problem", "point", "cloze")
    assert config.anki.topic_numbers and config.anki.tag_min_points == 3


def test_pyproject_tool_table_is_read(tmp_path):
    config = settings(tmp_path, '[project]\nname = "x"\n\n[tool.drillbook.quiz]\nseed = 4\n',
                      "pyproject.toml")
    assert config.quiz.seed == 4


@pytest.mark.parametrize("text, line, message", [
    ('[quiz]\ncount = "twenty"\n', 2, "quiz.count must be a whole number, not 'twenty'"),
    ('[quiz]\n\ncount = 2.5\n', 3, "quiz.count must be a whole number"),
    ('[quiz]\ncount = 0\n', 2, "quiz.count must be at least 1, not 0"),
    ('[quiz]\nversions = 1000\n', 2, "quiz.versions must be between 1 and 999"),
    ('[quiz]\npdf = "no"\n', 2, "quiz.pdf must be true or false"),
    ('[quiz]\ncount = true\n', 2, "quiz.count must be a whole number, not True"),
    ('[dedupe]\ntitle_threshold = -5\n', 2, "dedupe.title_threshold must be between 0 and 100"),
    ('[dedupe]\nbody_threshold = nan\n', 2, "dedupe.body_threshold must be a finite number"),
    ('[dedupe]\nnear_miss_margin = inf\n', 2, "must be a finite number"),
    ('[dedupe]\ntitle_threshold = "85"\n', 2, "must be a number"),
    ('[anki]\nkinds = ["problem",\n  "flashcard"]\n', 2, "unknown value 'flashcard'"),
    ('[anki]\ndeck = "  "\n', 2, "anki.deck must not be empty"),
    ('quiz = 3\n', 1, "quiz must be a table"),
    ('[quiz]\ncuont = 3\n', 2, "unknown setting 'cuont' in [quiz]"),
    ('colour = "red"\n', 1, "unknown setting 'colour'"),
    ('deck_name = "Mine"\n', 1, "setting 'deck_name' is now [anki] deck"),
    ('[dedupe]\ntitle_threshold = 85\ntitle_threshold = 86\n', 3, "invalid TOML"),
])
def test_bad_values_name_file_and_line(tmp_path, text, line, message):
    with pytest.raises(DrillbookError) as caught:
        settings(tmp_path, text)
    assert str(caught.value).startswith(f"{tmp_path / 'drillbook.toml'}:{line}: ")
    assert message in str(caught.value)


def test_a_bad_value_in_pyproject_names_its_line(tmp_path):
    with pytest.raises(DrillbookError) as caught:
        settings(tmp_path, '[tool.drillbook]\nquiz.count = "x"\n', "pyproject.toml")
    assert str(caught.value).startswith(f"{tmp_path / 'pyproject.toml'}:2: quiz.count")


def test_the_emitters_options_are_the_settings_sections():
    from pipeline.emit.anki import DEFAULT_DECK, KINDS as ANKI_NOTE_KINDS, AnkiOptions
    from pipeline.emit.quiz import KINDS, QuizOptions

    assert QuizOptions() == Config().quiz and AnkiOptions() == Config().anki
    assert DEFAULT_DECK == Config().anki.deck
    # The settings' lists of kinds are the emitters' own lists, so checks agree.
    assert QUIZ_KINDS == tuple(KINDS) and ANKI_KINDS == tuple(ANKI_NOTE_KINDS)
    from pipeline.config import DEFAULT_QUIZ_KINDS, QUIZ_RETIRED_KINDS
    from pipeline.emit.quiz.generate import DEFAULT_KINDS, RETIRED

    assert DEFAULT_QUIZ_KINDS == DEFAULT_KINDS and set(QUIZ_RETIRED_KINDS) == set(RETIRED)


def test_explicit_config_must_exist(tmp_path):
    with pytest.raises(DrillbookError, match="config file not found"):
        load_config(explicit=tmp_path / "missing.toml")


def test_a_fifo_as_the_config_is_refused_instead_of_blocking(tmp_path):
    import os

    fifo = tmp_path / "drillbook.toml"
    os.mkfifo(fifo)  # nobody ever writes to it: reading it would block forever
    with pytest.raises(DrillbookError, match="FIFO .*only regular files are read"):
        load_config(explicit=fifo)


@pytest.mark.parametrize("command", [["build"], ["quiz"], ["anki"],
                                     ["diff", "a.json", "b.json"]])
def test_every_command_takes_config_and_reports_its_bad_value(tmp_path, command):
    from pipeline.cli import main

    bad = tmp_path / "bad.toml"
    bad.write_text('[quiz]\ncount = "twenty"\n', "utf-8")
    result = CliRunner().invoke(main, [*command, "--config", str(bad)])
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == (f"drillbook: error: {bad}:2: quiz.count must be a whole "
                                     "number, not 'twenty'")
