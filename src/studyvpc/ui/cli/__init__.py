"""The command line: one module per command, each with ``register(subparsers)``; `main`
parses the arguments and runs the command (or the app)."""
