"""The widgets the screens are made of: the list, the reading view, the sidebar, the search box."""
