"""One declarative table of a page's settings: it drives the URL, validation, defaults and Reset.

Like tensorflow/playground's state.ts, a page lists its settings once:

    SETTINGS = PageSettings("gradient_descent", [
        Setting("gd_lr", 0.1, "learning rate η", kind=NUMBER, grid=LEARNING_RATES),
        Setting("gd_mode", "one", "run", kind=CHOICE, choices=MODES),
        ...
    ])

and the page calls, in this order:

    for problem in SETTINGS.sync_from_link():  # a link opened (or the first run): its values
        show_problem(problem)
    ... widgets with key=setting.key, persist_state=KEEP ...
    SETTINGS.write_link()                       # the URL mirrors the current values

The setting's key is the widget's key and the URL parameter: there is no other copy.
A value that does not fit (a mangled or hostile link) is replaced by the default and
reported in one sentence of one style; lists are deduplicated and capped; echoed text is
shortened. Pure functions (`parse`, `check`, `read_link`, `link_query`) are tested
without Streamlit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

# persist_state for settings widgets: their values survive runs that hide them and visits
# to other pages (Streamlit otherwise drops a widget's value when it is not drawn).
KEEP = "session"

FLAG, WHOLE, NUMBER, CHOICE, TEXT, NUMBERS, CHOICES = (
    "flag",  # True / False, "1" / "0" in the URL
    "whole",  # an int
    "number",  # a finite float
    "choice",  # one of `choices`
    "text",  # free text, at most max_chars
    "numbers",  # text of comma-separated finite numbers, e.g. "0.5, 0.25, 0.25"
    "choices",  # a list of distinct `choices`
)
KINDS = (FLAG, WHOLE, NUMBER, CHOICE, TEXT, NUMBERS, CHOICES)
ECHO_CHARS = 40  # a rejected value is echoed at most this long
# Links a page wrote, remembered per session: every rerun carries the browser's URL, and after
# quick moves (arrow keys on a slider) it can be one the page wrote a run or two ago. That is
# no new link, and must not undo the move the rerun is for.
REMEMBERED_LINKS = 64
MAX_LINK_VALUE_CHARS = 2_000  # longer URL values are refused unread


class SettingError(ValueError):
    """A value that does not fit its setting; the message is the reason, e.g. 'not a number'."""


@dataclass(frozen=True)
class Setting:
    key: str  # session_state key, widget key and URL parameter, e.g. "gd_lr"
    default: Any  # the value of a fresh page and of Reset
    label: str  # what the student reads, e.g. "learning rate η"
    kind: str = NUMBER  # one of KINDS
    choices: Iterable[Any] | None = None  # CHOICE / CHOICES: the allowed values
    low: float | None = None  # WHOLE / NUMBER: smallest allowed (inclusive)
    above: float | None = None  # WHOLE / NUMBER: must be greater than this (a step, a scale)
    below: float | None = None  # WHOLE / NUMBER: must be less than this (a decay below 1)
    # (for NUMBERS, low / high / above / below bound each number)
    high: float | None = None  # WHOLE / NUMBER: largest allowed (inclusive)
    grid: tuple[float, ...] | None = None  # a slider's values: others snap on a log scale,
    # those beyond its ends are refused (low and high default to them)
    unit: str = ""  # shown after the number, e.g. "images"
    min_items: int | None = None  # NUMBERS / CHOICES: at least this many
    max_items: int | None = None  # NUMBERS / CHOICES: at most this many
    max_chars: int = 200  # TEXT / NUMBERS: at most this many characters
    in_url: bool = True  # False: kept in the session, never in a link

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {self.kind!r}")
        if self.kind in (CHOICE, CHOICES) and not self.choices:
            raise ValueError(f"setting {self.key} needs its choices")
        object.__setattr__(self, "choices", tuple(self.choices) if self.choices else None)
        if self.grid is not None:  # a slider cannot show a value beyond its ends
            object.__setattr__(self, "grid", tuple(sorted(self.grid)))
            if self.low is None:
                object.__setattr__(self, "low", self.grid[0])
            if self.high is None:
                object.__setattr__(self, "high", self.grid[-1])

    # --- from text (a URL value) ------------------------------------------------------

    def parse(self, text: str) -> Any:
        """The value a URL text stands for, checked; SettingError says why it does not fit."""
        if len(text) > MAX_LINK_VALUE_CHARS:
            raise SettingError(f"the value is {len(text):,} characters long")
        text = text.strip()
        if self.kind == FLAG:
            if text not in ("0", "1", "true", "false"):
                raise SettingError("not 0 or 1")
            return self.check(text in ("1", "true"))
        if self.kind == WHOLE:
            return self.check(parse_whole(text))
        if self.kind == NUMBER:
            return self.check(parse_number(text))
        if self.kind == CHOICES:
            return self.check([part.strip() for part in text.split(",") if part.strip()])
        if self.kind == NUMBERS:
            return ", ".join(self.encode(self.check(text)).split(","))
        return self.check(text)

    def encode(self, value: Any) -> str:
        """The URL text of a value (the inverse of parse for values that fit)."""
        if self.kind == FLAG:
            return "1" if value else "0"
        if self.kind == NUMBER:
            return f"{float(value):.10g}"
        if self.kind == CHOICES:
            return ",".join(str(item) for item in value)
        if self.kind == NUMBERS:
            return ",".join(part.strip() for part in str(value).split(",") if part.strip())
        return str(value)

    # --- a typed value -------------------------------------------------------------------

    def check(self, value: Any) -> Any:
        """The value if it fits (grid values snapped, lists deduplicated); else SettingError."""
        if self.kind == FLAG:
            if not isinstance(value, bool):
                raise SettingError("not 0 or 1")
            return value
        if self.kind in (WHOLE, NUMBER):
            return self._check_number(value)
        if self.kind == CHOICE:
            if value not in self.choices:
                raise SettingError(f"choose one of {choice_list(self.choices)}")
            return value
        if self.kind == CHOICES:
            items = list(dict.fromkeys(value))  # duplicates would only repeat work
            unknown = [item for item in items if item not in self.choices]
            if unknown:
                raise SettingError(f"{echo(unknown[0])} is not one of {choice_list(self.choices)}")
            limit = self.max_items or len(self.choices)
            if len(items) > limit:
                raise SettingError(f"at most {limit} may be chosen, got {len(items)}")
            if self.min_items is not None and len(items) < self.min_items:
                raise SettingError(f"at least {self.min_items} must be chosen, got {len(items)}")
            return items
        if not isinstance(value, str):
            raise SettingError("not text")
        if len(value) > self.max_chars:
            raise SettingError(f"longer than {self.max_chars} characters")
        if self.kind == NUMBERS:
            numbers = parse_numbers(value)
            if self.max_items is not None and len(numbers) > self.max_items:
                raise SettingError(f"at most {self.max_items} numbers, got {len(numbers)}")
            if self.min_items is not None and len(numbers) < self.min_items:
                raise SettingError(f"at least {self.min_items} numbers, got {len(numbers)}")
            for number in numbers:
                self._check_bounds(number, prefix=f"{echo(f'{number:g}')} ")
        return value

    def _check_number(self, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SettingError("not a number")
        if self.kind == WHOLE and value != int(value):
            raise SettingError("not a whole number")
        if not math.isfinite(value):
            raise SettingError("not a finite number")
        self._check_bounds(value)
        value = int(value) if self.kind == WHOLE else float(value)
        if self.grid is not None and value not in self.grid:
            return nearest_on_log_scale(self.grid, value) if value > 0 else self.grid[0]
        return value

    def _check_bounds(self, value: float, prefix: str = "") -> None:
        outside = (
            (self.low is not None and value < self.low)
            or (self.high is not None and value > self.high)
            or (self.above is not None and not value > self.above)
            or (self.below is not None and not value < self.below)
        )
        if outside:
            raise SettingError(f"{prefix}must be {self.range_text()}")

    def range_text(self) -> str:
        """'from 1 to 10 images', 'at least 0 and below 1', 'above 0', ..."""
        unit = f" {self.unit}" if self.unit else ""
        if self.low is not None and self.high is not None:
            return f"from {self.low:g} to {self.high:g}{unit}"
        lower = (
            f"at least {self.low:g}" if self.low is not None
            else f"above {self.above:g}" if self.above is not None else None
        )  # fmt: skip
        upper = (
            f"at most {self.high:g}" if self.high is not None
            else f"below {self.below:g}" if self.below is not None else None
        )  # fmt: skip
        return " and ".join(part for part in (lower, upper) if part) + unit

    def shown(self, value: Any) -> str:
        """A value as a student reads it in a message."""
        if self.kind == FLAG:
            return "on" if value else "off"
        if self.kind == NUMBER:
            return f"{value:g}"
        if self.kind == CHOICES:
            return ", ".join(str(item) for item in value) or "none"
        return str(value)


def parse_whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        raise SettingError("not a whole number") from None
    if not math.isfinite(number) or number != int(number):
        raise SettingError("not a whole number")
    return int(number)


def parse_number(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise SettingError("not a number") from None
    if not math.isfinite(number):
        raise SettingError("not a finite number")
    return number


NUMBER_SEPARATORS = re.compile(r"[,;\s]+")


def parse_numbers(text: str) -> list[float]:
    """'0.1, 0.2 0.7' -> [0.1, 0.2, 0.7]; the first word that is not a number is named."""
    parts = [part for part in NUMBER_SEPARATORS.split(text) if part]
    if not parts:
        raise SettingError("empty: type numbers separated by commas")
    numbers = []
    for part in parts:
        try:
            number = float(part)
        except ValueError:
            raise SettingError(f"{echo(part)} is not a number") from None
        if not math.isfinite(number):
            raise SettingError(f"{echo(part)} is not a finite number")
        numbers.append(number)
    return numbers


def nearest_on_log_scale(options: Iterable[float], value: float) -> float:
    """The option closest to a positive value on a log scale (a link may carry any number)."""
    return min(options, key=lambda option: abs(math.log10(option) - math.log10(value)))


def echo(value: Any, limit: int = ECHO_CHARS) -> str:
    """A value quoted for a message, cut to `limit` characters so a huge link stays readable."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def choice_list(choices: Iterable[Any], limit: int = 12) -> str:
    items = [str(choice) for choice in choices]
    shown = ", ".join(items[:limit])
    return shown + (f" (and {len(items) - limit} more)" if len(items) > limit else "")


