"""The study layer: practice sessions, mock exams and question kinds. Pure logic over the
content model, with an injected clock and random generator; no storage, no UI."""
