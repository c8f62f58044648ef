"""Who and what an article names: the curated list, the rules, Chinese names, the user's corrections."""
