"""Saved pages keep what the page held (#15.13, #15.14): its charset, preformatted lines, code
languages, quotes, image alt text and captions, math; comments and 'not found' pages are
not saved; Markdown, text and PDF are kept as text; one deadline holds for the whole page."""

import re
import time
from pathlib import Path

from companion.cli.main import main
from companion.store.saved_pages import load_page

from .documents import small_png


def save(data_dir: Path, url: str, capsys) -> tuple[int, str]:
    code = main(["--data-dir", str(data_dir), "save", url])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_an_article_keeps_its_structure_and_loses_its_comments(server, tmp_path, capsys):
    url = f"{server.base}/rich.html"
    assert save(tmp_path, url, capsys)[0] == 0
    text = load_page(tmp_path, url).markdown
    assert "```\nshape of Q: (batch, heads, tokens, d)\n    shape of K:" in text  # <pre> lines
    assert "```python\ndef attend(q, k, v):" in text
    assert "> Attention lets every token look at every other token." in text
    # its image is saved beside it, and the page points there: it shows with no network
    media = re.search(r"!\[Attention weights as a heat map\]\((media/\w+\.png)\)", text)
    assert media and (tmp_path / "library" / media.group(1)).read_bytes() == small_png()
    assert "*Figure 1: weights across four heads.*" in text
    assert "$QK^T/\\sqrt{d}$" in text and "$x^2+1$" in text
    assert "$$\n\\mathrm{softmax}(x)_i = e^{x_i} / \\sum_j e^{x_j}\n$$" in text
    assert f"[1]({server.base}/rich.html#fn1)" in text  # against the page, not the site
    assert f"[the paper]({server.base}/refs#v)" in text
    assert "watches" not in text and "Comments" not in text and "<sup>" not in text


def test_the_declared_charset_is_honoured(server, tmp_path, capsys):
    url = f"{server.base}/latin1.html"
    assert save(tmp_path, url, capsys)[0] == 0
    page = load_page(tmp_path, url)
    assert page.title == "Régression linéaire"
    assert "l'écart quadratique" in page.markdown and "Ã" not in page.markdown


def test_a_soft_404_is_not_saved(server, tmp_path, capsys):
    url = f"{server.base}/soft404.html"
    code, said = save(tmp_path, url, capsys)
    assert code == 2 and "'page not found' page" in said
    assert load_page(tmp_path, url) is None


def test_markdown_and_text_are_kept_as_they_are(server, tmp_path, capsys):
    md, txt = f"{server.base}/backprop.md", f"{server.base}/notes.txt"
    assert save(tmp_path, md, capsys)[0] == 0 and save(tmp_path, txt, capsys)[0] == 0
    notes = load_page(tmp_path, md)
    assert notes.title == "Backprop notes" and notes.markdown.startswith("# Backprop notes\n")
    plain = load_page(tmp_path, txt)
    assert plain.title == "notes.txt"
    assert "NOTES ON BACKPROP\\\n=================\\\n1. forward pass" in plain.markdown
    assert "see \\[Rumelhart 1986\\] and \\#ml" in plain.markdown


def test_a_pdf_is_kept_as_its_text_and_a_scan_is_refused(server, tmp_path, capsys):
    url = f"{server.base}/paper.pdf"
    assert save(tmp_path, url, capsys)[0] == 0
    page = load_page(tmp_path, url)
    assert page.title == "Backprop by hand"
    assert "## Page 1" in page.markdown and "Backpropagation by hand" in page.markdown
    code, said = save(tmp_path, f"{server.base}/scan.pdf", capsys)
    assert code == 2 and "no text to save" in said


def test_a_trickling_server_cannot_hold_a_save_past_one_deadline(server, tmp_path, capsys):
    (tmp_path / "config.toml").write_text("link_timeout_seconds = 1.5\n")
    started = time.monotonic()
    code, said = save(tmp_path, f"{server.base}/trickle", capsys)
    took = time.monotonic() - started
    assert code == 2 and "too slow, cut off after 3 s" in said
    assert took < 6  # the page sends for 100 s, a byte each second: each wait alone is short
