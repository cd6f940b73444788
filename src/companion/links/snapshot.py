"""Save a web page for offline reading: fetched once, the readable article kept as Markdown.

trafilatura does the extraction: it is maintained, benchmarked as the most accurate open-source
main-text extractor, and writes Markdown directly (readability-lxml would need markdownify too).
"""

import asyncio
from dataclasses import dataclass

import httpx
import trafilatura

from companion.links.fetch import FetchError, fetch_bytes
from companion.text import clean_text

MAX_PAGE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class SavedPage:
    """A page's readable text, ready to store."""

    url: str
    title: str
    markdown: str


def extract_article(html: str, url: str) -> SavedPage:
    """The readable article of an HTML page as Markdown; FetchError when there is none."""
    text = trafilatura.extract(
        html,
        output_format="markdown",
        include_links=True,
        include_formatting=True,
        include_tables=True,
        url=url,
    )
    if not text or not text.strip():
        raise FetchError(f"{url}: no readable article found on the page")
    metadata = trafilatura.extract_metadata(html, default_url=url)
    title = clean_text((metadata.title if metadata and metadata.title else url).strip())
    return SavedPage(url, " ".join(title.split()) or url, clean_text(text).strip() + "\n")


async def save_page(
    client: httpx.AsyncClient, url: str, deadline_s: float, max_bytes: int = MAX_PAGE_BYTES
) -> SavedPage:
    """Fetch a page once (size-capped, within the deadline) and extract its article (in a
    thread: it is CPU work)."""
    body = await fetch_bytes(client, url, max_bytes, deadline_s)
    html = body.decode("utf-8", errors="replace")
    if "\x00" in html[:4096]:
        raise FetchError(f"{url}: not a web page (binary content)")
    try:
        return await asyncio.to_thread(extract_article, html, url)
    except FetchError:
        raise
    except Exception as error:  # noqa: BLE001 - a third-party parser on a hostile page
        raise FetchError(f"{url}: the page could not be read ({type(error).__name__})") from error
