"""Sample classification files for the import tests: those in data/ and a builder."""

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
ELMS = DATA / "elms_sample.csv"
IMSA = DATA / "imsa_sample.csv"
HEADER = (
    "POSITION;NUMBER;TEAM;DRIVER_1;DRIVER_2;DRIVER_3;DRIVER_4;VEHICLE;TYRES;CLASS;STATUS;LAPS;"
    "TOTAL_TIME;GAP_FIRST;GAP_PREVIOUS;FL_LAPNUM;FL_TIME;FL_KPH;"
)


def csv_bytes(*lines, header=HEADER, bom=True, newline="\n"):
    """A classification file from `lines` (each without its trailing `;`)."""
    text = newline.join([header, *(f"{line};" for line in lines)]) + newline
    return ("\ufeff" if bom else "").encode() + text.encode()


def car(
    position,
    number,
    drivers=None,
    cls="LMP2",
    status="Classified",
    laps=100,
    time="4:00'00.000",
    gap="",
    team="Some Team",
    vehicle="Oreca 07 - Gibson",
    tyres="M",
    best="1'35.000",
    best_lap=50,
):
    drivers = f"Anna SMITH-{number}" if drivers is None else drivers  # one name per car
    names = ([*drivers.split("|"), "", "", "", ""])[:4]
    return ";".join(
        [
            str(position),
            number,
            team,
            *names,
            vehicle,
            tyres,
            cls,
            status,
            str(laps),
            time,
            gap,
            "",
            str(best_lap),
            best,
            "180.0",
        ]
    )
