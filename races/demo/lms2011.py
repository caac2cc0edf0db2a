"""The 2011 Le Mans Series season as far as the sources go, with the 2011 ILMC and ALMS rounds
it touches.

Every fact comes from the project's curated list of 2011 facts and carries its source; what no
source states (most car numbers, overall positions, first names, registrations) stays unknown,
so every session here is marked partial and every season incomplete. Runs after the Le Mans
loader, so that Le Mans 2011 is a round of the ILMC and the people named in full are the Le Mans
drivers.
"""

import datetime as dt
from datetime import timedelta
from decimal import Decimal

from drivers import matching
from drivers.models import Driver
from drivers.names import fold, parse_name, slug_for
from drivers.people import PeopleError, impossible_years, read_people
from races import writes
from races.models import (
    CarClass,
    ChampionshipRules,
    Circuit,
    Crew,
    Entry,
    Event,
    PointsScale,
    Registration,
    Result,
    Round,
    Season,
    SeasonClass,
    Series,
    Session,
    Team,
    Title,
)

ARTICLE = '"LMS: Kaffer sucht versöhnlichen Abschluss", Motorsport-Total.com, September 2011'
GT_EINS = "Pierre Kaffer's 2011 season review, gt-eins"
ERACE = "eracemotorblog.it race report, 25 September 2011"
NEXTGEN_PLM = 'nextgen-auto.com, "A Petit Le Mans for the ages"'
MOTORSPORT_PLM = 'motorsport.com, "ILMC: Peugeot Petit Le Mans race report" (Peugeot Sport)'
FR_WIKI_CASTELLET = (
    'French Wikipedia, "6 Heures du Castellet 2011" '
    "(https://fr.wikipedia.org/wiki/6_Heures_du_Castellet_2011, read through a copy)"
)
BRF_SPA = "brf.be/sport/212127 (Spa 2011 report)"
AUTONEWS_SPA = "autonewsinfo.com, 9 May 2011 (Spa 2011, LMP2: TDS Racing)"
AUTOSPORT_IMOLA = 'autosport.com, "Peugeot dominates the Imola Six Hours"'
NEXTGEN_IMOLA = "nextgen-auto.com, Imola 2011, race at 5 hours"
LANGSTRECKE_SIL = "langstrecke.org, ILMC / LMS Silverstone 2011 report"
PEUGEOT_SPA = 'racecar.com, "Team Peugeot Total finish 1-2 in Spa" (Peugeot press release)'
NEXTGEN_IMOLA_FR = 'nextgen-auto.com, 4 July 2011, "6 heures d\'Imola, bilan et réactions"'
TOTAL_2011 = (
    'competition.totalenergies.com, "Un mois, une date symbolique : 6 Heures d\'Imola 2011"'
)
PEUGEOT_NOTE = (
    "Entered by Peugeot Sport Total, as at Le Mans; Peugeot's own Spa release calls the team "
    "Team Peugeot Total."
)
CARADISIAC_SIL = 'caradisiac.com, "ILMC: Peugeot bat Audi aux 6 heures de Silverstone"'
AUTONEWS_EST = "autonewsinfo.com, 26 September 2011 (Estoril 2011 report)"
AUTO123_EST = 'auto123.com, "LMS: Collard et Jousse vainqueurs et champions" (Estoril 2011)'
LANGSTRECKE_EST = "langstrecke.org, LMS Estoril 2011 report"
SPEEDRACING_EST = "speedracing.com.br, Estoril 2011 report"
NEXTGEN_EST = 'nextgen-auto.com, "Pescarolo Team remporte les 6 Heures d\'Estoril"'
AUTONEWS_EST_PREVIEW = (
    'autonewsinfo.com, 22 September 2011, "LMS: 29 équipes pour la finale à Estoril"'
)
CONNECTINGROD_EST = "connectingrod.it, LMS Estoril 2011 report"
MOTORPASION_SIL = 'motorpasion.com, "Peugeot vence en unas disputadas 6 Horas de Silverstone"'
NEXTGEN_GTEAM = (
    'nextgen-auto.com, "Le titre GTE Am incontestable pour IMSA Performance Matmut" (2011)'
)
SPEEDLIVE_AF = 'speed-live.it, "AF Corse champion of the Le Mans Series" (2011)'
OVERBLOG_ROSIER = "sport-mecanique.over-blog.fr (Extrême Limite's 2011 Le Mans Series driver)"
RULES_SOURCE = (
    'Motorsport-Total.com, 7 December 2009, "LMS: Neues Punktesystem"; pole point and '
    "engine-change penalties: English, German and French Wikipedia season articles"
)
DROVE_SOURCE = (
    'auto123.com, "LMS: Collard et Jousse vainqueurs et champions" (Estoril, 25 September '
    "2011): Pescarolo did not send Christophe Tinseau out, \"C'est donc Collard et Jousse "
    "seulement qui sont sacrés\"; the drivers' title went to Collard and Jousse only "
    "(Wikipedia season articles), though Tinseau was entered in the #16 at every round. The "
    "text of the 2011 sporting regulations was not found."
)
CALENDAR = (
    "English, German and French Wikipedia season and race articles; the 2011 ILMC calendar "
    "notice (March 2011); connectingrod.it (Estoril, Spa event days)"
)

