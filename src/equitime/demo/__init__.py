"""The demo community: ``equitime demo`` (``make run``) fills an empty site
with invented organisations, members, listings and exchanges to click around in.

``content/`` holds what it creates, one module per topic; ``builder.py`` makes it
through the services a person's clicks would call; the management command
prints the result. ``equitime generate`` (``generate.py``) builds a community
the size of a health system for the benchmarks, writing rows in bulk. This
app sits at the top layer: it imports any app it
needs, and nothing imports it.
"""
