"""PDF documents: the standalone HTML page printed by WeasyPrint through its print
stylesheet (`html_page.PRINT_STYLE`), so the PDF says exactly what the page says.

WeasyPrint is the optional extra `pdf` (`pip install 'jawaz[pdf]'`) and needs Pango from
the system. Its output is deterministic here: the document's dates come from the page's
`dcterms` metadata (the as-of date) and its identifier from the content.
"""

from __future__ import annotations

import hashlib

INSTALL_HINT = (
    "pip install 'jawaz[pdf]' (WeasyPrint); it needs Pango, e.g. on Debian or Ubuntu "
    "apt-get install libpango-1.0-0 libpangoft2-1.0-0"
)


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
    data: bytes = HTML(string=html.decode("utf-8")).write_pdf(
        pdf_identifier=identifier, uncompressed_pdf=False
    )
    return data
