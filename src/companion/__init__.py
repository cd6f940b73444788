"""companion: a full-screen terminal study companion."""

__version__ = "0.1.0"
