"""Mark the leads that are already clients.

A lead is an existing client when its website has the same registered domain as a client's
(``shop.acme.com`` and ``https://www.acme.com/about`` are both ``acme.com``), or else when its
normalised name (:func:`socanalysis.normalise_name`) equals a client's, or else when the two names
are close enough (a fuzzy score of at least ``threshold``, 90 by default, out of 100).

Registered domains come from the Public Suffix List bundled with ``tldextract``, read offline
(:func:`socanalysis.leads.keys.registered_domain`). Every step is vectorised over the leads: a hash join
for domains and exact names, then :func:`rapidfuzz.process.cdist` over blocks of names that
start with the same character. A name whose first character differs from the client's (a typo
in the first letter) is not found by the fuzzy step.

>>> clients = pd.DataFrame({"Client": ["Acme Payroll Inc.", "Globex Corporation", "Initech"],
...                         "Website": ["acme.com", None, "initech.io"]})
>>> leads = pd.DataFrame({"Company": ["ACME", "Globex Corp", "Globexx", "Umbrella"],
...                       "Website": ["https://shop.acme.com/x", None, None, "umbrella.com"]})
>>> index = ClientIndex.from_frame(clients)
>>> index.match(leads)
   existing_client       matched_client  match_score
0             True    Acme Payroll Inc.        100.0
1             True   Globex Corporation        100.0
2             True   Globex Corporation         92.3
3            False                               0.0
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import ColumnError, SocAnalysisError
from ..load import TEXT_DTYPE, load_portfolio, normalise_name, require_name, resolve
from ..vocabulary import ATTRS_KEY
from .keys import _domain_keys, _pandas

__all__ = ["MATCH_COLUMNS", "ClientIndex"]

#: the columns :meth:`ClientIndex.match` returns
MATCH_COLUMNS = ("existing_client", "matched_client", "match_score")
DEFAULT_THRESHOLD = 90.0
_MAX_CELLS = 1 << 22  # largest block of fuzzy scores held at once (float32: 16 MB)


# --------------------------------------------------------------------------- the index
def _mapping(df: pd.DataFrame, mapping: Mapping[str, str | None] | None) -> dict[str, str]:
    if mapping is None:
        mapping = df.attrs.get(ATTRS_KEY, {}).get("fields") or resolve(df.columns)
    mapping = {k: v for k, v in mapping.items() if v is not None}
    missing = {f: c for f, c in mapping.items() if f in ("name", "website") and c not in df.columns}
    if missing:
        raise ColumnError(
            f"the field mapping names columns that are not in the table: {missing!r}; "
            f"the columns are: {', '.join(map(repr, map(str, df.columns)))}"
        )
    return mapping


def _distinct(keys) -> tuple[pd.Index, np.ndarray]:
    """Distinct non-missing keys in order of first appearance, and the position of each first one."""
    s = pd.Series(keys, dtype=TEXT_DTYPE).reset_index(drop=True)
    firsts = s.dropna().drop_duplicates(keep="first")
    return pd.Index(firsts, dtype=TEXT_DTYPE), firsts.index.to_numpy(dtype=np.int64)


class ClientIndex:
    """The clients of a firm, prepared for matching leads against them.

    Build it once with :meth:`from_frame` or :meth:`from_file`, then call :meth:`match` on as
    many lead lists (or chunks of one) as needed. An index holds only arrays and can be pickled,
    so it can be sent to worker processes.

    Parameters
    ----------
    names : sequence of str
        The clients' names as written in the portfolio.
    websites : sequence of str, optional
        Their websites (missing values allowed), aligned with ``names``.
    threshold : float
        The lowest fuzzy name score (0-100, :func:`rapidfuzz.fuzz.ratio` on normalised names)
        that counts as a match.

    Examples
    --------
    >>> index = ClientIndex(["Acme Payroll LLC"], ["www.acme.com"])
    >>> len(index)
    1
    >>> index.match(pd.DataFrame({"Name": ["Acme Payrol"], "Description": [""]}))["match_score"].tolist()
    [95.7]
    """

    def __init__(self, names, websites=None, *, threshold: float = DEFAULT_THRESHOLD):
        if not 0 < threshold <= 100:
            raise SocAnalysisError(f"threshold={threshold!r}: accepted: a score above 0 and at most 100")
        names = pd.Series(list(names), dtype=TEXT_DTYPE)
        if websites is None:
            websites = pd.Series([None] * len(names), dtype=TEXT_DTYPE)
        websites = pd.Series(list(websites), dtype=TEXT_DTYPE)
        if len(websites) != len(names):
            raise SocAnalysisError(f"{len(names)} client names but {len(websites)} websites; give one per client")
        self.threshold = float(threshold)
        self.names = names.fillna("").to_numpy(dtype=object)
        norm = normalise_name(names)
        # every key maps to the first client (portfolio order) that holds it
        self._domains, self._domain_client = _distinct(_pandas(_domain_keys(websites)))
        self._names, self._name_client = _distinct(norm)
        # fuzzy blocks: the distinct normalised names by first character, in portfolio order
        distinct = self._names.to_series(index=range(len(self._names)))
        first = distinct.str[0].to_numpy(dtype=object)
        self._blocks = {
            c: (distinct.to_numpy(dtype=object)[first == c], self._name_client[first == c]) for c in pd.unique(first)
        }

    @classmethod
    def from_frame(
        cls,
        portfolio: pd.DataFrame,
        mapping: Mapping[str, str | None] | None = None,
        *,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> ClientIndex:
        """An index of the clients in a portfolio frame (its name and website columns).

        Parameters
        ----------
        portfolio : DataFrame
            As returned by :func:`socanalysis.load_portfolio`, or any frame with a name column.
        mapping : dict, optional
            Field -> column; by default the mapping carried in ``portfolio.attrs``, else the one
            its headers resolve to.
        threshold : float
            See :class:`ClientIndex`.

        Examples
        --------
        >>> ClientIndex.from_frame(pd.DataFrame({"Company": ["Acme"], "Website": ["acme.com"]})).names.tolist()
        ['Acme']
        """
        mapping = _mapping(portfolio, mapping)
        require_name(mapping, portfolio.columns, label="the client portfolio")
        website = mapping.get("website")
        return cls(
            portfolio[mapping["name"]],
            portfolio[website] if website else None,
            threshold=threshold,
        )

    @classmethod
    def from_file(
        cls,
        path,
        *,
        sheet: str | int | None = None,
        columns: Mapping[str, str | None] | None = None,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> ClientIndex:
        """An index of the clients in a portfolio file, read with :func:`socanalysis.load_portfolio`.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "clients.csv"
        >>> _ = path.write_text("Client,Services,Website\\nAcme,Payroll,acme.com\\n")
        >>> ClientIndex.from_file(path).names.tolist()
        ['Acme']
        """
        return cls.from_frame(load_portfolio(path, sheet=sheet, columns=columns), threshold=threshold)

    def __len__(self) -> int:
        return len(self.names)

    def __repr__(self) -> str:
        return f"ClientIndex({len(self)} clients, threshold={self.threshold:g})"

    @staticmethod
    def require_columns(mapping: Mapping[str, str | None], columns=None) -> None:
        """Raise :class:`ColumnError` unless ``mapping`` names a name or a website column to match on.

        Examples
        --------
        >>> ClientIndex.require_columns({"description": "About"}, ["About"])
        Traceback (most recent call last):
        ...
        socanalysis.errors.ColumnError: cannot match leads to clients: the lead list has neither a name nor ...
        """
        if mapping.get("name") is not None or mapping.get("website") is not None:
            return
        found = f"; the columns are: {', '.join(map(repr, map(str, columns)))}" if columns is not None else ""
        plain = f"cannot match leads to clients: the lead list has neither a name nor a website column{found}"
        raise ColumnError(
            plain + ". Name them with columns={'name': 'Your Column', 'website': 'Your Column'}",
            plain=plain,
            fields=["name", "website"],
        )

    def match(self, leads: pd.DataFrame, mapping: Mapping[str, str | None] | None = None) -> pd.DataFrame:
        """Which leads are already clients.

        Parameters
        ----------
        leads : DataFrame
            A lead list with a name column, a website column, or both.
        mapping : dict, optional
            Field -> column; by default the mapping carried in ``leads.attrs``, else the one its
            headers resolve to.

        Returns
        -------
        DataFrame
            Aligned with ``leads`` (same index): ``existing_client`` (bool), ``matched_client``
            (the client's name as written in the portfolio, "" when none) and ``match_score``
            (0-100: 100 for the same registered domain or the same normalised name, else the
            fuzzy name score; 0 when no client matches).

        Raises
        ------
        ColumnError
            When ``leads`` has neither a name nor a website column.

        Examples
        --------
        >>> index = ClientIndex(["Northwind Traders Ltd"], ["northwind.example"])
        >>> leads = pd.DataFrame({"Account": ["Northwind Traders"], "URL": ["http://x.org"]})
        >>> index.match(leads).to_dict("records")
        [{'existing_client': True, 'matched_client': 'Northwind Traders Ltd', 'match_score': 100.0}]
        """
        mapping = _mapping(leads, mapping)
        self.require_columns(mapping, leads.columns)
        name_col, web_col = mapping.get("name"), mapping.get("website")
        n = len(leads)
        client = np.full(n, -1, dtype=np.int64)
        score = np.zeros(n, dtype=np.float64)
        if web_col is not None and len(self._domains):
            at = self._domains.get_indexer(_pandas(_domain_keys(leads[web_col])))
            hit = at >= 0
            client[hit] = self._domain_client[at[hit]]
            score[hit] = 100.0
        if name_col is not None and len(self._names):
            open_ = client < 0
            norm = normalise_name(leads[name_col][open_])
            at = self._names.get_indexer(norm)
            rows = np.flatnonzero(open_)
            hit = at >= 0
            client[rows[hit]] = self._name_client[at[hit]]
            score[rows[hit]] = 100.0
            rest = ~hit & norm.notna().to_numpy()
            if rest.any():
                found, fuzzy = self._fuzzy(norm[rest])
                got = found >= 0
                client[rows[rest][got]] = found[got]
                score[rows[rest][got]] = fuzzy[got]
        matched = np.full(n, "", dtype=object)
        matched[client >= 0] = self.names[client[client >= 0]]
        return pd.DataFrame(
            {
                "existing_client": client >= 0,
                "matched_client": pd.array(matched, dtype=TEXT_DTYPE),
                "match_score": score,
            },
            index=leads.index,
        )

    def _fuzzy(self, norm: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        """Best client (or -1) and score for each normalised name, by blocks of the first character."""
        from rapidfuzz import fuzz, process

        codes, distinct = pd.factorize(norm)
        distinct = pd.Series(distinct, dtype=TEXT_DTYPE)
        best = np.full(len(distinct), -1, dtype=np.int64)
        best_score = np.zeros(len(distinct), dtype=np.float64)
        first = distinct.str[0].to_numpy(dtype=object)
        values = distinct.to_numpy(dtype=object)
        for c, rows in pd.Series(np.arange(len(distinct))).groupby(first, sort=False).indices.items():
            if c not in self._blocks:
                continue
            choices, owners = self._blocks[c]
            step = max(1, _MAX_CELLS // len(choices))
            for start in range(0, len(rows), step):
                part = rows[start : start + step]
                scores = process.cdist(
                    values[part],
                    choices,
                    scorer=fuzz.ratio,
                    score_cutoff=self.threshold,
                    workers=1,
                    dtype=np.float32,
                )
                top = scores.argmax(axis=1)
                top_score = scores[np.arange(len(part)), top]
                ok = top_score >= self.threshold
                best[part[ok]] = owners[top[ok]]
                best_score[part[ok]] = np.round(top_score[ok].astype(np.float64), 1)
        return best[codes], best_score[codes]
