"""Where each person lands: ``/`` sends them to the page of what waits for them (their role's landing page)."""
