"""Hostile and unlucky input: each test is a case that once lost data, injected or crashed."""
