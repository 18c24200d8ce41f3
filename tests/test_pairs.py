"""Who the customers are, word senses, and activities done to whose things (all sentences invented)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from socanalysis import classify, explain
from socanalysis.classifier.rules import load_rules

REPORTS = {"SOC 1": {1}, "SOC 2": {2}, "Both": {1, 2}, "Neither": set()}


def one(text: str, **columns) -> pd.Series:
    return classify(pd.DataFrame({"Description": [text], **{k: [v] for k, v in columns.items()}})).iloc[0]


def includes(report: str, wanted: str) -> bool:
    got = REPORTS[report]
    return {"SOC 1": 1 in got, "SOC 2": 2 in got, "Both": got == {1, 2}, "Neither": not got}[wanted]


# --------------------------------------------------------------------------- customers are never the organisation
CUSTOMERS = [
    # (description, the kind of organisation named, what it must not be read as, expected report)
    ("Scheduling software for hotels and guesthouses.", "'hotel' (customers)", "SOC 2"),
    ("Payroll processing for restaurants and bars.", "'restaurant' (customers)", "Both"),
    ("Cloud backup serving dental practices.", "'dental practice' (customers)", "SOC 2"),
    ("The loyalty app that bakeries use to reward regulars.", "'bakery' (customers)", "SOC 2"),
    ("Our portal lets clinics share lab results with patients.", "'clinic' (customers)", "SOC 2"),
    ("Claims software used by insurance brokers.", "'insurance broker' (customers)", "SOC 2"),
    ("Managed detection and response for payment processors.", "'payment processor' (customers)", "SOC 2"),
    ("Dental clinics rely on our cloud EHR for charting.", "'clinic' (customers)", "SOC 2"),
    ("Thousands of restaurants use our app to take orders.", "'restaurant' (customers)", "SOC 2"),
    (
        "Our API integrates with every major payroll provider to sync timesheets.",
        "'payroll provider' (customers)",
        "SOC 2",
    ),
    (
        "Route optimisation platform for trucking companies, couriers and removal firms.",
        "'courier' (customers)",
        "SOC 2",
    ),
    # a product named first: the kinds of business after it are who it is for, in any words
    ("Fleet maintenance SaaS used at quarries and cement plants.", "'quarry' (customers)", "SOC 2"),
    ("Menu engineering software that bakery chains and cafes subscribe to.", "'bakery' (customers)", "SOC 2"),
    ("Imaging software supporting hospitals and radiology groups.", "'hospital' (customers)", "SOC 2"),
]


@pytest.mark.parametrize(("text", "shown", "expected"), CUSTOMERS, ids=[c[0][:40] for c in CUSTOMERS])
def test_kinds_of_organisation_named_as_customers_are_marked_and_not_counted_as_its_own(text, shown, expected):
    row = one(text)
    assert shown in row["evidence"], row["evidence"]
    assert row["soc_report"] == expected, row["rationale"]


def test_an_organisation_kind_of_a_report_rule_named_as_customers_does_not_give_that_report():
    # "payment processor" is a kind of organisation that needs SOC 1; its security vendor does not
    row = one("Managed detection and response for payment processors.")
    assert row["soc1_score"] < 0.5
    alone = one("We are a payment processor for online shops.")
    assert alone["soc1_score"] >= 0.5


@pytest.mark.parametrize(
    "text",
    [
        "A venture firm investing in payroll software start-ups.",
        "Growth equity investor with stakes in cloud hosting and data centre companies.",
        "Private equity fund backing payment processing businesses in Europe.",
        "Angel investor in cybersecurity and healthtech start-ups.",
    ],
)
def test_what_an_investor_invests_in_is_shown_as_customers_and_never_counted(text):
    row = one(text)
    assert row["soc_report"] == "Neither", row["rationale"]
    assert "(customers)" in row["evidence"]
    assert row["soc1_score"] < 0.5 and row["soc2_score"] < 0.5


def test_a_list_of_customers_goes_on_past_a_comma_but_not_into_the_next_sentence():
    listed = one("Cloud records storage for hospitals, hospices and nursing homes.")
    assert listed["evidence"].count("(customers)") == 3, listed["evidence"]
    assert listed["soc_report"] == "SOC 2"
    # the next sentence is about the organisation again
    own = one("Invoice software for startups. Restaurant open daily from noon.")
    assert "'restaurant' (customers)" not in own["evidence"]


# --------------------------------------------------------------------------- words in their sense
SENSES = [
    # mobile
    ("Mobile dog grooming for busy pet owners.", "Neither"),
    ("Mobile coffee van at weddings and markets.", "Neither"),
    ("Mobile banking software for building societies.", "SOC 2"),
    # collection
    ("Commercial waste collection and recycling for warehouses.", "Neither"),
    ("Debt collection for dental practices and vets.", "SOC 1"),
    ("Data collection and survey software for pollsters.", "SOC 2"),
    # security
    ("Security guards and mobile patrols for car parks.", "Neither"),
    ("Alarm monitoring and CCTV installation for shops.", "Neither"),
    ("Security software that monitors client networks for intrusions.", "SOC 2"),
    # electronic
    ("We host electronic records for accounting firms. We do not process payments.", "SOC 2"),
    ("Electronic invoicing for wholesalers and their suppliers.", "SOC 1"),
    ("We assemble electronic components for drone makers.", "Neither"),
    ("Consumer electronics brand making earbuds.", "Neither"),
    # records
    ("Independent record label for jazz musicians.", "Neither"),
    ("Records management and document storage for county courts.", "SOC 2"),
    # capital
    ("Venture capital fund for climate founders.", "Neither"),
    ("Custody and trade settlement for capital markets firms.", "SOC 1"),
    # clinic or hospital as provider or as customer
    ("A walk-in clinic treating minor injuries.", "Neither"),
    ("Regional hospital offering cardiology and maternity care.", "Neither"),
    ("Billing and collections software used by clinics and hospitals.", "SOC 1"),
    ("We store patient files for hospitals.", "SOC 2"),
]


@pytest.mark.parametrize(("text", "expected"), SENSES, ids=[s[0][:45] for s in SENSES])
def test_words_count_only_in_the_sense_their_rule_means(text, expected):
    row = one(text)
    assert includes(row["soc_report"], expected), (row["soc_report"], row["evidence"], row["rationale"])


def test_a_hospital_is_not_said_to_develop_drugs_nor_a_law_firm_to_serve_consumers():
    hospital = one("Teaching hospital with oncology, surgery and emergency care.")
    assert "Develops drugs" not in hospital["rationale"] and "Provides care to patients" in hospital["rationale"]
    law = one("Corporate law firm advising on mergers and acquisitions.")
    assert law["soc_report"] == "Neither"
    assert "consumers" not in law["rationale"] and "advice" in law["rationale"]


# --------------------------------------------------------------------------- activities done to whose things
PAIRS = [
    ("We administer retirement plans for school districts.", "administer ... retirement plans", "SOC 1"),
    # paying people on the customers' behalf: the customers stand for the object
    ("We pay session musicians on behalf of record labels.", "pay ... record label", "SOC 1"),
    ("We pay the crossing guards for school districts each fortnight.", "pay ... school districts", "SOC 1"),
    ("Our team reconciles card transactions for hotel groups.", "reconcile ... transactions", "SOC 1"),
    ("We calculate and pay sales commissions for insurance agencies.", "pay ... commissions", "SOC 1"),
    ("Tuition billing for private schools.", "billing ... tuition", "SOC 1"),
    ("We keep offsite backups of client databases.", "keep ... backup", "SOC 2"),
    ("Archiving of emails and shared files for solicitors.", "archiving ... email", "SOC 2"),
    ("We monitor servers and patch laptops for charities.", "monitor ... servers", "SOC 2"),
    ("Payroll management for farms.", "management ... payroll", "SOC 1"),
]


@pytest.mark.parametrize(("text", "pair", "expected"), PAIRS, ids=[p[0][:40] for p in PAIRS])
def test_an_activity_done_to_an_object_is_recognised_and_quoted_as_a_pair(text, pair, expected):
    row = one(text)
    assert f"'{pair}'" in row["evidence"], row["evidence"]
    assert includes(row["soc_report"], expected), row["rationale"]


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Billing runs through a third-party processor.", "run ... billing"),  # a verb does not follow its object
        ("We host events. Our records are public.", "host ... records"),  # two clauses
        ("We host the annual trade fair where exhibitors show their records.", "host ... records"),  # too far apart
    ],
)
def test_pairs_need_the_order_the_clause_and_the_window(text, absent):
    row = one(text)
    assert absent not in row["evidence"], row["evidence"]


def test_a_negated_pair_is_shown_negated_and_not_counted():
    row = one("We do not store customer documents.")
    assert "not 'store ... documents'" in row["evidence"]
    assert row["soc_report"] == "Neither"


def test_an_industry_word_used_as_the_activity_is_taken_in_the_pair_sense():
    # "store" is a retailer's word and a verb; stored documents are the customers' things
    row = one("We store scanned contracts for property managers.")
    assert row["soc_report"] == "SOC 2", row["evidence"]
    assert "'store'" not in row["evidence"]


def test_explain_lists_the_pair_and_the_customers():
    e = explain("We administer 401(k) plans for employers.")
    rules = e.contributions.set_index("rule")
    assert "administer ... 401(k) plans" in rules.loc["handles-customers-money", "matched"]
    assert "(customers)" in rules.loc["serves-an-industry", "matched"]


# --------------------------------------------------------------------------- the compiled pass, against a reference
def _reference_roles(rows, terms, negated, audience, pos, seg, table, windows):
    """What read_roles writes, hit by hit in plain Python, as its docstring describes it."""
    from socanalysis.classifier import pairs as P

    f = lambda t: int(table.flags[t])  # noqa: E731
    w_invest, w_use, w_system, gap = (int(w) for w in windows)
    m = len(rows)

    def near(i, j, w):
        return seg[j] == seg[i] and abs(pos[i] - pos[j]) <= w

    def any_before(i, bit, w):
        return any(f(terms[j]) & bit and near(i, j, w) for j in range(i))

    def any_after(i, bit, w):
        return any(f(terms[j]) & bit and near(i, j, w) for j in range(i + 1, m))

    invest = [any_before(i, P.INVEST_CUE, w_invest) for i in range(m)]
    # named just before a product (one word between at most, or two of which one is a rule's word), or right
    # before a kind of business that is
    before_product = [False] * m
    for i in range(m - 1, -1, -1):
        product = [j for j in range(i + 1, m) if f(terms[j]) & P.PRODUCT][:1]
        gap = pos[product[0]] - pos[i] - table.words[terms[i]] if product else -1
        for_product = bool(
            product and seg[product[0]] == seg[i] and (0 <= gap <= 1 or (gap == 2 and product[0] > i + 1))
        )
        spoken = [j for j in range(i + 1, m) if not f(terms[j]) & P.SILENT][:1]
        chained = bool(
            spoken
            and seg[spoken[0]] == seg[i]
            and pos[spoken[0]] == pos[i] + table.words[terms[i]]
            and f(terms[spoken[0]]) & P.BUSINESS
            and before_product[spoken[0]]
        )
        # not a kind of service provider: "TPA w/ member portal" is the TPA's
        before_product[i] = bool(f(terms[i]) & P.BUSINESS) and (for_product or chained)
    customer = []
    for i in range(m):
        t = terms[i]
        adjacent = (
            i + 1 < m and seg[i + 1] == seg[i] and pos[i + 1] == pos[i] + table.words[t] and f(terms[i + 1]) & P.SERVICE
        ) or before_product[i]
        named = (
            audience[i]
            or (any_before(i, P.SYSTEM, w_system) and any_after(i, P.USE_CUE, w_use))
            or any_after(i, P.USES_US_CUE, w_use)
            or adjacent
            or any_before(i, P.PARTNER_CUE, w_invest)
        )
        customer.append(bool(f(t) & P.CAPABLE and not invest[i] and named))
    for i in range(1, m):
        goes_on = (
            i + 1 < m
            and rows[i + 1] == rows[i]
            and f(terms[i + 1]) & P.CAPABLE
            and (seg[i + 1] == seg[i] or pos[i + 1] - pos[i] - table.words[terms[i]] <= gap)
        )
        if (
            customer[i - 1]
            and not customer[i]
            and f(terms[i]) & P.CAPABLE
            and not invest[i]
            and rows[i] == rows[i - 1]
            and pos[i] - pos[i - 1] - table.words[terms[i - 1]] <= gap
            and (seg[i] == seg[i - 1] or goes_on)
            and not (
                f(terms[i]) & P.SERVICE and pos[i] == pos[i - 1] + table.words[terms[i - 1]] and seg[i] == seg[i - 1]
            )
        ):
            customer[i] = True
    role = []
    for i in range(m):
        own = any_before(i, P.OWN_CUE, w_invest) or (
            any_after(i, P.OWN_AFTER_CUE, w_invest) and not f(terms[i]) & P.BUSINESS
        )
        # after a kind of organisation it uses: what that provider does for it
        own = own or any(
            role[j] == P.OWN_USE
            and (f(terms[j]) & P.CAPABLE and f(terms[j]) & P.SERVICE or f(terms[j]) & P.OWN_SYSTEM)
            and near(i, j, w_invest)
            for j in range(i)
        )
        # right after "our" (the last such cue before it, ending just before it in its clause): an object or a
        # provider
        t = terms[i]
        provider = f(t) & P.CAPABLE and f(t) & P.SERVICE
        our = [j for j in range(i) if f(terms[j]) & P.OUR_CUE][-1:]
        own = own or bool(
            our
            and seg[our[0]] == seg[i]
            and pos[our[0]] + table.words[terms[our[0]]] == pos[i]
            and (f(t) & P.MONEY or provider or f(t) & P.OWN_SYSTEM)
        )
        advised = any_before(i, P.ADVICE_CUE, w_invest)
        # made: a maker word before it in reach, with no activity between
        maker = [j for j in range(i) if f(terms[j]) & P.MAKE_CUE and near(i, j, w_invest)]
        made = bool(maker) and not any(table.act_mask[terms[j]] for j in range(maker[-1] + 1, i + 1))
        shown_as_customer = customer[i] or invest[i]
        kind = P.OWN_USE if own else P.ADVISED if advised else P.MADE if made else 0
        role.append(0 if shown_as_customer else kind)
    for r in sorted(set(rows.tolist())):
        hits = [i for i in range(m) if rows[i] == r]
        standing = [i for i in hits if not (customer[i] or invest[i] or negated[i] or role[i])]
        deciding = [i for i in standing if f(terms[i]) & (P.PRODUCT | P.BUSINESS | P.SERVICE)]
        first = f(terms[deciding[0]]) if deciding else 0
        # a product or a kind of service provider named first: the businesses after it
        if first & P.PRODUCT or (first & P.CAPABLE and first & P.SERVICE):
            for i in deciding[1:]:
                customer[i] = customer[i] or bool(f(terms[i]) & P.BUSINESS and seg[i] == seg[deciding[0]])
        _tools_of_a_business(hits, terms, negated, pos, seg, table, customer, invest, role)
    now = [int(table.twin[t]) if c and table.twin[t] >= 0 else int(t) for t, c in zip(terms, customer, strict=True)]
    described = [
        i + 1 < m
        and customer[i + 1]
        and not customer[i]
        and audience[i]
        and f(terms[i]) & (P.SERVICE | P.SYSTEM)
        and seg[i + 1] == seg[i]
        and pos[i + 1] == pos[i] + table.words[terms[i]]
        for i in range(m)
    ]
    dropped = [
        invest[i] or (customer[i] and table.twin[terms[i]] < 0) or described[i] or role[i] != 0 for i in range(m)
    ]
    live = [not dropped[i] and f(now[i]) & P.IN_PAIRS for i in range(m)]
    partner = {}
    for i in range(m):
        if not live[i]:
            continue
        for k in range(len(table.base)):
            if not table.obj_mask[now[i]] >> k & 1:
                continue

            def acts(js, after, i=i, k=k):
                return [
                    j
                    for j in js
                    if live[j]
                    and table.act_mask[now[j]] >> k & 1
                    and near(i, j, table.window[k])
                    and (not after or f(now[j]) & P.NOUN)
                ]

            before = acts(range(i - 1, -1, -1), False)
            after = acts(range(i + 1, m), True)
            if before or after:
                partner[i, k] = (before or after)[0]
    silent = [bool(f(t) & P.SILENT) for t in terms]
    paired = list(now)
    for (i, k), a in partner.items():
        if (f(terms[a]) & P.CAPABLE and not customer[a]) or table.quiet[k]:
            silent[a] = True
        if f(now[i]) & P.CAPABLE and table.twin[now[i]] >= 0:
            now[i] = int(table.twin[now[i]])
    out = []
    for i in range(m):
        if not silent[i]:
            out.append((rows[i], now[i], bool(negated[i]), bool(dropped[i]), role[i]))
        for k in range(len(table.base)):
            a = partner.get((i, k))
            if a is not None:
                term = table.base[k] + table.act[k, paired[a]] * table.n_obj[k] + table.obj[k, paired[i]]
                out.append((rows[i], int(term), bool(negated[i] or negated[a]), False, 0))
    return out


def _tools_of_a_business(hits, terms, negated, pos, seg, table, customer, invest, role):
    """A row's hits (``hits``, in order): its tools, and its services once it names something it uses,
    are its own when the first deciding hit says it is a business of its own, as the kernel's docstring says."""
    from socanalysis.classifier import pairs as P

    f = lambda i: int(table.flags[terms[i]])  # noqa: E731
    standing = [i for i in hits if not (customer[i] or invest[i] or negated[i] or role[i])]
    tool = [i for i in standing if f(i) & P.TOOL]
    serves = [
        i
        for i in standing
        if not f(i) & (P.TOOL | P.BUSINESS) and (f(i) & P.SERVICE or (table.act_mask[terms[i]] and not f(i) & P.SYSTEM))
    ]
    deciding = [i for i in standing if not f(i) & P.TOOL and (f(i) & P.BUSINESS or i in serves)]
    if not deciding or not f(deciding[0]) & P.BUSINESS or any(customer[i] for i in hits):
        return
    business = deciding[0]
    if any(i < business or (seg[i] == seg[business] and pos[i] - pos[business] <= 4) for i in tool):
        return
    services = [i for i in serves if i > business]
    owns = any(role[i] == P.OWN_USE for i in hits)
    if not (tool or services) or (services and not owns):
        return
    for i in tool + services:
        role[i] = P.OWN_USE


