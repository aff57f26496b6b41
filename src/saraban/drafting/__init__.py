"""Drafting official letters: what a letter says (:mod:`.content`), Appendix 2 salutations
(:mod:`.salutations`), and rendering to PDF/A-2b with a correct Thai text layer (:mod:`.render`,
:mod:`.textmap`).  Independent of Django models; :mod:`saraban.demo.samples` writes signed samples of every kind.
"""
