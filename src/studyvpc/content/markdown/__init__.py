"""Reading Obsidian-style Markdown study notes into the content model.

A learner's vault is made of notes from one template (docs/markdown-notes.md): frontmatter,
an H1 title, a key point, an explanation with an architecture flow, component groups and
trade-offs, key concepts and scenarios, and an exam question with its answer and per-option
explanations. ``source`` decodes a file and splits off its frontmatter, ``blocks`` parses the
body with markdown-it into headed sections, ``headings`` names the template's sections,
``parts`` and ``question`` read the structured parts, ``obsidian`` handles Obsidian's own
syntax, and ``reader`` puts a note together for the loader. Problems are warnings located as
``note.md:line:col``; a note is never refused for its shape: what is not recognised becomes
an explanation section.
"""
