"""A page of a longer list, so a page's cost follows what it shows, not how long the history is.

`paged(query, page, per_page)` runs the query with LIMIT/OFFSET after counting its rows;
the page number comes from the address (`?answered=3`), anything but a whole number being
the first page and a number past the end the last one. The count is shown with the page
("51-100 of 1,995"), so nothing is hidden silently.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import request, url_for
from sqlalchemy import Select, func, select

from ..extensions import db
from ..models.base import MAX_ID

_WHOLE = re.compile(r"[0-9]{1,40}")

T = TypeVar("T")


def page_links(page: int, pages: int, around: int = 2) -> list[int | None]:
    """Page numbers to link from page `page` of `pages`: the first, the last and those near the current
    one; None for a gap."""
    wanted = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    numbers: list[int | None] = []
    for number in wanted:
        if numbers and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


@dataclass(frozen=True)
class Paged(Generic[T]):
    """`items` on page `page` (from 1) of a list of `total` items, `per_page` a page."""

    items: list[T]
    page: int
    total: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first(self) -> int:
        """The place of the page's first item in the whole list (from 1; 0 when empty)."""
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0

    def page_numbers(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: the first, the last and those near the current one; None for a gap."""
        return page_links(self.page, self.pages, around)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def page_number(args: Mapping[str, Any], name: str) -> int:
    """The page asked for in the query string's `name`: a whole number from 1 (one past any list's end
    stands for its last page), anything else the first page."""
    value = args.get(name)
    if isinstance(value, str) and _WHOLE.fullmatch(value):
        return max(1, min(int(value), MAX_ID))
    return 1


def paged(query: Select, page: int, per_page: int) -> Paged:
    """The `page`-th `per_page` rows of `query` (which must be ordered), clamped to the pages there are."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    items = list(db.session.scalars(query.offset((page - 1) * per_page).limit(per_page))) if total else []
    return Paged(items, page, total, per_page)


def page_url(endpoint: str, param: str, number: int, anchor: str | None = None, /, **values: Any) -> str:
    """The address of page `number` of the list paged by `param` on `endpoint`'s page, keeping the
    other lists' pages of this GET (`?answered=3&resolved=2`); a template global. Its own parameters are
    positional only, so `values` may name any of the endpoint's (a revision's `number`)."""
    kept = {key: value for key, value in request.args.items() if not key.startswith("_")} if request.method == "GET" else {}
    return url_for(endpoint, **{**kept, **values, param: number}, _anchor=anchor)
