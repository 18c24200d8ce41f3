"""Reviewed decisions applied to a classified frame, vectorised.

A row takes an organisation's current decision when its website's registered domain is the
decision's domain, or else when its normalised name is the decision's name: the keys and the
order :class:`socanalysis.ClientIndex` matches clients by (without the fuzzy step: a decision is
about one organisation, not a look-alike).

Speed: the rows' names and websites are hashed by the package's compiled passes, the keys the
batch engine finds duplicates by (64-bit FNV-1a hashes of ``normalise_name(x)`` and of
``normalise_domain(x)``), and looked up among the hashes of the decisions' keys: a row matches
when its hash is a decision's (two different keys share a 64-bit hash with a chance of about one
in 10**19; should two decisions' keys ever do so, their matches are checked on the text). A
website whose host is longer than its registered domain (``shop.acme.co.uk``) is not found by its
host's hash: the rows whose website has enough dots for such a host are cut after each dot
(``acme.co.uk/x``, ``co.uk/x`` ...), hashed again, and those that meet a decision's domain are
confirmed with :func:`socanalysis.leads.registered_domain`. No Python runs per row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# The compiled key passes of the batch engine (64-bit FNV-1a hashes, equal by construction to the
# hash of the normalised text): the only way to look at a million names in well under a tenth of
# a second. They stay behind these three names when they move with the engines' kernels.
from ..leads import host_hashes as domain_keys
from ..leads import name_hashes as name_keys
from ..leads import registered_domain
from ..leads import text_hashes as hash_strings
from ..load import ARROW_TEXT, TEXT_DTYPE, normalise_name
from ..vocabulary import DECIDED_BY_CLASSIFIER, REVIEW_COLUMNS
from ._decisions import current_events
from ._errors import ReviewStoreError
from ._keys import frame_mapping
from ._store import Store, read_store, store_missing
from ._vocab import REPORTS

__all__ = ["REVIEW_COLUMNS", "Decisions", "apply", "load_decisions"]

#: the classifier's columns a decision replaces
REPLACED_COLUMNS: tuple[str, ...] = ("soc_report", "tsc_categories", "report_type")
CLASSIFIER = DECIDED_BY_CLASSIFIER
_FILTER_BITS = 20  # a table of 2**20 flags (1 MB) that rules out most rows before an exact look-up


def _full_categories(report: str, categories: str) -> str:
    if report not in ("SOC 2", "Both"):
        return ""
    return "; ".join(["Security", *([categories] if categories else [])])


class _HashSet:
    """64-bit keys and the decision each stands for, with a table of flags that answers "certainly
    not" for most rows at once."""

    def __init__(self, hashes: np.ndarray, positions: np.ndarray):
        keep = hashes != 0
        self.index = pd.Index(hashes[keep], dtype=np.uint64)
        self.positions = positions[keep]
        # two keys of one hash (about 1 in 10**11 for 10,000 keys): then every match is checked on the text
        self.exact = self.index.is_unique
        self.flags = np.zeros(1 << _FILTER_BITS, dtype=bool)
        self.flags[(hashes[keep] & np.uint64((1 << _FILTER_BITS) - 1)).astype(np.int64)] = True

    def find(self, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Rows whose hash is one of the keys, and the position of the decision for each (-2: unsure)."""
        maybe = np.flatnonzero(self.flags[(hashes & np.uint64((1 << _FILTER_BITS) - 1)).astype(np.int64)])
        if not len(maybe):
            return maybe, maybe
        if not self.exact:  # -2: to be checked on the text
            hit = np.isin(hashes[maybe], self.index.to_numpy())
            return maybe[hit], np.full(int(hit.sum()), -2, dtype=np.int64)
        found = self.index.get_indexer(hashes[maybe])
        hit = found >= 0
        return maybe[hit], self.positions[found[hit]]


@dataclass(frozen=True, eq=False)
class Decisions:
    """The current decisions of a store, ready to be applied to frames.

    Holds only arrays (NumPy, pandas Index and Arrow), so it pickles: a batch engine loads it
    once (:func:`load_decisions`) and sends it to its workers, which call :meth:`apply` per
    chunk. Withdrawn decisions are left out.

    Attributes
    ----------
    organisation, report, categories, report_type, decided_by, reason, reviewed_at : pyarrow.Array
        One entry per decision. ``categories`` is written as in ``tsc_categories``: ``Security``
        first with a SOC 2 or Both, empty otherwise; ``reviewed_at`` is ISO 8601 text in UTC.
    domains : pandas.Index
        Registered domains of the decisions keyed by website; ``domain_at`` their positions.
    names : pandas.Index
        Normalised names: of the decisions keyed by name, and the names given with the decisions
        keyed by website (a name given with several websites is left out: it could be any of
        them); ``name_at`` their positions.

    Examples
    --------
    >>> d = Decisions.from_frame(pd.DataFrame({
    ...     "key_kind": ["domain", "name"], "org_key": ["acme.com", "globex"], "name_key": ["acme", "globex"],
    ...     "organisation": ["Acme", "Globex"], "report": ["Both", "Neither"], "categories": ["Privacy", ""],
    ...     "report_type": ["Type 2", ""], "decided_by": ["A. Lee", "B. Kim"], "reason": ["r1", "r2"],
    ...     "decided_at": pd.to_datetime(["2026-01-05 10:00", "2026-01-06 11:00"], utc=True)}))
    >>> len(d), d.categories.to_pylist()
    (2, ['Security; Privacy', ''])
    >>> leads = pd.DataFrame({"Company": ["Globex Corp.", "Umbrella", "Acme Inc"],
    ...                       "Website": [None, "umbrella.com", "https://shop.acme.com"]})
    >>> d.match(leads).tolist()
    [1, -1, 0]
    """

    organisation: pa.Array
    report: pa.Array
    categories: pa.Array
    report_type: pa.Array
    decided_by: pa.Array
    reason: pa.Array
    reviewed_at: pa.Array
    domains: pd.Index
    domain_at: np.ndarray
    names: pd.Index
    name_at: np.ndarray

    @classmethod
    def from_frame(cls, current: pd.DataFrame) -> Decisions:
        """Decisions from a frame like :func:`socanalysis.review.list_decisions` returns."""
        current = current[current["report"].notna()].reset_index(drop=True)
        bad = ~current["report"].isin(REPORTS)
        if bad.any():
            raise ReviewStoreError(
                f"decision report {current['report'][bad].iloc[0]!r} is not one of {', '.join(REPORTS)}"
            )
        text = lambda column: current[column].astype(TEXT_DTYPE).fillna("").tolist()  # noqa: E731
        reports, cats = text("report"), text("categories")
        at = pd.to_datetime(current["decided_at"], utc=True)
        kinds, keys, name_keys_ = text("key_kind"), text("org_key"), text("name_key")
        positions = np.arange(len(current), dtype=np.int64)
        domain = np.asarray(kinds, dtype=object) == "domain"
        by_name = pd.Series(np.asarray(keys, dtype=object)[~domain], index=positions[~domain], dtype=object)
        # names given with website-keyed decisions, where no name-keyed decision has them
        given = pd.Series(np.asarray(name_keys_, dtype=object)[domain], index=positions[domain], dtype=object)
        given = given[(given != "") & ~given.isin(set(by_name))]
        given = given[~given.duplicated(keep=False)]
        names = pd.concat([by_name, given])
        return cls(
            organisation=pa.array(text("organisation"), pa.string()),
            report=pa.array(reports, pa.string()),
            categories=pa.array([_full_categories(r, c) for r, c in zip(reports, cats, strict=True)], pa.string()),
            report_type=pa.array(text("report_type"), pa.string()),
            decided_by=pa.array(text("decided_by"), pa.string()),
            reason=pa.array(text("reason"), pa.string()),
            reviewed_at=pa.array([t.isoformat() for t in at], pa.string()),
            domains=pd.Index(np.asarray(keys, dtype=object)[domain], dtype=TEXT_DTYPE),
            domain_at=positions[domain],
            names=pd.Index(names.to_numpy(dtype=object), dtype=TEXT_DTYPE),
            name_at=names.index.to_numpy(dtype=np.int64),
        )

    def __len__(self) -> int:
        return len(self.report)

    def __repr__(self) -> str:
        return f"Decisions({len(self)} decisions: {len(self.domains)} by website, {len(self.names)} by name)"

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_hash")}

    def __setstate__(self, state):
        self.__dict__.update(state)

    @property
    def _www_domains(self) -> bool:
        """Whether a decision's domain starts with ``www.`` (``www.com``): hosts drop such a start."""
        return bool(len(self.domains)) and bool(self.domains.str.match(r"www[0-9]*\.").any())

    def _hashes(self, which: str) -> _HashSet:
        cached = self.__dict__.get(f"_hash_{which}")
        if cached is None:
            index, at = (self.domains, self.domain_at) if which == "domains" else (self.names, self.name_at)
            cached = _HashSet(hash_strings(pa.array(index.to_numpy(dtype=object), pa.large_string())), at)
            object.__setattr__(self, f"_hash_{which}", cached)
        return cached

    def match(
        self,
        df: pd.DataFrame,
        mapping: Mapping[str, str | None] | None = None,
        *,
        name_hashes: np.ndarray | None = None,
        website_hashes: np.ndarray | None = None,
    ) -> np.ndarray:
        """For each row of ``df``, the position of its decision, or -1.

        By registered website domain first, then by normalised name; vectorised.

        Parameters
        ----------
        df : pandas.DataFrame
        mapping : dict, optional
            Field -> column for ``name`` and ``website``; by default :func:`socanalysis.field_mapping`'s.
        name_hashes, website_hashes : numpy.ndarray of uint64, optional
            The rows' name and website keys as the batch engine computes them to find duplicates
            (64-bit hashes of the normalised name and of the normalised host, 0 for none), when
            the caller has them already: they are then not computed again.
        """
        mapping = frame_mapping(df, mapping)
        website, name = mapping.get("website"), mapping.get("name")
        return self.match_arrays(
            len(df),
            name=_arrow(df[name]) if name is not None else None,
            website=_arrow(df[website]) if website is not None else None,
            name_hashes=name_hashes,
            website_hashes=website_hashes,
        )

    def match_arrays(
        self,
        n: int,
        *,
        name: pa.Array | pa.ChunkedArray | None = None,
        website: pa.Array | pa.ChunkedArray | None = None,
        name_hashes: np.ndarray | None = None,
        website_hashes: np.ndarray | None = None,
    ) -> np.ndarray:
        """:meth:`match` on the Arrow text of the name and website columns (either may be None).

        Examples
        --------
        >>> d = Decisions.from_frame(pd.DataFrame({
        ...     "key_kind": ["name"], "org_key": ["globex"], "name_key": ["globex"], "organisation": ["Globex"],
        ...     "report": ["SOC 1"], "categories": [""], "report_type": [""], "decided_by": ["A. Lee"],
        ...     "reason": ["r"], "decided_at": pd.to_datetime(["2026-01-05"], utc=True)}))
        >>> d.match_arrays(2, name=pa.array(["Umbrella", "Globex Inc."])).tolist()
        [-1, 0]
        """
        at = np.full(n, -1, dtype=np.int64)
        if website is not None and len(self.domains):
            arr = _single(website)
            domains = self._hashes("domains")
            hashes = _given(website_hashes, n) if website_hashes is not None else domain_keys(arr)
            rows, found = domains.find(hashes)
            at[rows] = found
            # a host longer than its registered domain (shop.acme.co.uk) is not found by its hash
            deep = np.flatnonzero(_maybe_subdomain(arr) & (at < 0))
            if self._www_domains:
                check = deep  # a decision's domain starts like a "www." that hosts drop: check them all
            else:
                check = _subdomain_rows(arr, deep, domains) if len(deep) else deep
            check = np.union1d(check, np.flatnonzero(at == -2))
            if len(check):
                found = self.domains.get_indexer(registered_domain(_series(arr, check)))
                at[check] = np.where(found >= 0, self.domain_at[np.maximum(found, 0)], -1)
        if name is not None and len(self.names):
            arr = _single(name)
            names = self._hashes("names")
            rows, found = names.find(_given(name_hashes, n) if name_hashes is not None else name_keys(arr))
            open_ = at[rows] < 0
            rows, found = rows[open_], found[open_]
            at[rows] = found
            unsure = rows[found == -2]  # only when two keys share a hash
            if len(unsure):
                found = self.names.get_indexer(normalise_name(_series(arr, unsure)))
                at[unsure] = np.where(found >= 0, self.name_at[np.maximum(found, 0)], -1)
        at[at < 0] = -1
        return at

    def apply(self, df: pd.DataFrame, mapping: Mapping[str, str | None] | None = None, **hashes) -> pd.DataFrame:
        """:func:`apply` with these decisions."""
        return apply(df, self, mapping=mapping, **hashes)

    @classmethod
    def empty(cls) -> Decisions:
        """No decisions: applying them adds the review columns and changes nothing else.

        >>> len(Decisions.empty())
        0
        """
        return cls.from_frame(pd.DataFrame({c: pd.Series([], dtype=object) for c in _FRAME_COLUMNS}))

    def apply_columns(
        self,
        columns: Mapping[str, pa.Array],
        *,
        name: pa.Array | pa.ChunkedArray | None = None,
        website: pa.Array | pa.ChunkedArray | None = None,
        name_hashes: np.ndarray | None = None,
        website_hashes: np.ndarray | None = None,
    ) -> dict[str, pa.Array]:
        """The classifier's columns (Arrow, as :func:`socanalysis.classifier.classify_columns` makes
        them) with these decisions in place, and the :data:`REVIEW_COLUMNS` after them.

        What :func:`apply` does to a frame, for an engine that works on Arrow columns: rows with no
        decision keep their values (coded columns stay coded); ``decided_by`` is coded, so that a
        chunk without decisions costs next to nothing.

        Examples
        --------
        >>> d = Decisions.from_frame(pd.DataFrame({
        ...     "key_kind": ["name"], "org_key": ["globex"], "name_key": ["globex"], "organisation": ["Globex"],
        ...     "report": ["SOC 1"], "categories": [""], "report_type": ["Type 2"], "decided_by": ["A. Lee"],
        ...     "reason": ["Runs billing"], "decided_at": pd.to_datetime(["2026-01-05"], utc=True)}))
        >>> cols = {"soc_report": pa.array(["SOC 2", "Neither"]), "tsc_categories": pa.array(["Security", ""]),
        ...         "report_type": pa.array(["Type 1", ""])}
        >>> out = d.apply_columns(cols, name=pa.array(["Umbrella", "Globex"]))
        >>> {k: v.to_pylist() for k, v in out.items() if k != "reviewed_at"}  # doctest: +NORMALIZE_WHITESPACE
        {'soc_report': ['SOC 2', 'SOC 1'], 'tsc_categories': ['Security', ''], 'report_type': ['Type 1', 'Type 2'],
         'decided_by': ['classifier', 'A. Lee'], 'review_reason': ['', 'Runs billing'],
         'classifier_report': ['SOC 2', 'Neither']}
        """
        n = len(columns["soc_report"])
        if len(self) and n:
            at = self.match_arrays(
                n, name=name, website=website, name_hashes=name_hashes, website_hashes=website_hashes
            )
        else:
            at = np.full(n, -1, dtype=np.int64)
        rows = np.flatnonzero(at >= 0)
        picked = pa.array(at[rows])
        out = dict(columns)
        if len(rows):
            for column, values in zip(REPLACED_COLUMNS, (self.report, self.categories, self.report_type), strict=True):
                if column in out:
                    base = out[column]
                    if pa.types.is_dictionary(base.type):
                        out[column] = _recoded(base, rows, values.take(picked))
                    else:
                        out[column] = _replaced(base, rows, values.take(picked))
        added = (("decided_by", CLASSIFIER, self.decided_by), ("review_reason", "", self.reason))
        for column, fill, values in (*added, ("reviewed_at", "", self.reviewed_at)):
            out[column] = _recoded(_constant(n, fill), rows, values.take(picked)) if len(rows) else _constant(n, fill)
        out["classifier_report"] = columns["soc_report"]
        return out


def _given(hashes, n: int) -> np.ndarray:
    hashes = np.asarray(hashes)
    if hashes.shape != (n,) or hashes.dtype != np.uint64:
        raise ReviewStoreError(
            f"key hashes must be a uint64 array of one per row ({n}); got {hashes.dtype} {hashes.shape}"
        )
    return hashes


# --------------------------------------------------------------------------- Arrow helpers
_FRAME_COLUMNS = (
    "key_kind", "org_key", "name_key", "organisation", "report", "categories", "report_type",
    "decided_by", "reason", "decided_at",
)  # fmt: skip


def _single(arr) -> pa.Array:
    """One Arrow string array from an array or a chunked array."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary.take(arr.indices)
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        arr = arr.cast(pa.large_string())
    return arr


def _plain(arr: pa.Array) -> pa.Array:
    """A dictionary column's values, row by row."""
    return arr.dictionary.take(arr.indices) if pa.types.is_dictionary(arr.type) else arr


def _recoded(base: pa.DictionaryArray, rows: np.ndarray, values: pa.Array) -> pa.DictionaryArray:
    """A coded column with ``values`` at ``rows`` (increasing, one value each), still coded: the
    values join its small table of distinct texts, and only codes are written per row."""
    new = pc.dictionary_encode(values.cast(base.dictionary.type))
    distinct = pc.dictionary_encode(pa.concat_arrays([base.dictionary, new.dictionary]))
    remap = distinct.indices.to_numpy(zero_copy_only=False).astype(np.int32)
    codes = remap[base.indices.to_numpy(zero_copy_only=False)]
    codes[rows] = remap[len(base.dictionary) + new.indices.to_numpy(zero_copy_only=False)]
    return pa.DictionaryArray.from_arrays(pa.array(codes), distinct.dictionary)


def _constant(n: int, value: str) -> pa.DictionaryArray:
    """``n`` times ``value``, coded: one value and a code per row."""
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, dtype=np.int32)), pa.array([value], pa.large_string()))


