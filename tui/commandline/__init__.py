"""The `margin` subcommands' parts: opening a corpus for a command, entities, passages."""
