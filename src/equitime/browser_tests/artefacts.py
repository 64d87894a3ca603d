"""Where the browser tests keep what they photograph, for a person to look at after the run."""

import os
from pathlib import Path

# Screenshots the tests take, kept after the run for a person to look at.
ARTEFACTS = Path(
    os.environ.get(
        "EQUITIME_ARTEFACTS", Path(__file__).resolve().parents[3] / "build" / "test-artefacts"
    )
)


def artefact(*parts: str) -> Path:
    """Where to keep a screenshot: ``artefact("first-week", "390", "01-home.png")``
    is under ``build/test-artefacts/`` (``EQUITIME_ARTEFACTS`` moves it), its folder made."""
    path = ARTEFACTS.joinpath(*parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