# Class code (as in the Le Mans data), name, colour (DESIGN.md: the ACO convention).
CLASSES = {
    "LMP1": ("LMP1", "#c8102e"),
    "LMP2": ("LMP2", "#1e5bc6"),
    "FLM": ("Formula Le Mans", "#6b7280"),
    "LMGTEPro": ("LM GTE Pro", "#1a7f37"),
    "LMGTEAm": ("LM GTE Am", "#d4600b"),
}

CIRCUITS = {
    "paul-ricard": ("Circuit Paul Ricard", "Le Castellet", "FR", "Europe/Paris"),
    "spa-francorchamps": ("Circuit de Spa-Francorchamps", "", "BE", "Europe/Brussels"),
    "imola": ("Autodromo Enzo e Dino Ferrari", "Imola", "IT", "Europe/Rome"),
    "silverstone": ("Silverstone Circuit", "", "GB", "Europe/London"),
    "estoril": ("Autódromo do Estoril", "", "PT", "Europe/Lisbon"),
    "road-atlanta": ("Road Atlanta", "", "US", "America/New_York"),
}

YEAR = 2011
LMS, ILMC, ALMS = "lms", "ilmc", "alms"
SEASONS = {
    LMS: {
        "series": ("European Le Mans Series", "le-mans-series", "ELMS"),
        "series_notes": "Named the Le Mans Series in 2011; the European Le Mans Series from 2012.",
        "name": "2011 Le Mans Series",
        "classes": ["LMP1", "LMP2", "FLM", "LMGTEPro", "LMGTEAm"],
        "notes": "Results on record are incomplete: the sources give class winners, the "
        "Estoril top six and the Pecom Racing #39 season. The champions are stored as official "
        "titles (final points totals not found).",
    },
    ILMC: {
        "series": ("Intercontinental Le Mans Cup", "intercontinental-le-mans-cup", "ILMC"),
        "series_notes": "",
        "name": "2011 Intercontinental Le Mans Cup",
        "classes": ["LMP1", "LMP2", "LMGTEPro", "LMGTEAm"],
        "notes": "Only the rounds shared with the Le Mans Series, the 24 Hours of Le Mans and "
        "Petit Le Mans are on record; its other rounds are not. Which cars were registered for "
        "the ILMC at Le Mans and at Petit Le Mans no source here says.",
    },
    ALMS: {
        "series": ("American Le Mans Series", "american-le-mans-series", "ALMS"),
        "series_notes": "",
        "name": "2011 American Le Mans Series",
        "classes": ["LMP1", "LMP2", "LMGTEPro", "LMGTEAm"],
        "source": f"{CALENDAR}; {NEXTGEN_PLM} (Petit Le Mans, the final round)",
        "notes": "Only the final round, Petit Le Mans, is on record, with the classes of its "
        "results on record.",
    },
}


def crew(*names):
    return list(names)


