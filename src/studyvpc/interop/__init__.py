"""Moving study material and progress between studyvpc and the formats learners already use:
progress as JSON; the questions out to Anki and CSV; Markdown notes in, as YAML content files.
Above `progress`, below `ui`."""
