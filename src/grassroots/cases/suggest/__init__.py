"""Dispatch suggestion: from a resident's own words to the right matter and unit.

`text` cleans and segments a description (personal data out, jieba with the catalogue's words),
`model` is the classifier (word and character n-grams, a linear model) and its explanations,
`training` gathers the examples (the county's closed cases, the catalogue and the knowledge
base) and measures the held-out accuracy, `store` keeps the versioned model files in ``var/``
and swaps them atomically, `service` answers the desk and the API (falling back to the
catalogue's keyword search when no model can be read), `evaluation` scores a suggester on the
resident-talk set of `evalset` against the crude keyword vote. See docs/cases.md.
"""
