"""Name matching (drivers/matching.py): plain functions, no database."""

import pytest

from drivers import matching
from drivers.matching import AliasError, Rule, bare_key, name_key, parse_rule, resolve


def rule(name, other="", rule="same", years=None, kind="driver", line=2):
    return Rule(kind, rule, name, years, other, "reviewed", line)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Eugène Verpault", "Eugéne Verpault"),
        ("Pedro Rodriguez", "Pedro Rodríguez"),
        ("Jesús Pareja", "Jésus Pareja"),
        ("Yojiro Terada", "Yōjirō Terada"),
        ("Luis Perez Companc", "Luís  Pérez Companc"),
        ("PeCom Racing", "Pecom Racing"),
    ],
)
def test_folding_joins_accent_case_and_spacing_variants(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ('"Beurlys" (Jean Blaton)', "Jean Blaton"),
        ("Tomaz Mello-Breyner", "Thomaz Mello-Breyner"),
        ("Earl Bamber", "Bamber"),  # Earl is his first name
        ("Don Yenko", "Yenko"),
        ("R.R.C. Rob Walker", "Rob Walker"),  # initials: the alias file settles this one
    ],
)
def test_folding_keeps_pseudonyms_spellings_first_names_and_initials_apart(a, b):
    assert name_key(a) != name_key(b)


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("Miss Keiko Ihara", "Keiko IHARA"),
        ("Sir Henry Birkin", "Henry Birkin"),
        ("Mme Lella Lombardi", "Lella Lombardi"),
        ("Lt. Cdr. Peter Wilson", "Peter Wilson"),
        ("f.n.u. Flaud", "Flaud"),
    ],
)
def test_a_title_or_placeholder_before_a_name_is_not_part_of_the_key(written, plain):
    assert name_key(written) == name_key(plain)


def test_a_team_name_keeps_its_title():
    assert name_key("Hon. Mrs. Chetwynd", "team") == "hon. mrs. chetwynd"
    who = resolve([("Mrs. P. Trevelyan (private entrant)", 1949)], kind="team")
    assert who.person("Mrs. P. Trevelyan (private entrant)", 1949).display.startswith("Mrs.")


def test_a_person_is_shown_without_title_and_keeps_the_latest_one():
    who = resolve([("Miss Lilou Wadoux", 2023), ("Lilou Wadoux", 2024), ("Mme Lilou Wadoux", 2022)])
    person = who.person("Lilou Wadoux", 2024)
    assert len(who.people) == 1
    assert (person.display, person.title, person.slug) == ("Lilou Wadoux", "Miss", "lilou-wadoux")
    assert person.first_name_known


def test_a_placeholder_name_is_shown_as_the_surname_with_the_first_name_unknown():
    who = resolve([("f.n.u. Van Cuyck", 1925)])
    person = who.person("f.n.u. Van Cuyck", 1925)
    assert (person.display, person.first_name_known, person.slug) == (
        "Van Cuyck",
        False,
        "van-cuyck",
    )


def test_a_same_rule_to_a_full_name_gives_a_placeholder_its_first_name():
    who = resolve([("f.n.u. Agere", 1974)], [rule("f.n.u. Agere", "Jean-Paul Agère")])
    person = who.person("f.n.u. Agere", 1974)
    assert (person.display, person.first_name_known) == ("Jean-Paul Agère", True)


def test_bare_key_uses_the_real_name_of_a_pseudonym_and_drops_punctuation():
    assert bare_key('"Beurlys" (Jean Blaton)') == "jean blaton"
    assert bare_key("Jack 'Zoltan' Hay") == "jack hay"
    assert bare_key("M. K. H. Bilney") == bare_key("M.K.H. Bilney")


def test_folded_names_are_one_person_shown_in_the_spelling_written_most():
    who = resolve(
        [("Luís Pérez Companc", 2010), ("Luís Pérez Companc", 2011), ("Luis Pérez Companc", 2023)]
    )
    person = who.person("Luis Pérez Companc", 2023)
    assert len(who.people) == 1
    assert person.display == "Luís Pérez Companc"
    assert person.slug == "luis-perez-companc"
    assert who.undecided == []


def test_a_same_rule_joins_a_variant_folding_cannot_and_names_the_display():
    who = resolve(
        [("Thomaz Mello-Breyner", 1996), ("Tomaz Mello-Breyner", 1997)],
        [rule("Thomaz Mello-Breyner", "Tomaz Mello-Breyner")],
    )
    assert who.person("Thomaz Mello-Breyner", 1996) is who.person("Tomaz Mello-Breyner", 1997)
    assert who.person("Thomaz Mello-Breyner", 1996).display == "Tomaz Mello-Breyner"
    assert who.used_rules == {2}


