"""Margin's query language: its fields, its grammar, the tree it parses into, and the rewrites
(grouping, entity names, dates, expansion) that turn a typed query into what an engine runs.

Nothing here knows an engine: each engine package translates the tree (engine/whoosh,
engine/tantivy), and hit finding (engine/matching) reads the same tree.
"""
