"""The headless core: content model, loading, quiz/exam logic, scheduling. Never imports textual."""