@pytest.mark.parametrize("seed", range(4))
def test_the_compiled_role_pass_agrees_with_a_plain_reference(seed):
    from socanalysis._kernels import read_roles
    from socanalysis.classifier import pairs as P

    rng = np.random.default_rng(seed)
    n_terms, n_specs = 40, 3
    flags = np.zeros(n_terms, dtype=np.uint32)
    bits = [P.CAPABLE, P.INVEST_CUE, P.USE_CUE, P.SYSTEM, P.SERVICE, P.SILENT, P.PARTNER_CUE, P.NOUN]
    bits += [P.OWN_CUE, P.OWN_AFTER_CUE, P.ADVICE_CUE, P.MAKE_CUE, P.OUR_CUE, P.USES_US_CUE, P.MONEY]
    bits += [P.OWN_SYSTEM, P.BUSINESS, P.TOOL, P.PRODUCT]
    shares = [0.35, 0.05, 0.05, 0.2, 0.2, 0.15, 0.05, 0.5, 0.06, 0.06, 0.06, 0.08, 0.1, 0.05, 0.2, 0.1, 0.15, 0.1, 0.1]
    for bit, share in zip(bits, shares, strict=True):
        flags[rng.random(n_terms) < share] |= bit
    twin = np.where((flags & P.CAPABLE) != 0, rng.integers(0, n_terms, n_terms), -1).astype(np.int32)
    twin[rng.random(n_terms) < 0.2] = -1  # some kinds of organisation without a twin
    act = np.where(rng.random((n_specs, n_terms)) < 0.2, rng.integers(0, 6, (n_specs, n_terms)), -1).astype(np.int32)
    obj = np.where(rng.random((n_specs, n_terms)) < 0.2, rng.integers(0, 7, (n_specs, n_terms)), -1).astype(np.int32)
    flags[((act >= 0) | (obj >= 0)).any(axis=0)] |= P.IN_PAIRS
    spec_bits = (1 << np.arange(n_specs, dtype=np.int64))[:, None]
    table = P.RoleTable(
        flags=flags,
        twin=twin,
        words=rng.integers(1, 3, n_terms).astype(np.uint8),
        act=act,
        obj=obj,
        act_mask=np.bitwise_or.reduce(np.where(act >= 0, spec_bits, 0), axis=0),
        obj_mask=np.bitwise_or.reduce(np.where(obj >= 0, spec_bits, 0), axis=0),
        n_obj=np.full(n_specs, 7, dtype=np.int64),
        base=np.array([100, 200, 300], dtype=np.int64),
        window=rng.integers(2, 6, n_specs).astype(np.int64),
        quiet=np.array([False, True, False]),
    )
    m = 3000
    rows = np.cumsum(rng.random(m) < 0.1).astype(np.int64)
    seg = np.cumsum((rng.random(m) < 0.15) | (np.diff(rows, prepend=0) > 0)).astype(np.int32)
    pos = np.cumsum(rng.integers(1, 4, m)).astype(np.int32)
    terms = rng.integers(0, n_terms, m).astype(np.int32)
    negated = rng.random(m) < 0.1
    audience = rng.random(m) < 0.2
    windows = np.array([5, 3, 6, 2], dtype=np.int64)
    tables = (table.flags, table.twin, table.words, table.act, table.obj, table.act_mask, table.obj_mask)
    got = read_roles(
        rows, terms, negated, audience, pos, seg, *tables, table.n_obj, table.base, table.window, table.quiet, windows
    )
    expected = _reference_roles(rows, terms, negated, audience, pos, seg, table, windows)
    assert list(zip(*(a.tolist() for a in got), strict=True)) == expected
    assert sum(t >= 100 for _, t, *_ in expected) > 50  # pairs were made
    assert sum(d for *_, d, _ in expected) > 10  # hits dropped (investments, customers without a twin)
    roles = [r for *_, r in expected]
    assert min(roles.count(P.OWN_USE), roles.count(P.ADVISED), roles.count(P.MADE)) > 5  # use, advice, made


