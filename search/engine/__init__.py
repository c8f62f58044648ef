"""Everything that knows Whoosh: schema and analyzers, the on-disk index, query parsing, matching.

Kept small and behind `margin.search.library` so the engine could be swapped one day.
"""
