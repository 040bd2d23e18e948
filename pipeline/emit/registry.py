"""The outputs a build writes, in order. Adding an output: write its module with an
``emit(corpus, ctx) -> Emitted`` function (see ``base.py``), its templates under
``templates/<output>/``, and add it here. The report is not in the list: it takes the
others' results, so ``pipeline.build`` runs it after them.
"""
from __future__ import annotations

from . import anki, corpus_json, quiz, site
from .base import EmitterFunction

OUTPUTS: tuple[EmitterFunction, ...] = (
    corpus_json.emit,  # corpus.json, corpus.schema.json
    anki.emit,  # anki/<deck>.apkg, anki/manifest.json
    quiz.emit,  # quizzes/<name>/...
    site.emit,  # site/ (the study site)
)
