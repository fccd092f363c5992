"""Text that users typed is shown as text: never as Markdown or HTML that runs."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=])")


def escape_markdown(text: str) -> str:
    """Backslash-escape everything Markdown (and Streamlit's :color[] / $math$) could interpret."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", "  \n")
