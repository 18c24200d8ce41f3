"""The compiled pass that reads the roles of terms from where they stand (see
:mod:`socanalysis.classifier.pairs`): customers named, investments, and activity-object pairs.

One pass forwards and one backwards over the hits of a block (as
:func:`socanalysis._kernels.scanning.find_terms_at` gives them, in token order), each remembering
the last hit of every kind it looks back or ahead to, then one pass that writes the hits out.
The same done with NumPy took about a third of the classifier's time on a lead list of a million
rows (several sorted searches and masks over every hit); this pass takes a few hundredths of it.

Compiled with numba; the compiled code is cached next to this file.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numba.cpython.unsafe.numbers import trailing_zeros

# bits of a term's flags (the same as socanalysis.classifier.pairs)
(
    CAPABLE,
    INVEST_CUE,
    USE_CUE,
    SYSTEM,
    SERVICE,
    IN_PAIRS,
    SILENT,
    NOUN,
    PARTNER_CUE,
    OWN_CUE,
    OWN_AFTER_CUE,
    ADVICE_CUE,
    MAKE_CUE,
    OUR_CUE,
    USES_US_CUE,
    MONEY,
    OWN_SYSTEM,
    BUSINESS,
    TOOL,
    PRODUCT,
) = (1 << i for i in range(20))
OWN_USE, ADVISED, MADE = 1, 2, 3  # roles of a hit shown, not counted, besides customers and investments


@njit(inline="always")
def _within(i, j, pos, seg, window):  # pragma: no cover - compiled
    """Hit ``j`` (-1 for none) stands in the clause of hit ``i``, at most ``window`` tokens away.

    Without branches (``&``, not ``and``): which hits are near is hard to predict, and a wrong
    guess costs more than the few loads it would spare.
    """
    k = max(j, 0)
    return (j >= 0) & (seg[k] == seg[i]) & (abs(pos[i] - pos[k]) <= window)


@njit(inline="always")
def _stands(i, customer, invest, negated, role):  # pragma: no cover - compiled
    """Hit ``i`` stands for the organisation itself: no customer, investment, negation or other role."""
    return not (customer[i] or invest[i] or negated[i] or role[i] != 0)


@njit(cache=True, nogil=True)
def _made_for_businesses(rows, terms, negated, seg, flags, customer, invest, role):  # pragma: no cover - compiled
    """Where a row's text first names a product (``PRODUCT``: "SaaS", "software", "app") or a kind of
    service provider (``CAPABLE`` and ``SERVICE``: "investment manager"), the kinds of business it names
    after it in its clause are who the product or service is for ("predictive maintenance SaaS for
    compressors at refineries and gas plants", "investment manager for the pension plan at two law
    firms"): customers."""
    m = rows.shape[0]
    first = True
    product = -1  # the product named first in the row, if it is
    for i in range(m):
        if i == 0 or rows[i] != rows[i - 1]:
            first, product = True, -1
        f = flags[terms[i]]
        if not _stands(i, customer, invest, negated, role):
            continue
        if first and f & (PRODUCT | BUSINESS | SERVICE):
            first = False
            product = i if (f & PRODUCT) or ((f & CAPABLE) and (f & SERVICE)) else -1
        elif product >= 0 and f & BUSINESS and seg[i] == seg[product]:
            customer[i] = True


@njit(inline="always")
def _serves(f, act):  # pragma: no cover - compiled
    """A service, or an activity that is no system named for customers ("app", "platform") and no kind of
    business ("store")."""
    return (((f & SERVICE) != 0) | ((act != 0) & ((f & SYSTEM) == 0))) & ((f & BUSINESS) == 0)


@njit(cache=True, nogil=True)
def _tools_of_a_business(rows, terms, negated, pos, seg, flags, act_mask, customer, invest, role):  # pragma: no cover
    """Where a row's text first says what the organisation is, a business that is no service
    organisation (a ``BUSINESS`` term: "hotel, 80 rooms", "we're a craft brewery"), names no customers,
    and names as services only systems a business runs for itself (``TOOL``: "Opera PMS", "POS in the
    cloud", "our notes live in a cloud EHR") or, once it says it uses something ("payroll is outsourced
    to ADP", "we use a cloud SIS"), other services and activities too ("and the help desk to a local
    MSP"), all of those are its own: their ``role`` becomes ``OWN_USE``.

    What the organisation is: the first hit that is no tool and no weak sign and stands for itself (no
    customer, investment, role or negation), before any tool. A tool a few words after it in its clause
    names a product for that kind of business ("restaurant reservation SaaS"), not its own. Hits come
    grouped by row, in token order.
    """
    m = rows.shape[0]
    start = 0
    while start < m:
        end = start
        while end < m and rows[end] == rows[start]:
            end += 1
        business = -1  # the hit that says what the organisation is, when it is a business of its own
        other = False  # customers named, a service first, or a tool first or right after the business
        service = False  # a service or an activity besides the tools
        own = False  # something named as its own use already
        tools = 0
        for i in range(start, end):
            f = flags[terms[i]]
            other |= customer[i]
            own |= role[i] == OWN_USE
            if not _stands(i, customer, invest, negated, role):
                continue
            is_service = _serves(f, act_mask[terms[i]])
            if f & TOOL:
                tools += 1
                b = max(business, 0)
                other |= (business < 0) | ((seg[i] == seg[b]) & (pos[i] - pos[b] <= 4))
            elif business < 0 and (f & BUSINESS or is_service):
                if f & BUSINESS:
                    business = i
                else:
                    other = True
            else:
                service |= is_service
        if business >= 0 and not other and (tools or service) and (own or not service):
            for i in range(start, end):
                f = flags[terms[i]]
                mine = ((f & TOOL) != 0) | _serves(f, act_mask[terms[i]])
                if mine and _stands(i, customer, invest, negated, role) and i != business:
                    role[i] = OWN_USE
        start = end


@njit(cache=True, nogil=True)
def read_roles(
    rows,
    terms,
    negated,
    audience,
    pos,
    seg,
    flags,
    twin,
    words,
    act,
    obj,
    act_mask,
    obj_mask,
    n_obj,
    base,
    window,
    quiet,
    windows,
):  # noqa: E501  # pragma: no cover
    """Hits read for customers, investments and pairs: (rows, terms, negated, dropped, role).

    ``flags``, ``twin``, ``words``: per term id, as :class:`socanalysis.classifier.pairs.RoleTable`
    holds them; ``act``, ``obj`` (pair rules x term ids): the index of a term among the
    activities and objects of each pair rule (-1: none), and ``act_mask``, ``obj_mask`` (per term
    id) the bits of the pair rules it is one of; a rule's pair terms start at ``base`` with
    ``n_obj`` objects each, its activity and object within ``window`` tokens, ``quiet`` where it
    only counts for Neither; ``windows``:
    (investment, "use", system, list gap), as the module constants of
    :mod:`socanalysis.classifier.pairs`.

    A capable hit not invested in is a customer when the matcher's ``audience`` flag is set, when
    a partner cue stands before it, when a "use" cue follows it and a system stands before it, when
    a ``USES_US_CUE`` follows it ("clinics rely on our EHR"),
    when a service term starts right after it, when it is a ``BUSINESS`` named at most two words before
    a ``PRODUCT`` in its clause, or right before another that is ("bakery inventory app", "dairy farm
    herd records app"), when it is a ``BUSINESS`` named after a ``PRODUCT`` or kind of service
    provider that the row names first (:func:`_made_for_businesses`), or when it continues a list that
    a customer started (the hit before it a customer, in the same row, at most the list gap words after
    its end, in its clause or past a comma when the list goes on; not a service named right after it
    in its clause, "church payroll bureau"). A customer takes its twin's term (or,
    without a twin, is dropped: shown, not counted); a hit after an investment cue is dropped, and
    so is a service or system term that stands after "for" or "to" right before a customer ("for SaaS
    companies": it says what the customers are), and a hit that is something the organisation
    uses (after an ``OWN_CUE``, "we use", or, unless a ``BUSINESS``, before an ``OWN_AFTER_CUE``, "is
    outsourced") or
    advises on (after an ``ADVICE_CUE``) or makes (after a ``MAKE_CUE``, with no activity between:
    "manufactures vault doors", not "installs and monitors alarms"), or is a ``MONEY`` object of a pair or a
    service provider or a system businesses run for themselves (``OWN_SYSTEM``) named right after an
    ``OUR_CUE`` ("we send our claims", "our TPA", "our POS", "our cloud-based POS"): its ``role``
    is then ``OWN_USE``, ``ADVISED`` or ``MADE``. A kind of organisation it uses is an ``OWN_CUE``
    itself: what follows is what that provider does for it ("our TPA handles staff claims"). Where a row
    first says it is a business of its own, its tools and, once it names something it uses, its other
    services are its own too (:func:`_tools_of_a_business`).
    For each live object hit of a pair rule, the nearest live activity before it, else after it,
    within the rule's window in its clause makes a pair hit (after its object, only an activity
    named by a noun: ``NOUN``), written just after the object; an
    activity that is capable and no customer, or any activity of a ``quiet`` rule ("hosting a car
    show"), is then silent (the word in its other sense), and a capable object takes its twin.
    Silent hits are not written.

    Three passes over every hit (backwards for what follows a hit, forwards for the rest, and
    the writing), one over the hits that may pair; the tests are written without branches where
    the outcome is hard to predict.
    """
    m = rows.shape[0]
    n_specs = base.shape[0]
    w_invest, w_use, w_system, list_gap = windows[0], windows[1], windows[2], windows[3]
    # backwards: bit 0, a "use" cue follows in the clause; bit 1, a service term starts right after, or a
    # product follows within two words (a plain kind of business only);
    # bit 2, a cue follows that says it is something the organisation buys ("X is outsourced"); bit 3,
    # "use our", "rely on us" ... follows ("clinics rely on our EHR")
    ahead = np.zeros(m, dtype=np.uint8)
    next_use = next_own = next_uses_us = -1
    spoken = next_product = -1  # the next hit that is no silent word; the next product
    for i in range(m - 1, -1, -1):
        f = flags[terms[i]]
        k = min(i + 1, m - 1)
        adjacent = (i + 1 < m) & (seg[k] == seg[i]) & (pos[k] == pos[i] + words[terms[i]])
        # a kind of business named just before a product, one word between at most, or two of which one is a
        # rule's word ("bakery inventory app", "clinic patient reminder app"; not "a consultancy that builds
        # software"), or right before another that is ("school bus GPS tracking app")
        p = max(next_product, 0)
        gap = pos[p] - pos[i] - words[terms[i]]
        near = (gap <= 1) | ((gap == 2) & (next_product > i + 1))
        for_product = (next_product >= 0) & (seg[p] == seg[i]) & (gap >= 0) & near
        s = max(spoken, 0)
        chained = (spoken >= 0) & (seg[s] == seg[i]) & (pos[s] == pos[i] + words[terms[i]])
        chained &= ((flags[terms[s]] & BUSINESS) != 0) & ((ahead[s] & 2) != 0)
        adjacent_service = adjacent & ((flags[terms[k]] & SERVICE) != 0)
        plain = (f & BUSINESS) != 0  # not a kind of service provider: "TPA w/ member portal" is the TPA's
        ahead[i] = _within(i, next_use, pos, seg, w_use) | (adjacent_service | (plain & (for_product | chained))) << 1
        spoken = i if (f & SILENT) == 0 else spoken
        next_product = i if f & PRODUCT else next_product
        ahead[i] |= _within(i, next_own, pos, seg, w_invest) << 2
        ahead[i] |= _within(i, next_uses_us, pos, seg, w_use) << 3  # "clinics rely on our ..."
        next_use = i if f & USE_CUE else next_use
        next_uses_us = i if f & USES_US_CUE else next_uses_us
        next_own = i if f & OWN_AFTER_CUE else next_own
    # forwards: investments and customers
    invest = np.zeros(m, dtype=np.bool_)
    customer = np.zeros(m, dtype=np.bool_)
    last_invest = last_system = last_partner = -1
    for i in range(m):
        f = flags[terms[i]]
        v = _within(i, last_invest, pos, seg, w_invest)
        invest[i] = v
        a = ahead[i]
        c = audience[i] | (_within(i, last_system, pos, seg, w_system) & ((a & 1) != 0)) | ((a & 2) != 0)
        c |= (a & 8) != 0  # "clinics rely on our cloud EHR"
        c |= _within(i, last_partner, pos, seg, w_invest)  # "integrates with every payroll provider"
        customer[i] = c & ((f & CAPABLE) != 0) & ~v
        last_invest = i if f & INVEST_CUE else last_invest
        last_system = i if f & SYSTEM else last_system
        last_partner = i if f & PARTNER_CUE else last_partner
    # further down a list that a customer started (rare: a branch that is seldom taken): in its
    # clause, or past a comma when the list goes on after it, in its clause or past the next comma
    # ("for hospitals, clinics and labs", "to hospitals, health systems, physician groups and employers";
    # not "... for startups. Vendor payments ...")
    for i in range(1, m):
        if customer[i - 1] and not customer[i] and flags[terms[i]] & CAPABLE and not invest[i]:
            goes_on = i + 1 < m and rows[i + 1] == rows[i] and flags[terms[i + 1]] & CAPABLE
            goes_on = goes_on and (seg[i + 1] == seg[i] or pos[i + 1] - pos[i] - words[terms[i]] <= list_gap)
            # not the service the one before it is a customer of ("church payroll bureau")
            served = (flags[terms[i]] & SERVICE) != 0 and pos[i] == pos[i - 1] + words[terms[i - 1]]
            served = served and seg[i] == seg[i - 1]
            customer[i] = (
                rows[i] == rows[i - 1]
                and pos[i] - pos[i - 1] - words[terms[i - 1]] <= list_gap
                and (seg[i] == seg[i - 1] or goes_on)
                and not served
            )
    # what the organisation uses or advises on, where it names no customer or investment
    role = np.zeros(m, dtype=np.uint8)
    last_own = last_advice = last_make = last_our = -1
    for i in range(m):
        t = terms[i]
        f = flags[t]
        provider = ((f & CAPABLE) != 0) & ((f & SERVICE) != 0)  # a kind of organisation that gives a service
        # right after "our": a thing of money a service handles, or a service provider ("our claims", "our
        # TPA"); not a system ("our app" is what the organisation offers)
        k = max(last_our, 0)
        own_system = (f & OWN_SYSTEM) != 0  # a system businesses run for themselves ("our POS")
        ours = (last_our >= 0) & (seg[k] == seg[i]) & (pos[k] + words[terms[k]] == pos[i])
        ours &= ((f & MONEY) != 0) | provider | own_system
        if not (customer[i] or invest[i]):
            # "we use X", "X is outsourced"; a plain kind of business before "... is outsourced" is the organisation
            # itself ("our church runs everything in Planning Center"), not something it uses
            bought = ((ahead[i] & 4) != 0) & ((f & BUSINESS) == 0)
            if _within(i, last_own, pos, seg, w_invest) or bought or ours:
                role[i] = OWN_USE
            elif _within(i, last_advice, pos, seg, w_invest):  # "advises on X"
                role[i] = ADVISED
            elif _within(i, last_make, pos, seg, w_invest) and act_mask[t] == 0:  # "manufactures X"
                role[i] = MADE
        last_make = -1 if act_mask[t] != 0 else last_make  # an activity after it: a service again ("build and host")
        # a service provider the organisation uses is a cue itself: what follows it is what the
        # provider does for the organisation ("our TPA handles staff claims")
        # and so is a system of its own: what follows it is what that system is ("our POS is cloud-based")
        last_own = i if (f & OWN_CUE) or ((role[i] == OWN_USE) & (provider | own_system)) else last_own
        last_advice = i if f & ADVICE_CUE else last_advice
        last_make = i if f & MAKE_CUE else last_make
        last_our = i if f & OUR_CUE else last_our
    _made_for_businesses(rows, terms, negated, seg, flags, customer, invest, role)
    _tools_of_a_business(rows, terms, negated, pos, seg, flags, act_mask, customer, invest, role)
    # twins, and the live hits that may pair
    now = terms.copy()
    dropped = np.zeros(m, dtype=np.bool_)
    slot = np.full(m, -1, dtype=np.int32)  # an object hit's row in partner
    cand = np.empty(m, dtype=np.int32)  # the live hits with a part in some pair rule, in order
    n_cand = n_objects = 0
    for i in range(m):
        t = terms[i]
        c = customer[i]
        tw = twin[t]
        u = tw if c & (tw >= 0) else t
        now[i] = u
        # a word just before a customer, itself after "for" or "to", says what the customers are ("a
        # marketing agency for SaaS companies", "research for app companies"): shown with them, not
        # counted; only a service or a system ("to manufacture drugs" says what it does)
        k = min(i + 1, m - 1)
        described = (k > i) & customer[k] & ~c & audience[i] & ((flags[t] & (SERVICE | SYSTEM)) != 0)
        described &= (seg[k] == seg[i]) & (pos[k] == pos[i] + words[t])
        gone = invest[i] | (c & (tw < 0)) | described | (role[i] != 0)
        dropped[i] = gone
        has = ((flags[u] & IN_PAIRS) != 0) & ~gone
        cand[n_cand] = i
        n_cand += has
    for c in range(n_cand):
        i = cand[c]
        if obj_mask[now[i]] != 0:
            slot[i] = n_objects
            n_objects += 1
    # pairs: the nearest live activity before each live object, else after it: a few candidates
    # either side, in its clause and within the widest window, are looked at
    partner = np.full((n_objects, max(n_specs, 1)), -1, dtype=np.int32)
    widest = 0
    for k in range(n_specs):
        widest = max(widest, window[k])
    n_pairs = 0
    for c in range(n_cand):
        i = cand[c]
        left = obj_mask[now[i]]
        if left == 0:
            continue
        o = slot[i]
        for step in (-1, 1):
            d = c + step
            while left and 0 <= d < n_cand:
                j = cand[d]
                gap = abs(pos[i] - pos[j])
                if seg[j] != seg[i] or gap > widest:
                    break
                # after its object, only an activity named by a noun: "payroll processing", not "billing runs"
                both = act_mask[now[j]] & left if step < 0 or flags[now[j]] & NOUN else 0
                while both:
                    k = trailing_zeros(both)
                    if gap <= window[k]:
                        partner[o, k] = j
                        left &= ~(np.int64(1) << k)
                        n_pairs += 1
                    both &= both - 1
                d += step
    # a word in a pair is in the sense the pair means: an industry's word as the activity ("we
    # store documents") is not that industry (silent); as the object, it is the customers' thing
    silent = np.zeros(m, dtype=np.bool_)  # besides the silent words
    paired = now.copy()  # the terms the pairs are made of
    if n_pairs:
        for c in range(n_cand):
            i = cand[c]
            if slot[i] < 0:
                continue
            for k in range(n_specs):
                a = partner[slot[i], k]
                if a >= 0:
                    if (flags[terms[a]] & CAPABLE and not customer[a]) or quiet[k]:
                        silent[a] = True
                    if flags[now[i]] & CAPABLE and twin[now[i]] >= 0:
                        now[i] = twin[now[i]]
    size = m + n_pairs  # at most: silent hits are written over
    out_row = np.empty(size, dtype=rows.dtype)
    out_term = np.empty(size, dtype=np.int32)
    out_neg = np.empty(size, dtype=np.bool_)
    out_drop = np.empty(size, dtype=np.bool_)
    out_role = np.empty(size, dtype=np.uint8)
    c = 0
    for i in range(m):
        out_row[c] = rows[i]
        out_term[c] = now[i]
        out_neg[c] = negated[i]
        out_drop[c] = dropped[i]
        out_role[c] = role[i]
        c += not (silent[i] | ((flags[terms[i]] & SILENT) != 0))
        if n_pairs and slot[i] >= 0:
            for k in range(n_specs):
                a = partner[slot[i], k]
                if a >= 0:
                    out_row[c] = rows[i]
                    out_term[c] = base[k] + act[k, paired[a]] * n_obj[k] + obj[k, paired[i]]
                    out_neg[c] = negated[i] or negated[a]
                    out_drop[c] = False
                    out_role[c] = 0
                    c += 1
    return out_row[:c], out_term[:c], out_neg[:c], out_drop[:c], out_role[:c]