def test_find_terms_at_gives_where_each_term_starts():
    from socanalysis._kernels import find_terms, find_terms_at

    lex = load_rules().lexicon
    arr = __import__("pyarrow").array(["Payroll for restaurants, and cloud hosting.", "We host records"])
    ktok, kpos, kseg, krow = lex._scan(arr)
    tables = lex._tables("description")
    at = find_terms_at(ktok, kpos, kseg, krow, *tables)
    plain = find_terms(ktok, kpos, kseg, krow, *tables)
    for a, b in zip(at[:4], plain, strict=True):
        np.testing.assert_array_equal(a, b)
    starts = {int(p) for p in kpos}
    assert set(at[4].tolist()) <= starts
    assert list(at[4]) == sorted(at[4]) and len(set(at[5][at[0] == 0])) == 2  # two clauses in the first row


@pytest.mark.parametrize(
    "text",
    [
        "PE firm that buys MSPs and payroll bureaus.",
        "Holdco that acquires small SaaS companies and keeps them running.",
    ],
)
def test_what_a_buyer_of_companies_buys_is_never_counted(text):
    row = one(text)
    assert row["soc_report"] == "Neither", row["rationale"]
    assert row["soc1_score"] < 0.5 and row["soc2_score"] < 0.5


def test_what_the_organisation_itself_does_is_never_read_as_its_customers():
    row = one("We manufacture payment processing terminals.")
    assert "'we manufacture'" in row["evidence"] and "'we manufacture' (customers)" not in row["evidence"]
    # what it manufactures is its product, not a service it runs: no conflict left
    assert "'payment processing' (what it makes)" in row["evidence"]
    assert row["soc_report"] == "Neither" and row["confidence"] == "high", row["rationale"]
    rules = load_rules()
    assert "we manufacture" in rules.rule("manufacturer").actions


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("auto loan servicer", "'servicer ... auto loans'"),
        ("we adjudicate dental claims for smaller carriers", "'adjudicate ... claims'"),
        ("401k plan administrator for small employers", "'administrator ... 401k plans'"),
    ],
)
def test_an_activity_named_by_the_one_who_does_it_follows_its_object(text, pair):
    row = one(text)
    assert pair in row["evidence"], row["evidence"]
    assert includes(row["soc_report"], "SOC 1"), row["rationale"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("freight brokerage, books trucks for shippers", "Neither"),
        ("online brokerage for retail investors", "SOC 1"),
        ("we make servers and storage arrays", "Neither"),
        ("we host servers and storage for law firms", "SOC 2"),
    ],
)
def test_brokerage_and_storage_count_only_in_their_service_sense(text, expected):
    row = one(text)
    assert includes(row["soc_report"], expected), row["rationale"]


