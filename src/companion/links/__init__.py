"""Network I/O, only through an httpx.AsyncClient it is given."""
