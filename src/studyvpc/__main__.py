"""Allow ``python -m studyvpc``."""

from studyvpc.ui.cli.main import main

raise SystemExit(main())