def test_a_display_rule_pins_the_canonical_spelling():
    who = resolve(
        [("Matias Russo", 2009), ("Matias Russo", 2010), ("Matías Russo", 2011)],
        [rule("Matías Russo", "Matías Russo")],
    )
    assert who.person("Matias Russo", 2009).display == "Matías Russo"


def test_an_apart_rule_splits_the_same_name_in_some_years():
    who = resolve(
        [("Uli Richter", 1937), ("Uli Richter", 1996), ("Ulrich Richter", 1993)],
        [
            rule("Uli Richter", "Ulrich Richter", years=(1996, 1996), line=2),
            rule("Uli Richter", rule="apart", years=(1937, 1937), line=3),
        ],
    )
    pre_war = who.person("Uli Richter", 1937)
    assert pre_war is not who.person("Uli Richter", 1996)
    assert who.person("Uli Richter", 1996) is who.person("Ulrich Richter", 1993)
    assert pre_war.display == "Uli Richter"
    assert who.undecided == []


def test_an_apart_rule_keeps_a_father_and_son_of_one_name_apart():
    who = resolve(
        [("Jan Example", 1980), ("Jan Example", 1985), ("Jan Example", 2001)],
        [rule("Jan Example", rule="apart", years=(2000, 2030))],
    )
    father, son = who.person("Jan Example", 1980), who.person("Jan Example", 2001)
    assert father is not son
    assert {father.slug, son.slug} == {"jan-example", "jan-example-2001"}


def test_the_same_name_decades_apart_is_undecided_and_kept_apart():
    who = resolve([("Pierre Clause", 1925), ("Pierre Clause", 1926), ("Pierre Clause", 1951)])
    assert who.person("Pierre Clause", 1925) is not who.person("Pierre Clause", 1951)
    assert who.undecided == [
        "Pierre Clause (1925–1951): the same name 25 years apart, kept apart from 1951"
    ]


def test_a_confirming_rule_settles_a_long_gap():
    who = resolve([("Jean Alesi", 1989), ("Jean Alesi", 2010)], [rule("Jean Alesi", "Jean Alesi")])
    assert len(who.people) == 1
    assert who.undecided == []


def test_similar_names_of_close_careers_are_undecided_until_a_rule_settles_them():
    appearances = [("Tom Milner", 2006), ("Tommy Milner", 2011)]
    assert resolve(appearances).undecided == [
        "Tom Milner (2006) / Tommy Milner (2011): similar names, kept apart"
    ]
    settled = resolve(appearances, [rule("Tom Milner", "Tommy Milner", rule="apart")])
    assert settled.undecided == []
    assert len(settled.people) == 2


def test_different_people_far_apart_in_time_are_not_reported():
    who = resolve([("Maurice Martin", 1961), ("Marcel Martin", 1990)])
    assert who.undecided == []


def test_teams_keep_one_name_across_decades_and_join_by_rule():
    who = resolve(
        [
            ("Aston Martin", 1931),
            ("Aston Martin", 1989),
            ("PeCom Racing", 2011),
            ("Pecom Racing", 2012),
        ],
        [rule("PeCom Racing", "Pecom Racing", kind="team")],
        kind="team",
    )
    assert who.person("Aston Martin", 1931) is who.person("Aston Martin", 1989)
    assert who.person("PeCom Racing", 2011).display == "Pecom Racing"
    assert who.undecided == []


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("G.V.E.A.", 1978), ("GVEA", 1977)),
        (("Daimler-Benz A.G.", 1952), ("Daimler-Benz AG", 1955)),
        (("The Racer's Group", 2002), ("The Racers Group", 2003)),
        (("WM A.E.R.E.M.", 1977), ("WM A.E.RE.M", 1981)),
        (
            ("Société des Construction Automobile Parisienne", 1927),
            ("Société des ConstructionAutomobile Parisienne", 1928),
        ),
    ],
)
def test_team_names_differing_only_in_punctuation_or_spacing_are_one_team(first, second):
    who = resolve([first, first, second], kind="team")
    assert who.person(*first) is who.person(*second)
    assert who.person(*first).display == first[0]  # the spelling written most
    assert len(who.people) == 1


