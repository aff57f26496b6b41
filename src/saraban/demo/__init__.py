"""The demo: the demo ministry's content, its TEST signing keys and TEST SBX federation, and sample letters.

Sits above every other app (it may import any of them); nothing but the ``saraban demo`` and ``saraban samples``
commands and the tests imports it.  Everything here is TEST material, never for real letters.
"""
