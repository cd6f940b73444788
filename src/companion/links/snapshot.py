"""Save a web page for offline reading: fetched once, the readable article kept as Markdown.

trafilatura does the extraction: it is maintained, benchmarked as the most accurate open-source
main-text extractor, and writes Markdown directly (readability-lxml would need markdownify too).
What it would lose is marked before and restored after (`article_markup`). Markdown and plain
text are kept as they are; a PDF is kept as its text (pypdf).
"""

import asyncio
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import httpx
import trafilatura

from companion.links.article_markup import prepare_html, restore_markup
from companion.links.fetch import FetchError, fetch_document
from companion.links.page_text import decode_page, document_kind
from companion.text import clean_text

MAX_PAGE_BYTES = 5 * 1024 * 1024
MAX_PDF_BYTES = 30 * 1024 * 1024
MAX_IMAGES = 12
MAX_IMAGE_BYTES = 3 * 1024 * 1024
IMAGES_DEADLINE_S = 10.0  # all of a page's images together
IMAGE_SUFFIXES = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif",
                  "image/webp": ".webp"}  # fmt: skip
_WEB_IMAGE = re.compile(r"!\[[^\]]*\]\((https?://[^)\s]+)\)")
SOFT_404_MAX_CHARS = 2000  # a "not found" page says little; an article about 404s says more
_NOT_FOUND = re.compile(
    r"\b404\b|page not found|not be found|(?:does not|doesn't|no longer) exists?",
    re.IGNORECASE,
)
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]#<>|])")


@dataclass(frozen=True)
class SavedPage:
    """A page's readable text, ready to store, with the images it shows."""

    url: str
    title: str
    markdown: str
    images: tuple[tuple[str, bytes, str], ...] = ()
    """(address, bytes, file suffix) of each image fetched with the page."""


def _file_title(url: str) -> str:
    name = PurePosixPath(unquote(urlsplit(url).path)).name
    return name or urlsplit(url).netloc or url


def extract_article(html: str, url: str) -> SavedPage:
    """The readable article of an HTML page as Markdown; FetchError when there is none, or when
    the page is a "page not found" served as a success (a soft 404)."""
    prepared = prepare_html(html, url)
    text = trafilatura.extract(
        prepared,
        output_format="markdown",
        include_links=True,
        include_formatting=True,
        include_tables=True,
        include_images=True,
        include_comments=False,
        url=url,
    )
    if not text or not text.strip():
        raise FetchError(f"{url}: no readable article found on the page")
    metadata = trafilatura.extract_metadata(html, default_url=url)
    title = clean_text((metadata.title if metadata and metadata.title else url).strip())
    title = " ".join(title.split()) or url
    markdown = clean_text(restore_markup(text)).strip() + "\n"
    first_line = markdown.lstrip().split("\n", 1)[0]
    if len(markdown) < SOFT_404_MAX_CHARS and (
        _NOT_FOUND.search(title) or _NOT_FOUND.search(first_line)
    ):
        raise FetchError(f"{url}: a 'page not found' page (sent as a success): not saved")
    return SavedPage(url, title, markdown)


def markdown_document(text: str, url: str) -> SavedPage:
    """A Markdown file, kept as it is, titled by its first heading."""
    text = clean_text(text).strip() + "\n"
    heading = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), "")
    return SavedPage(url, heading or _file_title(url), text)


def text_document(text: str, url: str) -> SavedPage:
    """Plain text, shown as written: Markdown's signs escaped, every line break kept."""
    lines = [_MARKDOWN_SPECIALS.sub(r"\\\1", line) for line in clean_text(text).splitlines()]
    return SavedPage(url, _file_title(url), "\\\n".join(lines).strip() + "\n")


def pdf_document(body: bytes, url: str) -> SavedPage:
    """A PDF as its text, page by page; FetchError for one with no text (scanned) or damaged."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(body))
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata.title if reader.metadata else None) or _file_title(url)
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise FetchError(f"{url}: a PDF that cannot be read ({type(error).__name__})") from error
    if not any(page.strip() for page in pages):
        raise FetchError(f"{url}: a PDF with no text to save (scanned pages are images)")
    parts = [
        f"## Page {number}\n\n" + text_document(page, url).markdown
        for number, page in enumerate(pages, 1)
        if page.strip()
    ]
    return SavedPage(url, clean_text(str(title)).strip() or url, "\n".join(parts))


def read_document(body: bytes, content_type: str, url: str) -> SavedPage:
    """The saved form of a fetched document, by its kind."""
    kind = document_kind(content_type, url, body)
    if kind == "pdf":
        return pdf_document(body, url)
    text = decode_page(body, content_type)
    if "\x00" in text[:4096]:
        raise FetchError(f"{url}: not a web page (binary content)")
    if kind == "markdown":
        return markdown_document(text, url)
    if kind == "text":
        return text_document(text, url)
    return extract_article(text, url)


async def save_page(
    client: httpx.AsyncClient, url: str, deadline_s: float, max_bytes: int = MAX_PAGE_BYTES
) -> SavedPage:
    """Fetch a document once (size-capped, within one deadline for the whole request) and keep
    its readable text (in a thread: it is CPU work)."""

    def limit_for(content_type: str) -> int:  # papers run larger than pages
        return MAX_PDF_BYTES if document_kind(content_type, url, b"") == "pdf" else max_bytes

    fetched = await fetch_document(client, url, max_bytes, deadline_s, limit_for)
    page = await _read(fetched.body, fetched.content_type, url)
    return SavedPage(page.url, page.title, page.markdown, await _images(client, page.markdown))


async def _images(client: httpx.AsyncClient, markdown: str) -> tuple[tuple[str, bytes, str], ...]:
    """The page's images (the first dozen, each up to 3 MB, all within 10 s): kept with it
    so it shows them offline. One that fails stays a web address."""
    wanted = list(dict.fromkeys(_WEB_IMAGE.findall(markdown)))[:MAX_IMAGES]
    found: list[tuple[str, bytes, str]] = []
    try:
        async with asyncio.timeout(IMAGES_DEADLINE_S):
            for address in wanted:
                try:
                    image = await fetch_document(client, address, MAX_IMAGE_BYTES, deadline_s=5)
                except FetchError:
                    continue
                media = image.content_type.split(";", 1)[0].strip().lower()
                if media in IMAGE_SUFFIXES:
                    found.append((address, image.body, IMAGE_SUFFIXES[media]))
    except TimeoutError:
        pass  # the images fetched so far are kept
    return tuple(found)


async def _read(body: bytes, content_type: str, url: str) -> SavedPage:
    try:
        return await asyncio.to_thread(read_document, body, content_type, url)
    except FetchError:
        raise
    except Exception as error:  # noqa: BLE001 - a third-party parser on a hostile page
        raise FetchError(f"{url}: the page could not be read ({type(error).__name__})") from error
