"""Spaced-repetition scheduling on the fsrs library. Pure: no UI, no storage."""
