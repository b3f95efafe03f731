"""The content layer: the note model, reading YAML with located problems, links, lint and
the parsed-content cache. Imports nothing else of studyvpc (but `studyvpc.locations`)."""
