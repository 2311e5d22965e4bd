"""One way every project list pages and sorts: the request's `page`, `page_size` and `sort`, read and linked.

The rows, their order and the list's count and sums come from the engine
(`selectors.listing.project_rows_page`), one page at a time; this module only reads the query
string (reporting a bad value like every page option) and builds the links of the pager and of
the sortable column headers. Every link keeps the rest of the query string: the month, the
filters, the status choice.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..selectors.listing import RowsPage, project_rows_page

PAGE_SIZES = (20, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50
PAGE_WINDOW = 2  # page numbers shown on each side of the current one
MAX_PAGE = 1_000_000  # a larger number is read as the last page (keeps OFFSET in range)


@dataclass
class Pager:
    """What the pager and the column headers show: the page, the list's count and sums, and links."""

    result: RowsPage
    sort: str
    query: object  # the request's QueryDict
    sorts: tuple[str, ...]
    sort_links: dict = field(default_factory=dict)

    def __post_init__(self):
        column, descending = self.sort.lstrip("-"), self.sort.startswith("-")
        for name in self.sorts:
            current = name == column
            state = ("descending" if descending else "ascending") if current else ""
            target = name if not current or descending else f"-{name}"
            self.sort_links[name] = {"url": self.url(sort=target, page=None), "state": state}

    def url(self, **changes) -> str:
        """This page's query string with `changes` (None removes a parameter)."""
        params = self.query.copy()
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = str(value)
        return f"?{params.urlencode()}"

    @property
    def count(self) -> int:
        return self.result.count

    @property
    def page(self) -> int:
        return self.result.page

    @property
    def num_pages(self) -> int:
        return self.result.num_pages

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.result.page_size + 1 if self.count else 0

    @property
    def last_index(self) -> int:
        return min(self.count, self.page * self.result.page_size)

    @property
    def prev_url(self) -> str:
        return self.url(page=self.page - 1) if self.page > 1 else ""

    @property
    def next_url(self) -> str:
        return self.url(page=self.page + 1) if self.page < self.num_pages else ""

    @property
    def pages(self) -> list[dict]:
        """The first, the last and the pages around the current one; None marks a gap."""
        shown = {1, self.num_pages, *range(self.page - PAGE_WINDOW, self.page + PAGE_WINDOW + 1)}
        out, last = [], 0
        for number in sorted(n for n in shown if 1 <= n <= self.num_pages):
            if number > last + 1:
                out.append({"number": None})
            out.append({"number": number, "url": self.url(page=number), "current": number == self.page})
            last = number
        return out

    @property
    def sizes(self) -> list[dict]:
        return [
            {"size": n, "url": self.url(page_size=n, page=None), "current": n == self.result.page_size}
            for n in PAGE_SIZES
        ]


def paged_rows(
    view,
    ctx: dict,
    *,
    year: int,
    month: int,
    filters: dict,
    sorts,
    default_sort: str,
    default_page_size: int = DEFAULT_PAGE_SIZE,
    **options,
) -> dict:
    """One page of a list for `view` (a `DashboardView`): `rows`, `pager` and `list_totals` for the template.

    `sorts` are the columns this list may be sorted by (keys of `selectors.listing.sort_columns`);
    `sort=-name` sorts descending; `page_size` is one of `PAGE_SIZES` (default `default_page_size`).
    `options` go to `project_rows_page` (statuses, unrated, not_started_by).
    """
    allowed = (*sorts, *(f"-{name}" for name in sorts))
    sort = view.choice(ctx, "sort", _("Order by"), allowed, default=default_sort)
    sizes = tuple(str(n) for n in sorted({*PAGE_SIZES, default_page_size}))
    page_size = int(view.choice(ctx, "page_size", _("Rows per page"), sizes, default=str(default_page_size)))
    raw_page = view.request.GET.get("page", "") or "1"
    if raw_page.isdigit() and int(raw_page) >= 1:
        page = min(int(raw_page), MAX_PAGE)
    else:
        ctx["input_errors"].append(_("Page: “%(value)s” is not a page number.") % {"value": raw_page})
        page = 1
    result = project_rows_page(
        year=year,
        month=month,
        filters=filters,
        order=sort.lstrip("-"),
        descending=sort.startswith("-"),
        page=page,
        page_size=page_size,
        **options,
    )
    pager = Pager(result=result, sort=sort, query=view.request.GET, sorts=tuple(sorts))
    return {"rows": result.rows, "pager": pager, "list_totals": result}
