"""The selects drawn in Python give exactly the markup of Django's templates."""

import pytest
from django import forms

from equitime.core.forms import Select, SelectMultiple

CHOICES = [
    ("", "Any"),
    ("Group <1>", [("x", 'X <&> "quoted"'), ("y", "Y")]),
    ("z", "Zed's"),
]
MANY = [("1", "one"), ("2", "two")]


class DjangoForm(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=False, help_text="Pick one")
    many = forms.MultipleChoiceField(choices=MANY, required=False)


class OurForm(DjangoForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["one"].widget = Select(choices=CHOICES)
        self.fields["many"].widget = SelectMultiple(choices=MANY)


def squeeze(html: object) -> str:  # markup, or a bound field that renders it
    return "".join(line.strip() for line in str(html).splitlines())


@pytest.mark.parametrize(
    "data", [None, {"one": "y", "many": ["2"]}, {"one": "nonsense", "many": ["1", "2"]}]
)
def test_the_same_markup_as_django(data):
    theirs, ours = DjangoForm(data), OurForm(data)
    if data:
        theirs.is_valid(), ours.is_valid()

    for name in ("one", "many"):
        assert squeeze(ours[name]) == squeeze(theirs[name])


def test_labels_and_values_are_escaped():
    html = str(OurForm()["one"])

    assert 'label="Group &lt;1&gt;"' in html
    assert "X &lt;&amp;&gt; &quot;quoted&quot;" in html
    assert "Zed&#x27;s" in html
    assert "<script" not in html
