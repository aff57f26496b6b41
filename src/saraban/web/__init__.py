"""The Thai-first web UI.  Each area is a folder and a small app (``auth``, ``desk``, ``registers``, ``letters``,
``drafting``, ``verify``, ``routing``, ``exchange``) with its views, URLs, templates and static files; it
registers its letter-page panels and top-bar links in its ``ready`` (:mod:`.panels`).  Shared here: the base
template, the context processor, the middleware and the template tags.  The web never imports the API; what
both need is in :mod:`saraban.transport`."""