# Every driver is named in full as a source names him (the car's sources), so that he is the
# same driver as in his Le Mans career; the two Mello-Breyner brothers of Extrême Limite at
# Estoril are the exception: no source found gives their first names
# (docs/decisions/0006-2011-judgement-calls.md).
#
# Each event: its facts, the championships it counts for (season key → round number), its
# sessions, and its cars with their results in those sessions.
EVENTS = [
    {
        "name": "6 Hours of Castellet",
        "circuit": "paul-ricard",
        "first_day": dt.date(2011, 4, 1),
        "last_day": dt.date(2011, 4, 3),
        "rounds": {LMS: 1},
        "source": CALENDAR,
        "sessions": [
            ("qualifying", "Qualifying", 1, None, None),
            ("race", "Race", 2, timedelta(hours=6), None),
        ],
        "cars": [
            {
                "number": "16",
                "class": "LMP1",
                "team": "Pescarolo Team",
                "chassis": "Pescarolo 01",
                "engine": "Judd",
                "crew": crew("Emmanuel Collard", "Christophe Tinseau", "Julien Jousse"),
                "race": {"finish_order": 1, "position": 1, "class_position": 1},
                "notes": "Won from the back of the grid.",
                "source": f"{CALENDAR}; {FR_WIKI_CASTELLET}",
            },
            {
                "number": "42",
                "class": "LMP2",
                "team": "Greaves Motorsport",
                "chassis": "Zytek",
                "engine": "Nissan",
                "crew": crew("Gary Chalandon", "Karim Ojjeh", "Tom Kimber-Smith"),
                "race": {"class_position": 1},
                "notes": "Car number #42 as French Wikipedia gives it; disputed: motorlegend.com's "
                "preview (30 March 2011) lists #42 as Strakka Racing's HPD, and Greaves ran #41 at "
                "Le Mans and Imola.",
                "source": f"{CALENDAR}; {FR_WIKI_CASTELLET}",
            },
            {
                "number": "39",
                "pecom": True,
                "race": {"finish_order": 4, "position": 4, "class_position": 2},
                # 5th in LMP2, not overall: the overall qualifying position is not on record.
                "qualifying": {"class_position": 5, "notes": "Qualified by Matías Russo."},
                "source": f"{ARTICLE}; motorsport-xl.de, 4 April 2011",
            },
            {
                "number": "",
                "class": "FLM",
                "team": "Pegasus Racing",
                "crew": crew("Julien Schell", "Mirco Schultis", "Patrick Simon"),
                "race": {"class_position": 1},
                "notes": "Disputed: eracemotorblog.it (3 April 2011) gives the FLM win to Frey / "
                "Meichtry / Ebbesvik. The car number is not on record (Pegasus ran #95 at Imola).",
                "source": f"{CALENDAR}; {FR_WIKI_CASTELLET}",
            },
            {
                "number": "66",
                "class": "LMGTEPro",
                "team": "JMW Motorsport",
                "chassis": "Ferrari 458",
                "race": {"class_position": 1},
                "source": f"{CALENDAR}; {FR_WIKI_CASTELLET}",
            },
        ],
    },
    {
        "name": "1000 km of Spa-Francorchamps",
        "circuit": "spa-francorchamps",
        "first_day": dt.date(2011, 5, 5),
        "last_day": dt.date(2011, 5, 7),
        "postponed_from": dt.date(2011, 5, 8),
        "notes": "The race was moved from Sunday 8 May to Saturday 7 May. Run to a 6-hour limit.",
        "rounds": {LMS: 2, ILMC: 2},
        "source": CALENDAR,
        "sessions": [("race", "Race", 1, timedelta(hours=6), (Decimal(1000), "km"))],
        "cars": [
            {
                "number": "7",
                "class": "LMP1",
                "chassis": "Peugeot 908",
                "team": "Peugeot Sport Total",
                "crew": crew("Marc Gené", "Alexander Wurz", "Anthony Davidson"),
                "championships": [ILMC],
                "race": {"finish_order": 1, "position": 1, "class_position": 1},
                "notes": f"An ILMC entry: it scored no Le Mans Series points. {PEUGEOT_NOTE}",
                "source": f"{CALENDAR}; {BRF_SPA}; {PEUGEOT_SPA}; {TOTAL_2011}",
            },
            {
                "number": "46",
                "class": "LMP2",
                "team": "TDS Racing",
                "chassis": "Oreca",
                "engine": "Nissan",
                "crew": crew("Mathias Beche", "Jody Firth", "Pierre Thiriet"),
                "race": {"class_position": 1},
                "source": f"{CALENDAR}; {AUTONEWS_SPA}",
            },
            {
                "number": "",
                "class": "LMGTEAm",
                "team": "IMSA Performance Matmut",
                "crew": crew("Raymond Narac", "Nicolas Armindo"),
                "race": {"class_position": 1},
                "source": CALENDAR,
            },
            {
                "number": "39",
                "pecom": True,
                "race": {"status": "unknown", "notes": "No points; the cause is unknown."},
                "source": f"{ARTICLE}; {GT_EINS}",
            },
        ],
    },
    {
        "name": "6 Hours of Imola",
        "circuit": "imola",
        "first_day": None,
        "last_day": dt.date(2011, 7, 3),
        "rounds": {LMS: 3, ILMC: 4},
        "source": CALENDAR,
        "notes": "The first day of the event is not on record.",
        "sessions": [("race", "Race", 1, timedelta(hours=6), None)],
        "cars": [
            {
                "number": "7",
                "class": "LMP1",
                "chassis": "Peugeot 908",
                "team": "Peugeot Sport Total",
                "crew": crew("Anthony Davidson", "Sébastien Bourdais"),
                "championships": [ILMC],
                "race": {"finish_order": 1, "position": 1, "class_position": 1},
                "notes": f"An ILMC entry. {PEUGEOT_NOTE}",
                "source": f"{CALENDAR}; {AUTOSPORT_IMOLA}; {NEXTGEN_IMOLA_FR}; {TOTAL_2011}",
            },
            {
                "number": "41",
                "class": "LMP2",
                "team": "Greaves Motorsport",
                "chassis": "Zytek Z11SN",
                "engine": "Nissan",
                "crew": crew("Karim Ojjeh", "Tom Kimber-Smith", "Olivier Lombard"),
                "race": {"class_position": 1},
                "source": f"{CALENDAR}; {AUTOSPORT_IMOLA}; {NEXTGEN_IMOLA}",
            },
            {
                "number": "39",
                "pecom": True,
                "race": {"class_position": 4, "notes": "The overall position is not on record."},
                "source": f"{ARTICLE}; {GT_EINS}",
            },
        ],
    },
    {
        "name": "6 Hours of Silverstone",
        "circuit": "silverstone",
        "first_day": dt.date(2011, 9, 9),
        "last_day": dt.date(2011, 9, 11),
        "rounds": {LMS: 4, ILMC: 5},
        "source": CALENDAR,
        "notes": "LMP2 was won by the Greaves Motorsport Zytek (Ojjeh / Kimber-Smith / "
        "Lombard); the first ILMC car in LMP2 was OAK Racing's Pescarolo (caradisiac.com).",
        "sessions": [("race", "Race", 1, timedelta(hours=6), None)],
        "cars": [
            {
                "number": "7",
                "class": "LMP1",
                "chassis": "Peugeot 908",
                "team": "Peugeot Sport Total",
                "crew": crew("Simon Pagenaud", "Sébastien Bourdais"),
                "championships": [ILMC],
                "race": {"finish_order": 1, "position": 1, "class_position": 1, "laps": 190},
                "notes": f"An ILMC entry. {PEUGEOT_NOTE}",
                "source": f"{CALENDAR}; {LANGSTRECKE_SIL}; {CARADISIAC_SIL}; {TOTAL_2011}",
            },
            {
                "number": "",
                "class": "LMP2",
                "team": "Greaves Motorsport",
                "chassis": "Zytek",
                "engine": "Nissan",
                "crew": crew("Karim Ojjeh", "Tom Kimber-Smith", "Olivier Lombard"),
                "race": {"class_position": 1},
                "notes": "The LMP2 class win: the team's third in a row after Le Mans and Imola.",
                "source": f"{CARADISIAC_SIL}; {MOTORPASION_SIL}",
            },
            {
                "number": "51",
                "class": "LMGTEPro",
                "team": "AF Corse",
                "chassis": "Ferrari 458",
                "crew": crew("Giancarlo Fisichella", "Gianmaria Bruni"),
                "race": {"class_position": 1},
                "source": CALENDAR,
            },
            {
                "number": "39",
                "pecom": True,
                "race": {
                    "status": "retired",
                    "reason": "Gearbox",
                    "notes": "gt-eins reports a long gearbox change while 5th in class.",
                },
                "source": f"{ARTICLE}; {GT_EINS}",
            },
        ],
    },
    {
        "name": "6 Hours of Estoril",
        "circuit": "estoril",
        "first_day": dt.date(2011, 9, 23),
        "last_day": dt.date(2011, 9, 25),
        "rounds": {LMS: 5},
        "cars_entered": 29,  # autonewsinfo.com's preview, 22 September 2011
        "source": f"{CALENDAR}; {ERACE}; nextgen-auto.com; {AUTONEWS_EST_PREVIEW}; "
        f"{CONNECTINGROD_EST}",
        "notes": "29 cars were entered (autonewsinfo.com's preview, 22 September 2011); "
        "connectingrod.it's report counts 27 cars on track. Only the cars the reports name are "
        "on record.\n"
        "Disputed: the winner's laps. 225 laps (autonewsinfo.com and auto123.com, 26 September "
        "2011), 199 laps (eracemotorblog.it, 25 September 2011): 225 is shown. Christophe "
        "Tinseau was entered in the winning car but did not drive (autonewsinfo.com, "
        "auto123.com).",
        "sessions": [
            ("qualifying", "Qualifying", 1, None, None),
            ("race", "Race", 2, timedelta(hours=6), None),
        ],
        "cars": [
            {
                "number": "16",
                "class": "LMP1",
                "team": "Pescarolo Team",
                "chassis": "Pescarolo",
                "engine": "Judd",
                "crew": crew("Emmanuel Collard", "Christophe Tinseau", "Julien Jousse"),
                "did_not_drive": {
                    "Christophe Tinseau": f'{AUTONEWS_EST}: Henri Pescarolo, "Christophe '
                    "Tinseau ... n'a pas piloté ce jour\"; {AUTO123_EST}",
                },
                "race": {
                    "finish_order": 1,
                    "position": 1,
                    "class_position": 1,
                    "laps": 225,
                    "time": timedelta(hours=6, seconds=24, microseconds=815000),
                    "notes": "Laps disputed: 225 (autonewsinfo.com, auto123.com), 199 "
                    "(eracemotorblog.it).",
                },
                "source": f"{ERACE}; {AUTONEWS_EST}; {AUTO123_EST}",
            },
            {
                "number": "13",
                "class": "LMP1",
                "team": "Rebellion Racing",
                "chassis": "Lola",
                "engine": "Toyota",
                "crew": crew("Andrea Belicchi", "Jean-Christophe Boullion"),
                "race": {"finish_order": 2, "position": 2, "class_position": 2, "gap_laps": 1},
                "source": f"{ERACE}; {LANGSTRECKE_EST}",
            },
            {
                "number": "46",
                "class": "LMP2",
                "team": "TDS Racing",
                "chassis": "Oreca 03",
                "engine": "Nissan",
                "crew": crew("Mathias Beche", "Pierre Thiriet", "Jody Firth"),
                "race": {"finish_order": 3, "position": 3, "class_position": 1, "gap_laps": 6},
                "source": f"{ERACE}; {SPEEDRACING_EST}; oreca.com (6H Estoril 2011)",
            },
            {
                "number": "",
                "class": "LMP2",
                "team": "Greaves Motorsport",
                "chassis": "Zytek",
                "engine": "Nissan",
                "crew": crew("Karim Ojjeh", "Olivier Lombard", "Tom Kimber-Smith"),
                "race": {"finish_order": 4, "position": 4, "class_position": 2, "gap_laps": 8},
                "notes": 'The report names "Lombard"; Olivier Lombard drove the team\'s car with '
                "Ojjeh and Kimber-Smith at Le Mans, Imola and Silverstone.",
                "source": f"{ERACE}; {AUTOSPORT_IMOLA}",
            },
            {
                "number": "",
                "class": "LMP2",
                "team": "Extrême Limite",
                "chassis": "Norma",
                "engine": "Judd",
                "crew": crew("Fabien Rosier", ("Mello-Breyner", "PT"), ("Mello-Breyner", "PT")),
                "race": {"finish_order": 5, "position": 5, "class_position": 3, "gap_laps": 15},
                "notes": "Two of the Portuguese Mello-Breyner brothers (connectingrod.it); no "
                "source found says which two, so their first names are unknown.",
                "about": {
                    "Mello-Breyner": (
                        "One of the Portuguese Mello-Breyner brothers (Manuel, Pedro and "
                        "Tomaz raced at Le Mans in 1996, 1997 and 1999); no source found says "
                        "which two drove Extrême Limite's Norma at Estoril in 2011.",
                        "connectingrod.it (Estoril 2011)",
                    )
                },
                "source": f"{ERACE}; {OVERBLOG_ROSIER}; connectingrod.it (Estoril 2011)",
            },
            {
                "number": "",
                "class": "LMGTEPro",
                "team": "JMW Motorsport",
                "chassis": "Ferrari 458",
                "crew": crew("Rob Bell", "James Walker"),
                "race": {"finish_order": 6, "position": 6, "class_position": 1, "gap_laps": 16},
                "source": f"{ERACE}; {LANGSTRECKE_EST}; {SPEEDRACING_EST}",
            },
            {
                "number": "12",
                "class": "LMP1",
                "team": "Rebellion Racing",
                "crew": crew("Nicolas Prost", "Neel Jani"),
                "qualifying": {"class_position": 1, "position": 1},
                "notes": "Pole position; delayed an hour in the race by a gearbox problem.",
                "source": f"{ERACE}; {NEXTGEN_EST}",
            },
            {
                "number": "",
                "class": "LMGTEPro",
                "team": "AF Corse",
                "crew": crew("Giancarlo Fisichella", "Gianmaria Bruni"),
                "race": {"status": "retired", "reason": "Electronics"},
                "notes": "Out after half an hour. The source gives no car number.",
                "source": f"{ERACE}; nextgen-auto.com",
            },
            {
                "number": "",
                "class": "LMGTEAm",
                "team": "IMSA Performance Matmut",
                "entrant": "IMSA Performance",
                "chassis": "Porsche",
                "race": {"class_position": 1},
                "source": f"{ERACE}; nextgen-auto.com",
            },
            {
                "number": "",
                "class": "LMGTEAm",
                "team": "CRS Racing",
                "chassis": "Ferrari",
                "race": {"class_position": 2},
                "source": f"{ERACE}; nextgen-auto.com",
            },
            {
                "number": "",
                "class": "LMGTEAm",
                "team": "Felbermayr-Proton",
                "race": {"class_position": 3},
                "source": f"{ERACE}; nextgen-auto.com",
            },
            {
                "number": "",
                "class": "FLM",
                "team": "Pegasus Racing",
                "race": {"class_position": 1},
                "notes": 'auto123.com names the crew "Schell-Martin-Schulthis", without first '
                "names for all three: the crew is not on record.",
                "source": f"{NEXTGEN_EST}; {AUTO123_EST}",
            },
            {
                "number": "39",
                "pecom": True,
                "race": {"status": "unknown", "notes": "No points."},
                "source": GT_EINS,
            },
        ],
    },
    {
        "name": "Petit Le Mans",
        "circuit": "road-atlanta",
        "first_day": dt.date(2011, 9, 28),
        "last_day": dt.date(2011, 10, 1),
        "rounds": {ALMS: 9, ILMC: 6},
        "source": f"{ARTICLE}; {NEXTGEN_PLM}",
        "notes": "The final round of the American Le Mans Series. Which cars were registered "
        "for the ILMC no source here says.",
        "sessions": [("race", "Race", 1, None, (Decimal(1000), "mi"))],
        "cars": [
            {
                "number": "8",
                "class": "LMP1",
                "team": "Peugeot Sport Total",
                "chassis": "Peugeot 908",
                "crew": crew("Franck Montagny", "Stéphane Sarrazin", "Alexander Wurz"),
                "race": {"finish_order": 1, "position": 1, "class_position": 1},
                "source": f"{NEXTGEN_PLM}; {MOTORSPORT_PLM}",
            },
            {
                "number": "10",
                "class": "LMP1",
                "team": "Team Oreca Matmut",
                "chassis": "Peugeot 908",
                "crew": crew("Nicolas Lapierre", "Nicolas Minassian", "Marc Gené"),
                "race": {"finish_order": 2, "position": 2, "class_position": 2},
                "source": NEXTGEN_PLM,
            },
            {
                "number": "007",
                "class": "LMP1",
                "team": "Aston Martin Racing",
                "chassis": "Lola-Aston Martin B09/60 coupé",
                "crew": crew("Adrián Fernández", "Stefan Mücke", "Harold Primat"),
                "race": {"finish_order": 3, "position": 3, "class_position": 3},
                "source": NEXTGEN_PLM,
            },
            {
                "number": "33",
                "class": "LMP2",
                "team": "Level 5 Motorsports",
                "chassis": "HPD ARX-01g",
                "crew": crew("Scott Tucker", "Christophe Bouchut", "João Barbosa"),
                "race": {"class_position": 1, "notes": "8 laps ahead of #22 United Autosports."},
                "source": NEXTGEN_PLM,
            },
            {
                "number": "22",
                "class": "LMP2",
                "team": "United Autosports",
                "race": {"class_position": 2},
                "source": NEXTGEN_PLM,
            },
            {
                "number": "51",
                "class": "LMGTEPro",
                "team": "AF Corse",
                "chassis": "Ferrari 458 Italia",
                "crew": crew("Pierre Kaffer", "Giancarlo Fisichella", "Gianmaria Bruni"),
                "race": {"class_position": 1},
                "source": f"{ARTICLE}; {NEXTGEN_PLM}",
            },
            {
                "number": "",
                "class": "LMGTEAm",
                "team": "Krohn Racing",
                "crew": crew("Tracy Krohn", "Niclas Jönsson", "Michele Rugolo"),
                "race": {"class_position": 1},
                "source": NEXTGEN_PLM,
            },
        ],
    },
]

