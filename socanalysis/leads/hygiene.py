"""Mark the leads that are already clients.

A lead is an existing client when its website has the same registered domain as a client's
(``shop.acme.com`` and ``https://www.acme.com/about`` are both ``acme.com``), or else when its
normalised name (:func:`socanalysis.normalise_name`) equals a client's, or else when the two names
are close enough (a fuzzy score of at least ``threshold``, 90 by default, out of 100).

Registered domains come from the Public Suffix List bundled with ``tldextract`` (never fetched:
nothing goes over the network), private section included, so that ``acme.github.io`` and
``globex.github.io`` stay two organisations. Every step is vectorised over the leads: a hash join
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

import functools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._kernels import domain_keys, hash_strings, name_keys
from ..errors import ColumnError, SocAnalysisError
from ..load import (
    ARROW_TEXT,
    LEGAL_SUFFIXES,
    TEXT_DTYPE,
    fold_text,
    load_portfolio,
    normalise_domain,
    normalise_name,
    require_name,
    resolve,
)
from ..vocabulary import ATTRS_KEY

__all__ = ["MATCH_COLUMNS", "ClientIndex", "registered_domain"]

#: the columns :meth:`ClientIndex.match` returns
MATCH_COLUMNS = ("existing_client", "matched_client", "match_score")
DEFAULT_THRESHOLD = 90.0
_MAX_CELLS = 1 << 22  # largest block of fuzzy scores held at once (float32: 16 MB)
_MAX_LABELS = 8  # the longest public suffix has 7 labels; a registered domain one more


# --------------------------------------------------------------------------- registered domains
@dataclass(frozen=True)
class _SuffixRules:
    """Public Suffix List rules, each written backwards ("co.uk" as "ku.oc") to match label prefixes."""

    rules: pa.Array  # plain rules
    wildcard_bases: pa.Array  # "*.ck" -> "kc"
    exceptions: pa.Array  # "!www.ck" -> "kc.www"


@functools.lru_cache(maxsize=1)
def _suffix_rules() -> _SuffixRules:
    """The rules of the Public Suffix List snapshot bundled with tldextract, read offline."""
    import tldextract

    # no URLs and no cache directory: tldextract goes straight to its bundled snapshot
    extractor = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), include_psl_private_domains=True)
    rules, wild, exceptions = set(), set(), set()
    for raw in extractor.tlds:
        forms = {raw.lower()}
        try:
            forms.add(raw.lower().encode("idna").decode("ascii"))
        except UnicodeError:
            pass
        for rule in forms:
            if rule.startswith("!"):
                exceptions.add(rule[1:][::-1])
            elif rule.startswith("*."):
                wild.add(rule[2:][::-1])
            else:
                rules.add(rule[::-1])
    as_array = lambda values: pa.array(sorted(values), pa.string())  # noqa: E731
    return _SuffixRules(as_array(rules), as_array(wild), as_array(exceptions))


def name_hashes(arr: pa.Array) -> np.ndarray:
    """A 64-bit key per name, equal for names equal after :func:`socanalysis.normalise_name` (0 when blank).

    One compiled pass: hashing a chunk's names this way takes a tenth of the time of normalising
    them with pandas and hashing the result, which is done only for the names the pass leaves
    out (other scripts, control characters).
    """
    keys, other = name_keys(arr, LEGAL_SUFFIXES, _folded())
    return _fallback(keys, other, arr, normalise_name)


@functools.lru_cache(maxsize=1)
def _folded() -> tuple[str, ...]:
    """What :func:`socanalysis.load.fold_text` makes of every character from U+00A0 to U+07FF."""
    return tuple(fold_text(chr(cp)) for cp in range(0xA0, 0x800))


def text_hashes(arr: pa.Array) -> np.ndarray:
    """The 64-bit key of texts already normalised, as :func:`name_hashes` keys a name after normalising it."""
    return hash_strings(arr)


def host_hashes(arr: pa.Array) -> np.ndarray:
    """A 64-bit key per website, equal for hosts equal after :func:`socanalysis.normalise_domain` (0 when none)."""
    keys, other = domain_keys(arr)
    return _fallback(keys, other, arr, normalise_domain)


def _fallback(keys: np.ndarray, other: np.ndarray, arr: pa.Array, normalise) -> np.ndarray:
    """Keys of the values a compiled pass leaves out, from the readable normaliser."""
    rows = np.flatnonzero(other)
    if len(rows):
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        values = pd.Series(arr.take(pa.array(rows)).to_pylist(), dtype="str")
        keys[rows] = hash_strings(pa.array(normalise(values), pa.large_string()))
    return keys


def _domain_keys(series: pd.Series) -> pa.Array:
    """Registered domains (null when there is none); a host that is itself a public suffix keys as itself.

    A host of two labels is its own registered domain, so only deeper hosts go through the rules.
    """
    host = normalise_domain(series)
    arr = pa.Array.from_pandas(host)
    if isinstance(arr, pa.ChunkedArray):  # a column read in blocks
        arr = arr.combine_chunks()
    arr = arr.cast(pa.string())
    deep = _true(pc.greater_equal(pc.count_substring(arr, "."), 2))
    if deep.any():
        arr = pc.replace_with_mask(arr, pa.array(deep), _reduce(arr.filter(pa.array(deep))))
    return arr


def _reduce(hosts: pa.Array) -> pa.Array:
    """Hosts of three labels or more reduced to their registered domain with the suffix rules."""
    rules = _suffix_rules()
    labels = pc.split_pattern(pc.utf8_reverse(hosts), ".")  # backwards: "ku.oc.emca.pohs"
    count = pc.list_value_length(labels).to_numpy(zero_copy_only=False).astype(np.int64)
    depth = int(min(count.max(), _MAX_LABELS))
    # prefix[j]: the last j labels (backwards), null where the host has fewer
    prefix = [None] + [
        pc.if_else(pa.array(count >= j), pc.binary_join(pc.list_slice(labels, 0, j), "."), None)
        for j in range(1, depth + 1)
    ]
    # the public suffix: the longest rule that matches, one label when none does (the "*" rule)
    suffix = np.ones(len(hosts), dtype=np.int64)
    for j in range(2, depth + 1):
        hit = _true(pc.is_in(prefix[j], value_set=rules.rules))
        hit |= _true(pc.is_in(prefix[j - 1], value_set=rules.wildcard_bases))
        suffix = np.where(hit, j, suffix)
    for j in range(2, depth + 1):
        suffix = np.where(_true(pc.is_in(prefix[j], value_set=rules.exceptions)), j - 1, suffix)
    take = np.minimum(suffix + 1, count)  # one label more than the suffix, or the host itself
    return pc.utf8_reverse(pc.choose(pa.array(take - 1, pa.int8()), *prefix[1:]))


def _true(mask) -> np.ndarray:
    return pc.fill_null(mask, False).to_numpy(zero_copy_only=False)


def registered_domain(series: pd.Series) -> pd.Series:
    """The registered domain of each website: the part an organisation registers.

    The host is read with :func:`socanalysis.normalise_domain`, then reduced with the Public
    Suffix List bundled with ``tldextract`` (offline, private section included).

    Examples
    --------
    >>> registered_domain(pd.Series(["https://shop.acme.co.uk/x", "www.acme.com", "acme.github.io",
    ...                               "a.b.c.example.org", "n/a", None])).tolist()
    ['acme.co.uk', 'acme.com', 'acme.github.io', 'example.org', nan, nan]
    """
    keys = _domain_keys(series)
    return _pandas(keys).set_axis(series.index).rename(series.name)


def _pandas(arr: pa.Array) -> pd.Series:
    return arr.to_pandas(types_mapper=ARROW_TEXT.get)


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