def test_a_team_is_keyed_by_its_shown_name_folded_and_different_names_stay_apart():
    who = resolve([("GVEA", 1977), ("G.V.E.A.", 1978), ("G.V.E.A.", 1979)], kind="team")
    assert set(who.people) == {"g.v.e.a."}  # the key the timing import finds stored teams by
    assert matching.team_key("af corse@1990") == "afcorse@1990"
    apart = resolve([("Racing Team Holland", 1980), ("Racing for Holland", 1981)], kind="team")
    assert len(apart.people) == 2


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Aston Martin Lagonda Ltd.", "Aston Martin Lagonda"),
        ("Automobiles Deutsch et Bonnet", "Automobiles Deutsch & Bonnet"),
        ("Brun Motorsport GmbH", "Brun Motorsport"),
        ("Gulf Research Racing Co.", "Gulf Research Racing"),
        ("Automobiles Talbot-Darracq S.A.", "Automobiles Talbot-Darracq"),
        ("Team Menicon SARD Co. Ltd.", "Team Menicon Sard"),
        ("Bollack, Netter et Cie", "Bollack Netter"),
    ],
)
def test_team_names_differing_in_a_legal_form_or_et_and_are_one_team(first, second):
    who = resolve([(first, 1953), (first, 1954), (second, 1955)], kind="team")
    assert who.person(first, 1953) is who.person(second, 1955)
    assert who.person(second, 1955).display == first


def test_a_legal_form_is_left_out_only_at_the_end_of_a_team_name():
    assert matching.team_key("huskinson & fane limited") == "huskinsonandfane"
    assert matching.team_key("itala sa fabbrica automobili") == "italasafabbricaautomobili"
    assert matching.team_key("ag racing") == "agracing"
    assert matching.team_key("co") == "co"


def test_a_driver_name_is_not_folded_like_a_team_name():
    who = resolve([("Jean-Pierre Jabouille", 1970), ("Jean Pierre Jabouille", 1971)])
    assert len(who.people) == 2


def test_two_people_of_one_display_name_get_distinct_slugs():
    who = resolve(
        [("Uli Richter", 1937), ("Uli Richter", 1996)],
        [rule("Uli Richter", rule="apart", years=(1937, 1937))],
    )
    assert who.person("Uli Richter", 1937).slug == "uli-richter"  # the earlier keeps it
    assert who.person("Uli Richter", 1996).slug == "uli-richter-1996"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"kind": "car", "rule": "same", "name": "A", "other": "B", "reason": "r"}, "kind"),
        ({"kind": "driver", "rule": "join", "name": "A", "other": "B", "reason": "r"}, "rule"),
        ({"kind": "driver", "rule": "same", "name": "A", "other": "B", "reason": ""}, "reason"),
        ({"kind": "driver", "rule": "same", "name": "A", "other": "", "reason": "r"}, "other"),
        ({"kind": "driver", "rule": "apart", "name": "A", "other": "", "reason": "r"}, "apart"),
        (
            {"kind": "driver", "rule": "apart", "name": "A", "years": "1937-", "reason": "r"},
            "years",
        ),
    ],
)
def test_a_malformed_alias_row_fails_with_its_line(row, message):
    with pytest.raises(AliasError, match=rf"line 7: .*{message}"):
        parse_rule(row, 7)


def test_the_alias_file_is_well_formed_with_a_reason_and_a_source_on_every_row():
    rules = matching.read_rules()
    assert rules
    assert all(r.reason for r in rules)
    assert [r.line for r in rules if not r.source] == []
    names = {(r.kind, r.name) for r in rules}
    assert ("driver", "Thomaz Mello-Breyner") in names
    assert ("team", "PeCom Racing") in names


def test_a_pseudonym_is_one_person_shown_in_quotes_with_a_known_name():
    # "f.n.u. Raph" (1935) and Raphaël Béthenod de las Casas (1937) are one man, whose racing
    # pseudonym was "Raph" (fr.wikipedia "Raph"): not an unknown first name.
    who = resolve(
        [("f.n.u. Raph", 1935), ("Raphaël Béthenod de las Casas", 1937)],
        rules_of_the_file("f.n.u. Raph", "Raphaël Béthenod de las Casas"),
    )
    raph = who.person("f.n.u. Raph", 1935)
    assert raph is who.person("Raphaël Béthenod de las Casas", 1937)
    assert raph.display == '"Raph" (George Raphaël Béthenod de Montbressieux)'
    assert raph.first_name_known