CHAMPIONS_SOURCE = "English, German and French Wikipedia articles on the 2011 Le Mans Series season"

# The 2011 Le Mans Series champions: class, kind, names as written, margin in points (None
# where the source gives none).
CHAMPIONS = [
    ("LMP1", "teams", ["Rebellion Racing"], Decimal(1)),
    ("LMP1", "drivers", ["Emmanuel Collard", "Julien Jousse"], Decimal(3)),
    ("LMP2", "teams", ["Greaves Motorsport"], None),
    ("LMP2", "drivers", ["Karim Ojjeh", "Tom Kimber-Smith"], None),
    ("FLM", "teams", ["Pegasus Racing"], None),
    ("FLM", "drivers", ["Mirco Schultis"], None),
    ("LMGTEPro", "teams", ["AF Corse"], None),
    ("LMGTEPro", "drivers", ["Gianmaria Bruni", "Giancarlo Fisichella"], None),
    ("LMGTEAm", "teams", ["IMSA Performance Matmut"], None),
    ("LMGTEAm", "drivers", ["Raymond Narac", "Nicolas Armindo"], None),
]

# The 2011 ILMC champions: a cup for teams and manufacturers, no drivers' title. The LM GTE
# manufacturers' cup covered the GTE Pro and GTE Am cars; it is stored with GTE Pro, where
# Ferrari's works-supported AF Corse raced.
CARADISIAC_ZHUHAI = (
    'caradisiac.com, "ILMC Zhuhai: Peugeot bat Audi pour la bataille de Chine" (13 November '
    "2011), the champions' list"
)
ZIC_ZHUHAI = (
    'zic.com.cn, "1-2 Victory for both Peugeot and BMW" (13 November 2011): Peugeot\'s team '
    "and manufacturer titles, Signatech's LMP2 and Larbre's GTE Am titles"
)
ILMC_CHAMPIONS = [
    ("LMP1", "teams", ["Peugeot Sport Total"], f"{CARADISIAC_ZHUHAI}; {ZIC_ZHUHAI}"),
    ("LMP1", "manufacturers", ["Peugeot"], f"{CARADISIAC_ZHUHAI}; {ZIC_ZHUHAI}"),
    ("LMP2", "teams", ["Signatech Nissan"], f"{CARADISIAC_ZHUHAI}; {ZIC_ZHUHAI}"),
    ("LMGTEPro", "teams", ["AF Corse"], CARADISIAC_ZHUHAI),
    ("LMGTEPro", "manufacturers", ["Ferrari"], f"{CARADISIAC_ZHUHAI} (the LM GTE cup)"),
    ("LMGTEAm", "teams", ["Larbre Compétition"], f"{CARADISIAC_ZHUHAI}; {ZIC_ZHUHAI}"),
]

