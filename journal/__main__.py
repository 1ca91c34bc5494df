"""Allow `python -m journal` as an alias of the `tonus` command."""

from journal.cli import main

raise SystemExit(main())
