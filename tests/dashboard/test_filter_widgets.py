"""The filter bar's selects are written in Python (`PlainSelect`); they must say what Django's own
`Select` says: the same options, values, labels, selection and attributes, escaped the same way."""

from html.parser import HTMLParser

import pytest
from django import forms

from projects.filtersets import ProjectFilterSet
from projects.models import Project
from projects.widgets import PlainSelect

from ..factories import UnitFactory

pytestmark = pytest.mark.django_db


class Elements(HTMLParser):
    """Every start tag with its attributes and the text inside it, in document order."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append([tag, sorted(attrs), ""])

    def handle_data(self, data):
        if self.found and data.strip():
            self.found[-1][2] += data.strip()


CHOICES = [
    ("", "---------"),
    ("a", 'Tom & "Jerry" <b>'),
    ("Group <1>", [("b", "B"), ("c", "C")]),
    (3, "three"),
]


@pytest.mark.parametrize("value", [None, "", "a", "c", 3, "nope"])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_x", "required": True, "disabled": False, "data-x": 'q"<', "data-n": None}]
)
def test_plain_select_says_what_django_select_says(value, attrs):
    django_html = forms.Select(choices=CHOICES).render("x", value, attrs)
    plain_html = PlainSelect(choices=CHOICES).render("x", value, attrs)
    assert Elements(plain_html).found == Elements(django_html).found
    assert "<b>" not in plain_html and "&lt;b&gt;" in plain_html


def test_filter_bar_selects_keep_choices_and_the_chosen_unit():
    units = [UnitFactory(name=f"单位<{i}>") for i in range(3)]
    data = {"unit": str(units[1].pk), "pipeline": "new", "search": "x"}
    ours = ProjectFilterSet(data, queryset=Project.objects.none())
    assert ours.is_valid()
    for name in ("unit", "pipeline", "leader", "sector"):
        field = ours.form[name]
        assert isinstance(field.field.widget, PlainSelect)
        expected = forms.Select(choices=field.field.choices).render(
            field.html_name, field.value(), {"id": field.auto_id}
        )
        assert Elements(str(field)).found == Elements(expected).found
    chosen = [e for e in Elements(str(ours.form["unit"])).found if ("selected", None) in e[1]]
    assert chosen == [["option", [("selected", None), ("value", str(units[1].pk))], "单位<1>"]]
