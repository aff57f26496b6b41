"""WeasyPrint state kept for the life of the process: images, font configurations, parsed stylesheets.

WeasyPrint itself is imported on first use, not when Django starts: a command or a task worker that never
typesets a page does not pay its 1.4 s import (the web server imports it before forking, :mod:`saraban.ops.warm`).
"""

from __future__ import annotations

import atexit
import shutil
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

IMAGES: dict[str, Any] = {}
"""WeasyPrint's image cache, shared by every render of the process: the emblem and the dotted leader
are parsed once (their URIs name their content, :meth:`~saraban.letterpress.emblem.EmblemImage.file_uri`)."""
_font_configs: dict[int, FontConfiguration] = {}
_font_configs_lock = threading.Lock()


def fonts() -> FontConfiguration:
    """WeasyPrint's font configuration, one per thread (it wraps fontconfig state), kept for reuse.

    Kept in a module dict, not a ``threading.local``: a FontConfiguration finalised with a
    thread-local at interpreter exit crashes the process (seen with WeasyPrint 70).
    """
    key = threading.get_ident()
    with _font_configs_lock:
        config = _font_configs.get(key)
        if config is None:
            from weasyprint.text.fonts import FontConfiguration

            if not _font_configs:
                atexit.register(_remove_font_folders)
            config = _font_configs[key] = FontConfiguration()
        return config


def _remove_font_folders() -> None:
    """Remove the folders the kept configurations copied their fonts into (``/tmp/weasyprint-*``).
    WeasyPrint removes one when its configuration is finalised, which a configuration kept until the
    interpreter exits never is: every process that typeset a page left ~370 kB behind."""
    with _font_configs_lock:
        for config in _font_configs.values():
            folder = getattr(config, "_folder", None)
            if folder:
                shutil.rmtree(folder, ignore_errors=True)
                config._folder = None  # its __del__, run as the interpreter ends, has nothing left to do


_stylesheets: dict[tuple[int, str, str], CSS] = {}


def stylesheet(css: str, config: FontConfiguration, base_url: str) -> CSS:
    """``css`` parsed once per font configuration (its ``@font-face`` rules are loaded into that
    configuration, so the sheet goes only with it): parsing the letter stylesheet took a fifth of a render."""
    key = (id(config), base_url, css)
    sheet = _stylesheets.get(key)
    if sheet is None:
        from weasyprint import CSS

        if len(_stylesheets) > 256:  # a few layouts per agency: never reached in practice
            _stylesheets.clear()
        sheet = _stylesheets[key] = CSS(string=css, base_url=base_url, font_config=config)
    return sheet