@pytest.mark.parametrize(
    "text",
    [
        "PR agency for SaaS companies and fintech start-ups.",
        "Venture debt fund lending to SaaS companies.",
        "Executive search for payroll software companies.",
        "Usability interviews and research for app companies, delivered as a findings report.",
        "We advise B2B SaaS firms on pricing and packaging.",
    ],
)
def test_a_service_word_that_says_what_the_customers_are_is_not_the_organisations_service(text):
    row = one(text)
    assert row["soc_report"] == "Neither", row["rationale"]
    assert row["evidence"].count("(customers)") >= 2, row["evidence"]


def test_a_service_word_before_the_customers_it_serves_still_counts():
    row = one("Payroll for staffing companies and restaurants.")
    assert includes(row["soc_report"], "SOC 1"), row["rationale"]
    assert "'payroll' (customers)" not in row["evidence"]


def test_makes_alone_is_a_weak_sign_of_a_maker():
    paying = one("Corporate trustee for bond issues, makes the interest payments.")
    assert includes(paying["soc_report"], "SOC 1"), paying["rationale"]
    maker = one("We make wooden toys.")
    assert maker["soc_report"] == "Neither"


def test_backing_companies_and_backing_up_servers_are_told_apart():
    investor = one("VC firm, we back vertical SaaS and payments infrastructure.")
    assert investor["soc_report"] == "Neither", investor["rationale"]
    backups = one("We back up laptops and file servers for architects.")
    assert includes(backups["soc_report"], "SOC 2"), backups["rationale"]


def test_organisations_that_give_or_offer_a_system_are_its_customers():
    row = one("We build the mobile apps banks give their customers.")
    assert "'banks' (customers)" in row["evidence"], row["evidence"]
    assert includes(row["soc_report"], "SOC 2"), row["rationale"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("private equity fund administrator, quarterly NAV and K-1s", "SOC 1"),
        ("a private equity firm managing three buyout funds", "Neither"),
        ("HR consulting for startups: handbooks and policies", "Neither"),
        ("holdco buying local accounting practices", "Neither"),
    ],
)
def test_funds_administered_count_and_funds_managed_or_bought_do_not(text, expected):
    row = one(text)
    assert includes(row["soc_report"], expected), row["rationale"]


