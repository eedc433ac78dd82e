"""PDF from the same templates as the HTML pages (WeasyPrint).

    pdf_bytes = render_pdf("lagesbild/document.html", context)

The template should extend `reports/print_base.html` (or any page template: the print
stylesheet hides navigation). Static files are read from the finders, never over the
network; WeasyPrint fetches nothing else.
"""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def _static_fetcher():
    """A WeasyPrint URL fetcher that reads static:/// URLs from the staticfiles finders,
    allows data: URLs, and refuses everything else (PDFs never touch the network)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            prefix = "static:///"
            if url.startswith(prefix):
                path = finders.find(url[len(prefix) :])
                if path is None:
                    raise ValueError(f"static file not found: {url}")
                with open(path, "rb") as fh:
                    data = fh.read()
                content_type = "text/css" if path.endswith(".css") else "application/octet-stream"
                return URLFetcherResponse(url, data, {"Content-Type": content_type})
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"PDF rendering fetches no external resources: {url}")

    return StaticOnlyFetcher(fail_on_errors=True)


def render_pdf_from_html(html: str) -> bytes:
    """A tagged PDF (PDF/UA-1: structure tree, language from <html lang>, title from
    <title>, headings and reading order from the HTML), so a screen reader can follow it."""
    from weasyprint import HTML

    document = HTML(string=html, base_url="static:///", url_fetcher=_static_fetcher())
    return document.write_pdf(pdf_variant="pdf/ua-1")


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    html = render_to_string(template_name, {**context, "pdf": True}, request=request)
    return render_pdf_from_html(html)
