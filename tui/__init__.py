"""The terminal side of margin: the command line and (next) the Textual reader."""
