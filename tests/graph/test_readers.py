"""Readers: every input kind becomes articles; every problem names its path and line."""

import gzip
import io
import zipfile

from graph.ingest.readers import ReadError, ReadItem, read_path, read_stream

RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Sahel Wire</title>
<item><title>Niger expels French troops</title><link>https://feed.example/1</link>
<pubDate>Fri, 22 Dec 2023 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Niger expelled &lt;b&gt;French troops&lt;/b&gt; on Friday.&lt;/p&gt;
</description></item>
<item><title>Empty</title><link>https://feed.example/2</link><description></description></item>
</channel></rss>"""

HTML = """<html><head><title>Instructors arrive</title>
<meta property="article:published_time" content="2024-04-12"></head><body>
<nav>Home | World | Sport | Weather</nav>
<article><h1>Instructors arrive</h1>
<p>Russian military instructors arrived in Niger on Wednesday, state television said.</p>
<p>The instructors brought an air defence system and will train Nigerien soldiers.</p></article>
<footer>Copyright Example News. All rights reserved.</footer></body></html>"""


def items(reads):
    return [r for r in reads if isinstance(r, ReadItem)], [
        r for r in reads if isinstance(r, ReadError)
    ]


def test_text_with_headers(tmp_path):
    path = tmp_path / "a.txt"
    header = ["Title: Expulsion", "Date: 2023-12-22", "URL: https://x.example/1", ""]
    path.write_text("\n".join([*header, "Niger expelled French troops."]))
    (item,), errors = items(list(read_path(path)))
    assert not errors
    assert item.article.title == "Expulsion" and item.article.url == "https://x.example/1"
    assert item.article.published_at.date().isoformat() == "2023-12-22"
    assert item.article.text == "Niger expelled French troops."


def test_jsonl_reports_bad_lines_and_continues(tmp_path):
    path = tmp_path / "a.jsonl"
    lines = [
        '{"text": "one"}',
        '{"text": ',
        '{"title": "no text"}',
        "",
        '{"text": "two", "published_at": "2024-13-01"}',
        '{"text": "three"}',
    ]
    path.write_text("\n".join(lines) + "\n")
    good, errors = items(list(read_path(path)))
    assert [i.article.text for i in good] == ["one", "three"]
    assert [e.location for e in errors] == [f"{path}:2", f"{path}:3", f"{path}:5"]
    assert "malformed JSON" in errors[0].message
    assert "text" in errors[1].message and "published_at" in errors[2].message


def test_json_list_and_object(tmp_path):
    (tmp_path / "list.json").write_text('[{"text": "a"}, {"text": "b", "url": "https://x/b"}]')
    (tmp_path / "one.json").write_text('{"text": "c"}')
    good, errors = items(list(read_path(tmp_path)))
    assert sorted(i.article.text for i in good) == ["a", "b", "c"] and not errors


def test_feed_items_with_date_and_link(tmp_path):
    path = tmp_path / "sahel.rss"
    path.write_text(RSS)
    good, errors = items(list(read_path(path)))
    assert len(good) == 1 and len(errors) == 1
    article = good[0].article
    assert article.text == "Niger expelled French troops on Friday."
    assert article.url == "https://feed.example/1" and article.source == "Sahel Wire"
    assert article.published_at.isoformat().startswith("2023-12-22T10:00")
    assert errors[0].location.endswith("#item2") and "text" in errors[0].message


def test_html_main_text_without_boilerplate(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML)
    (item,), errors = items(list(read_path(path)))
    assert not errors
    assert "Russian military instructors arrived in Niger" in item.article.text
    assert "Home | World" not in item.article.text and "Copyright" not in item.article.text
    assert item.article.title == "Instructors arrive"


def test_archives_and_folders(tmp_path):
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(b'{"text": "gz one"}\n'))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("inner/b.txt", "zip two")
        archive.writestr("inner/feed.rss", RSS)
        archive.writestr("inner/ignored.pdf", "%PDF")
    (tmp_path / "bundle.zip").write_bytes(buffer.getvalue())
    (tmp_path / "notes.md").write_text("not an article")
    good, errors = items(list(read_path(tmp_path)))
    texts = sorted(i.article.text for i in good)
    assert texts == ["Niger expelled French troops on Friday.", "gz one", "zip two"]
    assert len(errors) == 1 and "bundle.zip!inner/feed.rss#item2" in errors[0].location


def test_unknown_and_broken_files(tmp_path):
    (tmp_path / "x.pdf").write_text("%PDF")
    (tmp_path / "broken.gz").write_bytes(b"not gzip")
    (error,) = list(read_path(tmp_path / "x.pdf"))
    assert isinstance(error, ReadError) and "unsupported file type" in error.message
    (error,) = list(read_path(tmp_path / "broken.gz"))
    assert isinstance(error, ReadError) and "cannot read" in error.message


def test_stdin_jsonl():
    stream = io.BytesIO(b'{"text": "a"}\nnot json\n')
    good, errors = items(list(read_stream(stream)))
    assert [i.article.text for i in good] == ["a"]
    assert errors[0].location == "<stdin>:2"
