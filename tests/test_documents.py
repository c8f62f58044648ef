"""Reading article files: formats, encodings, line endings, hostile text and bad files."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from margin.search.errors import UnreadableFile
from margin.search.readers import documents
from margin.search.readers.documents import read_document
from margin.search.sanitize import clean_text

from .conftest import SHARED_DATA, write


def test_markdown_front_matter(tmp_path: Path):
    path = write(tmp_path, "a/b.md", "---\ntitle: Hello\nsource: Paper\nauthor: [A, B]\npublished: 2024-06-01\n"
                                     "language: en\nurl: http://x\n---\n\nBody text.\n")
    doc = read_document(tmp_path, path)
    assert (doc.doc_id, doc.title, doc.source, doc.author, doc.published, doc.language, doc.url, doc.body) == (
        "a/b.md", "Hello", "Paper", "A, B", "2024-06-01", "en", "http://x", "Body text.")


def test_markdown_without_front_matter_takes_heading_as_title(tmp_path: Path):
    doc = read_document(tmp_path, write(tmp_path, "x.md", "\n# The Title\n\nFirst paragraph."))
    assert (doc.title, doc.body) == ("The Title", "First paragraph.")


def test_unrecognised_date_is_a_warning_not_a_failure(tmp_path: Path):
    doc = read_document(tmp_path, write(tmp_path, "x.md", "---\ntitle: T\npublished: someday\n---\nbody"))
    assert doc.published == "" and "someday" in doc.warnings[0]


def test_text_file_first_line_is_title(tmp_path: Path):
    doc = read_document(tmp_path, write(tmp_path, "n.txt", "\n\n  Headline here \nline one\nline two"))
    assert (doc.title, doc.body) == ("Headline here", "line one\nline two")


def test_html_title_metadata_and_main_text(tmp_path: Path):
    html = """<html lang="en"><head><title>Page title</title>
    <meta property="og:site_name" content="The Site"><meta name="author" content="Jo Writer">
    <meta property="article:published_time" content="2023-04-05T10:00:00Z">
    <script>var x = "not text";</script><style>p{}</style></head>
    <body><nav>Home | About</nav><article><h1>Heading</h1><p>First <b>bold</b> para.</p>
    <ul><li>one</li><li>two</li></ul><p>Second&nbsp;para &amp; more.</p></article>
    <footer>Copyright</footer></body></html>"""
    doc = read_document(tmp_path, write(tmp_path, "p.html", html))
    assert doc.title == "Page title" and doc.source == "The Site" and doc.author == "Jo Writer"
    assert doc.published == "2023-04-05" and doc.language == "en"
    assert doc.body.split("\n\n") == ["Heading", "First bold para.", "- one", "- two", "Second para & more."]
    assert "not text" not in doc.body and "Home" not in doc.body and "Copyright" not in doc.body


def test_html_declared_charset_is_used(tmp_path: Path):
    html = '<html><head><meta charset="iso-8859-1"><title>Caf\xe9</title></head><body><p>na\xefve</p></body></html>'
    doc = read_document(tmp_path, write(tmp_path, "l.htm", html.encode("latin-1")))
    assert doc.title == "Café" and doc.body == "naïve"


@pytest.mark.parametrize("encoded", [
    codecs.BOM_UTF8 + "Titre\nCafé crème".encode(),
    codecs.BOM_UTF16_LE + "Titre\nCafé crème".encode("utf-16-le"),
    codecs.BOM_UTF16_BE + "Titre\nCafé crème".encode("utf-16-be"),
    "Titre\nCafé crème".encode("cp1252"),
    "Titre\r\nCafé crème".encode(),
    "Titre\rCafé crème".encode("latin-1"),
    "Titre\nCafé crème".encode().decode("cp1252").encode(),  # mojibake: UTF-8 read as cp1252 upstream
    codecs.BOM_UTF8 + "Titre\nCafé crème".encode().decode("cp1252").encode(),
], ids=["utf8-bom", "utf16le-bom", "utf16be-bom", "cp1252", "crlf", "cr-latin1", "mojibake", "mojibake-bom"])
def test_encodings_and_line_endings(tmp_path: Path, encoded: bytes):
    doc = read_document(tmp_path, write(tmp_path, "e.txt", encoded))
    assert (doc.title, doc.body) == ("Titre", "Café crème")


def test_text_that_only_looks_like_mojibake_is_kept(tmp_path: Path):
    """Portuguese capitals have the marks of mojibake but are no such thing."""
    text = "SÃO PAULO\nO LEÃO venceu a NAÇÃO em São Paulo."
    doc = read_document(tmp_path, write(tmp_path, "m.txt", text.encode()))
    assert (doc.title, doc.body) == ("SÃO PAULO", "O LEÃO venceu a NAÇÃO em São Paulo.")


@pytest.mark.skipif(not (SHARED_DATA / "bbc-news").is_dir(), reason="shared data not beside the checkout")
def test_real_latin1_file_from_bbc_news():
    root = SHARED_DATA / "bbc-news"
    doc = read_document(root, root / "sport" / "199.txt")
    assert "\ufffd" not in doc.body and doc.title


@pytest.mark.parametrize("content, reason", [
    (b"", "empty file"),
    (b"  \n\n ", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    (b"---\ntitle: [unclosed\n---\nbody", "front matter is not valid YAML at line"),
    (b"---\ntitle: x\nbody without end", "front matter has no closing"),
    (b"---\n- a list\n---\nbody", "not a YAML mapping"),
])
def test_bad_files_say_why(tmp_path: Path, content: bytes, reason: str):
    with pytest.raises(UnreadableFile, match=reason.replace("[", r"\[")):
        read_document(tmp_path, write(tmp_path, "bad.md", content))


def test_oversized_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(documents, "MAX_BYTES", 100)
    with pytest.raises(UnreadableFile, match="larger than"):
        read_document(tmp_path, write(tmp_path, "big.txt", "t\n" + "x" * 200))


def test_escape_sequences_and_controls_are_removed():
    hostile = "Title\x1b]0;pwned\x07 ok\x1b[2J\x1b[31mred\x1b[0m\x00\x08 tab\there\u202eevil\r\nend"
    assert clean_text(hostile) == "Title okred tab\thereevil\nend"


def test_hostile_article_reads_clean(tmp_path: Path):
    doc = read_document(tmp_path, write(tmp_path, "h.txt", "T\x1b[1A\x1b]2;title\x07itle\n[bold red]markup[/] \x1bc"))
    assert doc.title == "Title" and doc.body == "[bold red]markup[/] "
    assert "\x1b" not in doc.title + doc.body


def test_binary_without_nul_bytes_is_refused_and_latin_1_text_is_not(tmp_path: Path):
    import random

    rng = random.Random(1)
    noise = bytes(rng.randrange(1, 256) for _ in range(20_000))
    with pytest.raises(UnreadableFile, match="binary file"):
        read_document(tmp_path, write(tmp_path, "image.txt", noise))
    ascii_noise = bytes(rng.randrange(1, 32) for _ in range(5_000))  # valid UTF-8: was "empty file"
    with pytest.raises(UnreadableFile, match="binary file"):
        read_document(tmp_path, write(tmp_path, "controls.txt", ascii_noise))
    latin = read_document(tmp_path, write(tmp_path, "old.txt", "Caf\xe9 news\nna\xefve r\xe9sum\xe9".encode("cp1252")))
    assert latin.title == "Café news" and latin.body == "naïve résumé"


def test_an_html_page_of_a_million_elements_is_refused_without_parsing(tmp_path: Path):
    page = write(tmp_path, "huge.html", b"<html><body>" + b"<b>x</b>" * 200_001 + b"</body></html>")
    with pytest.raises(UnreadableFile, match="HTML page with more than 200,000 tags"):
        read_document(tmp_path, page)


@pytest.mark.parametrize(("front", "reason"), [
    ("published: 2025-02-30", "front matter has a value that is not valid: day is out of range for month"),
    ("a: &x [1, 2]\ntitle: *x", "front matter uses YAML aliases (*name), which margin does not read"),
    ("title: " + "x" * 70_000, "front matter longer than 64 KB"),
])
def test_front_matter_within_bounds(tmp_path: Path, front: str, reason: str):
    with pytest.raises(UnreadableFile) as refused:
        read_document(tmp_path, write(tmp_path, "a.md", f"---\n{front}\n---\nbody"))
    assert str(refused.value) == reason
