"""What the web UI and the REST API share below both: running a state-changing request once, and answering
with a file.  Neither transport imports the other; both import this."""
