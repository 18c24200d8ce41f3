"""Organisation names and websites reduced to keys for matching, and duplicate organisations found by them.

>>> normalise_name(pd.Series(["Acme Payroll, Inc.", "ACME PAYROLL LLC"])).tolist()
['acme payroll', 'acme payroll']
>>> find_duplicates(pd.Series(["Acme Payroll, Inc.", "ACME PAYROLL LLC"])).tolist()
[<NA>, 1]
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from .cells import TEXT_DTYPE

__all__ = ["LEGAL_SUFFIXES", "find_duplicates", "fold_text", "normalise_domain", "normalise_name"]

LEGAL_SUFFIXES: tuple[str, ...] = (
    "inc",
    "incorporated",
    "llc",
    "llp",
    "lllp",
    "pllc",
    "lp",
    "ltd",
    "limited",
    "corp",
    "corporation",
    "co",
    "company",
    "gmbh",
    "mbh",
    "ag",
    "kg",
    "plc",
    "sa",
    "sas",
    "sarl",
    "srl",
    "spa",
    "bv",
    "nv",
    "pty",
    "pte",
    "pvt",
    "ab",
    "as",
    "oy",
    "oyj",
    "kk",
    "se",
    "pc",
)
# The patterns avoid \s, \w, look-arounds and back-references so that pandas runs them in pyarrow
# (RE2) over the whole column instead of calling Python's re row by row.
_WHITESPACE = " \t\n\r\x0b\x0c"
_PUNCT = (
    "["
    + re.escape('!"#$%&()*+,-/:;<=>?@[\\]^_`{|}~')
    + _WHITESPACE[1:]
    + "\u00a0-\u00bf\u00d7\u00f7\u2000-\u205e\u3000]"
)
_MARKS = "[\u0300-\u036f]"
# one or more legal suffixes at the end, each after a space (so a name is never removed whole)
_SUFFIX_TAIL = "(?: (?:and )?(?:" + "|".join(LEGAL_SUFFIXES) + "))+$"
_URL_HEAD = r"^(?:[a-z][a-z0-9+.\-]*://|//|mailto:)?(?:[^@/?#]*@)?(?:www[0-9]*\.)?"
_URL_TAIL = r"\.*(?:[:/?#,;|" + _WHITESPACE + "].*)?$"


def fold_text(text: str) -> str:
    """What :func:`normalise_name` makes of each character of a text: accents folded, lower case,
    "&" as " and ", dots and apostrophes dropped, other punctuation as spaces.

    >>> fold_text("Müller & Söhne, S.A.")
    'muller  and  sohne  sa'
    """
    folded = re.sub(_MARKS, "", unicodedata.normalize("NFKD", text)).lower()
    return re.sub(_PUNCT, " ", re.sub("[.'\u2019`]", "", folded.replace("&", " and ")))


def _text(series: pd.Series) -> pd.Series:
    return pd.Series(series, copy=False).astype(TEXT_DTYPE)


def normalise_name(series: pd.Series) -> pd.Series:
    """Organisation names reduced for matching: lowercase, accents and punctuation removed,
    legal suffixes (Inc, LLC, Ltd, Corp, GmbH, PLC, Co, Company ...) and a leading "The" dropped.

    Empty results are missing, so blank names never match each other.

    Examples
    --------
    >>> normalise_name(pd.Series(["The Acme Co., Ltd.", "ACME", "Müller & Söhne GmbH & Co. KG",
    ...                           "A.B.C. Payroll, L.L.C.", "Company", None, " - "])).tolist()
    ['acme', 'acme', 'muller and sohne', 'abc payroll', 'company', nan, nan]
    """
    s = _text(series)
    accented = ~s.str.isascii().fillna(True).astype(bool)
    if accented.any():
        folded = s[accented].str.normalize("NFKD").str.replace(_MARKS, "", regex=True)
        s = s.mask(accented, folded)
    s = s.str.lower().str.replace("&", " and ", regex=False)
    s = s.str.replace("[.'\u2019`]", "", regex=True)
    s = s.str.replace(_PUNCT, " ", regex=True)
    s = s.str.replace(" {2,}", " ", regex=True).str.strip()
    s = s.str.replace(r"^the ([^ ])", r"\1", regex=True)
    s = s.str.replace(_SUFFIX_TAIL, "", regex=True)
    return s.mask(s == "")


def normalise_domain(series: pd.Series) -> pd.Series:
    """Website values reduced to their host: scheme, ``www.``, user, port, path and query removed,
    lowercase. Values that are not a host name (``n/a``, ``-``, a company name) become missing.

    Offline and vectorised: no public-suffix lookup, so ``app.acme.com`` and ``acme.com`` differ.

    Examples
    --------
    >>> normalise_domain(pd.Series(["https://WWW.Acme.com/about?x=1", "acme.com.", "info@acme.com",
    ...                             "http://shop.acme.co.uk:8080", "n/a", "Acme Inc", None])).tolist()
    ['acme.com', 'acme.com', 'acme.com', 'shop.acme.co.uk', nan, nan, nan]
    """
    s = _text(series).str.strip().str.lower()
    s = s.str.replace(_URL_HEAD, "", regex=True).str.replace(_URL_TAIL, "", regex=True)
    valid = s.str.fullmatch(r"[^ .@]+(\.[^ .@]+)+").fillna(False).astype(bool)
    return s.where(valid)


def find_duplicates(names: pd.Series | None, websites: pd.Series | None = None) -> pd.Series:
    """For each row, the 1-based number of the first earlier row with the same organisation.

    Two rows are the same organisation when their normalised names (:func:`normalise_name`) or
    their website domains (:func:`normalise_domain`) are equal. Rows are never dropped.

    Returns
    -------
    pandas.Series
        ``Int64``, aligned with the input; missing for the first occurrence and for unique rows.

    Examples
    --------
    >>> find_duplicates(pd.Series(["Acme Inc", "Globex", "ACME", "Initech"]),
    ...                 pd.Series(["acme.com", "globex.com", None, "www.globex.com"])).tolist()
    [<NA>, <NA>, 1, 2]
    """
    keys = [normalise_name(names)] if names is not None else []
    if websites is not None:
        keys.append(normalise_domain(websites))
    if not keys:
        raise ValueError("find_duplicates needs names, websites or both")
    index = keys[0].index
    n = len(index)
    position = pd.Series(np.arange(n, dtype="int64"))
    firsts = [position.groupby(key.reset_index(drop=True), sort=False, dropna=True).transform("min") for key in keys]
    first = pd.concat(firsts, axis=1).min(axis=1)
    duplicate = first < position
    out = (first + 1).where(duplicate).astype("Int64")
    out.index = index
    return out.rename(None)
