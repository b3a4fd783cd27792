"""Outside text is shown as written: no bold, no links, no images, no HTML."""

import html
import re

import pytest
from markdown_it import MarkdownIt

from dashboard.text import plain

HOSTILE = [
    "**Your session expired** [log in again](http://evil.example)",
    "![tracker](http://evil.example/pixel.png)",
    "<script>alert(1)</script> <b>bold</b>",
    "`code` # heading _under_ ~~gone~~",
    "1. a list\n- item",
    "a \\*escaped\\* star",
]


def rendered(markdown: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).render(markdown)


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_renders_the_escaped_text_as_one_plain_paragraph(text):
    output = rendered(plain(text))
    tags = set(re.findall(r"</?([a-z]+)", output))
    assert tags == {"p"}, output
    shown = html.unescape(re.sub(r"</?p>", "", output)).strip()
    assert shown == text.replace("\n", " ")


def test_unhostile_text_is_unchanged_in_what_it_shows():
    assert html.unescape(rendered(plain("Run 3: MLP, 0.97"))).strip() == "<p>Run 3: MLP, 0.97</p>"