# --------------------------------------------------------------------------- what the organisation uses or advises on
@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("A dental practice with four chairs; we use a cloud EHR.", "'ehr' (its own use)"),
        ("Garden centre chain. Payroll is outsourced to a bureau.", "'payroll' (its own use)"),
        ("Family bakery, the loyalty app is white-labeled from a vendor.", "'loyalty app' (its own use)"),
        ("Roofing contractor; we pay our crews by ACH.", "'ach' (its own use)"),
        ("Pilates studio chain; membership billing is handled by a third-party company.", "'billing' (its own use)"),
        ("Bistro group, our payroll goes through a bureau.", "'payroll' (its own use)"),
        ("Dental practice; we send our claims through a clearinghouse.", "'clearinghouse' (its own use)"),
        ("Regional insurer; we use a TPA for workers' comp claims.", "'tpa' (its own use)"),
        ("Garden centre chain; we run our payroll in-house.", "'payroll' (its own use)"),
        ("Self-insured county government; our TPA handles staff medical claims.", "'claims' (its own use)"),
        ("Outpatient physiotherapy clinic; our EHR is a vendor product.", "'ehr' (its own use)"),
        ("Private country club; member dues billing is done in-house.", "'billing' (its own use)"),
        ("Wholesale bakery; orders come in through our website.", "'website' (its own use)"),
        ("We're a dental practice; our patient charts are in a cloud EHR.", "'ehr' (its own use)"),
        ("CNC machine shop; we run our own ERP on-prem.", "'erp' (its own use)"),
        ("Foundry making aluminium castings. Our ERP is hosted by the vendor.", "'erp' (its own use)"),
        ("200-bed hospital; we treat patients, Epic is our EHR.", "'ehr' (its own use)"),
        ("Hotel group with eight hotels; the front desk uses Opera PMS.", "'pms' (its own use)"),
        ("Financial planner for families; assets are held at a big custodian.", "'custodian' (its own use)"),
        ("Credit union with 30k members; core banking is hosted by a vendor.", "'core banking' (its own use)"),
        ("Consultancy advising community banks on payments strategy.", "'payments' (advised on)"),
        ("A brewery; our website runs on a hosted shop platform.", "(its own use)"),
        ("Boutique firm that advises employers on payroll tax and benefits.", "'payroll tax' (advised on)"),
        ("Consultants who help clients pick an ERP system.", "'erp' (advised on)"),
        ("Florist with two shops. Clover for card payments, Xero for the books.", "'card payments' (its own use)"),
        ("Florist with two shops; we take card payments in store.", "(its own use)"),
        ("We mix adhesives; our plant data goes to a cloud monitoring vendor.", "'cloud' (its own use)"),
        ("Candle brand; our customer data sits in Klaviyo.", "'customer data' (its own use)"),
        # a kind of organisation only ever named as customers elsewhere ("nonprofits") can be the organisation
        (
            "Nonprofit theatre. Donor database in Blackbaud, tickets sold through a hosted box office.",
            "'box office' (its own use)",
        ),
        ("Skin clinic with two sites; ModMed for charting and card payments.", "'card payments' (its own use)"),
        ("Roofing company; they use Jobber for scheduling and invoicing.", "'invoicing' (its own use)"),
        ("Dance school; term fees and card payments go through Brightwheel.", "(its own use)"),
        ("Steakhouse group, payroll thru Paychex.", "'payroll' (its own use)"),
        ("Secondary school; payroll and the student MIS are both bought in.", "'payroll' (its own use)"),
        ("Bowling alley chain; EPOS and card payments come from a supplier.", "'card payments' (its own use)"),
        ("Rugby club; ticketing is via a third party platform.", "'ticketing' (its own use)"),
        ("Timber merchant; we wrote our own stock software but only we use it.", "'software' (its own use)"),
        ("Music school; parents pay termly fees and students pay exam fees online.", "(its own use)"),
        ("Valve maker; our in-house payroll dept pays our own 900 employees.", "'payroll' (its own use)"),
        ("Hospital; the billing office bills patients and insurers for our own services.", "'insurers' (its own use)"),
        ("Grocery chain; card payments go through their bank's processor.", "'card payments' (its own use)"),
        ("Physio clinic with four sites; WebPT is their EMR.", "'emr' (its own use)"),
        ("Care home group, payroll through UKG.", "'payroll' (its own use)"),
        ("We teach medical billing courses online.", "'medical billing' (advised on)"),
        ("They manufacture bank vault doors for branch fit-outs.", "(what it makes)"),
        ("Electrical firm that installs data centre cooling and power.", "'data center' (what it makes)"),
        ("We manufacture card readers, sold to banks and retailers.", "(what it makes)"),
        ("Sawmill with 60 staff; we run own payroll in-house.", "'payroll' (its own use)"),
        ("Ferry operator that outsources its booking call centre.", "'call center' (its own use)"),
        (
            "Pension scheme; our custodian holds the assets and our administrator keeps the member records.",
            "(its own use)",
        ),
        ("Community college; the finance office closes the books in a hosted ERP.", "(its own use)"),
        ("We publish payroll textbooks for colleges.", "(advised on)"),
        ("Ski lodge; our booking engine is bought from a SaaS vendor.", "'booking engine' (its own use)"),
        ("Yacht charter broker; we keep clients' passport details in our HubSpot.", "(its own use)"),
        ("Food pantry, 40 volunteers, donor database in the cloud.", "'database' (its own use)"),
        ("Small-animal vet; our records sit in the cloud.", "'in the cloud' (its own use)"),
        # a business of its own, then the systems it runs: no "we use" needed
        ("Guesthouse, 14 rooms, Cloudbeds PMS.", "'pms' (its own use)"),
        ("Pilates studio, bookings and POS in the cloud.", "'pos' (its own use)"),
        ("We're a dental practice and our charts live in a cloud EHR.", "'ehr' (its own use)"),
        ("Grocery chain, nine stores, the POS is cloud-based.", "'pos' (its own use)"),
        ("Nail salon in Leeds with an online booking system.", "'online booking' (its own use)"),
        # ... and, once it says it buys a service, the other services it names
        ("Bakery chain. Payroll is outsourced to a bureau and the helpdesk to an MSP.", "'msp' (its own use)"),
        (
            "Optician with three shops; we use a cloud practice system and a managed IT provider.",
            "'managed it' (its own use)",
        ),
    ],
)
def test_what_the_organisation_uses_or_advises_on_is_shown_and_not_counted(text, shown):
    out = classify(pd.DataFrame({"Description": [text]}))
    assert shown in out["evidence"].iloc[0]
    assert out["soc_report"].iloc[0] == "Neither", out["rationale"].iloc[0]
    assert "(its own use)" not in out["rationale"].iloc[0] and "(advised on)" not in out["rationale"].iloc[0]


