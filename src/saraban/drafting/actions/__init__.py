"""Drafting's actions, one module per concern; this package lists those callers use
(``drafting.actions.create_draft``):

- :mod:`.drafts` — create, save a version, choose the people, submit, review, comment, cancel;
- :mod:`.signing` — keeping a signed letter and recording a failed signing (the flow that calls them is
  :mod:`saraban.drafting.signing_flow`);
- :mod:`.enclosures` — attaching, removing, ordering and titling a draft's enclosures;
- :mod:`.keys` — registering a person's signing key or an agency's seal key.

Modules inside the package import each other directly, never this file.
"""

from .drafts import (
    SignerChoice,
    add_comment,
    cancel,
    check_ready,
    create_draft,
    decide,
    prepare_content,
    save_version,
    set_people,
    submit,
    submit_checked,
)
from .enclosures import arrange as arrange_enclosures
from .enclosures import attach, detach
from .keys import register_key

__all__ = [
    "SignerChoice", "add_comment", "arrange_enclosures", "attach", "cancel", "check_ready", "create_draft", "decide",
    "detach", "prepare_content", "register_key", "save_version", "set_people", "submit", "submit_checked",
]
