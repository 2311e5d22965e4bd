"""Reading figures back out of the rendered pages."""

import json

import lxml.html

# Every dashboard page without an id in its path.
PAGES = [
    "/",
    "/overview/",
    "/ranking/units/",
    "/leaders/",
    "/breakdown/sector/",
    "/breakdown/industry/",
    "/lists/warning/",
    "/lists/not-started/",
    "/lists/bottlenecks/",
    "/projects/",
]


def doc(response):
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def figure(tree, name: str) -> str:
    """The text of the element marked data-figure=name (the first one)."""
    found = tree.xpath(f'//*[@data-figure="{name}"]')
    assert found, f"no figure {name}"
    return found[0].text_content().strip()


def counts(tree) -> dict:
    """The status counts shown on the page (the first set)."""
    return {
        s: int(tree.xpath(f'//*[@data-count="{s}"]')[0].text_content())
        for s in ("ahead", "normal", "warning", "lagging")
    }


def chart(tree, script_id: str) -> dict:
    return json.loads(tree.get_element_by_id(script_id).text_content())


def table_rows(tree, table_id: str) -> list[list[str]]:
    """Body rows of a table as lists of cell texts (whitespace collapsed)."""
    table = tree.get_element_by_id(table_id)
    return [[" ".join(c.text_content().split()) for c in tr.xpath("./th|./td")] for tr in table.xpath("./tbody/tr")]


def api_rate(value) -> str:
    """An API rate as the pages print it."""
    return "—" if value is None else f"{value:.1f}%"


def api_points(value) -> str:
    if value is None:
        return "—"
    return f"{value:+.1f}" if value != 0 else "0.0"


def row_links(tree, table_id: str) -> list[str]:
    """The text of the first link in each body row (the project's name on project lists)."""
    table = tree.get_element_by_id(table_id)
    return [tr.xpath(".//a")[0].text_content().strip() for tr in table.xpath("./tbody/tr") if tr.xpath(".//a")]
