"""Letter typesetting, a library that knows no Django models.

A letter's content (:mod:`.content`, with :mod:`.salutations`), its JSON form (:mod:`.serial`) and
the editor's fields (:mod:`.fields`); the layouts of the 13 kinds rendered to PDF/A with the Sarabun
font (:mod:`.render`, templates in ``templates/``, the emblem in :mod:`.emblem`); a text layer that
copies out as the source text (:mod:`.textmap`); small PDFs from HTML (:mod:`.html_pdf`) and PNG
images of pages (:mod:`.raster`).  :mod:`.examples` holds a sample of every kind.  Errors are in
:mod:`.errors`.  It imports only :mod:`saraban.kernel` and third-party libraries.
"""
