"""What registering tells other apps (:mod:`saraban.kernel.hooks`)."""

from saraban.kernel.hooks import Hook

hidden_twin = Hook(
    "registry.hidden_twin",
    "A new registration looks like an earlier letter its registrar may not see: entry= (the new registration), "
    "twin= (the earlier letter).  Tell those who may see the twin; never the registrar.",
)
