"""Text from outside (a link, an upload's name, another student) shown as plain text.

Streamlit renders the body of st.warning, st.caption, st.markdown ... as Markdown, so a
link value like `**Session expired** [log in](http://evil.example)` would render as bold
text and a live link inside the app's own message box. Every ASCII punctuation character
is backslash-escaped (CommonMark's escape), which shows it as itself.
"""

from __future__ import annotations

import re

_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&\"'/@%;?,])")


def plain(text: object) -> str:
    """`text` escaped so that Markdown shows it exactly as written."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", str(text)).replace("\n", " ")
