"""English function words: left out of free-word queries, kept inside quoted phrases.

A reader types questions ("why is the dollar falling"); requiring "why", "is" and "the" finds
almost nothing, and scoring them dilutes the words that matter. The list is the usual English
stop list with the question words added, minus words that are also names or abbreviations
in news (US, May, Will); a word typed in capitals (WHO, IT) is never a function word.
"""

from __future__ import annotations

FUNCTION_WORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have
having he her here hers herself him himself his how i if in into is it its itself just me more most
my myself no nor not now of off on once only or other our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was we were what when where which while who whom why with would
you your yours yourself yourselves whats whos hows wheres whens whys shall ought might must also
""".split())
