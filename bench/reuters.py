"""Reuters-21578 as a corpus folder of Markdown articles, made once and cached under bench/out/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from common import OUT, SHARED

SOURCE = SHARED / "reuters21578"
CORPUS = OUT / "reuters-corpus"


def _date(text: str) -> str | None:
    try:
        return dt.datetime.strptime(text.strip().split(".")[0], "%d-%b-%Y %H:%M:%S").date().isoformat()
    except ValueError:
        return None


def _article(node) -> tuple[str, str]:
    title = node.find("title")
    body = node.find("body")
    text = node.find("text")
    title_text = " ".join(title.get_text().split()) if title else ""
    if body:
        body_text = body.get_text()
    else:
        for tag in text.find_all(["title", "dateline"]):
            tag.extract()
        body_text = text.get_text()
    body_text = body_text.replace("\x03", "").strip()
    return title_text or body_text.split("\n", 1)[0][:80], body_text


def build_corpus() -> Path:
    """Write one .md file per story (front matter: title, source, published); skip if already made."""
    marker = CORPUS / ".complete"
    if marker.exists():
        return CORPUS
    if not SOURCE.is_dir():
        raise SystemExit(f"Reuters-21578 not found at {SOURCE}; it is read from ../shared/data")
    CORPUS.mkdir(parents=True, exist_ok=True)
    count = 0
    for sgm in sorted(SOURCE.glob("reut2-*.sgm")):
        soup = BeautifulSoup(sgm.read_text(encoding="latin-1"), "html.parser")
        folder = CORPUS / sgm.stem
        folder.mkdir(exist_ok=True)
        for node in soup.find_all("reuters"):
            title, body = _article(node)
            meta = {"title": title, "source": "Reuters", "language": "en"}
            published = _date(node.find("date").get_text()) if node.find("date") else None
            if published:
                meta["published"] = published
            front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
            (folder / f"{node['newid']}.md").write_text(f"---\n{front}---\n\n{body}\n", encoding="utf-8")
            count += 1
    marker.write_text(str(count))
    return CORPUS
