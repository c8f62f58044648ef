"""PDF, EPUB, DOCX, ODT and RTF files read as articles (issue 12), the bad ones skipped with their
reason, and files of other kinds counted and named once."""

from __future__ import annotations

from pathlib import Path

import pytest

from margin.search.errors import UnreadableFile
from margin.search.library import Library
from margin.search.readers.documents import read_document
from margin.tui.cli import main

from .conftest import write
from .file_kinds import make_docx, make_epub, make_odt, make_pdf, mbox

PAGES = [["ACME QUARTERLY REPORT", "Sales of phones rose in the first quar-", "ter of the year, said Tim Cook of Apple.",
          "Page 1"],
         ["ACME QUARTERLY REPORT", "Costs fell as the company expanded in Europe.", "Page 2"]]


def test_a_pdf_without_its_running_header_and_footer(tmp_path: Path):
    path = make_pdf(tmp_path / "report.pdf", PAGES, title="Acme report", created="D:20240315120000")
    doc = read_document(tmp_path, path)
    assert (doc.title, doc.published) == ("Acme report", "2024-03-15")
    assert doc.body == ("Sales of phones rose in the first quarter of the year, said Tim Cook of Apple.\n\n"
                        "Costs fell as the company expanded in Europe.")  # page break: a paragraph break


def test_a_pdf_title_from_its_first_line_without_metadata(tmp_path: Path):
    doc = read_document(tmp_path, make_pdf(tmp_path / "notes.pdf", [["Field notes", "It rained all day."]]))
    assert (doc.title, doc.body) == ("Field notes", "It rained all day.")


def test_docx_odt_epub_and_rtf(tmp_path: Path):
    docx = read_document(tmp_path, make_docx(tmp_path / "memo.docx", "Memo", ["Plans", "Lei Jun met Nvidia."], "Ann"))
    assert (docx.title, docx.author, docx.published, docx.body) == ("Memo", "Ann", "2024-05-06", "Plans\n\nLei Jun met Nvidia.")
    odt = read_document(tmp_path, make_odt(tmp_path / "note.odt", "Note", ["Heading", "Body of the note."]))
    assert (odt.title, odt.body) == ("Note", "Heading\n\nBody of the note.")
    book = make_epub(tmp_path / "book.epub", "A Book", "Jane Author", [("One", "It was night."), ("Two", "Morning came.")])
    epub = read_document(tmp_path, book)
    assert (epub.title, epub.author, epub.published) == ("A Book", "Jane Author", "2023-09-01")
    assert epub.body == "One\n\nIt was night.\n\nTwo\n\nMorning came."  # chapters in spine order, as sections
    (tmp_path / "letter.rtf").write_text(r"{\rtf1\ansi\pard Dear Ann,\par The phone works.\par}")
    rtf = read_document(tmp_path, tmp_path / "letter.rtf")
    assert (rtf.title, rtf.body) == ("Dear Ann,", "The phone works.")


@pytest.mark.parametrize("name, data, reason", [
    ("broken.docx", b"not a zip", "not a readable DOCX file"),
    ("broken.epub", b"PK\x03\x04 broken", "not a readable EPUB file"),
    ("broken.odt", b"not a zip", "not a readable ODT file"),
    ("broken.pdf", b"%PDF-1.4 garbage", "not a readable PDF"),
    ("fake.rtf", b"plain text, not rtf", "not an RTF file"),
])
def test_a_broken_file_of_a_known_kind_says_why(tmp_path: Path, name: str, data: bytes, reason: str):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(UnreadableFile, match=reason):
        read_document(tmp_path, tmp_path / name)


def test_a_pdf_with_no_text_layer_is_named(tmp_path: Path):
    make_pdf(tmp_path / "scan.pdf", [[], []])
    with pytest.raises(UnreadableFile, match="no text layer"):
        read_document(tmp_path, tmp_path / "scan.pdf")


def test_an_epub_with_drm_is_named(tmp_path: Path):
    import zipfile

    book = make_epub(tmp_path / "drm.epub", "Locked", "X", [("One", "Text.")])
    with zipfile.ZipFile(book, "a") as z:
        z.writestr("META-INF/encryption.xml", "<encryption/>")
    with pytest.raises(UnreadableFile, match="encrypted"):
        read_document(tmp_path, book)