@pytest.mark.parametrize(
    ("text", "report"),
    [
        ("We run payroll for clinics that use our cloud software.", {"SOC 1", "Both"}),
        ("The booking app that hotels use to manage guest reservations.", {"SOC 2"}),
        ("We host the case management software that law firms use.", {"SOC 2"}),
        ("We advise on and administer 401(k) plans for employers.", {"SOC 1", "Both"}),
        ("Payroll processing for restaurants, built on our own cloud platform.", {"SOC 1", "Both"}),
        ("We build and host booking websites for hotels.", {"SOC 2"}),
        ("They make a donor CRM for small charities and keep the donor records.", {"SOC 2"}),
        ("We build scheduling software for dental practices.", {"SOC 2"}),
        ("We build apps for banks and run them in our cloud.", {"SOC 2"}),
        ("We process payments for merchants through a vendor network.", {"SOC 1", "Both"}),
        ("We pay our clients' contractors and file their 1099s.", {"SOC 1", "Both"}),
        ("We submit claims for physician practices through a clearinghouse.", {"SOC 1", "Both"}),
        ("We process payroll through an API for staffing firms.", {"SOC 1", "Both"}),
        ("We process our customers' payroll every two weeks.", {"SOC 1", "Both"}),
        ("We are a TPA; our adjusters handle claims for self-insured employers.", {"SOC 1", "Both"}),
        ("We host our clients' websites and back up our customers' servers.", {"SOC 2"}),
        ("We store our clients' records in our own data centre.", {"SOC 2"}),
        ("We keep tenants' files in our archive and our records are audited yearly.", {"SOC 2", "Both"}),
        # products named otherwise than as the organisation's own tool are no cue
        ("We do bookkeeping in QuickBooks and Xero for dental practices.", {"SOC 1", "Both"}),
        ("Payroll software that syncs with Gusto and ADP for staffing agencies.", {"SOC 1", "Both"}),
        ("A Shopify app that runs subscription billing for merchants.", {"SOC 1", "Both"}),
        ("We move restaurants' payroll off Paychex onto our hosted payroll platform.", {"SOC 1", "Both"}),
        ("Our data centres host servers for steel mills.", {"SOC 2"}),
        ("We settle card payments for merchants via a third party network.", {"SOC 1", "Both"}),
        ("They host a core banking ledger for credit unions; balances and postings all run on their cloud.", {"Both"}),
        ("We license a telepharmacy platform to hospitals so remote pharmacists can verify orders.", {"SOC 2"}),
        ("Our platform is their system of record for payroll, hosted in our cloud.", {"Both"}),
        ("We buy in card terminals and run payment processing for shops.", {"SOC 1", "Both"}),
        ("We take card and ACH payments for dental practices into their bank accounts.", {"SOC 1", "Both"}),
        ("We host and administer NetSuite for 25 clients.", {"Both"}),
        # a kind of business named first, in a product's name or as the customers, is not the organisation
        ("Salon booking SaaS with card deposits.", {"SOC 2", "Both"}),
        ("Hotel PMS and channel manager, hosted.", {"SOC 2", "Both"}),
        ("Physiotherapy EHR, sold to group practices.", {"SOC 2"}),
        ("Bakery chain software: cloud POS for franchise bakeries.", {"SOC 2", "Both"}),
        ("Ad agency that pays publishers on behalf of advertisers and reconciles the invoices.", {"SOC 1", "Both"}),
        # "with our own" says how it does the service, not that the service is bought
        ("Vision plan TPA with our own claims system.", {"SOC 1", "Both"}),
        ("Card processing ISO with our own gateway and merchant portal.", {"SOC 1", "Both"}),
        # IT as the thing run for customers, and data named by what it is
        ("We run IT for about twenty veterinary practices.", {"SOC 2"}),
        ("They look after IT for architects' offices.", {"SOC 2"}),
        ("We dedupe and enrich charities' donor mailing lists.", {"SOC 2"}),
        ("Relocation firm that stores employees' passport details for employers.", {"SOC 2"}),
        # services in the words of those who run them
        ("We host QuickBooks Desktop for 150 bookkeeping firms.", {"Both"}),
        ("Builds Azure landing zones for clients, then runs them under a managed services contract.", {"SOC 2"}),
        ("Contractors with admin access to customers' Salesforce orgs.", {"SOC 2"}),
        ("Our agents pick up overflow calls for regional utilities at night.", {"SOC 2"}),
        ("Nightly offsite copies of dental practices' imaging servers.", {"SOC 2"}),
        ("Deduction recovery for food brands that sell to grocery chains.", {"SOC 1", "Both"}),
        ("Digital banking and lending solutions for community banks.", {"Both"}),
        ("Private equity fund administration and investor reporting for mid-market sponsors.", {"SOC 1", "Both"}),
        ("We shred confidential paper for law firms.", {"SOC 2"}),
        ("Managed hosting of Oracle financials for insurers.", {"Both"}),
        ("A leader in integrated payments for hotels and stadiums.", {"Both"}),
        ("Our engine powers the card transactions of ski resorts.", {"SOC 1", "Both"}),
    ],
)
def test_a_service_stated_beside_those_words_still_counts(text, report):
    out = classify(pd.DataFrame({"Description": [text]}))
    assert out["soc_report"].iloc[0] in report, (out["rationale"].iloc[0], out["evidence"].iloc[0])


@pytest.mark.parametrize(
    "text",
    [
        "Tax return preparation for individuals every spring.",
        "A budgeting app for consumers that sorts their spending.",
        "Debt advice for individuals and families.",
    ],
)
def test_a_service_to_individuals_only_is_no_service_organisation(text):
    out = classify(pd.DataFrame({"Description": [text]})).iloc[0]
    said = ("for individuals", "for consumers", "individuals and families", "tax return preparation for individuals")
    assert any(f"'{who}'" in out["evidence"] for who in said)
    # neither report, or one the rationale shows in doubt
    assert out["soc_report"] == "Neither" or (out["confidence"] == "low" and "points the other way" in out["rationale"])


@pytest.mark.parametrize(
    ("text", "report"),
    [
        ("Health savings account custodian for employers and individuals.", {"SOC 1", "Both"}),
        ("Payroll software for small businesses, with a pay app for their staff.", {"SOC 1", "Both"}),
        ("Payments go through our own processing platform for online merchants.", {"SOC 1", "Both"}),
    ],
)
def test_a_service_to_organisations_that_also_names_people_still_counts(text, report):
    out = classify(pd.DataFrame({"Description": [text]}))
    assert out["soc_report"].iloc[0] in report, (out["rationale"].iloc[0], out["evidence"].iloc[0])


def test_words_that_say_who_the_customers_are_are_never_read_as_customers():
    out = classify(pd.DataFrame({"Description": ["Home computer repair and tech support for households."]})).iloc[0]
    assert "'for households'" in out["evidence"] and "'for households' (customers)" not in out["evidence"]
    assert out["soc_report"] == "Neither" or (out["confidence"] == "low" and "points the other way" in out["rationale"])


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        # a product the work is posted into is no tool of the organisation's own
        ("Mileage-log app that posts trips to QuickBooks for small businesses.", "'small businesses'"),
        ("Time-tracking app that syncs hours into Gusto for small businesses.", "'small businesses'"),
        # an EHR that firms host for hospitals is the hosted system
        ("We host Cerner for community hospitals.", "'host ... cerner'"),
    ],
)
def test_a_product_named_as_where_the_work_goes_or_what_is_hosted_is_no_tool_of_its_own(text, quoted):
    out = classify(pd.DataFrame({"Description": [text]})).iloc[0]
    assert quoted in out["evidence"] and "(its own use)" not in out["evidence"], out["evidence"]
    assert out["soc_report"] != "Neither"


