"""``python -m pipeline`` is the ``drillbook`` command."""
from .cli import main

main(prog_name="drillbook")
