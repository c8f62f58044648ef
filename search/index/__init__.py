"""The corpus folder and its index: finding files, preparing them, writing the index, following changes."""
