"""The progress layer: the SQLite store, the FSRS schedule kept in it, saved exams, and the
service both front ends use. No Textual, no Rich."""
