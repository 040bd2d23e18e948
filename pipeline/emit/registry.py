"""The outputs a build writes, in order. Adding an output: write its module with an
``emit(corpus, ctx) -> Emitted`` function (see ``base.py``), its templates under
``templates/<output>/``, and add it here. The report is not in the list: it takes the
others' results, so ``pipeline.build`` runs it after them.

``GROUPS`` says which outputs a build may make in parallel (``pipeline/parallel.py``): outputs of
one group run one after the other in one process and may share work through
``EmitContext.state``; groups share nothing. An output in no group runs with the last one.
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

# The deck alone in a worker process; the quiz and the site share the quiz Bank, so they
# stay together, in the build's own process (whose PDF renderer renders the quiz's PDFs).
# A group runs in its order: the quiz first, so that its papers reach the renderer as
# early as they can (the renderer finishes last); the results keep the order of OUTPUTS.
GROUPS: tuple[tuple[EmitterFunction, ...], ...] = (
    (anki.emit,),
    (quiz.emit, corpus_json.emit, site.emit),
)
