"""Tests of the whole site, across every layer: the authorisation matrix, the
security settings, text rules on every field, bad input on every form, the
page cache and the request pipeline with real pages and API calls.

They sit here, at the top beside the URL wiring, because they import every
app; each app's own tests live in that app and import only what lies below it.
"""