# Final points totals a source gives: (class, kind, position) → (points, source). Those of the
# LMP1 drivers and of the GTE Am champions are reported; the other totals were not found.
SPEEDRACING_TOTALS = (
    f'{SPEEDRACING_EST}: "Jousse/Collard somaram 50 pontos, três a mais do que Belicchi/Boullion"'
)
FINAL_POINTS = {
    ("LMP1", "drivers", 1): (Decimal(50), SPEEDRACING_TOTALS),
    ("LMP1", "drivers", 2): (Decimal(47), SPEEDRACING_TOTALS),
    ("LMGTEAm", "drivers", 1): (Decimal(75), NEXTGEN_GTEAM),
    ("LMGTEAm", "teams", 1): (Decimal(75), NEXTGEN_GTEAM),
}

# Further final places the reports give: class, kind, position, names as written, source.
FINAL_PLACES = [
    ("LMP1", "drivers", 2, ["Andrea Belicchi", "Jean-Christophe Boullion"], LANGSTRECKE_EST),
    (
        "LMP1",
        "teams",
        2,
        ["Pescarolo Team"],
        f'{AUTONEWS_EST}: Henri Pescarolo, "Nous perdons le titre Team de peu"; {AUTO123_EST}',
    ),
    ("LMGTEPro", "drivers", 2, ["Rob Bell", "James Walker"], LANGSTRECKE_EST),
    ("LMGTEPro", "teams", 2, ["JMW Motorsport"], LANGSTRECKE_EST),
    ("LMGTEPro", "drivers", 3, ["Marc Lieb", "Richard Lietz"], LANGSTRECKE_EST),
    ("LMGTEPro", "drivers", 4, ["Jaime Melo", "Toni Vilander"], SPEEDLIVE_AF),
    (
        "LMGTEAm",
        "drivers",
        2,
        ["Piergiuseppe Perazzini", "Marco Cioci", "Stéphane Lemeret"],
        SPEEDLIVE_AF,
    ),
]