def test_every_kind_is_searched_with_entities_and_offsets_in_its_text(tmp_path: Path):
    corpus = tmp_path / "c"
    make_pdf(corpus / "report.pdf", PAGES, title="Acme report")
    make_docx(corpus / "memo.docx", "Memo", ["Plans", "Tim Cook met Jensen Huang in Taipei."])
    with Library.open(corpus, tmp_path / "ix") as library:
        assert {r.doc_id for r in library.search('person:"tim cook"').rows} == {"report.pdf", "memo.docx"}
        assert library.search("quarter").total == 1  # the hyphenated word, joined
        body = library.document("report.pdf").document.body
        assert [body[h.start:h.end] for h in library.hits("report.pdf", "phones") if h.field == "body"] == ["phones"]


def test_files_of_unknown_kinds_are_counted_and_named(capsys, tmp_path: Path):
    corpus = tmp_path / "c"
    write(corpus, "a.md", "# A\n\nText.")
    for name in ("deck.pptx", "slides.pptx", "photo.jpg", "entities.yaml"):
        (corpus / name).write_bytes(b"x")
    assert main(["index", "--corpus", str(corpus), "--index", str(tmp_path / "ix")]) == 0
    err = capsys.readouterr().err
    assert "3 files of kinds margin does not read: .pptx ×2, .jpg" in err and err.count("does not read") == 1
    assert main(["search", "--corpus", str(corpus), "--index", str(tmp_path / "ix"), "text"]) == 0
    assert "does not read" not in capsys.readouterr().err  # named once, not on every command


def test_feed_entries_and_messages_are_documents_with_stable_ids(tmp_path: Path):
    from .file_kinds import atom, rss

    corpus = tmp_path / "c"
    write(corpus, "feeds/tech.xml", rss([("Newest phone", "https://example.com/b", "<p>Xiaomi shows a phone.</p>"),
                                         ("Older story", "https://example.com/a", "<p>Tim Cook spoke.</p>")]))
    write(corpus, "feeds/news.atom", atom([("Atom one", "<p>First atom entry.</p>")]))
    write(corpus, "mail/inbox.mbox", mbox([("Ann <ann@example.com>", "Hello", "First message body."),
                                           ("Bob <bob@example.com>", "Re: Hello", "Second body."),
                                           ("Cy <cy@example.com>", "Third", "Third body.")]))
    write(corpus, "mail/one.eml", "From: Dee <dee@example.com>\nSubject: Single\nDate: Tue, 04 Jun 2024 09:00:00 +0000\n\nJust one.")
    with Library.open(corpus, tmp_path / "ix") as library:
        assert library.report.documents == 7
        older = library.document("feeds/tech.xml#1").document  # numbered from the oldest entry
        assert (older.title, older.url, older.published, older.source, older.author) == (
            "Older story", "https://example.com/a", "2024-06-02", "Tech feed", "Desk")  # the name, not the address
        assert library.document("feeds/tech.xml#2").document.body == "Xiaomi shows a phone."
        second = library.document("mail/inbox.mbox#2").document
        assert (second.title, second.author, second.body, second.published) == ("Re: Hello", "Bob", "Second body.", "2024-06-03")
        assert library.document("mail/one.eml").document.title == "Single"
        assert library.document("feeds/news.atom#1").document.author == "Ann Writer"
    write(corpus, "feeds/tech.xml", rss([("Newer still", "https://example.com/c", "<p>Fresh news.</p>"),
                                         ("Newest phone", "https://example.com/b", "<p>Xiaomi shows a phone.</p>"),
                                         ("Older story", "https://example.com/a", "<p>Tim Cook spoke.</p>")]))
    write(corpus, "mail/inbox.mbox", mbox([("Ann <ann@example.com>", "Hello", "First message body.")]))
    with Library.open(corpus, tmp_path / "ix") as library:  # the feed grew: old ids keep their entries
        assert library.document("feeds/tech.xml#1").document.title == "Older story"
        assert library.document("feeds/tech.xml#3").document.title == "Newer still"
        assert library.document("mail/inbox.mbox#2") is None and library.search("second").total == 0
    (corpus / "feeds" / "tech.xml").write_text("<rss><channel><title>broken")
    with Library.open(corpus, tmp_path / "ix") as library:  # now unreadable: its entries are gone, and why is said
        assert library.document("feeds/tech.xml#1") is None
        assert dict(library.report.skipped)["feeds/tech.xml"] == "not an RSS or Atom feed"


