"""The reader's screens: the main three-pane screen and the dialogs over it."""
