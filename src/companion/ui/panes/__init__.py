"""The four panes (Roadmap, Reader, Review, Timer) and the views they are built from."""
