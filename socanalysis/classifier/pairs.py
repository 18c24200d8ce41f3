"""Who the customers are, and what the organisation does to whose things.

A term alone cannot say whose it is: "hotels" in "a hotel with a spa" is the organisation, in
"the booking app that hotels use" its customers; "records" alone is neither a service nor a
record label. Where the terms stand in a clause says more, and the matcher gives it: every term
found comes with its token position and its clause (segment, cut at full stops, commas and
semicolons) from :func:`socanalysis._kernels.scanning.find_terms_at`. From those, per block of
text and with NumPy alone (a few sorted searches, no loop over rows or hits):

- **customers**: a kind of organisation or an industry (an ``organisations:`` term of any rule,
  any term of a rule that only counts for Neither, an object of a ``customers:`` rule) named as
  who the organisation serves: a word such as "for", "to", "serving", "lets", "helps", "used by"
  a few tokens before it ("software for hotels", "our app lets restaurants take orders"), or a
  system named before it and "use" just after it ("the booking app that hotels use"). The hit
  becomes the term's *customer twin*, a term of the rule that counts organisations named as
  customers (``customers: true``), shown as "'hotels' (customers)"; it never counts as the
  organisation's own industry;
- **investments**: whatever a few tokens after "investing", "backing", "stakes" or "portfolio"
  names is what the organisation invests in ("a venture firm investing in cloud software
  start-ups"): shown as customers, never counted;
- **pairs**: an activity of a rule (administers, processes, hosts, backs up ...) and one of its
  objects (401(k) plans, invoices, servers, records ...) within ``window`` tokens of each other
  in one clause, in either order, are one hit of that rule, quoted as both
  ("administer ... 401(k) plans"); negated when either is ("we do not host websites").
  For a ``customers: true`` rule the objects are the organisations named as customers ("an app
  ... restaurants").

Activity, object and cue words that are no rule's term are matched like terms, used here, and
then dropped: they never vote and never show in the evidence.

>>> import pandas as pd
>>> from socanalysis.classifier.rules import load_rules
>>> rs = load_rules()
>>> def read(text):
...     hits = rs.lexicon.match("description", pd.Series([text]))
...     return [rs.terms[t].shown or f"'{rs.terms[t].text}'" for t in hits.terms]
>>> read("We run the booking app that hotels use.")
["'booking app'", "'hotel' (customers)"]
>>> read("Our app lets restaurants take orders.")
["'app'", "'restaurant' (customers)", "'app ... restaurant'", "'orders'", "'take ... orders'"]
>>> read("We administer 401(k) plans for employers.")
["'administer ... 401(k) plans'", "'employers' (customers)"]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

INVEST, USE = 1, 2  # cue kinds
INVEST_CUES = ("investing", "invests", "investor", "backing", "stakes", "portfolio")
"""Words after which, within :data:`INVEST_WINDOW` tokens, stands what the organisation invests in
(a term ending in one, such as "angel investor", is a cue too)."""
USE_CUES = ("use", "rely", "depend")
"""Words just after which a kind of organisation uses a system named before it: its customers."""
INVEST_WINDOW = 5
USE_WINDOW = 3  # from the organisation to "use"
PRODUCT_WINDOW = 6  # from the system named to the organisation that uses it
OWNER_WINDOW = 3  # from a thing of theirs to the organisation it belongs to ("the servers of law firms")
LIST_GAP = 2  # words between two kinds of organisation listed as customers ("hotels, inns and resorts")


@dataclass
class PairSpec:
    """One pair rule in one field: per term id, the index of the term among the rule's activities
    (``act``) and objects (``obj``), -1 for neither; the pair of activity ``a`` and object ``o`` is
    term ``base + a * n_obj + o``."""

    act: np.ndarray
    obj: np.ndarray
    n_obj: int
    base: int
    window: int


@dataclass
class RoleTable:
    """What :meth:`apply` needs, per term id of the rule set.

    ``capable``: the term names a kind of organisation or an industry; ``twin``: its customer
    twin, -1 when there is none (no rule counts customers: the hit is then shown as customers and
    not counted); ``silent``: an activity, object or cue word that is no rule's term; ``cue``:
    :data:`INVEST`, :data:`USE` or 0; ``product``: an activity of a ``customers:`` rule (a system
    that customers use); ``service``: a term of a rule for SOC 1 or SOC 2 that is no weak sign;
    ``owned``: an object of a pair rule (a thing that belongs to someone); ``words``: how many
    words the term has; ``pairs``: the pair rules, per field.
    """

    capable: np.ndarray
    twin: np.ndarray
    silent: np.ndarray
    cue: np.ndarray
    product: np.ndarray
    service: np.ndarray
    owned: np.ndarray
    words: np.ndarray
    pairs: list[PairSpec] = field(default_factory=list)

    def apply(self, rows, terms, negated, audience, pos, seg):
        """The hits of a block read for customers, investments and pairs.

        Takes what :func:`~socanalysis._kernels.scanning.find_terms_at` returns (hits in token
        order); returns (rows, terms, negated, audience) where ``audience`` now means "names the
        customers or an investment: shown, not counted", customer twins replace the terms they
        stand for, pair hits follow their object, and silent words are gone.
        """
        if not len(rows):
            return rows, terms, negated, audience
        cue = self.cue[terms]
        invest = _near(cue == INVEST, pos, seg, INVEST_WINDOW, before=True)
        capable = self.capable[terms]
        customer = capable & ~invest
        if customer.any():
            customer &= self._named(terms, audience, pos, seg, cue)
            customer |= capable & ~invest & _listed(customer, capable, rows, pos, self.words[terms])
        twin = np.where(customer, self.twin[terms], -1)
        plain = terms
        terms = np.where(twin >= 0, twin, terms).astype(np.int32)
        dropped = invest | (customer & (twin < 0))
        found = [e for e in (_pairs(spec, terms, negated, pos, seg, dropped) for spec in self.pairs) if e]
        if not found:
            keep = ~self.silent[terms]
            return rows[keep], terms[keep], negated[keep], dropped[keep]
        # a word in a pair is in the sense the pair means: an industry's word used as the activity
        # ("we store documents") is not that industry, and as the object it is the customers' thing
        acts = np.concatenate([e[3] for e in found])
        objs = np.concatenate([e[4] for e in found])
        silent = self.silent[terms]
        silent[acts[self.capable[plain[acts]] & ~customer[acts]]] = True
        objs = objs[self.capable[terms[objs]] & (self.twin[terms[objs]] >= 0)]
        terms[objs] = self.twin[terms[objs]]
        at = np.concatenate([e[0] for e in found])
        order = np.argsort(at, kind="stable")
        at = at[order]
        rows = np.insert(rows, at, rows[at - 1])
        terms = np.insert(terms, at, np.concatenate([e[1] for e in found])[order])
        negated = np.insert(negated, at, np.concatenate([e[2] for e in found])[order])
        dropped = np.insert(dropped, at, False)
        keep = ~np.insert(silent, at, False)
        return rows[keep], terms[keep], negated[keep], dropped[keep]

    def _named(self, terms, audience, pos, seg, cue) -> np.ndarray:
        """Per hit: named as who the organisation serves. After "for", "to", "lets" ... (the
        matcher's audience flag); before "use" with a system named before it ("the app that hotels
        use"); after a thing of theirs ("the websites of 300 hotels"); or just before a service
        ("hotel booking software")."""
        named = audience.copy()
        if (cue == USE).any():
            used = _near(cue == USE, pos, seg, USE_WINDOW, before=False)
            system = self.product[terms] | self.service[terms]
            named |= used & _near(system, pos, seg, PRODUCT_WINDOW, before=True)
        named |= _near(self.owned[terms], pos, seg, OWNER_WINDOW, before=True)
        # the next hit a service term that starts right after this one
        after = np.append(pos[1:], -1) == pos + self.words[terms]
        named[:-1] |= after[:-1] & self.service[terms[1:]] & (seg[1:] == seg[:-1])
        return named


def _listed(customer, capable, rows, pos, words) -> np.ndarray:
    """Per hit: in a list of kinds of organisation that a customer starts ("for hospitals, clinics
    and labs"): capable hits each at most ``LIST_GAP`` words after the end of the one before, in
    the same row (across commas)."""
    n = len(rows)
    link = np.zeros(n, dtype=bool)  # hit i continues the list of hit i - 1
    link[1:] = capable[1:] & capable[:-1] & (rows[1:] == rows[:-1]) & (pos[1:] - pos[:-1] - words[:-1] <= LIST_GAP)
    group = np.cumsum(~link)  # one group per run of linked hits
    first_customer = np.full(group[-1] + 1, n, dtype=np.int64)
    np.minimum.at(first_customer, group[customer], np.flatnonzero(customer))
    return np.arange(n) > first_customer[group]


def _pairs(spec: PairSpec, terms, negated, pos, seg, dropped):
    """(where to insert, pair terms, negated, activity hits, object hits) of one pair rule, or None."""
    live = ~dropped
    a = np.flatnonzero((spec.act[terms] >= 0) & live)
    o = np.flatnonzero((spec.obj[terms] >= 0) & live) if len(a) else a
    if not len(o):
        return None
    pa_, sa = pos[a], seg[a]
    po, so = pos[o], seg[o]
    # the nearest activity before each object, else the nearest after it, in the same clause
    before = np.searchsorted(pa_, po, "left") - 1
    b = np.maximum(before, 0)
    ok_before = (before >= 0) & (sa[b] == so) & (po - pa_[b] <= spec.window)
    after = np.searchsorted(pa_, po, "right")
    f = np.minimum(after, len(a) - 1)
    ok_after = (after < len(a)) & (sa[f] == so) & (pa_[f] - po <= spec.window)
    found = ok_before | ok_after
    if not found.any():
        return None
    act_hit = a[np.where(ok_before, b, f)][found]
    obj_hit = o[found]
    pair = spec.base + spec.act[terms[act_hit]] * spec.n_obj + spec.obj[terms[obj_hit]]
    return obj_hit + 1, pair.astype(np.int32), negated[act_hit] | negated[obj_hit], act_hit, obj_hit


def _near(flag: np.ndarray, pos: np.ndarray, seg: np.ndarray, window: int, *, before: bool) -> np.ndarray:
    """Per hit: whether a flagged hit stands within ``window`` tokens before it (or after it), in
    the same clause. Hits are in token order; a hit is not near itself."""
    at = np.flatnonzero(flag)
    if not len(at):
        return np.zeros(len(pos), dtype=bool)
    fp, fs = pos[at], seg[at]
    if before:
        k = np.searchsorted(fp, pos, "left") - 1
        j = np.maximum(k, 0)
        return (k >= 0) & (fs[j] == seg) & (pos - fp[j] <= window)
    k = np.searchsorted(fp, pos, "right")
    j = np.minimum(k, len(at) - 1)
    return (k < len(at)) & (fs[j] == seg) & (fp[j] - pos <= window)
