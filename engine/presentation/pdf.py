"""PDF documents: the standalone HTML page printed by WeasyPrint through its print
stylesheet (`html_page.PRINT_STYLE`), so the PDF says exactly what the page says.

WeasyPrint is the optional extra `pdf` (`pip install 'jawaz[pdf]'`) and needs Pango from
the system. Its output is deterministic here: the document's dates come from the page's
`dcterms` metadata (the as-of date), its identifier from the content, and the fonts it
embeds are stamped with a fixed time (fontTools reads SOURCE_DATE_EPOCH).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager

INSTALL_HINT = (
    "pip install 'jawaz[pdf]' (WeasyPrint); it needs Pango, e.g. on Debian or Ubuntu "
    "apt-get install libpango-1.0-0 libpangoft2-1.0-0"
)


@contextmanager
def _fixed_font_time() -> Iterator[None]:
    """SOURCE_DATE_EPOCH set while the fonts are subset (unless the caller chose one)."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    if before is None:
        os.environ["SOURCE_DATE_EPOCH"] = "0"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


def pdf_of(html: bytes) -> bytes:
    """The page printed to PDF.

    Raises:
        ModuleNotFoundError: WeasyPrint, or the Pango it loads, is not installed.
    """
    try:
        from weasyprint import HTML
    except OSError as error:  # WeasyPrint is there, but Pango is not
        raise ModuleNotFoundError(f"Pango ({error})", name="pango") from None
    identifier = hashlib.sha256(html).hexdigest()[:32].encode("ascii")
    with _fixed_font_time():
        data: bytes = HTML(string=html.decode("utf-8")).write_pdf(
            pdf_identifier=identifier, uncompressed_pdf=False
        )
    return data
