"""Title, metadata and main text of an HTML article, through BeautifulSoup's HTML parser.

News pages wrap the article in navigation, scripts and footers; we keep `<article>` or `<main>`
when the page has one, drop the furniture, and turn block elements into paragraphs so that the
reader shows the text as it was laid out.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from bs4 import BeautifulSoup, Tag
from bs4.dammit import EncodingDetector
from bs4.element import NavigableString

from margin.search.dates import normalize_date
from margin.search.document import Document, split_title
from margin.search.errors import UnreadableFile
from margin.search.readers.encoding import decode_bytes
from margin.search.sanitize import clean_line, clean_text

_DROP = ("script", "style", "noscript", "template", "svg", "nav", "footer", "aside", "form",
         "iframe", "button", "select", "head")
_BLOCKS = {"p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6",
           "ul", "ol", "li", "blockquote", "pre", "table", "tr", "figure", "figcaption", "hr",
           "dl", "dt", "dd", "address"}


def _decode(data: bytes) -> str:
    declared = EncodingDetector.find_declared_encoding(data[:4096], is_html=True)
    return decode_bytes(data, declared)[0]


def _meta(soup: BeautifulSoup, *names: str) -> str:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if isinstance(tag, Tag) and tag.get("content"):
            return clean_line(str(tag["content"]))
    return ""


def text_of(node: Tag) -> str:
    """Text with one blank line between blocks and folded white space inside them."""
    parts: list[str] = []
    for element in node.descendants:
        if isinstance(element, NavigableString):
            if element.parent is not None and element.parent.name == "pre":
                parts.append(str(element))
            else:
                parts.append(" ".join(str(element).split(" ")).replace("\n", " "))
        elif isinstance(element, Tag):
            if element.name == "br":
                parts.append("\n")
            elif element.name in _BLOCKS:
                parts.append("\n\n- " if element.name == "li" else "\n\n")
    paragraphs = (" ".join(block.split()) for block in "".join(parts).split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


def fragment_text(html: str) -> str:
    """The text of a piece of HTML (a feed entry, an e-mail's HTML part), as paragraphs."""
    if html.count("<") > MAX_TAGS:
        raise UnreadableFile(f"HTML with more than {MAX_TAGS:,} tags")
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(_DROP):
        tag.decompose()
    return clean_text(text_of(soup))


MAX_TAGS = 200_000  # a page of a million elements took 51 s to parse; a heavy news page has ~20,000


_SITE_SEPARATORS = (" | ", " - ", " – ", " — ", " · ", " :: ")


def without_site(title: str, site: str) -> str:
    """A page title without the site's name the page also gives ("Storm closes pier | Coastal
    Times" with og:site_name Coastal Times): the list shows the site as the source already."""
    if not site:
        return title
    folded = site.casefold()
    for separator in _SITE_SEPARATORS:
        head, _, tail = title.rpartition(separator)
        if head and tail.strip().casefold() == folded:
            return head.strip()
        first, _, rest = title.partition(separator)
        if rest and first.strip().casefold() == folded:
            return rest.strip()
    return title


def html_document(doc_id: str, data: bytes) -> Document:
    if data.count(b"<") > MAX_TAGS:
        raise UnreadableFile(f"HTML page with more than {MAX_TAGS:,} tags")
    soup = BeautifulSoup(_decode(data), "html.parser")
    title = _meta(soup, "og:title", "twitter:title")
    if not title and soup.title and soup.title.string:
        title = clean_line(soup.title.string)
    html = soup.find("html")
    language = str(html.get("lang", "")) if isinstance(html, Tag) else ""
    canonical = soup.find("link", attrs={"rel": "canonical"})
    url = str(canonical.get("href", "")) if isinstance(canonical, Tag) else ""
    time_tag = soup.find("time", attrs={"datetime": True})
    published = _meta(soup, "article:published_time", "date", "dc.date", "pubdate") or (
        str(time_tag["datetime"]) if isinstance(time_tag, Tag) else ""
    )
    meta: dict[str, str] = dict(
        source=_meta(soup, "og:site_name", "application-name"),
        author=_meta(soup, "author", "article:author", "dc.creator"),
        published=normalize_date(published) or "",
        language=clean_line(language),
        url=clean_line(url) or _meta(soup, "og:url"),
    )
    for tag in soup.find_all(_DROP):
        tag.decompose()
    main = soup.find("article") or soup.find("main") or soup.body or soup
    if not title:
        heading = main.find("h1") if isinstance(main, Tag) else None
        title = clean_line(heading.get_text(" ")) if isinstance(heading, Tag) else ""
    body = clean_text(text_of(main))
    if not body.strip():
        raise UnreadableFile("HTML page has no readable text")
    if not title:
        title, body = split_title(body, PurePosixPath(doc_id).stem)
    return Document(doc_id, without_site(title, meta["source"]), body, meta["source"], meta["author"], meta["published"], meta["language"],
                    meta["url"])
