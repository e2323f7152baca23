"""Danish-looking names and addresses for made-up people.

First names follow the fashions of three birth cohorts, surnames are weighted like the most common Danish
ones. Street names are invented combinations of common Danish word parts; one may exist somewhere, but no
person in the demo is, or is meant to be, a real one.
"""

from itertools import accumulate
from random import Random
from typing import Final

_MALE: Final = (
    # born before 1960
    ("Jens", "Niels", "Hans", "Poul", "Erik", "Jørgen", "Henning", "Knud", "Ole", "Bent", "Svend", "Kurt",
     "Leif", "Arne", "Børge", "Preben", "Finn", "Kaj", "Flemming", "Bjarne", "Per", "Aage", "Helge", "Egon"),
    # 1960-1989
    ("Lars", "Michael", "Søren", "Thomas", "Henrik", "Jesper", "Martin", "Morten", "Anders", "Christian",
     "Rasmus", "Jan", "Brian", "Kim", "Claus", "Torben", "Allan", "Steen", "Kenneth", "Jacob", "Bo", "Mads",
     "Kasper", "Ulrik"),
    # 1990 and later
    ("Frederik", "Oliver", "William", "Noah", "Lucas", "Emil", "Victor", "Magnus", "Oscar", "Alfred", "Carl",
     "Malthe", "Aksel", "Valdemar", "Elias", "Mikkel", "Sebastian", "Tobias", "Mathias", "Jonas", "August",
     "Anton", "Villads", "Bjørn"),
)  # fmt: skip
_FEMALE: Final = (
    ("Kirsten", "Hanne", "Inge", "Karen", "Birthe", "Grethe", "Jytte", "Lis", "Bente", "Else", "Ruth",
     "Ellen", "Gerda", "Ingrid", "Annelise", "Lone", "Bodil", "Dorthe", "Vibeke", "Edith", "Gudrun", "Åse",
     "Tove", "Ulla"),
    ("Susanne", "Lene", "Mette", "Pia", "Charlotte", "Helle", "Tina", "Louise", "Camilla", "Maria",
     "Marianne", "Heidi", "Anja", "Trine", "Malene", "Rikke", "Line", "Sanne", "Julie", "Stine", "Katrine",
     "Birgitte", "Henriette", "Anne"),
    ("Emma", "Ida", "Sofia", "Freja", "Clara", "Laura", "Anna", "Ella", "Alma", "Karla", "Josefine",
     "Olivia", "Agnes", "Mathilde", "Isabella", "Lærke", "Nora", "Astrid", "Frida", "Liv", "Sara", "Cecilie",
     "Marie", "Signe"),
)  # fmt: skip
_SURNAMES: Final = (
    ("Nielsen", 50), ("Jensen", 50), ("Hansen", 38), ("Pedersen", 27), ("Andersen", 27), ("Christensen", 21),
    ("Larsen", 20), ("Sørensen", 19), ("Rasmussen", 16), ("Jørgensen", 14), ("Petersen", 14), ("Madsen", 11),
    ("Kristensen", 11), ("Olsen", 9), ("Thomsen", 7), ("Christiansen", 6), ("Poulsen", 6), ("Johansen", 6),
    ("Møller", 6), ("Mortensen", 6), ("Knudsen", 5), ("Jakobsen", 5), ("Mikkelsen", 4), ("Olesen", 4),
    ("Frederiksen", 4), ("Laursen", 4), ("Henriksen", 4), ("Lund", 4), ("Schmidt", 3), ("Eriksen", 3),
    ("Holm", 3), ("Kristiansen", 3), ("Clausen", 3), ("Simonsen", 3), ("Svendsen", 3), ("Andreasen", 3),
    ("Iversen", 2), ("Jeppesen", 2), ("Mogensen", 2), ("Nissen", 2), ("Lauridsen", 2), ("Kjær", 2),
    ("Østergaard", 2), ("Dahl", 2), ("Vestergaard", 2), ("Søndergaard", 2), ("Damgaard", 2), ("Skov", 2),
    ("Bæk", 1), ("Brøndum", 1), ("Kjærgaard", 1), ("Thygesen", 1), ("Friis", 1), ("Bech", 1),
)  # fmt: skip
_MIDDLE_NAMES: Final = ("Holm", "Skov", "Dahl", "Lund", "Bæk", "Kjær", "Krogh", "Juul", "Bach", "Munk")
_SURNAME_WORDS: Final = tuple(name for name, _ in _SURNAMES)
_SURNAME_CUMULATIVE: Final = tuple(accumulate(weight for _, weight in _SURNAMES))

_STREET_WORDS: Final = (
    "Bøge", "Ege", "Aske", "Birke", "Lærke", "Drossel", "Kastanje", "Hyld", "Røn", "Syren", "Valmue",
    "Kløver", "Hassel", "Pile", "Poppel", "Linde", "Ahorn", "Mose", "Eng", "Bakke", "Skovbryn", "Solsort",
    "Vibe", "Mejse", "Tjørne", "Hvede", "Rug", "Mølle", "Kilde", "Fjord",
)  # fmt: skip
_STREET_ENDINGS: Final = (
    "vej",
    "vej",
    "vej",
    "gade",
    "bakken",
    "toften",
    "haven",
    "parken",
    "stien",
    "vænget",
)


def cohort(birth_year: int) -> int:
    return 0 if birth_year < 1960 else 1 if birth_year < 1990 else 2


def given_names(rng: Random, male: bool, birth_year: int) -> list[str]:
    pool = (_MALE if male else _FEMALE)[cohort(birth_year)]
    first = rng.choice(pool)
    if rng.random() < 0.25:
        second = rng.choice(pool)
        if second != first:
            return [first, second]
    return [first]


def family_name(rng: Random) -> str:
    surname = rng.choices(_SURNAME_WORDS, cum_weights=_SURNAME_CUMULATIVE)[0]
    if rng.random() < 0.12:
        return f"{rng.choice(_MIDDLE_NAMES)} {surname}"
    return surname


def street_line(rng: Random) -> str:
    street = f"{rng.choice(_STREET_WORDS)}{rng.choice(_STREET_ENDINGS)}"
    number = rng.randrange(1, 120)
    if rng.random() < 0.3:
        return f"{street} {number}, {rng.randrange(1, 5)}. {rng.choice(('tv', 'th', 'mf'))}"
    return f"{street} {number}"
