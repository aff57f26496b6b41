"""The user guide inside the app: docs/guide/*.md rendered at /help/… and each page's link to its part."""