@pytest.mark.parametrize(
    ("text", "report", "quoted"),
    [
        # money recovered, reclaimed or released for customers
        ("We reclaim import duties for toy importers and pass the refunds on.", {"SOC 1", "Both"}, "reclaim"),
        ("We claw back duplicate overpayments to suppliers for hospital groups.", {"SOC 1", "Both"}, "claw back"),
        ("We go after unpaid invoices for plumbing wholesalers, no win no fee.", {"SOC 1", "Both"}, "go after"),
        ("HOA management for 60 townhouse communities.", {"SOC 1", "Both"}, "hoa management"),
        (
            "Lenders send us construction loans and we release the draw money to contractors.",
            {"SOC 1", "Both"},
            "release",
        ),
        # customers' financial systems run or operated for them
        ("We run Workday Financials for regional charities.", {"Both"}, "run ... workday financials"),
        ("We host and manage Yardi for apartment owners.", {"Both"}, "yardi"),
        # systems and data in their runners' words
        (
            "We host virtual desktops so architecture firms can run CAD from home.",
            {"SOC 2", "Both"},
            "virtual desktops",
        ),
        ("Outbound appointment setting for roofing companies.", {"SOC 2", "Both"}, "appointment setting"),
        ("Soil moisture probes on golf courses stream to our platform for greenkeepers.", {"SOC 2", "Both"}, "stream"),
    ],
)
def test_services_described_in_their_runners_words(text, report, quoted):
    out = classify(pd.DataFrame({"Description": [text]})).iloc[0]
    assert out["soc_report"] in report, (out["rationale"], out["evidence"])
    assert quoted in out["evidence"], out["evidence"]


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("Film crew payroll is outsourced to a specialist payroll house.", "'payroll' (its own use)"),
        ("Amateur rowing club, bookings are on a cloud platform.", "'cloud platform' (its own use)"),
        ("Bowling alley, games and snacks rung up on our cloud-based POS.", "'pos' (its own use)"),
        ("Scout troop; the treasurer keeps the books in Xero.", None),
        ("Animal rescue funded by donations and county grants.", None),
    ],
)
def test_what_an_organisation_buys_or_runs_for_itself_in_more_words_is_its_own_use(text, quoted):
    out = classify(pd.DataFrame({"Description": [text]})).iloc[0]
    assert out["soc_report"] == "Neither", (out["rationale"], out["evidence"])
    assert quoted is None or quoted in out["evidence"], out["evidence"]


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("Toll processing of specialty resins for paint makers.", "'toll processing'"),
        ("Boiler servicing and gas safety checks for holiday lets.", "'gas safety checks'"),
        ("Freelance HR consultant writing absence policies for charities.", "'hr consultant'"),
        ("We rent out our barn for weddings and parish fetes.", "'rent out'"),
        ("Indie game studio; revenue from in-app purchases.", "'in-app purchases'"),
    ],
)
def test_service_words_in_another_sense_do_not_make_a_service(text, quoted):
    out = classify(pd.DataFrame({"Description": [text]})).iloc[0]
    assert out["soc_report"] == "Neither", (out["rationale"], out["evidence"])
    assert quoted in out["evidence"], out["evidence"]


@pytest.mark.parametrize(
    ("text", "customers"),
    [
        # a list of customers goes on past each comma
        (
            "Revenue cycle services to hospitals, health systems, physician groups and employers.",
            ("'health systems' (customers)", "'physicians' (customers)", "'employers' (customers)"),
        ),
        # a kind of service provider named first: the businesses after it are its customers
        ("Investment manager for the staff pension plan at two law firms.", ("'law firm' (customers)",)),
        # "consumer goods" makers are businesses, not consumers
        ("Chargeback and deduction recovery for consumer goods manufacturers.", ("'manufacturer' (customers)",)),
    ],
)
def test_customers_named_down_a_list_or_after_the_provider_are_customers(text, customers):
    out = classify(pd.DataFrame({"Description": [text]})).iloc[0]
    assert all(c in out["evidence"] for c in customers), out["evidence"]
    assert out["soc_report"] in {"SOC 1", "Both"}, (out["rationale"], out["evidence"])


@pytest.mark.parametrize(
    ("text", "customers"),
    [
        # a kind of business named just before a product, a word or two between, is who the product is for
        ("Bakery inventory app.", ("'bakery' (customers)",)),
        ("Clinic patient reminder app.", ("'clinic' (customers)",)),
        # and so is one named right before it
        ("Dairy farm herd records app.", ("'dairy' (customers)", "'farm' (customers)")),
        # named as the ones who hire, or who are, its customers
        ("Drinks brands hire us to calculate and pay their distributor rebates.", ("'brands' (customers)",)),
        (
            "Our customers are veterinary clinics; their staff keep patient notes in our app.",
            ("'veterinary clinic' (customers)",),
        ),
    ],
)
def test_kinds_of_business_named_before_a_product_or_as_its_buyers_are_customers(text, customers):
    out = classify(pd.DataFrame({"Description": [text]})).iloc[0]
    assert all(c in out["evidence"] for c in customers), out["evidence"]
    assert out["soc_report"] != "Neither", (out["rationale"], out["evidence"])


def test_a_business_that_builds_a_product_is_not_its_customer():
    out = classify(pd.DataFrame({"Description": ["A bakery that builds software for cafes."]})).iloc[0]
    assert "'bakery'" in out["evidence"] and "'bakery' (customers)" not in out["evidence"], out["evidence"]


def test_a_kind_of_service_provider_named_before_its_product_stays_the_organisation():
    out = classify(pd.DataFrame({"Description": ["MSP with a client portal for law firms."]})).iloc[0]
    assert "'msp'" in out["evidence"] and "'msp' (customers)" not in out["evidence"]
    assert out["soc_report"] in {"SOC 2", "Both"}


@pytest.mark.parametrize(
    "text",
    [
        "Ski resort; card payments go through Adyen.",
        "Transit authority; our annual financial statements are audited by the state.",
        "Dental group, in-house payroll team pays staff every two weeks.",
        "Chiropractor, cash practice, two rooms.",
        "Veterinary hospital; our SAP runs in Azure.",
    ],
)
def test_its_own_payments_statements_payroll_and_erp_make_no_service(text):
    out = classify(pd.DataFrame({"Description": [text]})).iloc[0]
    assert out["soc_report"] == "Neither", (out["rationale"], out["evidence"])


@pytest.mark.parametrize(
    ("text", "report", "quoted"),
    [
        ("We chase unpaid medical bills for clinics.", {"SOC 1", "Both"}, "'chase ... medical bills'"),
        ("Nurse triage line for employers' health plans.", {"SOC 2", "Both"}, "'nurse triage'"),
        ("E-prescribing software for urgent care centres.", {"SOC 2", "Both"}, "'e-prescribing'"),
        ("Channel manager for guesthouses.", {"SOC 2", "Both"}, "'channel manager'"),
        ("Fuel card issuer for delivery fleets.", {"Both"}, "'fuel cards'"),
        ("Craft marketplace that settles with sellers every Friday.", {"SOC 1", "Both"}, "'settle with ... sellers'"),
        ("We run the Wi-Fi for thirty budget hotels.", {"SOC 2", "Both"}, "'run ... wi-fi'"),
        ("We transmit lab results from clinics to insurers.", {"SOC 2", "Both"}, "'transmit ... lab results'"),
    ],
)
def test_more_services_in_their_runners_words(text, report, quoted):
    out = classify(pd.DataFrame({"Description": [text]})).iloc[0]
    assert out["soc_report"] in report, (out["rationale"], out["evidence"])
    assert quoted in out["evidence"], out["evidence"]


