"""Running Saraban: ``saraban serve`` (gunicorn, worker and ticker supervised together), ``saraban worker`` and
``saraban tick``.  Sits above every other app; nothing imports it."""
