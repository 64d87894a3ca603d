"""Text as the checks read it: one normal form for the money and patient-data checks.

People paste text from everywhere, and some of it is written to slip past a
check. Before either check looks at a text, ``normalised(text)`` brings it to
one form:

- Unicode NFKC compatibility forms: a fullwidth pound sign and digits are
  "£50", mathematical bold letters are plain letters, a circled one is "1".
  Accents are dropped ("Pàypal" is "Paypal"), and so are combining marks
  laid over letters.
- Zero-width and other invisible format characters (zero-width space and
  joiners, word joiner, soft hyphen, byte-order mark, direction marks) are
  removed: "Pay", a zero-width space, "Pal" is "PayPal".
- Every kind of space (no-break, narrow no-break, figure, thin, ideographic,
  tab) is a plain space; new lines stay, since sentences and labels end there.
- Dashes and minus signs are "-", slashes "/", a middle dot "."; digits of any
  script are 0-9.
- Cyrillic and Greek letters that look like Latin ones are read as those
  Latin letters: "PayPal" written with Cyrillic Er, A and U is "PayPal".
  Only the common look-alikes are folded (``_LOOK_ALIKES``); Unicode's full confusables table
  (TR39) also folds "rn" to "m" and "l" to "I", which would make the checks
  see words that are not there, so it is not used.

The normal form is for checking only; nothing stores or shows it. A check
that quotes what it found (the money check) quotes the member's own words:
``Normalised.original(start, end)`` maps a span of the normal form back.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Letters of other scripts that look like Latin letters in everyday fonts,
# written as escapes so that the source shows which is which.
_LOOK_ALIKES = {
    # Cyrillic
    "\u0430": "a",  # cyrillic small letter a
    "\u0432": "b",  # cyrillic small letter ve
    "\u0435": "e",  # cyrillic small letter ie
    "\u04bb": "h",  # cyrillic small letter shha
    "\u0456": "i",  # cyrillic small letter byelorussian-ukrainian i
    "\u0458": "j",  # cyrillic small letter je
    "\u043a": "k",  # cyrillic small letter ka
    "\u04cf": "l",  # cyrillic small letter palochka
    "\u043c": "m",  # cyrillic small letter em
    "\u043d": "h",  # cyrillic small letter en
    "\u043e": "o",  # cyrillic small letter o
    "\u0440": "p",  # cyrillic small letter er
    "\u051b": "q",  # cyrillic small letter qa
    "\u0433": "r",  # cyrillic small letter ghe
    "\u0455": "s",  # cyrillic small letter dze
    "\u0442": "t",  # cyrillic small letter te
    "\u0441": "c",  # cyrillic small letter es
    "\u0443": "y",  # cyrillic small letter u
    "\u051d": "w",  # cyrillic small letter we
    "\u0445": "x",  # cyrillic small letter ha
    "\u0501": "d",  # cyrillic small letter komi de
    "\u044c": "b",  # cyrillic small letter soft sign
    "\u0410": "A",  # cyrillic capital letter a
    "\u0412": "B",  # cyrillic capital letter ve
    "\u0415": "E",  # cyrillic capital letter ie
    "\u04ba": "H",  # cyrillic capital letter shha
    "\u0406": "I",  # cyrillic capital letter byelorussian-ukrainian i
    "\u0408": "J",  # cyrillic capital letter je
    "\u041a": "K",  # cyrillic capital letter ka
    "\u04c0": "I",  # cyrillic letter palochka
    "\u041c": "M",  # cyrillic capital letter em
    "\u041d": "H",  # cyrillic capital letter en
    "\u041e": "O",  # cyrillic capital letter o
    "\u0420": "P",  # cyrillic capital letter er
    "\u051a": "Q",  # cyrillic capital letter qa
    "\u0405": "S",  # cyrillic capital letter dze
    "\u0422": "T",  # cyrillic capital letter te
    "\u0421": "C",  # cyrillic capital letter es
    "\u0423": "Y",  # cyrillic capital letter u
    "\u04ae": "Y",  # cyrillic capital letter straight u
    "\u051c": "W",  # cyrillic capital letter we
    "\u0425": "X",  # cyrillic capital letter ha
    # Greek
    "\u03b1": "a",  # greek small letter alpha
    "\u03b2": "b",  # greek small letter beta
    "\u03b5": "e",  # greek small letter epsilon
    "\u03b7": "n",  # greek small letter eta
    "\u03b9": "i",  # greek small letter iota
    "\u03ba": "k",  # greek small letter kappa
    "\u03bd": "v",  # greek small letter nu
    "\u03bf": "o",  # greek small letter omicron
    "\u03c1": "p",  # greek small letter rho
    "\u03c4": "t",  # greek small letter tau
    "\u03c5": "u",  # greek small letter upsilon
    "\u03c7": "x",  # greek small letter chi
    "\u03b3": "y",  # greek small letter gamma
    "\u03c9": "w",  # greek small letter omega
    "\u0391": "A",  # greek capital letter alpha
    "\u0392": "B",  # greek capital letter beta
    "\u0395": "E",  # greek capital letter epsilon
    "\u0396": "Z",  # greek capital letter zeta
    "\u0397": "H",  # greek capital letter eta
    "\u0399": "I",  # greek capital letter iota
    "\u039a": "K",  # greek capital letter kappa
    "\u039c": "M",  # greek capital letter mu
    "\u039d": "N",  # greek capital letter nu
    "\u039f": "O",  # greek capital letter omicron
    "\u03a1": "P",  # greek capital letter rho
    "\u03a4": "T",  # greek capital letter tau
    "\u03a5": "Y",  # greek capital letter upsilon
    "\u03a7": "X",  # greek capital letter chi
    # Latin stand-ins
    "\u0131": "i",  # latin small letter dotless i
    "\u0237": "j",  # latin small letter dotless j
    "\u0261": "g",  # latin small letter script g
    "\u0251": "a",  # latin small letter alpha
}
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d"
_SLASHES = "\u2044\u2215\u29f8\uff0f"
_DOTS = "\u00b7\u2022\u2024\u2027\u2219\u22c5\u30fb"
_KEEP = "\n\r"


def _fold_char(char: str) -> str:
    """What one character (already NFC) is read as: "" for an invisible one."""
    if char.isascii():
        return " " if char == "\t" else char
    out = []
    for part in unicodedata.normalize("NFKD", char):
        category = unicodedata.category(part)
        if category in ("Mn", "Me", "Cf"):
            continue  # accents, marks laid over letters, zero-width characters
        if part.isascii():
            out.append(part)
        elif part in _LOOK_ALIKES:
            out.append(_LOOK_ALIKES[part])
        elif category == "Zs" or (part.isspace() and part not in _KEEP):
            out.append(" ")
        elif part in _DASHES:
            out.append("-")
        elif part in _SLASHES:
            out.append("/")
        elif part in _DOTS:
            out.append(".")
        elif category == "Nd":
            out.append(str(unicodedata.digit(part)))
        else:
            out.append(part)
    # Compose again what NFKD took apart and we kept ("£", "ø"); NFKC's result.
    return unicodedata.normalize("NFC", "".join(out))


@dataclass(frozen=True)
class Normalised:
    """A text in its normal form, and where each of its characters came from."""

    source: str  # the text as written (in NFC, which looks the same)
    text: str  # the normal form the checks read
    # For each character of ``text``, its index in ``source``; None when the
    # two are the same text (plain ASCII, the usual case).
    origins: tuple[int, ...] | None

    def original(self, start: int, end: int) -> str:
        """The words as written behind ``text[start:end]``."""
        if start >= end:
            return ""
        if self.origins is None:
            return self.source[start:end]
        return self.source[self.origins[start] : self.origins[end - 1] + 1]


# Both checks read each text, one after the other: the second finds it here.
@lru_cache(maxsize=64)
def normalised(text: str | None) -> Normalised:
    """``text`` in the normal form the checks read (see the module docstring)."""
    source = unicodedata.normalize("NFC", text or "")
    if source.isascii() and "\t" not in source:
        return Normalised(source, source, None)
    chars: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(source):
        folded = _fold_char(char)
        chars.append(folded)
        origins.extend([index] * len(folded))
    return Normalised(source, "".join(chars), tuple(origins))


def normalise(text: str | None) -> str:
    """Just the normal form of ``text``."""
    return normalised(text).text
