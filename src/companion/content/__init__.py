"""Markdown content (roadmaps and decks) turned into plain data. Pure: no UI, no storage."""
