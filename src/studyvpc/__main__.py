"""Allow ``python -m studyvpc``."""

from studyvpc.cli import main

raise SystemExit(main())