def test_an_unescaped_from_line_in_a_body_does_not_split_the_message(tmp_path: Path):
    """mboxo writers escape a body line starting "From " as ">From "; some do not."""
    from margin.search.readers.documents import read_documents

    data = ("From a@example.com Mon Jun  3 10:00:00 2024\nFrom: a@example.com\nSubject: One\n\n"
            "First line.\nFrom the start of the year, sales rose.\nLast line.\n>From quoted.\n\n"
            "From b@example.com Mon Jun  3 11:00:00 2024\nFrom: b@example.com\nSubject: Two\n\nSecond message.\n")
    path = tmp_path / "box.mbox"
    path.write_text(data)
    docs = read_documents(tmp_path, path, path.read_bytes())
    assert [d.title for d in docs] == ["One", "Two"]
    assert "From the start of the year, sales rose.\nLast line.\nFrom quoted." in docs[0].body


def test_a_mailbox_past_the_entry_limit_says_what_it_left_out(tmp_path: Path, monkeypatch):
    """Issue 25: an mbox of 100,000 messages indexed 20,000 and dropped the rest without a word."""
    monkeypatch.setattr("margin.search.readers.feeds_mail.MAX_ENTRIES", 3)
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "box.mbox").write_text(mbox([(f"a{i}@example.com", f"Subject {i}", f"body {i}") for i in range(5)]))
    with Library.open(corpus, tmp_path / "ix") as library:
        assert library.report.documents == 3
        assert any("holds 5 messages; the first 3 were read" in w for w in library.report.warnings)


def test_conversions_a_newcomer_noticed(tmp_path: Path):
    """Issue 26: mojibake stayed in PDF text, a one-line PDF was refused as "no text layer", an
    EPUB's table of contents was indexed as text, and HTML titles kept the site's name."""
    import zipfile

    pdf = read_document(tmp_path, make_pdf(tmp_path / "money.pdf", [["Profits rose", "to (\u00c2\u00a3600m) this year."]]))
    assert "(£600m)" in pdf.body and "Â" not in pdf.body
    one = read_document(tmp_path, make_pdf(tmp_path / "one.pdf", [["A single line of text only"]]))
    assert one.title == "A single line of text only" and one.body == "A single line of text only"
    book = make_epub(tmp_path / "book.epub", "Book", "Ann", [("Contents", "Chapter One Chapter Two"), ("One", "The text.")])
    with zipfile.ZipFile(book) as source:
        members = {i.filename: source.read(i) for i in source.infolist()}
    opf = members["OEBPS/content.opf"].decode().replace('<item id="c0"', '<item properties="nav" id="c0"')
    with zipfile.ZipFile(book, "w") as target:
        for name, data in members.items():
            target.writestr(name, opf if name.endswith(".opf") else data)
    assert "Chapter Two" not in read_document(tmp_path, book).body
    page = tmp_path / "storm.html"
    page.write_text('<html><head><title>Storm closes pier | Coastal Times</title>'
                    '<meta property="og:site_name" content="Coastal Times"></head><body><p>Text.</p></body></html>')
    assert read_document(tmp_path, page).title == "Storm closes pier"



def test_a_pdf_heading_is_its_own_paragraph(tmp_path: Path):
    """Issue 26: "Ad sales boost Time Warner profit Quarterly profits at…" was one paragraph."""
    lines = ["Ad sales boost Time Warner profit",
             "Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn for the three",
             "months to December, from $639m year-earlier, the firm said in its statement."]
    doc = read_document(tmp_path, make_pdf(tmp_path / "tw.pdf", [lines], title="Time Warner"))
    assert doc.body.split("\n\n")[0] == "Ad sales boost Time Warner profit"
    assert doc.body.split("\n\n")[1].startswith("Quarterly profits at US media giant")