def test_a_number_with_a_thousands_comma_does_not_split_its_clause():
    out = classify(pd.DataFrame({"Description": ["Rota app used by over 1,200 dental practices."]})).iloc[0]
    assert "'dental practice' (customers)" in out["evidence"], out["evidence"]
    assert out["soc_report"] in {"SOC 2", "Both"}
    own = classify(pd.DataFrame({"Description": ["Our AP team pays about 3,500 suppliers a month out of SAP."]}))
    assert own["soc_report"].iloc[0] == "Neither", own["evidence"].iloc[0]


@pytest.mark.parametrize(
    "text", ["Recurring billing for trade associations.", "AP automation for regional hotel groups."]
)
def test_finance_software_feeds_the_accounts_and_holds_the_records(text):
    out = classify(pd.DataFrame({"Description": [text]})).iloc[0]
    assert out["soc_report"] == "Both", (out["rationale"], out["evidence"])


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("Kennel and cattery; appointment reminders go out by text.", "'appointment reminders' (its own use)"),
        ("Ceramics studio; they do their own billing.", "'billing' (its own use)"),
        ("Platform heels and boots boutique.", "'platform heels'"),
        ("I run IT for a private prep school and we host our own student system.", "'system' (its own use)"),
    ],
)
def test_a_business_and_its_own_tools_in_more_words_need_no_report(text, quoted):
    out = classify(pd.DataFrame({"Description": [text]})).iloc[0]
    assert out["soc_report"] == "Neither", (out["rationale"], out["evidence"])
    assert quoted in out["evidence"], out["evidence"]


@pytest.mark.parametrize(
    ("text", "report"),
    [
        # books kept "in Xero" for clients are still the clients' books
        ("Bookkeeping for vineyards, we keep their books in Xero.", {"SOC 1", "Both"}),
        ("Stored-value processor for cinemas.", {"Both"}),
        ("We move money between letting agents and landlords every month.", {"SOC 1", "Both"}),
    ],
)
def test_money_moved_or_books_kept_for_others_still_count(text, report):
    out = classify(pd.DataFrame({"Description": [text]})).iloc[0]
    assert out["soc_report"] in report, (out["rationale"], out["evidence"])


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        # customers' data handed over, checked or streamed in
        ("Councils send us their parking permit files and we print the permits.", "'send us ... file'"),
        ("We verify drivers' licences for courier firms.", "'verify ... licences'"),
        ("Tide gauges stream to our servers for harbour authorities.", "'stream to our'"),
        ("Rents storage in its own cloud to animation studios.", "'in its own cloud'"),
    ],
)
def test_data_handed_over_checked_or_streamed_in_is_held_for_customers(text, quoted):
    out = classify(pd.DataFrame({"Description": [text]})).iloc[0]
    assert out["soc_report"] in {"SOC 2", "Both"}, (out["rationale"], out["evidence"])
    assert quoted in out["evidence"], out["evidence"]


def test_what_a_business_keeps_in_its_own_database_is_its_own():
    out = classify(pd.DataFrame({"Description": ["Bicycle retailer; we keep customer addresses in our own database."]}))
    assert out["soc_report"].iloc[0] == "Neither", out["evidence"].iloc[0]
    assert "'database' (its own use)" in out["evidence"].iloc[0]


def test_a_kind_of_business_before_what_it_buys_in_stays_the_organisation():
    out = classify(pd.DataFrame({"Description": ["Our church keeps its giving records in Planning Center."]})).iloc[0]
    assert "'church'" in out["evidence"] and "'church' (its own use)" not in out["evidence"], out["evidence"]
    assert out["soc_report"] == "Neither"


@pytest.mark.parametrize(
    ("text", "report"),
    [
        # "HR" alone says nothing of a service: the people who work in it are not customers' records
        ("Executive coaching for HR managers at charities.", "Neither"),
        ("Family brewery, small sales team, two taprooms.", "Neither"),
        # a network of sites is no computer network
        ("We run a network of 30 car washes.", "Neither"),
        # HR run for others is
        ("HR outsourcing for architecture practices.", "SOC 2"),
    ],
)
def test_hr_teams_and_networks_of_sites_in_their_senses(text, report):
    out = classify(pd.DataFrame({"Description": [text]})).iloc[0]
    assert out["soc_report"] == report, (out["rationale"], out["evidence"])


@pytest.mark.parametrize(
    "text",
    [
        "Pottery maker, bookkeeping outsourced to a local CPA.",
        "Saddle maker; they keep their own books in QuickBooks.",
        "Orthodontist; we handle insurance billing for our patients at the front desk.",
        "Boarding school, the bursar handles fees and trips.",
        "Sixty-room inn. The PMS and card payments are all handled by vendors.",
        "Garden centre with a café; my accountant told me to ask.",
        "Vitamin brand whose adverts make bold immunity claims.",
    ],
)
def test_its_own_books_billing_and_claims_in_more_words_need_no_report(text):
    out = classify(pd.DataFrame({"Description": [text]})).iloc[0]
    assert out["soc_report"] == "Neither", (out["rationale"], out["evidence"])


@pytest.mark.parametrize(
    ("text", "report"),
    [
        ("Consultancy that ingests hotel groups' booking data and builds forecasts for them.", "SOC 2"),
        ("CLO manager with four deals outstanding.", "SOC 1"),
    ],
)
def test_data_ingested_for_customers_and_credit_funds_managed_for_investors(text, report):
    out = classify(pd.DataFrame({"Description": [text]})).iloc[0]
    assert out["soc_report"] == report, (out["rationale"], out["evidence"])


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("We run the helpline for a housing charity under contract.", "'helpline'"),
        ("Phone interpreting for GP surgeries.", "'phone interpreting'"),
        ("Data clean room for grocery chains and their media partners.", "'data clean room'"),
        ("Timetabling system hosted for small colleges.", "'hosted for'"),
        ("We run criminal record checks for care homes.", "'criminal record checks'"),
    ],
)
def test_lines_run_records_checked_and_systems_hosted_for_others_hold_their_data(text, quoted):
    out = classify(pd.DataFrame({"Description": [text]})).iloc[0]
    assert out["soc_report"] in {"SOC 2", "Both"}, (out["rationale"], out["evidence"])
    assert quoted in out["evidence"], out["evidence"]


def test_the_service_right_after_its_customers_is_not_another_customer():
    out = classify(pd.DataFrame({"Description": ["Restaurant payroll bureau serving independent owners."]})).iloc[0]
    assert "'restaurant' (customers)" in out["evidence"], out["evidence"]
    assert "'payroll bureau' (customers)" not in out["evidence"] and "'payroll bureau'" in out["evidence"]


@pytest.mark.parametrize(
    ("text", "quoted", "report"),
    [
        ("Net settlement of card transactions between regional banks.", "'net settlement'", {"SOC 1", "Both"}),
        ("Parcel invoice audit for retailers; we recover overcharges from carriers.", "'invoice audit'", {"SOC 1"}),
        ("Public adjusters working for homeowners after floods.", "'public adjuster'", {"Neither"}),
    ],
)
def test_settlement_between_banks_invoice_audit_and_adjusters_for_homeowners(text, quoted, report):
    out = classify(pd.DataFrame({"Description": [text]})).iloc[0]
    assert out["soc_report"] in report, (out["rationale"], out["evidence"])
    assert quoted in out["evidence"], out["evidence"]