def link_problem(setting: Setting, text: str, reason: str) -> str:
    """The one sentence every page uses for a link value it cannot use."""
    return (
        f"The link's {setting.label} ({setting.key}={echo(text)}) is {reason}"
        if reason.startswith("not ")
        else f"The link's {setting.label} ({setting.key}={echo(text)}): {reason}"
    ) + f"; using {setting.shown(setting.default)}."


def snap_note(setting: Setting, asked: str, used: Any) -> str:
    return (
        f"The link's {setting.label} {echo(asked)} is not on the slider; "
        f"using the nearest, {setting.shown(used)}."
    )


@dataclass(frozen=True)
class OpenedLink:
    """What `sync_from_link` did on this run."""

    first_run: bool  # the page's first run in this session
    keys: frozenset[str]  # URL parameters a link set on this run (empty: no link opened)
    problems: list[str]  # one sentence per link value that could not be used


def repeat_note(setting: Setting, asked: str, used: list) -> str:
    return (
        f"The link's {setting.label} ({setting.key}={echo(asked)}) names one more than once; "
        f"each is used once: {setting.shown(used)}."
    )


class PageSettings:
    """A page's settings table and what it drives: link reading/writing, defaults, Reset."""

    def __init__(self, page: str, settings: Iterable[Setting]):
        self.page = page
        self.settings: dict[str, Setting] = {}
        for setting in settings:
            if setting.key in self.settings:
                raise ValueError(f"setting {setting.key} is listed twice")
            setting.check(setting.default)  # a default that does not fit is a bug
            self.settings[setting.key] = setting

    def __getitem__(self, key: str) -> Setting:
        return self.settings[key]

    def __iter__(self):
        return iter(self.settings.values())

    @property
    def defaults(self) -> dict[str, Any]:
        return {key: _copy(setting.default) for key, setting in self.settings.items()}

    @property
    def linked(self) -> list[Setting]:
        return [setting for setting in self if setting.in_url]

    # --- pure: a link's query <-> values --------------------------------------------------

    def read_link(self, query: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
        """Values for every linked setting (the link's where they fit, else defaults), problems."""
        values, problems = {}, []
        for setting in self.linked:
            values[setting.key] = _copy(setting.default)
            if setting.key not in query:
                continue
            text = query[setting.key]
            try:
                value = setting.parse(text)
            except SettingError as error:
                problems.append(link_problem(setting, text, str(error)))
                continue
            if setting.grid and float(text) != value:  # parse() accepted it as a number
                problems.append(snap_note(setting, text, value))
            if setting.kind == CHOICES and len(value) < len(
                [p for p in text.split(",") if p.strip()]
            ):
                problems.append(repeat_note(setting, text, value))
            values[setting.key] = value
        return values, problems

    def link_query(
        self, values: Mapping[str, Any], current: Mapping[str, str] | None = None
    ) -> dict[str, str]:
        """The URL parameters of values: those that differ from the default.

        A value that does not fit (a typo being fixed) keeps its parameter in `current`,
        the URL as it is, so the link holds its last good value meanwhile.
        """
        query = {}
        for setting in self.linked:
            value = values.get(setting.key, setting.default)
            try:
                value = setting.check(value)
            except SettingError:
                if current is not None and setting.key in current:
                    query[setting.key] = current[setting.key]
                continue
            if setting.encode(value) != setting.encode(setting.default):
                query[setting.key] = setting.encode(value)
        return query

    def link(self, values: Mapping[str, Any], base: str = "") -> str:
        query = self.link_query(values)
        return f"{base}?{urlencode(query)}" if query else base

    # --- Streamlit session state ------------------------------------------------------------

    @property
    def _written_key(self) -> str:
        return f"_settings_{self.page}_links"  # the links this page wrote, newest last

    def sync_from_link(self) -> OpenedLink:
        """On the first run, and whenever a new link is opened: put its values in the state.

        A new link is URL parameters of this page that this page did not write itself (a
        link from another page, a teacher's). A visit without parameters keeps the session's
        values. Says which keys the link set and each value that could not be used.
        """
        import streamlit as st

        state = st.session_state
        query = self._link_in_url(st.query_params.to_dict())
        first_run = self._written_key not in state
        if not first_run and (not query or query in state[self._written_key]):
            for key, default in self.defaults.items():
                state.setdefault(key, default)
            return OpenedLink(first_run=False, keys=frozenset(), problems=[])
        values, problems = self.read_link(query)
        for key, value in values.items():
            state[key] = value
        for setting in self:
            if not setting.in_url:
                state.setdefault(setting.key, _copy(setting.default))
        self._remember(query)
        return OpenedLink(first_run, frozenset(query), problems)

    def write_link(self) -> None:
        """Mirror the current values into the URL (leaving out defaults and values that do not fit)."""
        import streamlit as st

        current = self._link_in_url(st.query_params.to_dict())
        wanted = self.link_query(self.values(), current)
        if current != wanted:
            for key in current:
                if key not in wanted:
                    del st.query_params[key]
            st.query_params.update(wanted)
        self._remember(wanted)

    def _remember(self, query: dict[str, str]) -> None:
        import streamlit as st

        written = st.session_state.setdefault(self._written_key, [])
        if query in written:
            written.remove(query)
        written.append(query)
        del written[:-REMEMBERED_LINKS]

    def _link_in_url(self, parameters: Mapping[str, str]) -> dict[str, str]:
        """This page's parameters among the URL's (read once: each lookup costs)."""
        return {
            key: parameters[key]
            for key in self.settings
            if key in parameters and self.settings[key].in_url
        }

    def values(self) -> dict[str, Any]:
        import streamlit as st

        return {key: st.session_state.get(key, default) for key, default in self.defaults.items()}

    def reset(self) -> None:
        """Every setting back to its default (a button's on_click: runs before the widgets)."""
        import streamlit as st

        for key, default in self.defaults.items():
            st.session_state[key] = default


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def show_link_problems(opened: OpenedLink) -> None:
    """Each link value that could not be used, as a plain-text warning (links are outside text)."""
    import streamlit as st

    from dashboard.text import plain

    for problem in opened.problems:
        st.warning(plain(problem), icon=":material/link_off:")
