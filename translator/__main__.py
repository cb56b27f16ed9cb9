"""``python -m translator`` is the ``translator`` command."""

from .cli import main

main()
