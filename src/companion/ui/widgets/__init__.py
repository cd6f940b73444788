"""Small reusable widgets: the status line, the heatmap, a stand-in for panes built late."""
