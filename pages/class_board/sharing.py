"""What a teacher shares: a page with settings (from a pasted link), a class experiment's base.

A pasted link is outside text: its page must be one of the app's, and its settings are
read by that page's own settings table, which refuses what does not fit; the students
then open exactly the values the table kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from dashboard import classroom
from dashboard.navigation import available_pages
from dashboard.settings import MAX_LINK_VALUE_CHARS

NOT_SHARED = (classroom.BOARD_PAGE,)
MAX_LINK_CHARS = 4_000


@dataclass(frozen=True)
class SharedPage:
    page: str
    query: dict[str, str]
    description: str


def shareable_pages() -> dict[str, str]:
    return {page.name: page.title for page in available_pages() if page.name not in NOT_SHARED}


def split_link(link: str) -> tuple[str, str]:
    """(page path, query text) of a full URL, 'page?a=1', '?a=1', 'a=1' or 'page'."""
    if "?" in link or "/" in link:
        parts = urlsplit(link)
        return parts.path.rstrip("/").rsplit("/", 1)[-1], parts.query
    return ("", link) if "=" in link else (link, "")


def shared_page(page_name: str, link: str) -> SharedPage:
    """The page (the link's, if it names one) with the link's settings; ValueError says why not."""
    pages = shareable_pages()
    link = link.strip()
    if len(link) > MAX_LINK_CHARS:
        raise ValueError(
            f"That link is {len(link):,} characters long; paste one of at most {MAX_LINK_CHARS:,}."
        )
    named, query_text = split_link(link)
    if named:
        if named not in pages:
            raise ValueError(
                "That link does not open a page of this app: copy it from the page's address bar."
            )
        page_name = named
    if page_name not in pages:
        raise ValueError("Choose a page to share.")
    module = classroom.page_settings(page_name)
    pairs = parse_qsl(query_text, keep_blank_values=True)
    if module is None or not pairs:
        return SharedPage(page_name, {}, pages[page_name])
    table = module.SETTINGS
    query = {key: value[:MAX_LINK_VALUE_CHARS] for key, value in pairs if key in table.settings}
    values, problems = table.read_link(query)
    if problems:
        raise ValueError(problems[0])
    kept = table.link_query(values)
    described = ", ".join(f"{table[key].label} = {table[key].shown(values[key])}" for key in kept)
    title = pages[page_name]
    return SharedPage(page_name, kept, f"{title}, {described}" if described else title)


def studio_base(preset_key: str) -> dict[str, str]:
    """The studio link of a preset's run: what every student of an experiment shares."""
    studio = classroom.page_settings("training")
    from core.presets import PRESETS

    values = {**studio.SETTINGS.defaults, **studio.settings_of(PRESETS[preset_key].config)}
    values["train_preset"] = preset_key
    return studio.SETTINGS.link_query(values)