def _arrow(series: pd.Series) -> pa.Array:
    """The column as one Arrow string array (no copy for Arrow-backed text)."""
    if not isinstance(series.dtype, pd.StringDtype):
        series = series.astype(TEXT_DTYPE)
    arr = pa.array(series.array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        arr = arr.cast(pa.large_string())
    return arr


def _series(arr: pa.Array, rows: np.ndarray) -> pd.Series:
    return arr.take(pa.array(rows)).to_pandas(types_mapper=ARROW_TEXT.get)


def _buffers(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    n = len(arr)
    width = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    bufs = arr.buffers()
    offsets = np.frombuffer(bufs[1], dtype=width)[arr.offset : arr.offset + n + 1].astype(np.int64)
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, np.uint8)
    return data, offsets


def _maybe_subdomain(arr: pa.Array) -> np.ndarray:
    """Rows whose host could have more labels than a two-label domain (``shop.acme.com``, ``acme.co.uk``).

    Such a host has two dots or more, so its value has two dots or more, and three when it
    starts with ``www.``, ``http://www.`` or ``https://www.`` (that ``www.`` is dropped with the
    scheme). Dots are counted over the UTF-8 bytes of the whole column at once. A superset: the
    rows it flags are looked at further.
    """
    n = len(arr)
    data, offsets = _buffers(arr)
    filled = np.flatnonzero(np.diff(offsets) > 0)
    if not len(filled):
        return np.zeros(n, dtype=bool)
    dot = (data[offsets[0] : offsets[-1]] == ord(".")).view(np.uint8)
    dots = np.zeros(n, dtype=np.int32)
    dots[filled] = np.add.reduceat(dot, offsets[:-1][filled] - offsets[0], dtype=np.int32)
    lower = pc.ascii_lower(arr)
    head = pc.starts_with(lower, "www.")
    for prefix in ("http://www.", "https://www."):
        head = pc.or_(head, pc.starts_with(lower, prefix))
    www = pc.fill_null(head, False).to_numpy(zero_copy_only=False)
    return dots >= np.where(www, 3, 2)


def _subdomain_rows(arr: pa.Array, rows: np.ndarray, domains: _HashSet, levels: int = 8) -> np.ndarray:
    """Of ``rows``, those whose website, cut after one of its dots, has a decision's domain as host.

    ``https://shop.acme.co.uk/x`` is looked at as ``acme.co.uk/x``, ``co.uk/x`` and ``uk/x``: a
    host that ends with a decision's domain shows it at one of these cuts. Rows still holding dots
    after ``levels`` cuts are returned as they are.
    """
    found = []
    current = arr.take(pa.array(rows))
    for _ in range(levels):
        parts = pc.split_pattern(current, ".", max_splits=1)
        more = pc.equal(pc.list_value_length(parts), 2)
        keep = np.flatnonzero(pc.fill_null(more, False).to_numpy(zero_copy_only=False))
        if not len(keep):
            return np.concatenate([*found, np.zeros(0, np.int64)])
        rows = rows[keep]
        current = pc.list_element(parts.take(pa.array(keep)), 1)
        found.append(rows[domains.find(domain_keys(current))[0]])
    found.append(rows[pc.fill_null(pc.count_substring(current, "."), 0).to_numpy(zero_copy_only=False) > 0])
    return np.concatenate(found)


def _replaced(base: pa.Array, rows: np.ndarray, values: pa.Array) -> pa.Array:
    """``base`` with ``values`` at ``rows`` (increasing, one value each), by one take over both."""
    at = np.arange(len(base), dtype=np.int64)
    at[rows] = len(base) + np.arange(len(rows), dtype=np.int64)
    return pa.concat_arrays([base, values.cast(base.type)]).take(pa.array(at))


def _filled(n: int, fill: str, rows: np.ndarray, values: pa.Array) -> pa.Array:
    """``n`` times ``fill``, with ``values`` at ``rows`` (increasing, one value each)."""
    at = np.zeros(n, dtype=np.int64)
    at[rows] = 1 + np.arange(len(rows), dtype=np.int64)
    return pa.concat_arrays([pa.array([fill], pa.large_string()), values.cast(pa.large_string())]).take(pa.array(at))


def _text_array(arr: pa.Array):
    return arr.to_pandas(types_mapper=ARROW_TEXT.get).array


# --------------------------------------------------------------------------- public
def load_decisions(store: Store | None = None, *, workspace=None, database=None) -> Decisions:
    """The current decisions of a store as a :class:`Decisions` (arrays only, picklable).

    Examples
    --------
    >>> from socanalysis import review
    >>> store = review.open_store(database="sqlite://")
    >>> _ = review.set("Globex", report="SOC 1", reason="Runs billing", by="A. Lee", store=store)
    >>> review.load_decisions(store)
    Decisions(1 decisions: 0 by website, 1 by name)
    """
    if store is None and store_missing(workspace, database):  # a fresh machine: no decisions, nothing created
        return Decisions.empty()
    # the columns needed, straight into arrays: the command line pays this at every start
    with read_store(store, workspace, database).read() as conn:
        rows = current_events(conn, columns=_FRAME_COLUMNS)
    values = list(zip(*rows, strict=True)) if rows else [()] * len(_FRAME_COLUMNS)
    return Decisions.from_frame(
        pd.DataFrame({c: pd.Series(v, dtype=object) for c, v in zip(_FRAME_COLUMNS, values, strict=True)})
    )


def apply(
    df: pd.DataFrame,
    decisions: Decisions | None = None,
    *,
    mapping: Mapping[str, str | None] | None = None,
    store: Store | None = None,
    workspace=None,
    database=None,
    name_hashes: np.ndarray | None = None,
    website_hashes: np.ndarray | None = None,
) -> pd.DataFrame:
    """A classified frame with the reviewers' decisions in place of the classifier's where there are any.

    Parameters
    ----------
    df : pandas.DataFrame
        The output of :func:`socanalysis.classify` (``soc_report`` is required; ``tsc_categories``
        and ``report_type`` are replaced when present), with a name column, a website column or
        both.
    decisions : Decisions, optional
        From :func:`load_decisions`; by default the current decisions of the store that
        ``store``/``workspace``/``database`` name (the default store when none is given).
    mapping : dict, optional
        Field -> column for the name and website columns; by default
        :func:`socanalysis.field_mapping`'s.
    store, workspace, database
        Which store to load the decisions from when ``decisions`` is not given.
    name_hashes, website_hashes : numpy.ndarray, optional
        Keys the caller has computed already (see :meth:`Decisions.match`).

    Returns
    -------
    pandas.DataFrame
        A new frame, every row and column of ``df`` in order (the argument is never changed).
        A row whose organisation has a decision (same registered website domain, else same
        normalised name) takes its ``soc_report``, ``tsc_categories`` (``Security`` first with a
        SOC 2 or Both) and ``report_type`` (empty when the reviewer stated none). Every row gets:

        ``decided_by``
            ``classifier``, or the reviewer's name.
        ``review_reason``
            The reviewer's reason; empty for the classifier's rows.
        ``reviewed_at``
            When the decision was taken, ISO 8601 in UTC; empty for the classifier's rows.
        ``classifier_report``
            The classifier's own ``soc_report``.

        The classifier's other columns (scores, rationale, evidence ...) are left as they were:
        they explain the classifier's answer, which ``classifier_report`` keeps.

    Raises
    ------
    ColumnError, ReviewStoreError
        No ``soc_report``; no name or website column; decisions already applied to ``df``.

    Examples
    --------
    >>> from socanalysis import review
    >>> store = review.open_store(database="sqlite://")
    >>> _ = review.set("Acme Payroll", website="acme.com", report="Both", categories="Privacy",
    ...                reason="Payroll and HR records", by="A. Lee", store=store)
    >>> classified = pd.DataFrame({
    ...     "Company": ["Acme Payroll LLC", "Globex"], "Website": ["https://www.acme.com", "globex.com"],
    ...     "soc_report": ["SOC 2", "Neither"], "tsc_categories": ["Security", ""], "report_type": ["Type 1", ""]})
    >>> out = review.apply(classified, store=store)
    >>> out[["soc_report", "tsc_categories", "decided_by", "classifier_report"]]
      soc_report     tsc_categories  decided_by classifier_report
    0       Both  Security; Privacy      A. Lee             SOC 2
    1    Neither                     classifier           Neither
    """
    from ..errors import ColumnError

    if not isinstance(df, pd.DataFrame):
        raise ReviewStoreError(f"apply() takes the DataFrame returned by classify, not {type(df).__name__}")
    if "soc_report" not in df.columns:
        raise ColumnError("apply() needs the output of classify: there is no column 'soc_report'")
    already = [c for c in REVIEW_COLUMNS if c in df.columns]
    if already:
        raise ReviewStoreError(
            f"the frame already has the column(s) {', '.join(map(repr, already))}: decisions were applied to it "
            "already; apply them to the classifier's output"
        )
    if decisions is None:
        decisions = load_decisions(store, workspace=workspace, database=database)
    elif not isinstance(decisions, Decisions):
        raise ReviewStoreError(f"decisions= takes what load_decisions() returns, not {type(decisions).__name__}")
    elif store is not None or workspace is not None or database is not None:
        raise ReviewStoreError("give decisions= or store=/workspace=/database=, not both")
    n = len(df)
    if len(decisions) and n:
        at = decisions.match(df, mapping, name_hashes=name_hashes, website_hashes=website_hashes)
    else:
        at = np.full(n, -1, dtype=np.int64)
    rows = np.flatnonzero(at >= 0)
    picked = pa.array(at[rows])
    out = df.copy(deep=False)
    if len(rows):
        for column, values in zip(
            REPLACED_COLUMNS, (decisions.report, decisions.categories, decisions.report_type), strict=True
        ):
            if column in df.columns:
                out[column] = _text_array(_replaced(_arrow(df[column]), rows, values.take(picked)))
    added = {
        "decided_by": (CLASSIFIER, decisions.decided_by),
        "review_reason": ("", decisions.reason),
        "reviewed_at": ("", decisions.reviewed_at),
    }
    for column, (fill, values) in added.items():
        out[column] = _text_array(_filled(n, fill, rows, values.take(picked)))
    out["classifier_report"] = df["soc_report"].array
    out.attrs = dict(df.attrs)
    return out