def test_the_1932_mary_is_not_the_pseudonym_of_the_1950s():
    written = [("f.n.u. Mary", 1932), ('"Mary" (Jean Brussin)', 1957)]
    who = resolve(written, rules_of_the_file("f.n.u. Mary"))
    assert who.person("f.n.u. Mary", 1932).display == "Émile Mary"
    assert who.person("f.n.u. Mary", 1932) is not who.person(*written[1])


def test_identity_key_applies_same_and_apart_rules_like_resolve():
    rules = [
        matching.Rule("driver", "same", "Thomaz Mello-Breyner", None, "Tomaz Mello-Breyner", "", 1),
        matching.Rule("driver", "apart", "Uli Richter", (1990, 1999), "", "", 2),
        matching.Rule("team", "same", "AF Corse SRL", None, "AF Corse", "", 3),
    ]
    assert matching.identity_key("THOMAZ Mello-Breyner", 1996, rules) == "tomaz mello-breyner"
    assert matching.identity_key("Uli Richter", 1995, rules) == "uli richter@1990"
    assert matching.identity_key("Uli Richter", 2005, rules) == "uli richter"
    assert matching.identity_key("AF Corse SRL", 2011, rules, "team") == "af corse"
    assert matching.identity_key("AF Corse SRL", 2011, rules, "driver") == "af corse srl"


def rules_of_the_file(*names):
    return [r for r in matching.read_rules() if r.name in names]


def test_the_alias_file_splits_jean_vinatier_father_and_son():
    rules = rules_of_the_file("Jean Vinatier")
    who = resolve(
        [("Jean Vinatier", 1950), ("Jean Vinatier", 1958), ("Jean Vinatier", 1973)], rules
    )
    father, son = who.person("Jean Vinatier", 1950), who.person("Jean Vinatier", 1958)
    assert father is not son
    assert (father.display, father.slug) == ("Jean Vinatier Sr.", "jean-vinatier-sr")
    assert (son.display, son.slug, son.years) == ("Jean Vinatier", "jean-vinatier", {1958, 1973})


def test_the_alias_file_joins_coppelli_and_parts_ricardo_rodriguez_from_later_drivers():
    rules = rules_of_the_file("Almo Copelli", "Ricardo Rodríguez")
    who = resolve(
        [
            ("Almo Coppelli", 1984),
            ("Almo Copelli", 1991),
            ("Ricardo Rodríguez", 1962),
            ("Ricardo Rodríguez", 1967),
            ("Ricardo Rodriguez", 1969),
        ],
        rules,
    )
    assert who.person("Almo Copelli", 1991) is who.person("Almo Coppelli", 1984)
    ricardo = who.person("Ricardo Rodríguez", 1962)
    assert ricardo.years == {1962}
    assert who.person("Ricardo Rodríguez", 1967).display == "Ricardo Rodríguez-Cavazos"
    assert who.person("Ricardo Rodriguez", 1969).slug == "ricardo-rodriguez-1969"


def test_a_team_spelling_no_rule_names_keeps_its_own_shown_name():
    # It folds like the rule's "Pecom Racing", but only the timing import's editor decides.
    rules = [rule("PeCom Racing", "Pecom Racing", kind="team")]
    alone = resolve([("Pecom Racing.", 2011)], rules, kind="team")
    assert alone.person("Pecom Racing.", 2011).display == "Pecom Racing."
    both = resolve([("Pecom Racing.", 2011), ("PeCom Racing", 2011)], rules, kind="team")
    assert both.person("Pecom Racing.", 2011).display == "Pecom Racing"


