"""The request key that makes a double click or a replayed form one request:
one field, written once, in every form that starts something only once."""

import uuid

import pytest
from django import forms

from equitime.core.forms import RequestKeyMixin
from equitime.credits.forms import DonationForm
from equitime.exchanges.forms import DirectExchangeForm
from equitime.listings.forms import ProposeForm


class NoteForm(RequestKeyMixin):
    note = forms.CharField(required=False)


@pytest.mark.parametrize("form", [DonationForm, ProposeForm, DirectExchangeForm])
def test_every_form_that_starts_something_once_carries_the_same_key(form):
    assert issubclass(form, RequestKeyMixin)
    assert form.base_fields["request_key"].widget.is_hidden


def test_a_shown_form_carries_a_new_key_each_time():
    first, second = NoteForm()["request_key"].initial, NoteForm()["request_key"].initial

    assert isinstance(first, uuid.UUID)
    assert first != second


def test_a_sent_key_is_kept_so_a_replay_is_the_same_request():
    key = uuid.uuid4()
    form = NoteForm({"request_key": str(key)})

    assert form.is_valid()
    assert form.cleaned_data["request_key"] == key


def test_no_key_gets_a_fresh_one_rather_than_an_error_on_a_hidden_field():
    form = NoteForm({})

    assert form.is_valid()
    assert isinstance(form.cleaned_data["request_key"], uuid.UUID)


def test_a_mangled_key_is_refused():
    form = NoteForm({"request_key": "not a key"})

    assert not form.is_valid()
    assert "request_key" in form.errors
