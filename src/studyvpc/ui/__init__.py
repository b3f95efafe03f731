"""The front ends: the command line with its plain mode (`cli`) and the Textual app (`tui`)."""