# --- candidate pairs: which near names are reported for the alias file ------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (("Almo Coppelli", 1984), ("Almo Copelli", 1991)),  # a misspelt surname
        (("Bernard Santal", 1990), ("Bernard Sental", 1995)),
        (("Alain Couderc", 1982), ("Alain Courdec", 1983)),  # two letters swapped
        (("Hiroki Katoh", 2002), ("Hiroki Kato", 2004)),
        (("Paul von Guilleaume", 1937), ("Paul von Guillaume", 1938)),
        (("Pierre Bussienne", 1928), ("Pierre Brussienne", 1933)),  # a misspelt first name...
        (("Michael Wainright", 2011), ("Michael Wainwright", 2016)),
        (("Francis Samuelson", 1930), ("F.H.B. Samuelson", 1931)),  # initials
        (("Robert Murton-Neale", 1930), ("R.C. Murton-Neale", 1937)),
        (("Fernand Lacour", 1950), ("Martial (Fernand Lacour)", 1952)),  # a pseudonym's bearer
        (("Jonathan Adam", 2023), ("Jonny Adam", 2026)),  # a short form
        (("Riccardo Agusta", 1995), ("Rocky Agusta", 1996)),
        (("Max Root", 2020), ("Maxwell Root", 2022)),
        (("Tom Milner", 2006), ("Tommy Milner", 2007)),
        (("Joe Foster", 2009), ("Joey Foster", 2008)),
        (("Jack Turner", 1962), ("John Turner", 1959)),
        (("James Scott", 1960), ("John Scott", 1961)),  # "Jack" is a form of both: a question
        (("Steve Hynes", 1988), ("Stephen Hynes", 1990)),
        (("Peter Orssich", 1936), ("Peter Graff Orssich", 1937)),  # a middle name left out
        (("Yves Lambert", 2007), ("Yves-Emmanuel Lambert", 2006)),
        (("Giovanni 'Nanni' Galli", 1969), ("Nanni Galli", 1970)),  # a nickname in quotes
        (('Francisco "Chico" Godia-Sales', 1949), ("Chico Godia-Sales", 1950)),
        (("Beppe Gabbiani", 2003), ("Giuseppe Gabbiani", 2006)),  # a short form
        (("Jack Besant", 1928), ("Jack Bezzant", 1931)),  # two edits, a surname that sounds alike
    ],
)
def test_near_names_of_close_careers_are_reported_until_the_alias_file_settles_them(one, other):
    who = resolve([one, other])
    (message,) = who.undecided
    assert message.endswith("similar names, kept apart")
    assert matching.name_key(one[0]) != matching.name_key(other[0])
    assert len(resolve([one, other], [rule(one[0], other[0], rule="apart")]).undecided) == 0
    joined = resolve([one, other], [rule(other[0], one[0])])
    assert joined.undecided == []
    assert joined.person(*one) is joined.person(*other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (("Almo Coppelli", 1960), ("Almo Copelli", 1991)),  # careers far apart
        (("Jean Blanc", 1960), ("Jean Blond", 1961)),  # a short name: one edit at most
        (("Horst Felbermayr Sr.", 2010), ("Horst Felbermayr Jr.", 2011)),  # written apart
        (("James Scott", 1960), ("Thomas Scott", 1961)),  # first names of no one group
        (("Maurice Trintignant", 1950), ("Louis Trintignant", 1951)),  # other first names
        (("Pierre Martin", 1950), ("Pierre Dumay", 1951)),
        (("Jack Besant", 1928), ("Jack Bryant", 1931)),  # two edits that do not sound alike
        (("Alex Postan", 1990), ("Alex Portman", 1996)),
        (("Max Mamers", 1977), ("Marcel Mamers", 1978)),  # no co-driver known
    ],
)
def test_names_that_are_not_close_or_careers_not_near_are_not_reported(one, other):
    assert resolve([one, other]).undecided == []


def test_a_name_split_by_a_rule_is_not_reported_again_as_a_near_pair():
    who = resolve(
        [("Jean Vinatier", 1950), ("Jean Vinatier", 1958)],
        [rule("Jean Vinatier", "Jean Vinatier Sr.", years=(1950, 1950))],
    )
    assert len(who.people) == 2
    assert who.undecided == []


@pytest.mark.parametrize(
    ("a", "b", "edits"),
    [
        ("copelli", "coppelli", 1),
        ("couderc", "courdec", 2),
        ("caradec", "cadarec", 2),
        ("waugh", "vaugh", 1),
        ("ab", "ba", 1),
        ("frischknecht", "fichknecht", 2),
        ("magnini", "mancini", 2),
        ("magnani", "mancini", 3),
        ("martin", "dumay", 3),  # more than the limit: limit + 1
    ],
)
def test_edits_count_changes_insertions_and_swaps_up_to_a_limit(a, b, edits):
    assert matching._edits(a, b, 2) == edits
    assert matching._edits(b, a, 2) == edits


def test_split_reasons_name_the_people_an_apart_rule_splits_off_by_years():
    rules = [
        rule("Horst Felbermayr Sr.", rule="apart", years=(2026, 2026), line=5),
        rule("Marco Andretti", "Mario Andretti", rule="apart", line=6),
        rule("Uli Richter", "Ulrich Richter", years=(1996, 1996), line=7),
    ]
    split = matching.split_reasons(rules)
    assert list(split) == ["horst felbermayr sr.@2026"]
    who = resolve([("Horst Felbermayr Sr.", 2011), ("Horst Felbermayr Sr.", 2026)], rules)
    assert who.person("Horst Felbermayr Sr.", 2026).key in split


