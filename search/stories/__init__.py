"""Stories, not files: near-duplicate families, what a copy adds, more like this, an article's versions."""
