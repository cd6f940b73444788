"""The Textual interface: the app, its main screen and controllers, panes, widgets and dialogs,
over the services, the store and the domain."""
