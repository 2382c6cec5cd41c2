"""Reading the `key=value` lines that notebooks 04-07 print in their tagged cells for these checks.

    from claimlines import exported, tagged_lines
    [run] = tagged_lines(nb, "killed", "killed victim=")
    assert run["missing"] == "[]"
    assert exported("05-killed-worker")
"""

from __future__ import annotations

import re
from pathlib import Path

from nbcheck import cell_by_tag, text_output

FIGURES = Path(__file__).resolve().parents[2] / "notebooks" / "figures"


def fields(line: str) -> dict[str, str]:
    """The `key=value` (or `key~value`, an estimate) pairs of one line; a value is a word or a [list]."""
    return dict(re.findall(r"([\w-]+)[=~](\[[^\]]*\]|\S+)", line))


def tagged_lines(nb, tag: str, prefix: str) -> list[dict[str, str]]:
    """The fields of every output line starting with `prefix` in the one cell tagged `tag`
    (carriage returns of spinner frames count as line ends)."""
    text = text_output(cell_by_tag(nb, tag)).replace("\r", "\n")
    return [fields(line) for line in text.splitlines() if line.startswith(prefix)]


def exported(name: str) -> bool:
    """Whether notebooks/figures holds a non-empty NAME.png and NAME.svg."""
    return all((FIGURES / f"{name}.{ext}").is_file() and (FIGURES / f"{name}.{ext}").stat().st_size > 0
               for ext in ("png", "svg"))
