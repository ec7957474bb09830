"""Ingest formats and bad inputs (no model needed)."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from pipeline.config import load_config
from pipeline.ingest import ingest_settings, read_corpus

from .conftest import write

SETTINGS = ingest_settings(load_config())


def ingest(folder, **over):
    return read_corpus(folder, {**SETTINGS, **over})


def test_plain_txt_headline_and_dateline(tmp_path):
    write(tmp_path / "a.txt", "Gunmen storm hotel in Gwadar\n\nGWADAR, 26-Jan-2026 — Gunmen stormed a hotel.\n")
    arts, rejects = ingest(tmp_path)
    assert rejects == []
    (a,) = arts
    assert a.title == "Gunmen storm hotel in Gwadar"
    assert a.published == dt.date(2026, 1, 26) and a.published_source == "dateline"


def test_plain_txt_without_metadata_has_no_date(tmp_path):
    write(tmp_path / "a.txt", "This is the first sentence of a long article with no headline at all.\nMore.")
    (a,), _ = ingest(tmp_path)
    assert a.title is None and a.published is None and a.published_source == "none"


def test_front_matter_keys_and_extra(tmp_path):
    write(tmp_path / "sub" / "a.md", '---\ntitle: "T"\npublished: 2024-10-07\nsource: S\nurl: "https://x"\n'
                                     'author: A\nregion: Sindh\n---\nBody text.\n')
    (a,), rejects = ingest(tmp_path)
    assert not rejects
    assert (a.path, a.title, a.published, a.source, a.url, a.author) == (
        "sub/a.md", "T", dt.date(2024, 10, 7), "S", "https://x", "A")
    assert a.published_source == "metadata" and a.extra == {"region": "Sindh"}
    assert a.text == "Body text.\n"


def test_sidecar_metadata_csv(tmp_path):
    write(tmp_path / "a.txt", "Body of the article goes here and is long enough to not be a title.")
    write(tmp_path / "metadata.csv", "file,title,published,source,author,url\na.txt,My title,2025-03-12,Src,Au,\n")
    (a,), rejects = ingest(tmp_path)
    assert not rejects
    assert a.title == "My title" and a.published == dt.date(2025, 3, 12) and a.url is None


def test_jsonl_articles_and_bad_lines(tmp_path):
    write(tmp_path / "feed.jsonl", '{"text": "First article.", "title": "One", "published": "2024-01-02"}\n'
                                   "not json\n"
                                   '{"title": "no text"}\n'
                                   "[1, 2]\n"
                                   '{"text": "Second article."}\n')
    arts, rejects = ingest(tmp_path)
    assert [a.path for a in arts] == ["feed.jsonl:1", "feed.jsonl:5"]
    assert arts[0].published == dt.date(2024, 1, 2)
    reasons = {r.path: r.reason for r in rejects}
    assert reasons["feed.jsonl:2"].startswith("[E105]")
    assert reasons["feed.jsonl:3"].startswith("[E106]")
    assert reasons["feed.jsonl:4"].startswith("[E113]")


@pytest.mark.parametrize("name,content,code", [
    ("empty.txt", "  \n\n", "E101"),
    ("binary.txt", b"\x89PNG\x00\x00\x01", "E102"),
    ("bad.md", "---\ntitle: [unclosed\n---\nBody", "E104"),
    ("open.md", "---\ntitle: x\nBody with no closing line", "E104"),
    ("notes.docx", "whatever", "E107"),
])
def test_bad_inputs_rejected_with_one_line_reason(tmp_path, name, content, code):
    write(tmp_path / name, content)
    write(tmp_path / "good.txt", "A good article stays.")
    arts, rejects = ingest(tmp_path)
    assert [a.path for a in arts] == ["good.txt"]
    (r,) = rejects
    assert r.path == name and r.reason.startswith(f"[{code}]") and "\n" not in r.reason


def test_oversized_file_rejected(tmp_path):
    write(tmp_path / "big.txt", "word " * 100)
    arts, (r,) = ingest(tmp_path, max_file_bytes=100)
    assert arts == [] and r.reason.startswith("[E108]")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_rejected(tmp_path):
    p = write(tmp_path / "locked.txt", "secret")
    p.chmod(0)
    arts, (r,) = ingest(tmp_path)
    assert r.reason.startswith("[E103]")


def test_unreadable_path_rejected(tmp_path):
    # a dangling symlink cannot be read by anyone, root included
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    arts, (r,) = ingest(tmp_path)
    assert arts == [] and r.path == "gone.txt" and r.reason.startswith("[E103]")


def test_invalid_utf8_kept_with_warning(tmp_path):
    write(tmp_path / "latin.txt", "Caf\xe9 attack in Quetta.".encode("latin-1"))
    (a,), rejects = ingest(tmp_path)
    assert not rejects
    assert "\ufffd" in a.text and a.warnings and a.warnings[0].startswith("[E110]")


def test_bad_published_value_is_a_warning_not_a_reject(tmp_path):
    write(tmp_path / "a.md", "---\npublished: yesterday-ish\n---\nBody.")
    (a,), rejects = ingest(tmp_path)
    assert not rejects and a.published is None and a.warnings[0].startswith("[E111]")


def test_doc_id_depends_on_text_only(tmp_path):
    write(tmp_path / "a.md", "---\ntitle: A\n---\nSame text.")
    write(tmp_path / "b.txt", "Same text.")
    a, b = ingest(tmp_path)[0]
    assert a.doc_id == b.doc_id and a.content_sha256 != b.content_sha256
