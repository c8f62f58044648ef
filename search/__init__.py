"""Documents, the full-text index, the query language, entities and (later) tagged passages.

This package never imports textual or rich: it is the headless core that the command line and the
reader both drive. Whoosh is confined to `margin.search.engine`.
"""
