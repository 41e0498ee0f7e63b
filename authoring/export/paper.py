"""Which paper an agreement's documents are printed on: the agreement's setting, else its locale's.

Unicode CLDR (common/supplemental/supplementalData.xml, `measurementData`) gives A4 for the
world (territory 001) and `paperSize type="US-Letter"` for the territories below. Babel
ships no measurement data (its global data has no paper sizes), so the list is kept here;
checked against CLDR 46.
"""
from __future__ import annotations

from .labels import LOCALES

LETTER_TERRITORIES = frozenset({"BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE"})


def locale_paper(locale: str) -> str:
    """"Letter" for a locale whose territory uses US Letter ("fil-PH", "en-US"), else "A4"."""
    territory = locale.replace("_", "-").split("-")[-1].upper() if "-" in locale or "_" in locale else ""
    return "Letter" if territory in LETTER_TERRITORIES else "A4"


def agreement_paper(language: str, setting: str | None) -> str:
    """The agreement's paper: its own setting ("A4", "Letter") when it has one, else its language's locale's."""
    if setting:
        return setting
    return locale_paper(LOCALES.get(language, ""))
