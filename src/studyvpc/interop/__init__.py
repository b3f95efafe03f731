"""Moving study material and progress between studyvpc and the formats learners already use:
progress as JSON today; Markdown notes in and Anki/CSV out next. Above `progress`, below `ui`."""
