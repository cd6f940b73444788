"""The Textual interface: panes, widgets and dialogs over the domain and the store."""
