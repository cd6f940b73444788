"""The command line: `main.py` holds the parser and `main`; one module per command group."""
