"""Tagged passages: anchored to the text, kept in the user database, exported and imported."""
