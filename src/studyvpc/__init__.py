"""studyvpc: study notes and exam practice for cloud certifications, in the terminal."""

__version__ = "0.1.0"