def test_careers_are_near_in_races_run_so_a_war_does_not_part_them():
    one, other = ("Fritz Huschke von Hanstein", 1939), ("Huschke von Hanstein", 1952)
    assert resolve([one, other]).undecided == []  # 13 calendar years
    editions = [*range(1923, 1940), *range(1949, 1960)]  # none run in 1940-1948
    (message,) = resolve([one, other], editions=editions).undecided
    assert message.startswith("Fritz Huschke von Hanstein (1939) / Huschke von Hanstein (1952)")


def test_a_nickname_form_puts_the_nickname_for_the_first_names():
    assert matching.nickname_form("Giovanni 'Nanni' Galli") == "nanni galli"
    assert matching.nickname_form('Dr. John "Mac" Wyllie') == "mac wyllie"
    assert matching.nickname_form("Johnny O'Connell") == ""
    assert matching.nickname_form('"Beurlys" (Jean Blaton)') == ""


def test_one_surname_with_a_co_driver_in_common_is_a_pair_whatever_the_first_names():
    appearances = [("Max Mamers", 1977), ("Marcel Mamers", 1978), ("Jean-Daniel Raulet", 1977)]
    appearances.append(("Jean-Daniel Raulet", 1978))
    cars = [[("Max Mamers", 1977), ("Jean-Daniel Raulet", 1977)]]
    cars.append([("Jean-Daniel Raulet", 1978), ("Marcel Mamers", 1978)])
    (message,) = resolve(appearances, cars=cars).undecided
    assert message.startswith("Max Mamers (1977) / Marcel Mamers (1978)")
    settled = [rule("Max Mamers", "Marcel Mamers")]
    assert resolve(appearances, settled, cars=cars).undecided == []


def test_brothers_of_one_race_with_a_co_driver_in_common_are_not_a_pair():
    cars = [
        [("Dirk Müller", 2010), ("Andy Priaulx", 2010)],
        [("Jörg Müller", 2010), ("Andy Priaulx", 2011)],
    ]
    appearances = [occurrence for car in cars for occurrence in car]
    assert resolve(appearances, cars=cars).undecided == []


def test_two_people_in_one_car_are_never_a_pair():
    one, other = ("Louis Rosier", 1950), ("Jean-Louis Rosier", 1950)
    assert len(resolve([one, other]).undecided) == 1  # a middle name left out
    assert resolve([one, other], cars=[[one, other]]).undecided == []


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Automobiles Talbot-Darracq S.A.", "Automobiles Talbot-Darraq SA"),
        ("Equipe Monopole Course", "Equipe Monopole Courses"),
        ("Nissan Motorsport", "Nissan Motorsports"),
        ("Ecurie Lapin Blanc", "Ecurie Lapin Blanche"),  # two edits in a long name
        ("Scuderia St. Ambroeus", "Scuderia Sant Ambroeus"),
        ("Gerard McQuillan", "Gerard MacQuillan"),
    ],
)
def test_team_names_a_few_edits_apart_are_reported_until_the_alias_file_settles_them(one, other):
    appearances = [(one, 1958), (other, 1959)]
    (message,) = resolve(appearances, kind="team").undecided
    assert message.endswith("similar names, kept apart")
    parted = [rule(one, other, rule="apart", kind="team")]
    assert resolve(appearances, parted, kind="team").undecided == []
    joined = resolve(appearances, [rule(other, one, kind="team")], kind="team")
    assert (joined.undecided, len(joined.people)) == ([], 1)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("GP Motorsport", "RM Motorsport"),  # two edits in a short name
        ("Ecurie Bleue", "Ecurie Belge"),
        ("Team 0 Racing", "Team 3 Racing"),  # numbers tell teams apart
        ("Nissan Motorsport", "Nissan Motorsports International"),
    ],
)
def test_team_names_further_apart_are_not_reported(one, other):
    assert resolve([(one, 1990), (other, 1991)], kind="team").undecided == []


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("besant", "b253"),
        ("bezzant", "b253"),
        ("bryant", "b653"),
        ("hay", "h000"),
        ("ashcraft", "a261"),
    ],
)
def test_sound_is_the_soundex_code(word, code):
    assert matching._sound(word) == code
