"""Who the customers are, and what the organisation does to whose things.

A term alone cannot say whose it is: "hotels" in "a hotel with a spa" is the organisation, in
"the booking app that hotels use" its customers; "records" alone is neither a service nor a
record label. Where the terms stand in a clause says more, and the matcher gives it: every term
found comes with its token position and its clause (segment, cut at full stops, commas and
semicolons) from :func:`socanalysis._kernels.scanning.find_terms_at`. From those, per block of
text, in one compiled pass over its hits (:func:`socanalysis._kernels.roles.read_roles`):

- **customers**: a kind of organisation or an industry (an ``organisations:`` term of any rule,
  any term of a rule that only counts for Neither, an object of a ``customers:`` rule) named as
  who the organisation serves: a word such as "for", "to", "serving", "lets", "helps", "used by"
  a few tokens before it ("software for hotels", "our app lets restaurants take orders"); a
  system named before it and "use" just after it ("the booking app that hotels use"); "use our",
  "rely on us" ... just after it ("dental clinics rely on our cloud EHR"); a service
  right after it ("hotel property management system"); in the possessive, its own last word or the
  word right after it ("hospitals' servers", "restaurant chains' gift cards"); or further down a list that a customer
  started ("for hospitals, clinics and labs"); or, where the text names a product first
  (:data:`PRODUCTS`: "SaaS", "software", "app"), after it in its clause ("predictive maintenance SaaS
  ... at refineries"). The hit becomes the term's *customer twin*, a term
  of the rule that counts organisations named as customers (``customers: true``), shown as
  "'hotels' (customers)"; it never counts as the organisation's own industry;
- **partners**: kinds of organisation a few tokens after "integrates with", "connects to" ... are
  the systems it works with, counted as customers, not as the organisation;
- **investments**: whatever a few tokens after "investing", "backing", "stakes" or "portfolio"
  names is what the organisation invests in ("a venture firm investing in cloud software
  start-ups"): shown as customers, never counted;
- **its own use, and advice**: a service named a few tokens after "we use", "runs on", "powered by"
  ..., or before "is outsourced", "from a vendor" ..., is something the organisation buys for itself
  ("a dental practice; we use a cloud EHR"), shown as "'ehr' (its own use)"; one named after
  "advises on", "helps clients pick" ... is the subject of its advice, shown as "(advised on)";
  one named after "manufactures", "installs" ... with no activity between is what it makes, shown as
  "(what it makes)"; a thing of money that services handle, or a service provider, right after "our" is
  the organisation's own ("we send our claims through a clearinghouse", "our TPA"). Where the text first
  says the organisation is a business that is no service organisation ("hotel, 80 rooms", "we're a craft
  brewery") and names no customers, the systems a business runs (:data:`BUSINESS_TOOLS`: "Opera PMS", "POS
  in the cloud") are its own, and so, once it says it uses something, are the other services it names
  ("payroll is outsourced to ADP and the help desk to a local MSP"). None counts;
- **pairs**: an activity of a rule (administers, processes, hosts, backs up ...) and one of its
  objects (401(k) plans, invoices, servers, records ...) within ``window`` tokens of each other
  in one clause, the activity first or, named by a noun, after its object ("payroll processing"),
  are one hit of that rule, quoted as both
  ("administer ... 401(k) plans"); negated when either is ("we do not host websites").
  For a ``customers: true`` rule the objects are the organisations named as customers ("an app
  ... restaurants"). A word in a pair is taken in the pair's sense: an industry's word as the
  activity ("we store documents") is not that industry, and as the object it is the customers'
  thing.

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

from dataclasses import dataclass

import numpy as np

from .._kernels import (
    ADVICE_CUE,
    ADVISED,
    BUSINESS,
    CAPABLE,
    IN_PAIRS,
    INVEST_CUE,
    MADE,
    MAKE_CUE,
    MONEY,
    NOUN,
    OUR_CUE,
    OWN_AFTER_CUE,
    OWN_CUE,
    OWN_SYSTEM,
    OWN_USE,
    PARTNER_CUE,
    PRODUCT,
    SERVICE,
    SILENT,
    SYSTEM,
    TOOL,
    USE_CUE,
    USES_US_CUE,
    read_roles,
)

INVEST, USE, PARTNER, OWN, OWN_AFTER, ADVICE, MAKE, OUR, USES_US = 1, 2, 3, 4, 5, 6, 7, 8, 9  # cue kinds
_ADVISED = (
    *("clients", "companies", "cos", "businesses", "firms", "employers", "startups", "boards", "banks", "lenders"),
    *("hospital systems", "health systems", "school districts", "governments", "utilities", "retailers", "ceos"),
    *("manufacturers", "executives", "leadership teams", "cfos", "investors", "private equity firms"),
    *("community banks", "credit unions", "insurers", "hospitals", "nonprofits", "agencies", "schools", "funds"),
)
_PICK = ("choose", "pick", "select", "evaluate", "compare")
_CHOOSERS = (*_ADVISED, "mid-market firms", "mid-market companies", "small businesses", "organisations")
INVEST_CUES = (
    *("investing", "invests", "backing", "stakes", "portfolio", "holdings in", "invested in"),
    *("acquires", "buys", "buying", "acquiring", "acquisitions of", "rolls up", "roll-up of", "we back", "that backs"),
    *("which backs", "sold to", "sells to", "selling to", "sold into", "sells into", "supplier to", "supplies to"),
    *("angel syndicate", "write checks into", "writes checks into", "write cheques into", "we invest in", "invest in"),
)
"""Words after which, within :data:`INVEST_WINDOW` tokens, stands what the organisation invests in, buys
or sells to (a term ending in one, or in "investor", such as "angel investor", is a cue too; "investor" alone
is not: "investor records" are a fund administrator's)."""
USE_CUES = ("use", "rely", "depend", "give", "offer", "provide", "license", "licence", "deploy", "adopt")
"""Words just after which a kind of organisation uses a system named before it: its customers."""
HOSTED_SYSTEMS = ("netsuite", "sage intacct", "sap business one", "epic", "cerner", "yardi", "sap")
"""ERPs and EHRs that firms also host or run for clients: "NetSuite for 25 clients", "Epic for rural hospitals"
names whose system it is."""
VENDOR_PRODUCTS = (
    *("quickbooks", "xero", "freshbooks", "sage intacct", "netsuite", "myob", "zoho books", "expensify", "gusto"),
    *("adp", "paychex", "paylocity", "paycom", "paycor", "rippling", "justworks", "trinet", "zenefits", "square"),
    *("toast", "clover", "stripe", "paypal", "venmo", "zelle", "shopify", "squarespace", "wix", "godaddy"),
    *("eventbrite", "opentable", "resy", "doordash", "ubereats", "grubhub", "servicetitan", "housecall pro"),
    *("jobber", "procore", "procare", "brightwheel", "mindbody", "vagaro", "cloudbeds", "opera pms", "dentrix"),
    *("eaglesoft", "open dental", "athenahealth", "eclinicalworks", "epic", "cerner", "kareo", "simplepractice"),
    *("jane app", "drchrono", "clio", "mycase", "appfolio", "buildium", "yardi", "realpage", "entrata", "mychart"),
    *("plaid", "etsy", "ukg", "kronos", "webpt", "pointclickcare", "netsmart", "melio", "tradify"),
    *("sap business one", "imanage", "netdocuments", "powerschool", "ellucian", "infinite campus", "skyward"),
    *("tithely", "pushpay", "geotab", "sharepoint", "onedrive", "google drive", "revit", "autocad"),
    *("sap", "commerce7", "kvcore", "metrc", "ncino", "worldpay", "adyen", "elavon", "moneris", "braintree", "sumup"),
    *("blackbaud", "donorperfect", "tyler", "workday", "salesforce", "hubspot", "mailchimp", "docusign"),
    *("dropbox", "google workspace", "microsoft 365", "office 365", "turbotax", "intuit"),
    *("klaviyo", "bigcommerce", "woocommerce", "lightspeed", "modmed", "samsara", "granular", "fishbowl", "bamboohr"),
    *("quickbooks online", "deputy", "7shifts", "homebase", "planning center", "bloomerang", "veracross", "tracktik"),
)
"""Products that businesses run their own books, pay, sales and records on. Named as a tool ("Square for
card payments") or as the way money or records go ("payroll thru Gusto", "parents pay through Procare"),
what stands beside them is the organisation's own use (:data:`OWN_CUES`, :data:`OWN_AFTER_CUES`); named
otherwise ("integrates with QuickBooks", "a Shopify agency") they are no cue."""
PARTNER_CUES = (
    *("integrates with", "integrations with", "integrated with", "connects to", "connects with", "syncs with"),
    *("connecting", "that connects", "which connects", "linking", "that links", "matching", "that matches"),
    *("our customers are", "our clients are", "customers include", "clients include", "our customers include"),
    *("our clients include", "contracted by", "hired by", "engaged by", "retained by"),
    # a product that work is sent into is no tool of the organisation's: "posts receipts to QuickBooks for
    # small businesses" names its customers, not what it uses
    *(f"{way} {product} for" for way in ("to", "into", "with") for product in VENDOR_PRODUCTS),
)
"""Words after which, within :data:`INVEST_WINDOW` tokens, stand the systems and organisations it
works with ("integrates with every major payroll provider"): not the organisation itself."""
_WORKED_IN = (
    *("quickbooks", "quickbooks online", "xero", "freshbooks", "sage intacct", "netsuite", "myob", "zoho books"),
    *("sap", "klaviyo", "mailchimp", "hubspot", "salesforce", "shopify", "bigcommerce", "woocommerce", "workday"),
    *("microsoft 365", "office 365", "google workspace", "sharepoint"),
)
"""Products that service firms also work in for their clients ("keep their books in Xero", "run their email lists
in Klaviyo"): being "in" one says nothing of whose work it is."""
_WAYS = ("through", "thru", "via", "through the", "via the", "out of")  # "payroll thru Gusto", "invoice out of Xero"
_BEING = (
    *("is", "is on", "are on", "runs on", "run on", "is in", "are in", "is kept in", "are kept in", "lives in"),
    *("live in", "sits in", "sit in", "is stored in", "are stored in", "stored in", "done in", "is done in"),
    *("are done in", "handled in", "is handled in", "runs in", "run in", "data in", "records in", "notes in"),
    *("charts in", "files in", "all in", "stored on", "kept on", "saved in", "saved on"),
)
"""Words before a product that make it the organisation's own tool: "EHR is WebPT", "trust accounting is in Clio"."""
OWN_SYSTEMS = (
    *("pos", "epos", "pms", "crm", "erp", "ehr", "emr", "tills", "till", "booking system", "accounting system"),
    *("accounting software", "payroll software", "hr system", "ticketing system", "practice management system"),
    *("accounts payable", "accounts receivable", "payables", "receivables", "bookkeeping", "billing"),
    "patient billing",
    *("sap", "netsuite", "oracle", "business central", "dynamics 365", "sage intacct"),
    *("records", "data", "files"),
)
"""Systems a business runs for itself: named right after "our" ("our POS is cloud-based", "their details live in
our CRM"), they and what follows them are its own (``OWN_SYSTEM``); "our app" is what it offers."""
BUSINESS_TOOLS = (
    *OWN_SYSTEMS,
    *("cloud", "cloud-based", "in the cloud", "cloud-hosted", "saas", "cloud software", "web-based", "cloud pos"),
    *("pos system", "point of sale", "booking app", "booking system", "online booking", "scheduling", "ticketing"),
    *("property management system", "practice management software", "cloud accounting", "online ordering"),
    *("loyalty programs", "voip", "database", "donor database", "member database", "customer database"),
    *("practice management", "practice mgmt software", "booking engine"),
    "practice software",
    *("online booking engine", "appointment reminders", "text reminders", "eld", "elds", "gps", "telematics"),
)
"""Systems a business runs and the words that say where they run: where the text says the organisation is a
business of its own ("hotel, 80 rooms, Opera PMS", "yoga studio, POS in the cloud") and names no customers and
no other service, they are its own (``TOOL``; :func:`socanalysis._kernels.roles.read_roles`)."""
PRODUCTS = ("saas", "software", "app", "apps", "portal", "portals")
"""Products named first: the kinds of business named after them are who the product is for (``PRODUCT``)."""
OWN_CUES = (
    *(f"{product} for" for product in VENDOR_PRODUCTS if product not in HOSTED_SYSTEMS),
    *("we use", "we also use", "we used", "we're using", "we are using", "they use", "they also use", "client uses"),
    *("runs on", "run on", "hosted by", "hosted with", "powered by", "built on", "licensed from", "we license from"),
    *("we buy", "we bought", "we purchase", "subscribe to", "we subscribe to", "signed up for", "runs its own"),
    *("run its own", "operates its own", "we pay our", "pay our", "pays its", "to pay our", "through a"),
    *("through an", "via a", "via an", "use a", "use an", "uses a", "uses an", "come in through", "comes in through"),
    *("work out of", "works out of", "kept in the", "we outsource", "we also outsource", "they outsource"),
    *("deducted through", "deducted via", "deducted from", "our outside", "our cpa", "our accountant"),
    *("our accountants", "our accounting firm", "our bookkeeper", "our land dept", "our land department"),
    *("our finance team", "our finance dept", "our finance department", "our accounting dept", "our hr team"),
    *("our accounting department", "our it team", "our it department", "our it dept", "our hr department"),
    *("come in over", "comes in over", "come in on", "comes in on", "arrive via", "arrive by", "arrive through"),
    *("come in by", "comes in by", "come in via", "comes in via", "are in a", "is in a", "kept in a", "run our own"),
    *("runs our own", "tracked in a", "tracked in an", "managed in a", "recorded in a", "kept in an", "is our"),
    *("are our", "front desk", "front-desk", "held at a", "held at an", "held with a", "custodied at"),
    *(f"{who} pay" for who in ("students", "parents", "patients", "members", "tenants", "guests", "families")),
    *(f"{who} pay" for who in ("diners", "residents", "donors", "shoppers", "riders", "fans", "patrons", "learners")),
    *(f"{who} pay" for who in ("clients", "couples", "homeowners", "buyers")),
    *("pay us", "pays us", "paid us", "take card payments in", "takes card payments in"),
    *("take card payments at", "takes card payments at"),
    *("do our own", "do all our own", "does its own", "does all its own", "handle our own", "handles its own"),
    *("our in-house", "the billing office", "our billing office", "our billing department", "our payroll department"),
    *("our payroll dept", "is their", "are their", "with an in-house", "has an in-house", "have an in-house"),
    *("manage our own", "manages our own", "maintain our own", "administer our own", "we manage our"),
    *("goes through a", "go through a", "goes through an", "go through an", "go out through a", "goes out through a"),
    *("an outside", "with an outside", "use an outside", "our own shared services", "our shared services"),
    *("its own", "with its own", "for its own"),
    *("file our own", "files our own", "files its own", "prepare our own", "keep our own", "keeps its own"),
    *("our fundraising team", "our development office", "our advancement office"),
    *("process our own", "processes our own", "we just moved", "we moved our", "we've moved", "we have moved"),
    *("we switched to", "we migrated to", "we moved to", "just moved our", "moved onto"),
    *("we outsourced", "we've outsourced", "we have outsourced", "outsourced our", "our own accounting"),
    *("goes to a", "go to a", "goes to an", "go to an", "sent to a", "sent to an", "is sent to a", "are sent to a"),
    *("our own books", "our own payroll", "our own billing", "our own staff", "our own employees", "our own hr"),
    *("run own", "runs own", "do own", "does own", "outsources its", "outsource its", "outsourced its"),
    *("bought from", "buy from", "buys from", "we buy from", "licensed from a", "sourced from"),
    *("our administrator", "our fund administrator", "our prime broker", "our custodian", "our transfer agent"),
    *("the finance office", "our finance office", "the business office", "our business office", "our accounts team"),
    *("outsourced to", "outsource to", "outsources to", "is outsourced to", "are outsourced to", "funded by"),
    *("is funded by", "are funded by", "financed by", "come through", "comes through", "the treasurer"),
    *("our treasurer", "the bookkeeper", "the office manager", "our office manager", "is on a", "are on a"),
    *("is on an", "are on an", "our financial statements", "our annual financial statements", "our financials"),
    *("its financial statements", "its annual financial statements", "own billing office", "own billing team"),
    *("in-house payroll", "in house payroll", "in-house billing", "in house billing", "in-house accounting"),
    *("do their own", "does their own", "host our own", "hosts our own", "i run it for", "i manage it for"),
    *("i look after it for", "i handle it for", "keep their own", "keeps their own", "their own books", "the bursar"),
    *("our bursar", "my accountant", "my bookkeeper", "my cpa"),
    *("in-house bookkeeping", "in-house it", "our ap team", "our ar team", "our payables team", "our ap department"),
)
"""Words after which, within :data:`INVEST_WINDOW` tokens, stands a system or service the organisation
uses for itself ("a dental practice; we use a cloud EHR"): shown as its own use, never counted."""
_SUITES = (
    *("salesforce", "hubspot", "google workspace", "microsoft 365", "m365", "office 365", "sharepoint", "dropbox"),
    *("google drive", "onedrive", "crm", "ehr", "emr", "pms"),
)
"""Systems whose contents, named as "in our" one, are the organisation's own ("passport details in our HubSpot")."""
_BOUGHT = (
    *("bought in", "bought-in", "from a supplier", "from suppliers", "from a big vendor", "from third parties"),
    *("from the vendor", "via a third party", "via a third-party", "through a third party", "through a vendor"),
    *("via a vendor", "through a provider", "via a provider"),
)
OWN_AFTER_CUES = (
    *("is outsourced", "are outsourced", "is handled by", "are handled by", "is done by", "are done by"),
    *("is run by", "are run by", "from a vendor", "from vendors", "from our vendor", "from some vendor"),
    *("from a provider", "from a third party", "is white labeled", "is white-labeled", "is white labelled"),
    *("goes through a", "go through a", "goes through an", "go through an", "is billed by", "are billed by"),
    *("billed by a", "handled by a", "done by a", "run by a", "done in-house", "done in house", "handled in-house"),
    *("kept in-house", "run in-house", "is a vendor product", "is from a vendor", "are from a vendor"),
    *("is hosted by the vendor", "are hosted by the vendor", "is hosted by our vendor", "is vendor-hosted"),
    *("are vendor-hosted", "is vendor hosted", "hosted by a vendor", "hosted by our vendor", "is a vendor's"),
    *("are a vendor's", "handled by our", "is managed by an outside", "are managed by an outside"),
    *(f"{way} {product}" for way in _WAYS for product in VENDOR_PRODUCTS),
    *(f"{be} {product}" for be in _BEING for product in VENDOR_PRODUCTS),
    # kept "in" a tool of its own ("student records in PowerSchool")
    *(f"in {product}" for product in VENDOR_PRODUCTS if product not in _WORKED_IN),
    *("built by an", "built by a", "was built by", "were built by"),
    *("are both outsourced", "are all outsourced", "both outsourced", "all outsourced", "in every cab"),
    *("in every truck", "in our trucks", "in every vehicle", "on every truck", "for our own"),
    *("through their bank", "through our bank", "through their bank's", "through our bank's"),
    *(f"{be} {how}" for be in ("is", "are", "are both", "are all", "come", "comes") for how in _BOUGHT),
    *("cloud hosted by the vendor", "cloud-hosted by the vendor", "hosted by the supplier", "bought in from"),
    *("only we use it", "for internal use", "for our own use", "internal use only", "for in-house use"),
    *("via a platform", "through a platform", "via an online platform", "through an online platform"),
    *("through an online vendor", "via an online vendor", "through an outside vendor"),
    *("out of our own", "from our own", "goes out through a", "go out through a", "is a third party", "is third party"),
    *("is third-party", "is a third-party", "is managed by a", "are managed by a", "managed by a", "from the vendor"),
    *("from the emr vendor", "from the ehr vendor", "from our emr vendor", "from our ehr vendor"),
    *("billing outsourced", "payroll outsourced", "from suppliers", "from a supplier", "from our suppliers"),
    "from a pos vendor",
    *("through payroll", "through our payroll", "via payroll", "through the payroll"),
    *("is hosted by a", "is hosted by an", "are hosted by a", "hosted for them", "for them by", "done internally"),
    *("handled internally", "run internally", "kept internally", "themselves", "myself", "in-house myself"),
    *("is hosted by", "are hosted by", "is kept by", "are kept by", "is maintained by", "are maintained by"),
    *("for us by", "run for us", "are run for us", "is run for us", "done for us", "handled for us", "hosted for us"),
    *("managed for us", "built for us", "bought from"),
    *(f"in our {suite}" for suite in _SUITES),
    *("ourselves", "on file ourselves", "by ourselves", "is outsourced to", "are outsourced to", "for own"),
    *("in our own", "in its own", "outsourced to", "all handled by", "are all handled by"),
    *("handled by vendors", "for our patients", "for our own patients", "for our residents", "for our guests"),
    *("for our students", "for our employees", "for our staff", "for our own staff"),
    *("are audited by", "is audited by", "is processed by", "are processed by"),
)
"""Words before which, within :data:`INVEST_WINDOW` tokens, stands what the organisation buys
("payroll is outsourced to a bureau", "a loyalty app from a vendor"): its own use, never counted."""
ADVICE_CUES = (
    *("advise on", "advises on", "advising on", "advice on", "advisory on", "consults on", "consulting on"),
    *(f"{verb} {who} on" for verb in ("advise", "advises", "advising") for who in _ADVISED),
    *("help clients pick", "helps clients pick", "help clients choose", "helps clients choose", "selection of"),
    *("helps clients select", "help clients select", "readiness for", "training on", "courses on", "workshops on"),
    *(f"{verb} {who} {pick}" for verb in ("help", "helps", "helping") for who in _CHOOSERS for pick in _PICK),
    *("publish reports on", "publishes reports on", "industry reports on", "research reports on", "newsletter on"),
    *("newsletter covering", "newsletters covering", "podcast covering", "magazine covering", "coverage of"),
    *("newsletter about", "podcast on", "podcast about", "conferences on", "conference on", "books on", "guides on"),
    *("cpe courses", "cpe courses for", "cpe training", "continuing education for", "continuing education on"),
    *("teaches", "we teach", "teaching", "courses in", "classes in", "training in"),
    *("publish", "publishes", "we publish", "textbooks on", "textbooks about"),
)
"""Words after which, within :data:`INVEST_WINDOW` tokens, stands what the organisation advises on
("advises employers on payroll tax"): the subject of its advice, not a service it runs."""
MAKE_CUES = (
    *("we manufacture", "manufactures", "manufacture", "manufacturer of", "manufacturers of", "we fabricate"),
    *("fabricates", "contractor that builds", "contractors that build", "constructs", "we install", "installs"),
    *("installer of", "design-build of", "design and build of", "construction of", "builds out", "building out"),
    *("fit out", "fits out", "we fit out", "kit out", "kits out", "fit-out of", "we resell", "resells"),
    *("reseller of", "resellers of", "value-added reseller of", "cleaning of"),
)
"""Words after which, within :data:`INVEST_WINDOW` tokens and before any activity, stands what the
organisation manufactures, builds or installs ("manufactures bank vault doors", "a contractor that
builds data centres"): a physical product, not a service it runs. "Makes" and "builds" alone are no
cues: software is made and built too ("they make a donor CRM"), and so is a hosted service."""
USES_US_CUES = (
    *("use our", "uses our", "rely on our", "relies on our", "rely on us", "relies on us", "trust our", "trust us"),
    *("trusts our", "count on us", "counts on us", "depend on our", "depends on our", "run on our", "runs on our"),
    *("run on their", "runs on their", "all run on their"),  # "they host ...; balances all run on their cloud"
    *("send us", "sends us", "hand us", "hands us", "outsourced to us"),  # "councils send us data files"
    *("hire us", "hires us", "engage us", "engages us", "retain us", "retains us", "outsource to us"),
    *("outsources to us", "buy our", "buys our", "license our", "licenses our", "licence our", "subscribe to our"),
    "subscribes to our",
    *("so", "so that"),  # "we host desktops so engineering firms can run CAD remotely"
)
"""Words just after which (within :data:`USE_WINDOW` tokens) a kind of organisation is named as using what the
organisation offers ("dental clinics rely on our cloud EHR"): its customers, whatever stands before."""
OUR_CUES = ("our", "its", "our cloud-based", "our cloud based", "our web-based", "our hosted")
"""Words right after which a thing of money that services handle (an object of a pair rule for SOC 1:
``MONEY``), a kind of service provider, or a system of :data:`OWN_SYSTEMS` is the organisation's own ("we
send our claims through a clearinghouse", "our TPA pays the claims", "our POS is cloud-based", "rung up on
our cloud-based POS"); not any system or product ("our app" is what it offers)."""
CUES = (
    (INVEST, INVEST_CUES, INVEST_CUE),
    (USE, USE_CUES, USE_CUE),
    (PARTNER, PARTNER_CUES, PARTNER_CUE),
    (OWN, OWN_CUES, OWN_CUE),
    (OWN_AFTER, OWN_AFTER_CUES, OWN_AFTER_CUE),
    (ADVICE, ADVICE_CUES, ADVICE_CUE),
    (MAKE, MAKE_CUES, MAKE_CUE),
    (OUR, OUR_CUES, OUR_CUE),
    (USES_US, USES_US_CUES, USES_US_CUE),
)
"""Every kind of cue: (kind, its words, the flag its terms carry in :class:`RoleTable`)."""
INVEST_WINDOW = 5
USE_WINDOW = 3  # from the organisation to "use"
PRODUCT_WINDOW = 6  # from the system named to the organisation that uses it
LIST_GAP = 2  # words between two kinds of organisation listed as customers ("hotels, inns and resorts")


__all__ = [
    "ADVICE_CUE",
    "ADVISED",
    "BUSINESS",
    "CAPABLE",
    "INVEST_CUE",
    "IN_PAIRS",
    "MADE",
    "MAKE_CUE",
    "MONEY",
    "NOUN",
    "OWN_AFTER_CUE",
    "OUR_CUE",
    "OWN_CUE",
    "OWN_SYSTEM",
    "OWN_USE",
    "PARTNER_CUE",
    "PRODUCT",
    "SERVICE",
    "SILENT",
    "SYSTEM",
    "TOOL",
    "USES_US_CUE",
    "USE_CUE",
    "RoleTable",
]


@dataclass
class RoleTable:
    """What :meth:`apply` needs, per term id of the rule set.

    ``flags``: bits of what a term may be: ``CAPABLE`` (it names a kind of organisation or an
    industry), ``INVEST_CUE``, ``USE_CUE``, ``SYSTEM`` (a system that customers use: an activity
    of a ``customers:`` rule or a service term), ``SERVICE`` (a term of a rule for SOC 1 or SOC 2 that is no weak sign),
    ``IN_PAIRS`` (an activity or object of some pair rule), ``NOUN`` (an activity named by a noun,
    which may follow its object: "payroll processing"), ``MONEY`` (an object of a pair rule for SOC 1:
    the customers' money or financial records), ``OWN_SYSTEM`` (a term of :data:`OWN_SYSTEMS`),
    ``BUSINESS`` (a kind of organisation of a rule that only counts for Neither, or of no rule:
    "cities", "nonprofits"), ``TOOL`` (a term of :data:`BUSINESS_TOOLS`), ``PRODUCT`` (a term of
    :data:`PRODUCTS`), a flag per kind
    of cue (:data:`CUES`) and ``SILENT``
    (an activity, object or cue word that is no rule's term). ``twin``: a capable term's customer twin, -1 when there is
    none (no rule counts customers: the hit is then shown as customers and not counted);
    ``words``: how many words the term has. Per pair rule (and field): ``act`` and ``obj`` (pair
    rules x term ids), the index of a term among its activities and objects (-1: none), and
    ``act_mask``, ``obj_mask`` (per term id) the bits of the pair rules it is one of; the pair
    of activity ``a`` and object ``o`` is term ``base + a * n_obj + o``; ``window``: how far apart
    they may stand, in tokens; ``quiet``: the rule only counts for Neither, so its activity is never
    a service word of its own ("hosting a car show").
    """

    flags: np.ndarray
    twin: np.ndarray
    words: np.ndarray
    act: np.ndarray
    obj: np.ndarray
    act_mask: np.ndarray
    obj_mask: np.ndarray
    n_obj: np.ndarray
    base: np.ndarray
    window: np.ndarray
    quiet: np.ndarray

    def apply(self, rows, terms, negated, audience, pos, seg):
        """The hits of a block read for customers, investments and pairs.

        Takes what :func:`~socanalysis._kernels.scanning.find_terms_at` returns (hits in token
        order); returns (rows, terms, negated, audience) where ``audience`` now means "names the
        customers or an investment: shown, not counted", customer twins replace the terms they
        stand for, pair hits follow their object, and silent words are gone
        (:func:`socanalysis._kernels.roles.read_roles`).
        """
        if not len(rows):
            return rows, terms, negated, audience
        return read_roles(
            rows, terms, negated, audience, pos, seg, self.flags, self.twin, self.words,
            self.act, self.obj, self.act_mask, self.obj_mask, self.n_obj, self.base, self.window, self.quiet, _WINDOWS,
        )  # fmt: skip


_WINDOWS = np.array([INVEST_WINDOW, USE_WINDOW, PRODUCT_WINDOW, LIST_GAP], dtype=np.int64)
