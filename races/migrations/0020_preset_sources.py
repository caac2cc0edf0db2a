"""Every preset's source names its address, and each preset's seasons are those its sources
support (docs/decisions/0014-championship-rules.md): the ELMS scale with half a point beyond
tenth is sourced for 2015 and 2018, so it runs 2015–2018; no source was found for the ELMS
scale with nothing beyond tenth, so it has none (the admin and the standings page say so) and
is proposed only after the last season sourced with the half point."""

from django.db import migrations

PRESETS = {
    "le-mans-series-2010": {
        "source": "Motorsport-Total.com, 7 December 2009, “LMS: Neues Punktesystem, neue "
        "Fahrereinstufung”, https://www.motorsport-total.com/european-le-mans-series/news/"
        "lms-neues-punktesystem-neue-fahrereinstufung-09120702: 15, 13, 11 for 1st–3rd, two "
        "points for 11th, one point for every further classified car, one point for the pole.",
    },
    "ilmc-2011": {
        "source": "Wikipedia, “2011 Intercontinental Le Mans Cup”, https://en.wikipedia.org/"
        "wiki/2011_Intercontinental_Le_Mans_Cup, and “Intercontinental Le Mans Cup 2011”, "
        "https://fr.wikipedia.org/wiki/Intercontinental_Le_Mans_Cup_2011: "
        "15-13-11-9-8-7-6-5-4-3-2-1, one point from 13th, one point for the class pole, "
        "double points at Le Mans.",
    },
    "elms-2015": {
        "name": "European Le Mans Series 2015–2018",
        "last_year": 2018,
        "source": "2015: Motorsport-Magazin.com, “Überblick über die Auszeichnungen und "
        "Punkte”, https://www.motorsport-magazin.com/elms/news-208154-ueberblick-ueber-die-"
        "auszeichnungen-und-punkte/: 25-18-15-12-10-8-6-4-2-1, half a point for every further "
        "classified car, one point for the pole, in every class. 2018: Racing24-7.net, 24 "
        "September 2018, https://racing24-7.net/en/2018/09/24/pointstillingerne-efter-spa/: "
        "G-Drive Racing #26, 12th in LMP2 at Spa, a race given half points, scored 0.25 points "
        "(half of the half point beyond tenth).",
        "notes": "With it: +1 point for the class pole. 2016 and 2017 have no source of their "
        "own: they lie between two seasons sourced with this scale.",
    },
    "elms-top-ten": {
        "first_year": 2019,
        "source": "",
        "notes": "No source found: no publication found names this scale for the European Le "
        "Mans Series (searched: Wikipedia's season articles, europeanlemansseries.com, "
        "fiawec.com, motorsport.com, dailysportscar.com, Motorsport-Magazin.com). It is the "
        "FIA WEC's scale for its 6-hour races (https://www.fiawec.com/en/points/70), which is "
        "not a source for the ELMS. Proposed from 2019 only because the ELMS still gave the "
        "half point beyond tenth in 2018 (see the 2015–2018 preset): check the season's "
        "sporting regulations before using it, and name them as the source here.",
    },
}


def name_the_sources(apps, schema_editor):
    from races.writes import record_change

    PointsScale = apps.get_model("races", "PointsScale")
    for slug, values in PRESETS.items():
        PointsScale.objects.filter(slug=slug).update(**values)
    record_change(using=schema_editor.connection.alias)  # the standings page shows sources


class Migration(migrations.Migration):
    dependencies = [("races", "0019_history_reason_text")]

    operations = [migrations.RunPython(name_the_sources, migrations.RunPython.noop)]
