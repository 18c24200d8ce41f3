"""How an organisation is named in the store: by the registered domain of its website, else by its name.

The same keys as :class:`socanalysis.ClientIndex` matches clients by: a website reduced to its
registered domain (:func:`socanalysis.leads.registered_domain`: ``https://shop.acme.co.uk/x`` is
``acme.co.uk``), a name reduced by :func:`socanalysis.normalise_name` (``The Acme Co., Ltd.`` is
``acme``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..leads import registered_domain
from ..load import TEXT_DTYPE, fields_of, normalise_name
from ._errors import ReviewStoreError


@dataclass(frozen=True)
class OrgKey:
    """The key of one organisation, and how it was given."""

    kind: str  # "domain" or "name"
    key: str
    name_key: str | None  # the normalised name, when a name was given
    organisation: str
    website: str | None


def _one(series_function, value: str) -> str | None:
    out = series_function(pd.Series([value], dtype=TEXT_DTYPE)).iloc[0]
    return None if pd.isna(out) else str(out)


def organisation_key(organisation, website=None) -> OrgKey:
    """The key of an organisation given by name or by website, and optionally its website."""
    if isinstance(organisation, str) and (website is None or isinstance(website, str)):
        return _organisation_key(organisation, website)
    return _organisation_key.__wrapped__(organisation, website)


@functools.lru_cache(maxsize=4096)
def _organisation_key(organisation, website=None) -> OrgKey:
    """:func:`organisation_key`, kept for the names and websites seen last.

    Examples
    --------
    >>> _organisation_key("The Acme Co., Ltd.")
    OrgKey(kind='name', key='acme', name_key='acme', organisation='The Acme Co., Ltd.', website=None)
    >>> _organisation_key("https://shop.acme.co.uk/about").key
    'acme.co.uk'
    >>> k = _organisation_key("Acme Payroll", website="www.acme.com")
    >>> k.kind, k.key, k.name_key
    ('domain', 'acme.com', 'acme payroll')
    """
    if not isinstance(organisation, str) or not organisation.strip():
        raise ReviewStoreError(
            f"organisation={organisation!r}: give the organisation's name (e.g. 'Acme Payroll Inc.') or its website "
            "(e.g. 'acme.com')"
        )
    organisation = organisation.strip()
    if website is not None:
        if not isinstance(website, str) or not website.strip():
            raise ReviewStoreError(f"website={website!r}: give a web address such as 'acme.com', or leave it out")
        website = website.strip()
        domain = _one(registered_domain, website)
        if domain is None:
            raise ReviewStoreError(
                f"website={website!r} is not a web address; accepted: a host name or URL such as 'acme.com' or "
                "'https://www.acme.com/about'"
            )
        return OrgKey("domain", domain, _one(normalise_name, organisation), organisation, website)
    domain = _one(registered_domain, organisation)
    if domain is not None:
        return OrgKey("domain", domain, None, organisation, organisation)
    name = _one(normalise_name, organisation)
    if name is None:
        raise ReviewStoreError(
            f"organisation={organisation!r} has no letters or digits to recognise it by; give its name or website"
        )
    return OrgKey("name", name, name, organisation, None)


def organisation_keys(organisations: pd.Series, websites: pd.Series) -> tuple[list[OrgKey | None], list[tuple]]:
    """:func:`organisation_key` for whole columns at once: a key per row (None when it has a problem)
    and the problems as (position, column, value, problem).

    Examples
    --------
    >>> keys, problems = organisation_keys(pd.Series(["Acme Inc", "acme.co.uk", "", "Globex"]),
    ...                                    pd.Series(["", "", "", "not a site"]))
    >>> [(k.kind, k.key) if k else None for k in keys]
    [('name', 'acme'), ('domain', 'acme.co.uk'), None, None]
    >>> [p[:2] for p in problems]
    [(2, 'organisation'), (3, 'website')]
    """
    org = pd.Series(organisations, dtype=TEXT_DTYPE).fillna("").str.strip().reset_index(drop=True)
    web = pd.Series(websites, dtype=TEXT_DTYPE).fillna("").str.strip().reset_index(drop=True)
    has_org, has_web = (org != "").to_numpy(dtype=bool), (web != "").to_numpy(dtype=bool)
    web_domain = registered_domain(web.where(has_web)).to_numpy(dtype=object, na_value=None)
    org_domain = registered_domain(org.where(has_org & ~has_web)).to_numpy(dtype=object, na_value=None)
    org_name = normalise_name(org.where(has_org)).to_numpy(dtype=object, na_value=None)
    keys: list[OrgKey | None] = []
    problems = []
    for i in range(len(org)):  # assembling the keys computed above, one object per row
        name, site = org.iat[i], web.iat[i]
        if not name:
            problems.append((i, "organisation", "", "required: the organisation's name or website"))
            keys.append(None)
        elif site and web_domain[i] is None:
            problems.append((i, "website", site, "not a web address; accepted: a host name or URL such as acme.com"))
            keys.append(None)
        elif site:
            keys.append(OrgKey("domain", web_domain[i], org_name[i], name, site))
        elif org_domain[i] is not None:
            keys.append(OrgKey("domain", org_domain[i], None, name, name))
        elif org_name[i] is not None:
            keys.append(OrgKey("name", org_name[i], org_name[i], name, None))
        else:
            problems.append((i, "organisation", name, "has no letters or digits to recognise it by"))
            keys.append(None)
    return keys, problems


def frame_mapping(df: pd.DataFrame, mapping: Mapping[str, str | None] | None) -> dict[str, str]:
    """Field -> column for ``df``: ``mapping`` if given, else the one it carries or its headers give."""
    if mapping is None:
        mapping = fields_of(df)
    mapping = {k: v for k, v in dict(mapping).items() if isinstance(v, str) and v}
    missing = {f: c for f, c in mapping.items() if f in ("name", "website", "reports") and c not in df.columns}
    if missing:
        raise ReviewStoreError(
            f"the field mapping names columns that are not in the table: {missing!r}; "
            f"the columns are: {', '.join(map(repr, map(str, df.columns)))}"
        )
    if "name" not in mapping and "website" not in mapping:
        raise ReviewStoreError(
            "the table has neither a name nor a website column to recognise organisations by; the columns are: "
            f"{', '.join(map(repr, map(str, df.columns)))}. Name them with mapping={{'name': ..., 'website': ...}}"
        )
    return mapping


def frame_keys(df: pd.DataFrame, mapping: Mapping[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the key kind (``domain``, ``name`` or None) and the key, as :func:`organisation_key` gives them.

    Examples
    --------
    >>> df = pd.DataFrame({"Company": ["Acme Inc", "Globex", None], "Website": ["acme.com", None, None]})
    >>> kinds, keys = frame_keys(df, {"name": "Company", "website": "Website"})
    >>> kinds.tolist(), keys.tolist()
    (['domain', 'name', None], ['acme.com', 'globex', None])
    """
    n = len(df)
    kinds = np.full(n, None, dtype=object)
    keys = np.full(n, None, dtype=object)
    if mapping.get("website"):
        domains = registered_domain(df[mapping["website"]].astype(TEXT_DTYPE))
        hit = domains.notna().to_numpy()
        kinds[hit] = "domain"
        keys[hit] = domains[hit].to_numpy(dtype=object)
    if mapping.get("name"):
        open_ = kinds == None  # noqa: E711 - elementwise
        names = normalise_name(df[mapping["name"]].astype(TEXT_DTYPE))
        hit = open_ & names.notna().to_numpy()
        kinds[hit] = "name"
        keys[hit] = names[hit].to_numpy(dtype=object)
    return kinds, keys