PECOM = {
    "class": "LMP2",
    "team": "Pecom Racing",
    "chassis": "Lola B11/40",
    "engine": "Judd-BMW HK 3.6 V8",
    "tyres": "Michelin",
    "crew": [("Pierre Kaffer", "DE"), ("Matías Russo", "AR"), ("Luís Pérez Companc", "AR")],
}


def load(stdout=None):
    """Load the 2011 data unless it is there already. Returns True when it loaded."""
    if Season.objects.filter(series__slug="le-mans-series", year=2011).exists():
        return False
    with writes.changes():  # stores the standings of the seasons it writes, once each
        Loader().run()
    if stdout is not None:
        stdout.write("2011 Le Mans Series, ILMC and ALMS rounds loaded.")
    return True


class Loader:
    def __init__(self):
        self.drivers = {}
        self.teams = {}
        self.aliases = matching.read_rules()
        self.facts = read_people()

    def run(self):
        classes = {
            code: CarClass.objects.get_or_create(code=code, defaults={"name": n, "colour": c})[0]
            for code, (n, c) in CLASSES.items()
        }
        self.classes = classes
        seasons = {key: self.season(key, spec) for key, spec in SEASONS.items()}
        le_mans = Event.objects.filter(
            rounds__season__series__slug="24-hours-of-le-mans", last_day__year=2011
        ).first()
        if le_mans is not None:
            # The ILMC 2011 rules count Le Mans double.
            Round.objects.create(
                season=seasons[ILMC], event=le_mans, number=3, points_factor=Decimal(2)
            )
        for spec in EVENTS:
            self.event(spec, seasons)
        self.rules(seasons)
        self.titles(seasons[LMS], self.lms_places(), FINAL_POINTS)
        self.titles(
            seasons[ILMC],
            [(code, kind, 1, names, None, source) for code, kind, names, source in ILMC_CHAMPIONS],
        )
        return seasons

    def lms_places(self):
        """The Le Mans Series champions and the further final places the reports give."""
        places = [
            (code, kind, 1, names, margin, CHAMPIONS_SOURCE)
            for code, kind, names, margin in CHAMPIONS
        ]
        return places + [
            (code, kind, position, names, None, source)
            for code, kind, position, names, source in FINAL_PLACES
        ]

    def titles(self, season, places, totals=None):
        """`places` [(class, kind, position, names, margin, source)] as official standings of
        `season`, with the points `totals` a source gives ({(class, kind, position): (points,
        source)}), linked to the drivers and teams of the results."""
        totals = totals or {}
        titles = []
        for code, kind, position, names, margin, source in places:
            points, points_source = totals.get((code, kind, position), (None, ""))
            titles += [
                Title(
                    season=season,
                    car_class=self.classes[code],
                    kind=kind,
                    position=position,
                    name=name,
                    driver=self.driver(name) if kind == "drivers" else None,
                    team=self.known_team(name) if kind == "teams" else None,
                    margin_points=margin,
                    points=points,
                    source=f"{source}; points: {points_source}" if points_source else source,
                )
                for name in names
            ]
        Title.objects.bulk_create(titles)

    def rules(self, seasons):
        """The LMS and ILMC points rules, on their preset scales (races migration 0004)."""
        ChampionshipRules.objects.create(
            season=seasons[LMS],
            scale=PointsScale.objects.get(slug="le-mans-series-2010"),
            pole_points=Decimal(1),
            team_standings=ChampionshipRules.TeamStandings.ALL_CARS,
            manufacturers_best_n=2,
            # Only drivers who drove score: Tinseau, entered but not driving at Estoril, shared
            # neither the win's points nor the title (docs/decisions/0006).
            drove_required=True,
            source=f"{RULES_SOURCE}; only drivers who drove score: {DROVE_SOURCE}",
            notes="Engine-change penalties (-2 points for an early engine change, -4 for each "
            "further one) applied in 2011; the sources do not say which cars had them.",
        )
        ChampionshipRules.objects.create(
            season=seasons[ILMC],
            scale=PointsScale.objects.get(slug="ilmc-2011"),
            team_standings=ChampionshipRules.TeamStandings.BEST_CAR,
            driver_standings=False,
            source=f"{RULES_SOURCE}; a cup for teams and manufacturers, no drivers' title: "
            f"{CARADISIAC_ZHUHAI}",
            notes="Double points at Le Mans; a team scores with its best car. No source here "
            "states an ILMC pole bonus, so none is given. The cup had no drivers' standings.",
        )

    def season(self, key, spec):
        name, slug, short = spec["series"]
        series, _ = Series.objects.get_or_create(
            slug=slug, defaults={"name": name, "short_name": short, "notes": spec["series_notes"]}
        )
        season = Season.objects.create(
            series=series,
            year=2011,
            name=spec["name"],
            is_complete=False,
            source=spec.get("source", CALENDAR),
            notes=spec["notes"],
        )
        SeasonClass.objects.bulk_create(
            SeasonClass(season=season, car_class=self.classes[code], order=order)
            for order, code in enumerate(spec["classes"], start=1)
        )
        return season

    def circuit(self, key):
        name, place, country, zone = CIRCUITS[key]
        circuit, _ = Circuit.objects.get_or_create(
            slug=slug_for(name),
            defaults={"name": name, "place": place, "country": country, "time_zone": zone},
        )
        return circuit

    def event(self, spec, seasons):
        event = Event.objects.create(
            circuit=self.circuit(spec["circuit"]),
            name=spec["name"],
            slug=slug_for(spec["name"]),
            first_day=spec["first_day"],
            last_day=spec["last_day"],
            status=Event.Status.COMPLETED,
            postponed_from=spec.get("postponed_from"),
            cars_entered=spec.get("cars_entered"),
            source=spec["source"],
            notes=spec.get("notes", ""),
        )
        own_seasons = []
        for key, number in spec["rounds"].items():
            Round.objects.create(season=seasons[key], event=event, number=number)
            own_seasons.append(seasons[key])
        sessions = {}
        for kind, name, order, time_limit, distance in spec["sessions"]:
            sessions[kind] = Session.objects.create(
                event=event,
                kind=kind,
                name=name,
                order=order,
                time_limit=time_limit,
                distance_limit=distance[0] if distance else None,
                distance_unit=distance[1] if distance else "",
                results_status=Session.ResultsStatus.PARTIAL,
                source=spec["source"],
            )
        for car in spec["cars"]:
            self.car(event, car, sessions, seasons, own_seasons)

    def car(self, event, car, sessions, seasons, own_seasons):
        facts = {**PECOM, **car} if car.get("pecom") else car
        team = self.team(facts["team"]) if facts.get("team") else None
        entry = Entry.objects.create(
            event=event,
            number=facts["number"],
            car_class=self.classes[facts["class"]],
            team=team,
            entrant=facts.get("entrant", facts.get("team", "")),
            chassis=facts.get("chassis", ""),
            engine=facts.get("engine", ""),
            tyres=facts.get("tyres", ""),
            source=facts.get("source", event.source),
            notes=facts.get("notes", ""),
        )
        registered = (
            [seasons[k] for k in facts["championships"]]
            if "championships" in facts
            else [s for s in own_seasons if s.series.slug == "le-mans-series"]
        )
        Registration.objects.bulk_create(Registration(entry=entry, season=s) for s in registered)
        written = {}
        names = [m[0] if isinstance(m, tuple) else m for m in facts.get("crew", [])]
        if unknown := set(facts.get("did_not_drive", {})) - set(names):
            raise ValueError(f"{event.name}: did not drive but not in the crew: {unknown}")
        for order, member in enumerate(facts.get("crew", []), start=1):
            name, nationality = member if isinstance(member, tuple) else (member, "")
            written[name] = written.get(name, 0) + 1
            driver = self.driver(name, written[name])
            self.fill_in(driver, nationality, facts.get("about", {}).get(name))
            # drove: False for a member a source says did not drive, else not known.
            drove = False if name in facts.get("did_not_drive", {}) else None
            Crew.objects.create(
                entry=entry, driver=driver, order=order, nationality=nationality, drove=drove
            )
        for kind in ("qualifying", "race"):
            if kind in facts:
                self.result(sessions[kind], entry, facts[kind], facts.get("source", ""))

    @staticmethod
    def fill_in(driver, nationality, about):
        """A driver known only from these sources (no Le Mans career to give them) gets the
        nationality the car's sources give and their note, where he has none yet."""
        changed = {}
        if nationality and not driver.nationality:
            changed["nationality"] = nationality
        if about and not driver.facts_note:
            changed["facts_note"], changed["facts_source"] = about
        for field, value in changed.items():
            setattr(driver, field, value)
        if changed:
            driver.save(update_fields=list(changed))

    def result(self, session, entry, facts, source):
        status = facts.get("status", Result.Status.CLASSIFIED)
        Result.objects.create(
            session=session,
            entry=entry,
            finish_order=facts.get("finish_order"),
            position=facts.get("position"),
            class_position=facts.get("class_position"),
            laps=facts.get("laps"),
            time=facts.get("time"),
            gap_laps=facts.get("gap_laps"),
            status=status,
            reason=facts.get("reason", ""),
            source=source or session.source,
            notes=facts.get("notes", ""),
        )

    def driver(self, name, nth=1):
        """The driver of that name: a Le Mans driver where the name is given in full and is
        one identity after the alias file; otherwise a driver named as written (a second
        person with the same written name in one crew is a second driver)."""
        key = (matching.identity_key(name, YEAR, self.aliases, "driver"), nth)
        if key in self.drivers:
            return self.drivers[key]
        matches = list(Driver.objects.filter(search_key=key[0])[:2]) if nth == 1 else []
        if len(matches) == 1 and " " in name:
            driver = matches[0]
            self.lives(driver.slug, driver.full_name)  # his life allows a race in 2011
        else:
            slug = slug_for(name)
            suffix = 1
            while Driver.objects.filter(slug=slug).exists():
                suffix += 1
                slug = f"{slug_for(name)}-{suffix}"
            written = parse_name(name)  # "Mello-Breyner": no source gives the first name
            driver = Driver.objects.create(
                full_name=written.name,
                title=written.title,
                first_name_known=written.first_name_known,
                slug=slug,
                **self.lives(slug, written.name),
            )
        self.drivers[key] = driver
        return driver

    def lives(self, slug, name):
        """The people.csv facts of a driver (those of a driver of these seasons alone are
        written with him; the Le Mans loader gives the others theirs), refused if they rule
        out a race in 2011."""
        fact = self.facts.get(slug)
        if fact is None or fold(fact.name) != fold(name):
            return {}  # a row that lands on no one is refused by load_demo
        if problems := impossible_years(fact, [YEAR]):
            raise PeopleError("; ".join(problems))
        return fact.values()

    def known_team(self, name):
        """The team of that name if the data so far named it (the 2011 rounds, or Le Mans and
        the other years: the same identity key), else None."""
        key = matching.identity_key(name, YEAR, self.aliases, "team")
        return self.teams.get(key) or Team.objects.filter(search_key=key).first()

    def team(self, name):
        """The team of that name after the alias file, matched as the Le Mans loader matched
        it (folded name, or the same slug for a spelling that differs only in punctuation),
        else a new team."""
        key = matching.identity_key(name, YEAR, self.aliases, "team")
        if key not in self.teams:
            team = (
                Team.objects.filter(search_key=key).first()
                or Team.objects.filter(slug=slug_for(name)).first()
                or Team.objects.create(name=name, slug=slug_for(name))
            )
            self.teams[key] = team
        return self.teams[key]
