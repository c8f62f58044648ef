"""The backgrounds a query's terms are lit with, one a term in turn, under black text: each at
4.5:1 or more with its text on every theme, as both are its own (the first is the hit colour of
old). Here, without Textual, for the command line's snippets as well as the reader."""

TERM_BACKGROUNDS = ("#ffe066", "#8fd8ff", "#ffb3de", "#a6e3a1", "#ffc285", "#cdb8ff")
