"""The pages of the dashboard, as data (Streamlit-free): navigation and tests are driven by this list."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

DEFAULT_URL_PATH = "overview"  # the 概要's own name in the URL (it is shown at /)


@dataclass(frozen=True)
class PageSpec:
    url_path: str  # "" for the default page at /
    script: str  # relative to the project root
    title: str
    section: str
    pillar: int = 0
    editing: bool = False


def page_specs(pillars: pd.DataFrame, readonly: bool = False) -> list[PageSpec]:
    """Every page in menu order. The edit page is absent from a read-only deployment."""
    pages = [PageSpec("", "pages/overview.py", "概要", "")]
    pages += [
        PageSpec(f"pillar{r.pillar}", "pages/pillar.py", f"大綱{r.pillar} {r.short_name}", "大綱", pillar=int(r.pillar))
        for r in pillars.itertuples()
    ]
    pages.append(PageSpec("projects", "pages/projects.py", "実施計画(事業一覧)", "事業"))
    pages.append(PageSpec("present", "pages/present.py", "発表モード(町民会議用)", "発表"))
    if not readonly:
        pages.append(PageSpec("edit", "pages/edit.py", "実績の入力", "管理", editing=True))
    return pages


def names_a_page(asked: str, specs: list[PageSpec]) -> bool:
    """Whether ``asked``, the page path of a URL (``pillar2`` of ``/pillar2``), names one of ``specs``' pages
    (``""`` and ``overview``: the 概要; a trailing ``/`` does not count)."""
    return asked.strip("/") in {spec.url_path or DEFAULT_URL_PATH for spec in specs} | {""}
