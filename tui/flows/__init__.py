"""What the main screen routes to: the search, article, entity and corpus flows, each behind a narrow host protocol."""
