"""People's names: what to sort and search them by, and their initials.

A display name is whatever a member typed ("Dr Wei Zhang", "Siobhán O'Neill").
Colleagues look for "Zhang" or "Wei", not "Dr", so titles are left out of the
keys and the initials. The family name is taken to be the last word: right for
most names the community uses, and a member whose name runs the other way
still sorts sensibly (by the word they wrote last) and is found by any prefix
of their name.

The keys are lower case, without accents or punctuation, one space between
words, so that "siobhan" finds "Siobhán" and an index answers a prefix.
"""

import unicodedata

# Compared without a full stop and in lower case: "Dr." and "DR" are titles too.
TITLES = frozenset(
    {
        "dr",
        "doctor",
        "prof",
        "professor",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "sr",
        "sister",
        "rev",
        "revd",
        "reverend",
        "sir",
        "dame",
        "lord",
        "lady",
    }
)

# The longest key: names are at most 100 characters, and folding never lengthens a word much.
KEY_MAX_LENGTH = 200


def _fold(word: str) -> str:
    """Lower case, accents gone, only letters and digits kept."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def name_words(display_name: str) -> list[str]:
    """The words of a name as written, without the titles in front of it.

    A name that is nothing but titles ("Dr") keeps them: it is still a name."""
    words = display_name.split()
    start = 0
    while start < len(words) and _fold(words[start]) in TITLES:
        start += 1
    return words[start:] or words


def name_search_key(display_name: str) -> str:
    """The name as said, folded: "Dr Wei Zhang" -> "wei zhang"."""
    return " ".join(filter(None, map(_fold, name_words(display_name))))[:KEY_MAX_LENGTH]


def name_sort_key(display_name: str) -> str:
    """Family name first, folded: "Dr Wei Zhang" -> "zhang wei"."""
    folded = [word for word in map(_fold, name_words(display_name)) if word]
    if len(folded) > 1:
        folded = [folded[-1], *folded[:-1]]
    return " ".join(folded)[:KEY_MAX_LENGTH]


def name_initials(display_name: str) -> str:
    """Up to two initials, first and last name, titles left out: "Dr Wei Zhang" -> "WZ"."""
    letters = [next((c for c in word if c.isalnum()), "") for word in name_words(display_name)]
    letters = [letter for letter in letters if letter]
    if not letters:
        return ""
    if len(letters) == 1:
        return letters[0].upper()
    return (letters[0] + letters[-1]).upper()


def query_key(text: str) -> str:
    """What someone typed to find a name, folded like the keys (titles left out)."""
    return name_search_key(text)
