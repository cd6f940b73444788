"""Links: checking them, resolving #fragments, fetching and saving pages as Markdown. Network I/O
only through an httpx.AsyncClient it is given."""
