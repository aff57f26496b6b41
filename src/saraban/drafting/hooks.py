"""Extension points of the drafting flow (see :mod:`saraban.kernel.hooks`)."""

from saraban.kernel.hooks import Hook

signed = Hook("drafting.signed", "A draft was signed and became a letter waiting to be sent: draft=, letter=, "
                                 "record=, actor=, senders= (person ids of the drafter, typist and signers)")
