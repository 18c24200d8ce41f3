"""Fictional lead lists and client portfolios, for samples, tests and benchmarks.

Every organisation here is invented: names are built from made-up word stems, descriptions from
phrase pools. The generators are seeded and deterministic, and vectorised (numpy draws, pyarrow
string kernels), so a million leads take a few seconds.

The text is deliberately messy, as vendor exports are: mixed industry vocabularies, NAICS codes
that are missing, shortened or from NAICS 2017, missing values in every column, duplicates with a
different spelling of the website, newlines, quotes and commas inside descriptions, cells that
start with ``=``, ``+``, ``-`` or ``@``, accented names, and traps for a classifier ("not a bank",
"data-driven marketing agency", a retailer that "accepts payments at checkout").

>>> leads = make_leads(5, seed=1)
>>> list(leads.columns)
['Company Name', 'Website', 'Industry', 'NAICS', 'SIC', 'Country', 'City', 'Employees', 'Description']
>>> make_leads(5, seed=1).equals(leads)
True

Regenerate the bundled samples with ``python -m socanalysis._testing.synthetic``.
"""

from __future__ import annotations

import argparse
import os
import string
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

__all__ = [
    "ARCHETYPES",
    "LEAD_COLUMNS",
    "PORTFOLIO_COLUMNS",
    "REFERENCE_DATE",
    "main",
    "make_leads",
    "make_portfolio",
    "sample_frames",
    "write_csv_bulk",
    "write_samples",
]

LEAD_COLUMNS = ("Company Name", "Website", "Industry", "NAICS", "SIC", "Country", "City", "Employees", "Description")
PORTFOLIO_COLUMNS = (
    "Client",
    "Website",
    "Industry",
    "Services",
    "NAICS",
    "Country",
    "Region",
    "Engagement Partner",
    "Revenue Band",
    "Current Reports",
    "Report Period End",
    "Fiscal Year End",
)
REFERENCE_DATE = "2026-11-26"  # portfolio report dates are spread around this day
SAMPLE_PORTFOLIO_ROWS = 200
SAMPLE_LEADS_ROWS = 2000
SAMPLE_SEED = 2026


# --------------------------------------------------------------------------------------------
# Archetypes: what kinds of organisation exist, and the words used about them
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Archetype:
    """One kind of organisation, the report it needs, and the phrase pools that describe it.

    ``naics`` are NAICS 2022 codes; ``naics_2017`` holds, position by position, the code the
    same activity had in NAICS 2017 (equal where it did not change).
    """

    key: str
    expected: str  # "SOC 1", "SOC 2", "Both" or "Neither"
    lead_weight: float
    portfolio_weight: float
    industries: tuple[str, ...]
    naics: tuple[str, ...]
    naics_2017: tuple[str, ...]
    sic: tuple[str, ...]
    name_words: tuple[str, ...]
    domain_words: tuple[str, ...]
    kinds: tuple[str, ...]
    does: tuple[str, ...]  # third-person verb phrase followed by the customers
    offers: tuple[str, ...]  # lower-case noun phrase
    customers: tuple[str, ...]
    features: tuple[str, ...]  # whole sentences
    traps: tuple[str, ...] = ()  # sentences that mislead a naive keyword match
    trap_rate: float = 0.0
    employees: tuple[int, int] = (5, 2000)


def _saas(key: str, **words) -> Archetype:
    """A SaaS product: shared industries, codes, names and features; its own words for the product."""
    return Archetype(
        key,
        "SOC 2",
        1.0,
        1.5,
        industries=(
            "Computer Software",
            "Software Development",
            "Application Software",
            "Information Technology & Services",
            "Internet",
            "SaaS",
            "Software",
            "Technology, Information and Internet",
        ),
        naics=("513210", "541511", "518210"),
        naics_2017=("511210", "541511", "518210"),
        sic=("7372", "7371"),
        name_words=("Software", "Labs", "HQ", "Cloud", "Apps", "Technologies", "Systems", "Works"),
        domain_words=("app", "hq", "io", "software", "", ""),
        kinds=words["kinds"],
        does=words["does"],
        offers=words["offers"],
        customers=words["customers"],
        features=words["features"]
        + (
            "Customers trust us with millions of records, encrypted at rest and in transit.",
            "We guarantee 99.9% uptime.",
            "Single sign-on, SCIM and role-based access come standard.",
            "Data is hosted on AWS in the US and EU.",
            "Integrates with Slack, Salesforce and Google Workspace.",
            "Used by more than 4,000 companies worldwide.",
            'Our "Smart Sync" engine keeps data consistent across tools.',
            "Open API and webhooks for every object.",
        ),
        traps=(
            "We do not process payments; billing runs through third-party processors.",
            "Not a payroll provider, but integrates with yours.",
            "The platform for modern teams.",
        ),
        trap_rate=0.08,
        employees=(5, 3000),
    )


def _maker(key: str, **words) -> Archetype:
    """A manufacturer: Neither, whatever its sensors and ordering portals."""
    return Archetype(
        key,
        "Neither",
        1.15,
        0.5,
        industries=words["industries"] + ("Manufacturing",),
        naics=words["naics"],
        naics_2017=words["naics"],
        sic=words["sic"],
        name_words=words["name_words"] + ("Industries", "Manufacturing"),
        domain_words=("mfg", "industries", ""),
        kinds=words["kinds"],
        does=words["does"],
        offers=words["offers"],
        customers=words["customers"],
        features=words["features"]
        + ("ISO 9001 certified.", "Our 200,000 sq ft plant runs three shifts.", "Manufacturing in-house since 1962."),
        traps=(
            "Our online platform lets distributors check stock and place orders.",
            "Cloud-connected sensors on every line feed our quality data.",
            "We do not sell direct to consumers; payments by invoice only.",
        ),
        trap_rate=0.2,
        employees=(10, 10000),
    )


def _shop(key: str, **words) -> Archetype:
    """A retailer: Neither, although it takes payments at checkout and keeps a loyalty programme."""
    return Archetype(
        key,
        "Neither",
        0.85,
        0.15,
        industries=words["industries"] + ("Retail", "Consumer Goods", "Specialty Stores"),
        naics=words["naics"],
        naics_2017=words["naics_2017"],
        sic=words["sic"],
        name_words=words["name_words"],
        domain_words=("shop", "store", ""),
        kinds=words["kinds"],
        does=words["does"],
        offers=words["offers"],
        customers=words["customers"] + ("customers online and in store", "local families"),
        features=(
            "Free shipping on orders over $50.",
            "Visit one of our stores or shop online.",
            "Loyalty members earn points on every purchase.",
        ),
        traps=(
            "We accept payments at checkout with all major credit cards, Apple Pay and gift cards.",
            "Secure payments and easy returns on our e-commerce platform.",
            "Customer data is never sold.",
        ),
        trap_rate=0.35,
        employees=(5, 20000),
    )


def _farm(key: str, **words) -> Archetype:
    """A farm, ranch or vineyard."""
    return Archetype(
        key,
        "Neither",
        0.5,
        0.1,
        industries=words["industries"] + ("Farming", "Agriculture"),
        naics=words["naics"],
        naics_2017=words["naics"],
        sic=words["sic"],
        name_words=words["name_words"],
        domain_words=("farms", "ranch", ""),
        kinds=words["kinds"],
        does=words["does"],
        offers=words["offers"],
        customers=words["customers"],
        features=words["features"] + ("Fourth-generation family owned.", "Certified organic."),
        traps=("Order online and pay at pickup.", "Our farm-to-table platform connects you with local food."),
        trap_rate=0.2,
        employees=(1, 200),
    )


ARCHETYPES: tuple[Archetype, ...] = (
    # ---------------------------------------------------------------- SOC 1
    Archetype(
        "fund_administrator",
        "SOC 1",
        2.0,
        6.0,
        industries=(
            "Financial Services",
            "Investment Management",
            "Asset Management & Custody Banks",
            "Capital Markets",
            "Fund Administration",
            "Banking",
        ),
        naics=("523991", "523999", "523940"),
        naics_2017=("523991", "523999", "523920"),
        sic=("6289", "6091", "6733"),
        name_words=("Fund Services", "Fund Administration", "Fiduciary", "Trust Company", "Capital Services"),
        domain_words=("fs", "funds", "trust", ""),
        kinds=(
            "fund administrator",
            "fund administration firm",
            "independent fund services provider",
            "trust and custody company",
            "transfer agent",
        ),
        does=(
            "administers private equity, hedge and venture funds for",
            "calculates NAVs and maintains the books for",
            "provides fund accounting and investor services to",
            "acts as transfer agent and custodian for",
            "handles capital calls, distributions and investor reporting for",
        ),
        offers=(
            "fund accounting, NAV calculation and investor reporting",
            "fund administration, transfer agency and custody",
            "capital call and distribution processing",
            "partnership accounting, waterfall calculations and K-1 preparation",
            "shareholder recordkeeping and transfer agency",
        ),
        customers=(
            "private equity sponsors",
            "hedge fund managers",
            "family offices and emerging managers",
            "venture capital firms",
            "real estate fund managers",
            "registered investment advisers",
        ),
        features=(
            "Our team reconciles cash, positions and trades daily.",
            "Investors get a secure portal with capital account statements and tax documents.",
            "We support open-end, closed-end and evergreen structures in 14 jurisdictions.",
            "Daily and monthly NAVs are delivered on a T+1 basis.",
            'Our "LedgerView" portal gives managers real-time general ledger access.',
            "Services include AML/KYC onboarding, FATCA/CRS reporting and audit support.",
        ),
        traps=("We are not a bank and do not lend.",),
        trap_rate=0.05,
        employees=(20, 3000),
    ),
    Archetype(
        "claims_tpa",
        "SOC 1",
        1.5,
        5.0,
        industries=(
            "Insurance",
            "Insurance Brokers",
            "Third Party Administration",
            "Financial Services",
            "Health Care Services",
        ),
        naics=("524292", "524291"),
        naics_2017=("524292", "524291"),
        sic=("6411",),
        name_words=("Claims Services", "Risk Services", "Claims Management", "Adjusting", "Administrators"),
        domain_words=("claims", "tpa", "risk", ""),
        kinds=(
            "third-party administrator",
            "claims administrator",
            "independent adjusting firm",
            "TPA",
            "claims management company",
        ),
        does=(
            "processes and pays claims on behalf of",
            "administers workers' compensation claims for",
            "adjudicates property and casualty claims for",
            "handles claims intake, reserving and payment for",
        ),
        offers=(
            "claims administration, adjudication and payment",
            "workers' compensation and liability claims management",
            "first notice of loss, adjusting and subrogation services",
            "self-insured plan administration and claims processing",
        ),
        customers=(
            "self-insured employers",
            "insurance carriers and MGAs",
            "public entities and risk pools",
            "captive insurers",
            "Fortune 1000 risk managers",
        ),
        features=(
            "Claim payments are issued within 48 hours of approval.",
            "Clients see reserves, payments and loss runs in our online portal.",
            "Our adjusters are licensed in all 50 states.",
            "We provide monthly loss runs and bordereaux reporting.",
        ),
        employees=(20, 5000),
    ),
    Archetype(
        "loan_servicer",
        "SOC 1",
        1.5,
        5.0,
        industries=(
            "Financial Services",
            "Consumer Finance",
            "Commercial & Residential Mortgage Finance",
            "Thrifts & Mortgage Finance",
            "Mortgage Servicing",
            "Banking",
        ),
        naics=("522390", "522310", "522292"),
        naics_2017=("522390", "522310", "522292"),
        sic=("6162", "6163", "6141"),
        name_words=("Loan Servicing", "Mortgage Services", "Servicing", "Credit Services", "Lending Services"),
        domain_words=("servicing", "loans", "mortgage", ""),
        kinds=(
            "loan servicer",
            "mortgage subservicer",
            "specialty loan servicing company",
            "student loan servicer",
            "commercial loan servicer",
        ),
        does=(
            "services residential mortgages for",
            "collects payments and manages escrow for",
            "boards, services and reports on loan portfolios for",
            "provides subservicing and default management to",
        ),
        offers=(
            "loan servicing, escrow administration and investor reporting",
            "mortgage subservicing and default management",
            "payment processing and loan boarding",
            "consumer loan servicing and collections",
            "commercial loan servicing and asset management",
        ),
        customers=(
            "banks and credit unions",
            "mortgage lenders",
            "private credit funds",
            "marketplace lenders",
            "mortgage investors and MSR owners",
        ),
        features=(
            "We remit principal and interest to investors every month.",
            "Borrowers pay online, by phone or by autopay.",
            "Investor reports reconcile to the penny with our general ledger.",
            "Our platform services over 120,000 loans.",
        ),
        traps=("We are not a lender: we service loans owned by our clients.",),
        trap_rate=0.1,
        employees=(20, 4000),
    ),
    Archetype(
        "collection_agency",
        "SOC 1",
        1.2,
        3.0,
        industries=(
            "Financial Services",
            "Collection Agencies",
            "Diversified Support Services",
            "Commercial Services & Supplies",
            "Accounts Receivable Management",
        ),
        naics=("561440",),
        naics_2017=("561440",),
        sic=("7322",),
        name_words=("Recovery", "Collections", "Receivables", "Credit Management", "Recovery Services"),
        domain_words=("recovery", "collect", "ar", ""),
        kinds=(
            "collection agency",
            "accounts receivable management firm",
            "debt recovery agency",
            "early-out and bad-debt collections company",
        ),
        does=(
            "recovers past-due balances for",
            "collects consumer and commercial debts for",
            "manages early-out self-pay accounts for",
            "handles first- and third-party collections for",
        ),
        offers=(
            "accounts receivable management and debt recovery",
            "early-out and bad-debt collections",
            "payment plans, skip tracing and remittance processing",
            "commercial collections",
        ),
        customers=(
            "hospitals and physician groups",
            "utilities and telecom providers",
            "credit unions",
            "government agencies",
            "B2B suppliers",
        ),
        features=(
            "Collected funds are remitted to clients monthly with a detailed statement.",
            "We are fully compliant with the FDCPA and Regulation F.",
            "Consumers can pay online 24/7 through our secure portal.",
        ),
        employees=(10, 1500),
    ),
    Archetype(
        "outsourced_accounting",
        "SOC 1",
        1.5,
        6.0,
        industries=(
            "Accounting",
            "Financial Services",
            "Professional Services",
            "Outsourcing/Offshoring",
            "Research & Consulting Services",
        ),
        naics=("541219", "541211"),
        naics_2017=("541219", "541211"),
        sic=("8721",),
        name_words=("Accounting", "Bookkeeping", "Finance Partners", "Advisory", "Back Office"),
        domain_words=("books", "accounting", "cfo", ""),
        kinds=(
            "outsourced accounting firm",
            "bookkeeping service",
            "fractional CFO and accounting firm",
            "finance and accounting outsourcing provider",
        ),
        does=(
            "keeps the books and closes the month for",
            "runs accounts payable and receivable for",
            "provides outsourced bookkeeping, AP and close services to",
            "manages order-to-cash and procure-to-pay for",
        ),
        offers=(
            "bookkeeping, bill pay and month-end close",
            "record-to-report and financial reporting",
            "outsourced accounts payable, invoicing and collections",
            "fractional controller and CFO services",
        ),
        customers=(
            "venture-backed startups",
            "nonprofits and foundations",
            "multi-location franchises",
            "growing mid-market companies",
            "property managers",
        ),
        features=(
            "Reconciliations are completed by the fifth business day.",
            "We work inside your QuickBooks, NetSuite or Sage Intacct.",
            "Clients receive monthly financial statements and a KPI dashboard.",
            "Vendor payments are approved in our portal and released twice a week.",
        ),
        employees=(5, 800),
    ),
    Archetype(
        "retirement_recordkeeper",
        "SOC 1",
        1.0,
        4.0,
        industries=(
            "Financial Services",
            "Insurance",
            "Retirement Services",
            "Employee Benefits",
            "Asset Management & Custody Banks",
        ),
        naics=("524292", "523991"),
        naics_2017=("524292", "523991"),
        sic=("6411", "6371"),
        name_words=("Retirement", "Benefits Administration", "Pension Services", "Plan Services"),
        domain_words=("401k", "retire", "plans", ""),
        kinds=(
            "retirement plan recordkeeper",
            "pension administrator",
            "third-party plan administrator",
            "benefits administration firm",
        ),
        does=(
            "keeps the records of 401(k) and 403(b) plans for",
            "administers defined benefit pensions for",
            "processes contributions, loans and distributions for",
            "handles COBRA and FSA administration for",
        ),
        offers=(
            "401(k) recordkeeping and plan administration",
            "defined benefit and cash balance administration",
            "COBRA, FSA and HSA administration",
            "nondiscrimination testing and Form 5500 preparation",
        ),
        customers=("employers", "plan sponsors", "unions and multiemployer trusts", "small businesses"),
        features=(
            "Participants manage their accounts online and by phone.",
            "Contributions are reconciled with each payroll file.",
            "We prepare Form 5500 filings and annual notices.",
        ),
        employees=(20, 3000),
    ),
    Archetype(
        "investment_manager",
        "SOC 1",
        1.0,
        3.0,
        industries=(
            "Investment Management",
            "Asset Management & Custody Banks",
            "Financial Services",
            "Capital Markets",
        ),
        naics=("523940",),
        naics_2017=("523920",),
        sic=("6282",),
        name_words=("Capital", "Asset Management", "Investment Partners", "Wealth Management", "Advisors"),
        domain_words=("capital", "am", "invest", ""),
        kinds=(
            "investment manager",
            "registered investment adviser",
            "asset management firm",
            "separately managed account provider",
        ),
        does=(
            "manages institutional portfolios for",
            "provides portfolio management and accounting to",
            "runs fixed income and equity mandates for",
        ),
        offers=(
            "discretionary portfolio management",
            "portfolio accounting and performance reporting",
            "outsourced chief investment officer services",
            "separately managed accounts",
        ),
        customers=(
            "pension plans and endowments",
            "insurance companies",
            "wealth managers",
            "foundations and family offices",
        ),
        features=(
            "Client statements reconcile to custodian records every month.",
            "We report performance under GIPS.",
            "Trades are allocated and settled through our order management system.",
        ),
        employees=(10, 1500),
    ),
    # ---------------------------------------------------------------- Both
    Archetype(
        "payroll_processor",
        "Both",
        2.0,
        8.0,
        industries=(
            "Human Resources",
            "Human Resources Services",
            "Financial Services",
            "Computer Software",
            "Accounting",
            "Human Resource & Employment Services",
            "Payroll Services",
            "Outsourcing/Offshoring",
        ),
        naics=("541214",),
        naics_2017=("541214",),
        sic=("8721", "7374"),
        name_words=("Payroll", "Payroll Services", "Pay", "Workforce", "HR & Payroll", "Paycheck"),
        domain_words=("payroll", "pay", "hr", ""),
        kinds=(
            "payroll service bureau",
            "payroll provider",
            "payroll and tax filing company",
            "payroll and HR software company",
            "cloud payroll platform",
        ),
        does=(
            "runs payroll for",
            "processes payroll and payroll taxes for",
            "handles payroll, direct deposit and W-2s for",
            "pays employees and files payroll taxes for",
        ),
        offers=(
            "payroll processing, tax filing and year-end reporting",
            "full-service payroll, time tracking and HR",
            "multi-state payroll and garnishment management",
            "payroll, direct deposit and payroll tax compliance",
            "cloud payroll and workforce management",
        ),
        customers=(
            "small and mid-sized businesses",
            "restaurants and franchise groups",
            "nonprofits",
            "construction contractors",
            "healthcare practices",
            "employers in all 50 states",
        ),
        features=(
            "Clients get same-day direct deposit and automatic quarterly filings.",
            "Employees see pay stubs, W-2s and PTO balances in our mobile app.",
            'Our "PayDay Pro" module handles certified payroll and union reporting.',
            "We file federal, state and local payroll taxes and guarantee accuracy.",
            "Integrations with QuickBooks, Xero and NetSuite post payroll journals automatically.",
        ),
        employees=(10, 8000),
    ),
    Archetype(
        "payment_processor",
        "Both",
        2.0,
        7.0,
        industries=(
            "Financial Services",
            "Transaction & Payment Processing Services",
            "Information Technology & Services",
            "Fintech",
            "Payments",
            "Data Processing & Outsourced Services",
            "Internet",
            "Banking",
        ),
        naics=("522320",),
        naics_2017=("522320",),
        sic=("7374", "6099", "6153"),
        name_words=("Payments", "Pay", "Merchant Services", "Processing", "Transfer"),
        domain_words=("pay", "payments", "merchant", ""),
        kinds=(
            "payment processor",
            "merchant acquirer",
            "payment facilitator",
            "payments platform",
            "ACH and card processing company",
        ),
        does=(
            "processes card and ACH payments for",
            "settles and reconciles payments for",
            "powers online and in-person payments for",
            "moves money and issues payouts for",
        ),
        offers=(
            "card processing, ACH and real-time payments",
            "merchant acquiring and settlement",
            "embedded payments and payouts APIs",
            "payment gateway, tokenization and fraud screening",
            "cross-border payments and FX",
        ),
        customers=(
            "online merchants",
            "software platforms",
            "healthcare providers",
            "property managers",
            "schools and municipalities",
            "B2B marketplaces",
        ),
        features=(
            "Funds settle next day with automatic reconciliation.",
            "We are a PCI DSS Level 1 service provider.",
            "Merchants track every transaction, refund and chargeback in one dashboard.",
            "Our API handles tokenization, 3-D Secure and recurring billing.",
        ),
        traps=(
            "We are not a bank; banking services are provided by our partner banks, Members FDIC.",
            "Not a bank. Card issuing through partner banks.",
        ),
        trap_rate=0.15,
        employees=(10, 6000),
    ),
    Archetype(
        "billing_saas",
        "Both",
        2.0,
        6.0,
        industries=(
            "Computer Software",
            "Software Development",
            "Application Software",
            "Information Technology & Services",
            "Financial Services",
            "Fintech",
            "SaaS",
        ),
        naics=("513210", "518210"),
        naics_2017=("511210", "518210"),
        sic=("7372", "7374"),
        name_words=("Billing", "Invoice", "Ledger", "Spend", "Revenue", "AP"),
        domain_words=("billing", "app", "hq", "io"),
        kinds=(
            "billing software company",
            "accounts payable automation platform",
            "subscription billing platform",
            "spend management and expense software company",
            "accounts receivable automation platform",
        ),
        does=(
            "automates invoicing, collections and revenue recognition for",
            "automates accounts payable and vendor payments for",
            "manages subscriptions and billing for",
            "controls corporate cards and expenses for",
        ),
        offers=(
            "subscription billing and revenue recognition",
            "AP automation, invoice capture and bill pay",
            "expense management and corporate cards",
            "invoicing, dunning and cash application",
            "usage-based billing and quote-to-cash",
        ),
        customers=("SaaS companies", "finance teams", "mid-market CFOs", "accounting firms", "B2B companies"),
        features=(
            "Syncs with NetSuite, QuickBooks and Sage Intacct.",
            "Approvals, three-way match and payment runs in one place.",
            "ASC 606 revenue schedules are generated automatically.",
            "Finance teams close the books days faster.",
        ),
        traps=("We do not hold customer funds; payments are executed by licensed partners.",),
        trap_rate=0.1,
        employees=(10, 2000),
    ),
    Archetype(
        "peo",
        "Both",
        1.0,
        4.0,
        industries=(
            "Human Resources",
            "Staffing & Recruiting",
            "Human Resource & Employment Services",
            "Professional Employer Organization",
            "Outsourcing/Offshoring",
        ),
        naics=("561330",),
        naics_2017=("561330",),
        sic=("7363",),
        name_words=("HR", "PEO", "Employer Services", "People Services", "HR Partners"),
        domain_words=("hr", "peo", ""),
        kinds=("professional employer organization", "PEO", "HR outsourcing company", "employer of record provider"),
        does=(
            "co-employs the staff of",
            "provides payroll, benefits and HR compliance to",
            "acts as employer of record for",
        ),
        offers=(
            "payroll, benefits and workers' comp under one roof",
            "HR outsourcing and co-employment",
            "employer of record services in 60 countries",
            "benefits administration and payroll",
        ),
        customers=("small businesses", "startups hiring remotely", "franchise owners", "companies expanding abroad"),
        features=(
            "We run payroll, file taxes and administer benefits for worksite employees.",
            "Employees enroll in Fortune 500-grade benefits.",
            "Our HR team handles onboarding, I-9s and terminations.",
        ),
        employees=(20, 5000),
    ),
    Archetype(
        "benefits_platform",
        "Both",
        0.8,
        3.0,
        industries=(
            "Computer Software",
            "Insurance",
            "Human Resources",
            "Employee Benefits",
            "Health Care Technology",
            "Application Software",
        ),
        naics=("513210", "524292"),
        naics_2017=("511210", "524292"),
        sic=("7372", "6411"),
        name_words=("Benefits", "Health", "Perks", "Rewards"),
        domain_words=("benefits", "app", ""),
        kinds=("benefits administration platform", "HSA and FSA administrator", "benefits enrollment software"),
        does=(
            "runs open enrollment and carrier feeds for",
            "administers HSAs, FSAs and commuter benefits for",
            "reconciles premiums and deductions for",
        ),
        offers=(
            "benefits enrollment, carrier connections and premium reconciliation",
            "HSA, FSA and HRA administration",
            "ACA reporting and COBRA",
        ),
        customers=("employers", "benefits brokers", "HR teams", "mid-sized companies"),
        features=(
            "Deductions sync to payroll every pay period.",
            "Employees submit claims and receipts from their phone.",
            "We send 834 files to more than 300 carriers.",
        ),
        employees=(20, 2000),
    ),
    Archetype(
        "banking_software",
        "Both",
        0.8,
        3.0,
        industries=(
            "Computer Software",
            "Financial Services",
            "Banking",
            "Application Software",
            "Information Technology & Services",
            "Fintech",
        ),
        naics=("513210", "522320", "541511"),
        naics_2017=("511210", "522320", "541511"),
        sic=("7372", "7374"),
        name_words=("Core", "Banking", "Fintech", "Lending", "Treasury"),
        domain_words=("bank", "core", "io", ""),
        kinds=(
            "core banking provider",
            "loan origination software company",
            "banking-as-a-service platform",
            "treasury management software company",
        ),
        does=(
            "hosts core banking and digital banking for",
            "originates and books loans for",
            "provides treasury and cash management software to",
        ),
        offers=(
            "hosted core banking and digital account opening",
            "loan origination and decisioning",
            "treasury management, cash positioning and bank reconciliation",
            "ledger and card issuing APIs",
        ),
        customers=("community banks", "credit unions", "fintech companies", "corporate treasury teams"),
        features=(
            "Our hosted core posts millions of transactions every night.",
            "Deposits, loans and general ledger run on one platform.",
            "Cash positions update in real time from 40 banking partners.",
        ),
        employees=(20, 3000),
    ),
    # ---------------------------------------------------------------- SOC 2
    _saas(
        "saas_crm",
        kinds=("CRM platform", "sales engagement platform", "customer relationship management software company"),
        does=("manages pipelines, contacts and customer conversations for", "automates sales outreach for"),
        offers=("CRM, pipeline management and email automation", "a sales engagement and call recording platform"),
        customers=("sales teams", "B2B companies", "real estate agents", "insurance agencies"),
        features=("Every email and call is logged to the customer record automatically.",),
    ),
    _saas(
        "saas_collaboration",
        kinds=(
            "project management tool",
            "work management platform",
            "team collaboration software company",
            "knowledge base and intranet platform",
        ),
        does=("organizes projects, tasks and files for", "keeps documents and decisions in one place for"),
        offers=("projects, tasks, docs and whiteboards in one workspace", "an AI-powered knowledge base and intranet"),
        customers=(
            "marketing and product teams",
            "agencies and consultancies",
            "remote-first companies",
            "enterprise PMOs",
        ),
        features=("Guests and clients can be invited to shared workspaces.",),
    ),
    _saas(
        "saas_contracts",
        kinds=(
            "e-signature and contract management platform",
            "contract lifecycle management company",
            "document management platform",
        ),
        does=("stores, signs and tracks contracts for", "centralizes documents and approvals for"),
        offers=("contract lifecycle management and e-signatures", "secure document storage, search and retention"),
        customers=("legal teams", "law firms", "procurement teams", "HR departments"),
        features=("Signed documents carry a tamper-evident audit trail.",),
    ),
    _saas(
        "saas_support",
        kinds=("customer support platform", "help desk software company", "conversational AI company"),
        does=("answers customer questions and routes tickets for", "powers live chat and help centers for"),
        offers=("ticketing, live chat and a help center", "AI chatbots and agent assist"),
        customers=("customer support teams", "e-commerce brands", "software companies", "telecom providers"),
        features=("Conversations are stored with full customer history.",),
    ),
    _saas(
        "saas_scheduling",
        kinds=(
            "scheduling and booking software company",
            "practice management software company",
            "client portal provider",
        ),
        does=("books appointments and sends reminders for", "runs scheduling, intake and client communication for"),
        offers=(
            "online scheduling, reminders and intake forms",
            "a secure client portal with messaging and file sharing",
        ),
        customers=("salons and spas", "therapists and wellness studios", "accounting firms", "veterinary clinics"),
        features=("Clients book 24/7 from any device.",),
    ),
    _saas(
        "saas_field_service",
        kinds=(
            "field service management software company",
            "fleet management software provider",
            "construction project management software company",
        ),
        does=(
            "dispatches technicians and tracks jobs for",
            "tracks vehicles, drivers and maintenance for",
            "manages drawings, RFIs and daily logs for",
        ),
        offers=(
            "work orders, dispatch and mobile apps for technicians",
            "GPS tracking, ELD compliance and fleet maintenance",
            "construction project management and document control",
        ),
        customers=("HVAC and plumbing contractors", "fleet operators", "general contractors", "facility managers"),
        features=("Works offline in the field and syncs when back in coverage.",),
    ),
    _saas(
        "saas_property",
        kinds=("property management software company", "real estate software platform"),
        does=(
            "manages leases, maintenance requests and tenant communication for",
            "screens applicants and manages listings for",
        ),
        offers=("leasing, maintenance and tenant portals", "listings, showings and tenant screening"),
        customers=("property managers", "landlords", "HOAs and community associations"),
        features=("Tenant applications and screening reports are stored securely.",),
    ),
    _saas(
        "saas_commerce",
        kinds=("e-commerce platform", "headless commerce company", "inventory management software company"),
        does=("runs online stores and inventory for", "syncs products, orders and inventory for"),
        offers=("storefronts, product catalogs and order management", "multichannel inventory and order management"),
        customers=("retailers and brands", "wholesalers", "direct-to-consumer startups"),
        features=("Connects to Amazon, eBay and Etsy.",),
    ),
    _saas(
        "saas_marketing",
        kinds=("marketing automation platform", "email marketing software company", "customer engagement platform"),
        does=("sends campaigns and stores subscriber data for", "personalizes email, SMS and push messages for"),
        offers=("email marketing, landing pages and automation", "a customer engagement platform with SMS and push"),
        customers=("marketers", "e-commerce brands", "nonprofits", "media companies"),
        features=("Subscriber lists and consent records are kept per GDPR.",),
    ),
    Archetype(
        "cloud_hosting",
        "SOC 2",
        2.0,
        4.0,
        industries=(
            "Information Technology & Services",
            "Internet",
            "Internet Services & Infrastructure",
            "Cloud Computing",
            "Computer Networking",
            "IT Services and IT Consulting",
        ),
        naics=("518210",),
        naics_2017=("518210",),
        sic=("7374", "7379"),
        name_words=("Cloud", "Hosting", "Compute", "Networks", "Infrastructure"),
        domain_words=("cloud", "host", "net", ""),
        kinds=(
            "cloud hosting provider",
            "managed cloud company",
            "infrastructure-as-a-service provider",
            "web hosting company",
            "private cloud provider",
        ),
        does=(
            "hosts applications and databases for",
            "runs managed Kubernetes and virtual servers for",
            "provides IaaS, backup and disaster recovery to",
        ),
        offers=(
            "managed hosting, backup and disaster recovery",
            "virtual private servers and object storage",
            "managed AWS and Azure environments",
            "private cloud and bare-metal servers",
        ),
        customers=("SaaS companies", "e-commerce sites", "agencies and developers", "regulated enterprises"),
        features=(
            "Backed by a 100% uptime SLA.",
            "Data centers in Virginia, Frankfurt and Singapore.",
            "24/7/365 support from certified engineers.",
            "Snapshots and encrypted backups every hour.",
        ),
        employees=(5, 2500),
    ),
    Archetype(
        "data_center",
        "SOC 2",
        1.0,
        4.0,
        industries=(
            "Information Technology & Services",
            "Internet Services & Infrastructure",
            "Data Centers",
            "Data Center REITs",
            "Telecommunications",
            "Computer Networking",
        ),
        naics=("518210",),
        naics_2017=("518210",),
        sic=("7374", "7376"),
        name_words=("Data Centers", "Colocation", "Interconnect", "Data", "DC"),
        domain_words=("dc", "colo", "datacenters", ""),
        kinds=(
            "colocation provider",
            "data center operator",
            "carrier-neutral data center company",
            "edge data center provider",
        ),
        does=(
            "provides colocation, power and connectivity to",
            "operates Tier III data centers for",
            "houses mission-critical servers for",
        ),
        offers=(
            "colocation, cross-connects and remote hands",
            "wholesale and retail colocation",
            "cages, cabinets and private suites",
            "hybrid cloud on-ramps and interconnection",
        ),
        customers=("enterprises", "cloud and content providers", "financial institutions", "carriers"),
        features=(
            "Facilities are staffed 24/7 with biometric access control.",
            "2N power and N+1 cooling with a 100% power SLA.",
            "Our campus hosts core banking systems for regional banks.",
        ),
        employees=(20, 3000),
    ),
    Archetype(
        "managed_it",
        "SOC 2",
        2.5,
        5.0,
        industries=(
            "Information Technology & Services",
            "IT Consulting & Other Services",
            "IT Services and IT Consulting",
            "Computer & Network Security",
            "Managed Services",
        ),
        naics=("541513", "541512", "541519"),
        naics_2017=("541513", "541512", "541519"),
        sic=("7376", "7373", "7379"),
        name_words=("IT", "Technology Partners", "Tech", "Networks", "IT Solutions"),
        domain_words=("it", "tech", "msp", ""),
        kinds=("managed service provider", "MSP", "IT services company", "IT outsourcing firm"),
        does=(
            "manages networks, endpoints and help desks for",
            "runs IT operations and backups for",
            "provides outsourced IT support and cloud administration to",
        ),
        offers=(
            "managed IT, help desk and backup",
            "Microsoft 365 administration and endpoint management",
            "network monitoring, patching and remote support",
            "cloud migrations and managed Azure",
        ),
        customers=(
            "small and mid-sized businesses",
            "law firms and accountants",
            "medical practices",
            "manufacturers",
            "schools and nonprofits",
        ),
        features=(
            "Our NOC monitors client networks around the clock.",
            "We hold administrator access to client systems and manage their backups.",
            "Flat-rate plans with a 15-minute response SLA.",
        ),
        employees=(5, 1500),
    ),
    Archetype(
        "mssp",
        "SOC 2",
        1.2,
        3.0,
        industries=(
            "Computer & Network Security",
            "Computer and Network Security",
            "Information Technology & Services",
            "Systems Software",
            "Cybersecurity",
        ),
        naics=("541512", "541519"),
        naics_2017=("541512", "541519"),
        sic=("7373", "7379"),
        name_words=("Security", "Cyber", "Defense", "Shield", "Secure"),
        domain_words=("security", "cyber", "sec", ""),
        kinds=(
            "managed security service provider",
            "MSSP",
            "managed detection and response company",
            "cybersecurity firm",
        ),
        does=(
            "monitors and responds to threats for",
            "runs a 24/7 security operations center for",
            "provides managed detection and response to",
        ),
        offers=(
            "SOC-as-a-service, SIEM and incident response",
            "managed detection and response",
            "vulnerability management and penetration testing",
            "email security and security awareness training",
        ),
        customers=("mid-market companies", "banks and credit unions", "hospitals", "state and local government"),
        features=(
            "Our analysts ingest client logs into our cloud SIEM.",
            "Incidents are triaged within 10 minutes, day or night.",
            "We help clients prepare for audits.",
        ),
        employees=(5, 1500),
    ),
    Archetype(
        "analytics",
        "SOC 2",
        2.0,
        4.0,
        industries=(
            "Computer Software",
            "Information Technology & Services",
            "Data Processing & Outsourced Services",
            "Application Software",
            "Analytics",
            "Big Data",
            "Internet",
        ),
        naics=("518210", "541511", "513210", "519290"),
        naics_2017=("518210", "541511", "511210", "519130"),
        sic=("7374", "7372"),
        name_words=("Analytics", "Data", "Insights", "AI", "Intelligence"),
        domain_words=("data", "ai", "analytics", "io"),
        kinds=(
            "data analytics platform",
            "data warehouse company",
            "customer data platform",
            "business intelligence software company",
            "machine learning platform",
        ),
        does=(
            "ingests, stores and analyzes customer data for",
            "builds dashboards and data pipelines for",
            "processes billions of events a day for",
        ),
        offers=(
            "data pipelines, warehousing and dashboards",
            "a customer data platform and identity resolution",
            "self-service BI and embedded analytics",
            "predictive models and AI agents",
        ),
        customers=("data teams", "marketers and product teams", "retailers and brands", "insurers and lenders"),
        features=(
            "We process personal data under GDPR and CCPA.",
            "Connectors for 300+ sources, from Salesforce to Snowflake.",
            "Customer data is isolated per tenant and encrypted.",
        ),
        traps=(
            "We are not a bank and never move money.",
            "No payments are processed on our platform.",
            "Data-driven decisions for everyone.",
        ),
        trap_rate=0.12,
        employees=(5, 2000),
    ),
    Archetype(
        "hr_tech",
        "SOC 2",
        1.5,
        4.0,
        industries=(
            "Human Resources",
            "Computer Software",
            "Staffing & Recruiting",
            "Application Software",
            "HR Tech",
            "Human Resources Services",
        ),
        naics=("513210", "561611"),
        naics_2017=("511210", "561611"),
        sic=("7372", "7381"),
        name_words=("Talent", "Hire", "People", "Recruit", "Check"),
        domain_words=("hire", "talent", "app", ""),
        kinds=(
            "applicant tracking system",
            "background screening company",
            "HR software company",
            "performance management platform",
            "employee engagement platform",
        ),
        does=(
            "screens candidates and verifies employment for",
            "manages hiring and onboarding for",
            "stores employee records and reviews for",
        ),
        offers=(
            "applicant tracking and onboarding",
            "background checks, drug testing and I-9 verification",
            "performance reviews and engagement surveys",
            "an HRIS for employee records and documents",
        ),
        customers=("HR teams", "staffing agencies", "healthcare employers", "fast-growing startups"),
        features=(
            "Candidate data, including Social Security numbers, is encrypted at rest.",
            "We are FCRA-compliant.",
            "Integrates with every major payroll provider.",
        ),
        traps=("We are not a payroll company.",),
        trap_rate=0.1,
        employees=(10, 2000),
    ),
    Archetype(
        "health_tech",
        "SOC 2",
        2.0,
        5.0,
        industries=(
            "Hospital & Health Care",
            "Health Care Technology",
            "Health, Wellness & Fitness",
            "Computer Software",
            "Digital Health",
        ),
        naics=("513210", "541511", "621999"),
        naics_2017=("511210", "541511", "621999"),
        sic=("7372", "8099", "7374"),
        name_words=("Health", "Care", "Med", "Clinical", "Patient"),
        domain_words=("health", "care", "md", ""),
        kinds=(
            "digital health company",
            "telehealth platform",
            "electronic health record vendor",
            "remote patient monitoring company",
            "healthcare data platform",
        ),
        does=(
            "stores and exchanges patient data for",
            "connects patients and clinicians for",
            "manages electronic health records for",
        ),
        offers=(
            "telehealth visits, e-prescribing and patient messaging",
            "an EHR and patient portal",
            "remote patient monitoring and care management",
            "clinical data exchange and analytics",
        ),
        customers=(
            "hospitals and health systems",
            "physician practices",
            "payers and health plans",
            "behavioral health providers",
        ),
        features=(
            "HIPAA-compliant, with a BAA for every customer.",
            "Protected health information is encrypted in transit and at rest.",
            "Integrates with Epic and Cerner via HL7 and FHIR.",
        ),
        employees=(5, 2000),
    ),
    Archetype(
        "call_center",
        "SOC 2",
        1.2,
        3.0,
        industries=(
            "Outsourcing/Offshoring",
            "Customer Service",
            "Data Processing & Outsourced Services",
            "Telecommunications",
            "Diversified Support Services",
        ),
        naics=("561422", "561421"),
        naics_2017=("561422", "561421"),
        sic=("7389",),
        name_words=("Contact Center", "Connect", "Customer Care", "Answering Service", "CX"),
        domain_words=("cx", "connect", "care", ""),
        kinds=(
            "contact center",
            "BPO and customer experience company",
            "answering service",
            "omnichannel customer support outsourcer",
        ),
        does=(
            "answers calls, chats and emails on behalf of",
            "provides outsourced customer support to",
            "handles inbound sales and support for",
        ),
        offers=(
            "inbound customer care and technical support",
            "omnichannel contact center services",
            "24/7 answering and appointment setting",
            "back-office processing and data entry",
        ),
        customers=("e-commerce brands", "utilities", "healthcare providers", "software companies"),
        features=(
            "Agents work in secure, PCI-compliant sites in three countries.",
            "Calls are recorded and retained for quality assurance.",
            "We take payments over the phone for clients.",
        ),
        employees=(50, 20000),
    ),
    Archetype(
        "dev_tools",
        "SOC 2",
        1.5,
        3.0,
        industries=(
            "Computer Software",
            "Software Development",
            "Application Software",
            "Systems Software",
            "Developer Tools",
            "Internet",
        ),
        naics=("513210", "541511"),
        naics_2017=("511210", "541511"),
        sic=("7372",),
        name_words=("Dev", "Code", "Stack", "Ops", "Labs"),
        domain_words=("dev", "io", "sh", ""),
        kinds=(
            "developer platform",
            "CI/CD service",
            "observability platform",
            "API platform",
            "feature flag service",
            "source code hosting company",
        ),
        does=(
            "hosts code and runs builds for",
            "monitors production systems for",
            "stores logs, traces and metrics for",
        ),
        offers=(
            "continuous integration and deployment",
            "logs, metrics and tracing",
            "hosted Git and code review",
            "feature flags and experimentation",
            "API gateways and developer portals",
        ),
        customers=("engineering teams", "developers", "platform and SRE teams", "startups and enterprises"),
        features=(
            "Customers send us petabytes of telemetry every month.",
            "Secrets are encrypted with customer-managed keys.",
            "Free for open source.",
        ),
        employees=(5, 2000),
    ),
    Archetype(
        "edtech",
        "SOC 2",
        0.8,
        2.0,
        industries=("E-Learning", "E-learning Providers", "Education Management", "Computer Software", "EdTech"),
        naics=("513210", "611710"),
        naics_2017=("511210", "611710"),
        sic=("7372", "8299"),
        name_words=("Learning", "Edu", "Academy", "Classroom", "Campus"),
        domain_words=("learn", "edu", "app", ""),
        kinds=("education technology company", "student information system vendor", "online learning platform"),
        does=("manages student records and coursework for", "delivers online courses for"),
        offers=(
            "a student information system and gradebook",
            "online courses and proctored exams",
            "a K-12 learning platform",
        ),
        customers=("school districts", "universities", "corporate training teams"),
        features=("Student data is protected under FERPA.", "Rostering syncs nightly with the district SIS."),
        employees=(5, 1500),
    ),
    # ---------------------------------------------------------------- Neither
    _maker(
        "maker_machining",
        industries=(
            "Machinery",
            "Mechanical or Industrial Engineering",
            "Industrial Machinery & Supplies & Components",
        ),
        naics=("332710", "333249", "333993"),
        sic=("3599", "3559", "3565"),
        name_words=("Precision", "Machine Works", "Fabrication", "Tooling"),
        kinds=("precision machine shop", "contract manufacturer", "maker of packaging machinery"),
        does=("machines precision parts for", "builds custom equipment for"),
        offers=("CNC machining, welding and assembly", "custom conveyor and packaging machinery"),
        customers=("aerospace and defense OEMs", "food processors", "medical device companies"),
        features=("AS9100 certified.", "In-house tooling, finishing and quality inspection."),
    ),
    _maker(
        "maker_auto",
        industries=("Automotive", "Automotive Parts & Equipment", "Motor Vehicle Manufacturing"),
        naics=("336390", "336340", "336370"),
        sic=("3714", "3465"),
        name_words=("Components", "Automotive", "Stamping"),
        kinds=("auto parts manufacturer", "tier-2 automotive supplier", "metal stamping company"),
        does=("supplies brake and steering components to", "stamps and assembles parts for"),
        offers=("stamped metal parts and assemblies", "brake components and steering systems"),
        customers=("automotive OEMs", "tier-1 suppliers", "the aftermarket"),
        features=("IATF 16949 certified.", "Just-in-time delivery to plants in three states."),
    ),
    _maker(
        "maker_food",
        industries=("Food Production", "Food & Beverages", "Packaged Foods & Meats", "Food and Beverage Manufacturing"),
        naics=("311812", "311919", "311421"),
        sic=("2051", "2096", "2033"),
        name_words=("Foods", "Baking Co.", "Provisions", "Snacks"),
        kinds=("commercial bakery", "snack food maker", "specialty food manufacturer"),
        does=("bakes bread and pastries for", "makes private-label snacks for", "cooks and jars sauces for"),
        offers=("breads, buns and frozen dough", "kettle chips and pretzels", "sauces, salsas and preserves"),
        customers=("grocery chains", "restaurants and food service distributors", "club stores"),
        features=("SQF-certified facility.", "Family recipes since 1948."),
    ),
    _maker(
        "maker_pharma",
        industries=("Pharmaceuticals", "Pharmaceutical Manufacturing", "Biotechnology"),
        naics=("325412", "325414"),
        sic=("2834", "2836"),
        name_words=("Pharma", "Therapeutics", "Biologics", "Laboratories"),
        kinds=("generic drug manufacturer", "biopharmaceutical company", "contract drug manufacturer"),
        does=("develops and manufactures medicines for", "makes generic tablets and capsules for"),
        offers=("generic tablets and capsules", "sterile injectables", "biologics for rare diseases"),
        customers=("patients with rare diseases", "hospitals and pharmacies", "drug wholesalers"),
        features=("FDA-inspected, cGMP facilities.", "Our pipeline includes three Phase II programs."),
    ),
    _maker(
        "maker_furniture",
        industries=("Furniture", "Furniture and Home Furnishings Manufacturing", "Home Furnishings"),
        naics=("337122", "337211"),
        sic=("2521", "2511"),
        name_words=("Furniture", "Woodworks", "Design", "Interiors"),
        kinds=("furniture maker", "office furniture manufacturer"),
        does=("builds solid-wood furniture for", "makes desks, seating and storage for"),
        offers=("office furniture and fixtures", "handcrafted tables, chairs and cabinets"),
        customers=("offices and schools", "hotels", "homeowners and designers"),
        features=("Built to order in our own workshop.",),
    ),
    _maker(
        "maker_electronics",
        industries=(
            "Semiconductors",
            "Semiconductor Materials & Equipment",
            "Electrical & Electronic Manufacturing",
            "Electronic Components",
            "Appliances, Electrical, and Electronics Manufacturing",
        ),
        naics=("334413", "334418", "335311"),
        sic=("3674", "3672", "3612"),
        name_words=("Semiconductor", "Electronics", "Circuits", "Power Systems"),
        kinds=("semiconductor maker", "printed circuit board assembler", "maker of power transformers"),
        does=(
            "designs and manufactures chips for",
            "assembles printed circuit boards for",
            "builds transformers and switchgear for",
        ),
        offers=("analog and mixed-signal chips", "PCB assembly and box builds", "transformers and switchgear"),
        customers=("industrial OEMs", "utilities", "consumer electronics brands"),
        features=("Class 10 cleanrooms.", "IPC-A-610 certified operators."),
    ),
    Archetype(
        "restaurant",
        "Neither",
        4.0,
        0.5,
        industries=("Restaurants", "Food & Beverages", "Hospitality", "Food and Beverage Services"),
        naics=("722511", "722513", "722515"),
        naics_2017=("722511", "722513", "722515"),
        sic=("5812",),
        name_words=("Kitchen", "Grill", "Bistro", "Cafe", "Tavern", "Eatery", "Diner"),
        domain_words=("eats", "kitchen", ""),
        kinds=("family-owned restaurant", "fast-casual restaurant group", "neighborhood bistro", "restaurant group"),
        does=(
            "serves seasonal, locally sourced dishes to",
            "serves breakfast, lunch and dinner to",
            "cooks comfort food for",
        ),
        offers=(
            "dine-in, takeout and catering",
            "brunch, private events and catering",
            "wood-fired pizza, handmade pasta and a full bar",
        ),
        customers=("families and local diners", "the downtown lunch crowd", "guests in four locations"),
        features=(
            "Open seven days a week.",
            "Gluten-free and vegan options available.",
            "Now booking holiday parties!",
        ),
        traps=(
            "Order online and pay ahead in our app.",
            "We accept all major credit cards and Apple Pay.",
            "Contactless payments at every table.",
        ),
        trap_rate=0.3,
        employees=(5, 800),
    ),
    _shop(
        "shop_apparel",
        industries=("Apparel Retail", "Apparel & Fashion"),
        naics=("458110",),
        naics_2017=("448140",),
        sic=("5651",),
        name_words=("Outfitters", "Clothing Co.", "Boutique", "Apparel"),
        kinds=("specialty apparel retailer", "family clothing store", "fashion boutique"),
        does=("sells apparel, footwear and accessories to",),
        offers=("apparel, footwear and accessories",),
        customers=("shoppers in 12 stores",),
    ),
    _shop(
        "shop_grocery",
        industries=("Food Retail", "Supermarkets", "Food & Beverages"),
        naics=("445110",),
        naics_2017=("445110",),
        sic=("5411",),
        name_words=("Market", "Foods", "Grocers", "Fresh Market"),
        kinds=("independent grocery chain", "neighborhood market"),
        does=("sells groceries and prepared foods to",),
        offers=("fresh produce, meat and a full-service deli", "groceries, bakery and pharmacy"),
        customers=("neighborhoods across the county",),
    ),
    _shop(
        "shop_home",
        industries=("Home Furnishing Retail", "Furniture"),
        naics=("449110",),
        naics_2017=("442110",),
        sic=("5712",),
        name_words=("Home", "Furniture Gallery", "Living"),
        kinds=("home furnishings store", "furniture retailer"),
        does=("sells furniture and decor to",),
        offers=("furniture, rugs and lighting",),
        customers=("homeowners and designers",),
    ),
    _shop(
        "shop_hardware",
        industries=("Home Improvement Retail", "Building Materials"),
        naics=("444140",),
        naics_2017=("444130",),
        sic=("5251",),
        name_words=("Hardware", "Supply", "Lumber & Hardware"),
        kinds=("family-run hardware store", "lumber and hardware retailer"),
        does=("sells tools, paint and lumber to",),
        offers=("tools, paint and garden supplies",),
        customers=("contractors and DIYers",),
    ),
    _shop(
        "shop_sporting",
        industries=("Sporting Goods", "Specialty Retail"),
        naics=("459110",),
        naics_2017=("451110",),
        sic=("5941",),
        name_words=("Outdoors", "Sports", "Gear Co."),
        kinds=("outdoor gear retailer", "sporting goods store"),
        does=("sells outdoor gear and apparel to",),
        offers=("camping, climbing and ski gear",),
        customers=("hikers, skiers and campers",),
    ),
    _shop(
        "shop_gift",
        industries=("Gift Shops", "Other Specialty Retail"),
        naics=("459420",),
        naics_2017=("453220",),
        sic=("5947",),
        name_words=("Gifts", "Emporium", "General Store"),
        kinds=("gift shop", "souvenir and novelty store"),
        does=("sells gifts, cards and local crafts to",),
        offers=("gifts, cards and local crafts",),
        customers=("tourists and locals",),
    ),
    _shop(
        "shop_pharmacy",
        industries=("Drug Retail", "Pharmacies"),
        naics=("456110",),
        naics_2017=("446110",),
        sic=("5912",),
        name_words=("Pharmacy", "Drug", "Apothecary"),
        kinds=("independent pharmacy", "family-owned drugstore"),
        does=("fills prescriptions and sells health products to",),
        offers=("prescriptions, vaccines and over-the-counter medicine",),
        customers=("patients and families",),
    ),
    Archetype(
        "oil_gas",
        "Neither",
        2.0,
        0.5,
        industries=(
            "Oil & Energy",
            "Oil & Gas Exploration & Production",
            "Oil & Gas Drilling",
            "Oil & Gas Storage & Transportation",
            "Energy",
            "Oil and Gas",
        ),
        naics=("211120", "213111", "486110", "211130"),
        naics_2017=("211120", "213111", "486110", "211130"),
        sic=("1311", "1381", "4612"),
        name_words=("Energy", "Petroleum", "Resources", "Oil & Gas", "Midstream", "Drilling"),
        domain_words=("energy", "resources", ""),
        kinds=("independent oil and gas producer", "drilling contractor", "midstream pipeline operator"),
        does=(
            "produces oil and natural gas for",
            "drills horizontal wells for",
            "gathers and transports crude oil for",
        ),
        offers=(
            "exploration, drilling and production",
            "crude oil gathering and storage",
            "contract drilling and well services",
        ),
        customers=(
            "refiners and utilities",
            "operators in the Permian Basin",
            "producers in the Bakken",
            "Gulf Coast refiners",
        ),
        features=("We operate 340 wells.", "Safety is our first priority.", "Our fleet includes 22 land rigs."),
        traps=("We use data analytics to optimize production.",),
        trap_rate=0.15,
        employees=(10, 5000),
    ),
    Archetype(
        "construction",
        "Neither",
        4.0,
        1.0,
        industries=(
            "Construction",
            "Construction & Engineering",
            "Building Materials",
            "Civil Engineering",
            "Building Construction",
        ),
        naics=("236220", "238220", "237310", "236115"),
        naics_2017=("236220", "238220", "237310", "236115"),
        sic=("1542", "1711", "1611", "1521"),
        name_words=("Construction", "Builders", "Contracting", "Building Group", "Constructors"),
        domain_words=("build", "construction", ""),
        kinds=("general contractor", "construction company", "design-build firm", "specialty contractor"),
        does=("builds and renovates commercial buildings for", "delivers design-build projects for"),
        offers=(
            "design-build, general contracting and construction management",
            "preconstruction, site work and tenant improvements",
        ),
        customers=("commercial developers", "school districts", "hospitals and universities", "homeowners"),
        features=(
            "Licensed, bonded and insured.",
            "Over 500 projects completed on time and on budget.",
            "Union contractor since 1978.",
        ),
        traps=(
            "Our project management platform keeps clients informed every day.",
            "We accept payments by check or ACH.",
        ),
        trap_rate=0.15,
        employees=(5, 3000),
    ),
    _farm(
        "farm_crops",
        industries=("Agricultural Products & Services", "Crop Production"),
        naics=("111150", "111219", "111110"),
        sic=("0115", "0161", "0116"),
        name_words=("Farms", "Acres", "Growers", "Family Farm"),
        kinds=("family farm", "vegetable grower", "grain farm"),
        does=("grows corn, soybeans and vegetables for",),
        offers=("corn, soybeans and hay", "sweet corn, tomatoes and pumpkins"),
        customers=("local grain elevators", "farmers markets and restaurants"),
        features=("Visit our farm stand from June to October.",),
    ),
    _farm(
        "farm_ranch",
        industries=("Ranching", "Animal Production"),
        naics=("112111", "112210"),
        sic=("0212", "0213"),
        name_words=("Ranch", "Cattle Co.", "Livestock"),
        kinds=("cattle ranch", "family ranch"),
        does=("raises grass-fed beef and pasture-raised pork for",),
        offers=("grass-fed beef and pasture-raised pork",),
        customers=("butchers, restaurants and families",),
        features=("Our herd grazes 4,000 acres.",),
    ),
    _farm(
        "farm_vineyard",
        industries=("Wine & Spirits", "Vineyards"),
        naics=("111332",),
        sic=("0172",),
        name_words=("Vineyards", "Vineyard", "Estate"),
        kinds=("vineyard", "family vineyard"),
        does=("grows wine grapes for",),
        offers=("estate-grown wine grapes",),
        customers=("wineries in the valley",),
        features=("Tastings by appointment.",),
    ),
    Archetype(
        "brewery",
        "Neither",
        1.2,
        0.3,
        industries=("Wine & Spirits", "Brewers", "Food & Beverages", "Beverage Manufacturing", "Breweries"),
        naics=("312120",),
        naics_2017=("312120",),
        sic=("2082",),
        name_words=("Brewing Co.", "Brewery", "Beer Co.", "Ales", "Brewhouse"),
        domain_words=("brewing", "beer", ""),
        kinds=("craft brewery", "brewpub", "independent brewery and taproom"),
        does=("brews IPAs, lagers and sours for", "brews small-batch beer for"),
        offers=("craft beer, a taproom and a beer garden", "seasonal ales and barrel-aged stouts"),
        customers=("beer lovers", "bars and restaurants across the state", "our neighbors"),
        features=("Dog-friendly patio and food trucks on weekends.", "Cans available at retailers statewide."),
        traps=("Our taproom is a platform for local musicians.",),
        trap_rate=0.2,
        employees=(3, 300),
    ),
    Archetype(
        "hotel",
        "Neither",
        1.5,
        0.5,
        industries=(
            "Hospitality",
            "Hotels, Resorts & Cruise Lines",
            "Leisure, Travel & Tourism",
            "Travel Arrangements",
        ),
        naics=("721110", "721191"),
        naics_2017=("721110", "721191"),
        sic=("7011",),
        name_words=("Hotel", "Inn", "Resort", "Lodge", "Suites"),
        domain_words=("hotel", "inn", ""),
        kinds=("boutique hotel", "resort and spa", "bed and breakfast", "hotel management company"),
        does=("welcomes", "hosts weddings and conferences for"),
        offers=("rooms, suites, a spa and event space", "lakeside cabins and a restaurant"),
        customers=("leisure and business travelers", "families and couples", "wedding parties"),
        features=("Steps from the beach.", "Free Wi-Fi, parking and breakfast.", "Pet-friendly rooms."),
        traps=("Book direct and pay securely online.", "Cloud-based booking and contactless check-in."),
        trap_rate=0.25,
        employees=(5, 3000),
    ),
    Archetype(
        "dentist",
        "Neither",
        1.5,
        0.3,
        industries=(
            "Medical Practice",
            "Health Care Services",
            "Hospital & Health Care",
            "Dental",
            "Health Care Facilities",
        ),
        naics=("621210",),
        naics_2017=("621210",),
        sic=("8021",),
        name_words=("Dental", "Family Dentistry", "Smiles", "Orthodontics", "Dental Group"),
        domain_words=("dental", "smiles", ""),
        kinds=("family dental practice", "orthodontic practice", "pediatric dentistry office"),
        does=("provides cleanings, fillings and implants to", "straightens teeth for"),
        offers=("general, cosmetic and implant dentistry", "braces and clear aligners"),
        customers=("patients of all ages", "children and teens", "families"),
        features=("New patients welcome!", "Evening and Saturday appointments."),
        traps=("We accept most dental insurance and offer payment plans.", "Patient records are kept confidential."),
        trap_rate=0.3,
        employees=(3, 150),
    ),
    Archetype(
        "law_firm",
        "Neither",
        1.5,
        1.0,
        industries=("Law Practice", "Legal Services", "Legal"),
        naics=("541110",),
        naics_2017=("541110",),
        sic=("8111",),
        name_words=("Law", "Legal", "& Partners", "Law Group", "Attorneys"),
        domain_words=("law", "legal", ""),
        kinds=("law firm", "boutique litigation firm", "estate planning practice"),
        does=("represents", "advises"),
        offers=("corporate, real estate and employment law", "estate planning and probate", "commercial litigation"),
        customers=("businesses and individuals", "families", "emerging companies"),
        features=("Free initial consultation.", "Serving clients for over 40 years."),
        traps=("Client funds are held in our attorney trust account.",),
        trap_rate=0.1,
        employees=(2, 1500),
    ),
    Archetype(
        "marketing_agency",
        "Neither",
        2.5,
        1.0,
        industries=(
            "Marketing & Advertising",
            "Marketing and Advertising",
            "Advertising",
            "Advertising Services",
            "Public Relations & Communications",
        ),
        naics=("541810", "541613", "541820"),
        naics_2017=("541810", "541613", "541820"),
        sic=("7311", "8742"),
        name_words=("Creative", "Media", "Marketing", "Agency", "Studio"),
        domain_words=("creative", "media", "agency", ""),
        kinds=(
            "data-driven marketing agency",
            "digital marketing agency",
            "creative agency",
            "performance marketing agency",
            "PR firm",
        ),
        does=(
            "builds brands and campaigns for",
            "runs paid search and social campaigns for",
            "designs websites and content for",
        ),
        offers=(
            "brand strategy, creative and media buying",
            "SEO, PPC and social media marketing",
            "web design and content marketing",
        ),
        customers=("consumer brands", "B2B technology companies", "healthcare marketers", "local businesses"),
        features=("Google Premier Partner.", "We turn insights into campaigns that convert."),
        traps=(
            "A data-driven agency: we turn your customer data into growth.",
            "Our analytics platform tracks every campaign.",
        ),
        trap_rate=0.35,
        employees=(2, 1000),
    ),
    Archetype(
        "real_estate",
        "Neither",
        1.5,
        0.5,
        industries=("Real Estate", "Real Estate Services", "Commercial Real Estate", "Real Estate Agents & Brokers"),
        naics=("531210",),
        naics_2017=("531210",),
        sic=("6531",),
        name_words=("Realty", "Properties", "Real Estate", "Homes"),
        domain_words=("realty", "homes", ""),
        kinds=("real estate brokerage", "commercial real estate firm"),
        does=("helps buyers and sellers find homes for", "leases office and industrial space to"),
        offers=("residential sales and relocation", "tenant representation and leasing"),
        customers=("families", "corporate tenants", "investors"),
        features=("Top-producing agents in the county.",),
        employees=(2, 500),
    ),
    Archetype(
        "trucking",
        "Neither",
        2.0,
        0.5,
        industries=(
            "Transportation/Trucking/Railroad",
            "Logistics & Supply Chain",
            "Trucking",
            "Cargo Ground Transportation",
            "Truck Transportation",
            "Warehousing",
        ),
        naics=("484121", "484110", "493110"),
        naics_2017=("484121", "484110", "493110"),
        sic=("4213", "4212", "4225"),
        name_words=("Logistics", "Freight", "Transport", "Trucking", "Carriers"),
        domain_words=("freight", "logistics", ""),
        kinds=("trucking company", "freight carrier", "warehousing and distribution company"),
        does=("hauls dry van and refrigerated freight for", "stores and ships products for"),
        offers=("truckload, LTL and dedicated fleet services", "warehousing, cross-docking and distribution"),
        customers=("shippers across the Midwest", "food and beverage producers", "retailers"),
        features=("A fleet of 450 tractors.", "Asset-based carrier with 24/7 dispatch."),
        traps=("Real-time tracking on our customer platform.",),
        trap_rate=0.2,
        employees=(5, 5000),
    ),
    Archetype(
        "consulting",
        "Neither",
        2.0,
        1.0,
        industries=(
            "Management Consulting",
            "Research & Consulting Services",
            "Business Consulting and Services",
            "Professional Services",
        ),
        naics=("541611", "541618"),
        naics_2017=("541611", "541618"),
        sic=("8742",),
        name_words=("Consulting", "Advisory", "Strategy", "Partners", "Group"),
        domain_words=("consulting", "advisory", ""),
        kinds=("management consulting firm", "strategy consultancy", "operations consulting firm"),
        does=("advises leadership teams at", "improves operations for"),
        offers=("strategy, operations and organizational design", "lean manufacturing and supply chain consulting"),
        customers=("manufacturers", "healthcare systems", "private equity portfolio companies"),
        features=("Our partners average 20 years of industry experience.",),
        traps=("We do not process payroll or hold client funds.", "We do not provide accounting or payment services."),
        trap_rate=0.25,
        employees=(2, 2000),
    ),
)

# --------------------------------------------------------------------------------------------
# Shared phrase pools
# --------------------------------------------------------------------------------------------

MAIN_SENTENCES = (
    "{name} is {a_adj} {kind} that {does} {customers}.",
    "{name} {does} {customers}.",
    "{Offers} for {customers}.",
    "{A_adj} {kind} offering {offers} to {customers}.",
    "Since {year}, {name} has provided {offers} to {customers}.",
    "{name} helps {customers} with {offers}.",
    "{name}: {offers}.",
    "We are {a_adj} {kind} serving {customers}.",
    "{Kind} for {customers}.",
    "At {name}, we provide {offers} to {customers}.",
    "{name} ({kind}) {does} {customers}, offering {offers}.",
)
CLOSING_SENTENCES = (
    "Headquartered in {city}.",
    "Founded in {year}.",
    "Founded in {year} and based in {city}.",
    "Offices in {city} and {city2}.",
    "Privately held.",
    "Proudly serving our community since {year}.",
    "Learn more at {domain}.",
    "We're hiring!",
    "Backed by growth equity investors.",
)
ADJECTIVES = (
    "a leading",
    "an independent",
    "a fast-growing",
    "a family-owned",
    "an award-winning",
    "a boutique",
    "a national",
    "a regional",
    "a trusted",
    "a modern",
    "an established",
    "a privately held",
)

NAME_STEMS = (
    "Alder",
    "Brisk",
    "Calder",
    "Dunmore",
    "Everly",
    "Fenwick",
    "Galloway",
    "Harrow",
    "Ivory",
    "Juniper",
    "Kestrel",
    "Larkin",
    "Merrow",
    "Nettle",
    "Oakhurst",
    "Pellam",
    "Quarrow",
    "Rowan",
    "Sable",
    "Tamsin",
    "Umber",
    "Vesper",
    "Wexley",
    "Yarrow",
    "Zephyr",
    "Ashby",
    "Bramble",
    "Corvel",
    "Delmont",
    "Elster",
    "Farrow",
    "Glenmore",
    "Hollis",
    "Inkwell",
    "Jessop",
    "Kinloch",
    "Lumen",
    "Marlow",
    "Norvale",
    "Orrin",
    "Penrose",
    "Quillan",
    "Redfern",
    "Starling",
    "Thistle",
    "Ulverton",
    "Varden",
    "Whitlow",
    "Yellin",
    "Zarek",
    "Abernet",
    "Birchley",
    "Coppice",
    "Dovecote",
    "Embry",
    "Fallow",
    "Greyling",
    "Halden",
    "Isling",
    "Jarrow",
    "Kelby",
    "Lindell",
    "Mosswood",
    "Nimbus",
    "Orchard",
    "Pemberly",
    "Quenby",
    "Ravel",
    "Selwyn",
    "Tolland",
    "Upton",
    "Valemont",
    "Wrenfield",
    "Yorvik",
    "Zinnia",
    "Arbor",
    "Beacon",
    "Cinder",
    "Drayton",
    "Ember",
    "Fable",
    "Garnet",
    "Heron",
    "Indigo",
    "Jaspar",
    "Kilbride",
    "Lattice",
    "Meridel",
    "Northam",
    "Obsidian",
    "Pinecrest",
    "Quarry",
    "Rill",
    "Saltire",
    "Tessel",
    "Verity",
    "Willowby",
)
NAME_ENDINGS = (
    "",
    "",
    "",
    "field",
    "gate",
    "wick",
    "mont",
    "ly",
    "ora",
    "io",
    "stone",
    "bridge",
    "point",
    "view",
    "line",
    "path",
    "vale",
    "wood",
    "ton",
    "hurst",
    "ix",
    "era",
    "ford",
    "brook",
    "crest",
    "haven",
    "moor",
    "ridge",
    "water",
    "leaf",
    "holm",
    "mere",
    "thorne",
    "dale",
    "croft",
    "worth",
    "combe",
    "shire",
    "land",
    "by",
    "ham",
    "well",
    "more",
)
# invented brand names: onset + vowel + coda + ending ("Brailvora", "Tessendia"); the pools are
# chosen so that no combination spells an unfortunate word
BRAND_ONSETS = (
    "B",
    "Br",
    "C",
    "Cl",
    "D",
    "Dr",
    "F",
    "Fl",
    "G",
    "Gr",
    "H",
    "J",
    "K",
    "L",
    "M",
    "N",
    "P",
    "Pr",
    "Qu",
    "R",
    "S",
    "Sk",
    "St",
    "T",
    "Tr",
    "V",
    "W",
    "Z",
    "Th",
    "Vr",
)
BRAND_VOWELS = ("a", "e", "i", "o", "ai", "ea", "y", "au")
BRAND_CODAS = ("n", "r", "l", "v", "m", "rk", "lt", "st", "nd", "lv", "rv", "", "", "")
BRAND_ENDINGS = (
    "ora",
    "ix",
    "io",
    "ent",
    "ly",
    "ova",
    "ara",
    "on",
    "el",
    "er",
    "ium",
    "ex",
    "ia",
    "o",
    "en",
    "ar",
    "ana",
    "ette",
    "ica",
    "eon",
    "ado",
    "ari",
)
ACCENTED_ENDINGS = ("", "", "", "ville", "berg", "gård", "ía", "eau", "heim", "ière", "ão", "öm")
ACCENTED_STEMS = (
    "Lumière",
    "Bélanger",
    "Müller",
    "Größer",
    "Château",
    "Señora",
    "Açores",
    "Åsberg",
    "Östlund",
    "Zoë",
    "Crème",
    "Fjällen",
    "Niño",
    "Doré",
    "Brûlé",
    "Jönsson",
    "Peña",
    "São Vicente",
    "Kühn",
    "Élan",
)
WEBSITE_STYLES = (
    ("", ""),
    ("www.", ""),
    ("https://www.", ""),
    ("http://", ""),
    ("https://", "/"),
    ("https://www.", "/"),
    ("http://www.", ""),
    ("HTTPS://WWW.", ""),
)


@dataclass(frozen=True)
class Country:
    key: str
    spellings: tuple[str, ...]
    lead_weight: float
    portfolio_weight: float
    tlds: tuple[str, ...]
    legal: tuple[str, ...]  # legal-form suffixes, with their separator
    cities: tuple[str, ...]
    regions: tuple[str, ...]  # one per city
    accented: float = 0.0  # share of names built from accented stems


_US_CITIES = (
    ("Boston", "Northeast"),
    ("New York", "Northeast"),
    ("Philadelphia", "Northeast"),
    ("Hartford", "Northeast"),
    ("Pittsburgh", "Northeast"),
    ("Chicago", "Midwest"),
    ("Minneapolis", "Midwest"),
    ("Columbus", "Midwest"),
    ("Milwaukee", "Midwest"),
    ("Kansas City", "Midwest"),
    ("Indianapolis", "Midwest"),
    ("Atlanta", "South"),
    ("Dallas", "South"),
    ("Austin", "South"),
    ("Charlotte", "South"),
    ("Nashville", "South"),
    ("Tampa", "South"),
    ("Houston", "South"),
    ("Richmond", "South"),
    ("Denver", "West"),
    ("Seattle", "West"),
    ("San Francisco", "West"),
    ("Los Angeles", "West"),
    ("Phoenix", "West"),
    ("Salt Lake City", "West"),
    ("Portland", "West"),
    ("Boise", "West"),
)
COUNTRIES: tuple[Country, ...] = (
    Country(
        "US",
        ("United States", "United States", "United States", "US", "USA", "United States of America"),
        80.0,
        88.0,
        (".com", ".com", ".com", ".com", ".io", ".co", ".net", ".us"),
        (" Inc.", ", Inc.", " LLC", " Inc", " Corp.", "", "", " Co.", ", LLC", " Group", " Holdings"),
        tuple(c for c, _ in _US_CITIES),
        tuple(r for _, r in _US_CITIES),
    ),
    Country(
        "CA",
        ("Canada",),
        4.0,
        3.0,
        (".ca", ".com"),
        (" Inc.", " Ltd.", " Corp.", ""),
        ("Toronto", "Vancouver", "Montréal", "Calgary", "Ottawa"),
        ("Canada",) * 5,
        0.1,
    ),
    Country(
        "GB",
        ("United Kingdom", "UK", "England"),
        4.0,
        3.0,
        (".co.uk", ".com", ".uk"),
        (" Ltd", " Limited", " PLC", ""),
        ("London", "Manchester", "Edinburgh", "Leeds", "Bristol"),
        ("EMEA",) * 5,
    ),
    Country(
        "IE",
        ("Ireland",),
        1.0,
        1.0,
        (".ie", ".com"),
        (" Ltd", " Limited", " DAC", ""),
        ("Dublin", "Cork", "Galway"),
        ("EMEA",) * 3,
    ),
    Country(
        "DE",
        ("Germany", "Deutschland", "DE"),
        2.0,
        1.0,
        (".de", ".com"),
        (" GmbH", " AG", " GmbH & Co. KG", ""),
        ("München", "Berlin", "Hamburg", "Frankfurt am Main", "Köln"),
        ("EMEA",) * 5,
        0.35,
    ),
    Country(
        "FR",
        ("France",),
        1.5,
        0.5,
        (".fr", ".com"),
        (" SAS", " SA", " SARL", ""),
        ("Paris", "Lyon", "Toulouse", "Nantes"),
        ("EMEA",) * 4,
        0.45,
    ),
    Country(
        "NL",
        ("Netherlands", "The Netherlands"),
        1.0,
        0.5,
        (".nl", ".com"),
        (" B.V.", ""),
        ("Amsterdam", "Rotterdam", "Utrecht"),
        ("EMEA",) * 3,
    ),
    Country(
        "SE",
        ("Sweden",),
        0.5,
        0.3,
        (".se", ".com"),
        (" AB", ""),
        ("Stockholm", "Göteborg", "Malmö"),
        ("EMEA",) * 3,
        0.4,
    ),
    Country(
        "ES",
        ("Spain", "España"),
        0.7,
        0.3,
        (".es", ".com"),
        (" S.L.", " S.A.", ""),
        ("Madrid", "Barcelona", "València"),
        ("EMEA",) * 3,
        0.35,
    ),
    Country(
        "AU",
        ("Australia",),
        1.5,
        1.0,
        (".com.au", ".com"),
        (" Pty Ltd", " Pty. Ltd.", ""),
        ("Sydney", "Melbourne", "Brisbane", "Perth"),
        ("APAC",) * 4,
    ),
    Country(
        "IN",
        ("India",),
        1.5,
        0.5,
        (".in", ".com", ".co.in"),
        (" Pvt. Ltd.", " Private Limited", ""),
        ("Bengaluru", "Pune", "Hyderabad", "Gurugram"),
        ("APAC",) * 4,
    ),
    Country("SG", ("Singapore",), 0.8, 0.5, (".sg", ".com", ".com.sg"), (" Pte. Ltd.", ""), ("Singapore",), ("APAC",)),
    Country(
        "BR",
        ("Brazil", "Brasil"),
        0.8,
        0.2,
        (".com.br", ".com"),
        (" Ltda.", " S.A.", ""),
        ("São Paulo", "Rio de Janeiro", "Curitiba"),
        ("LATAM",) * 3,
        0.35,
    ),
    Country(
        "MX",
        ("Mexico", "México"),
        0.7,
        0.2,
        (".mx", ".com.mx", ".com"),
        (" S.A. de C.V.", ""),
        ("Ciudad de México", "Monterrey", "Guadalajara"),
        ("LATAM",) * 3,
        0.25,
    ),
)

EMPLOYEE_BANDS = ("1-10", "11-50", "51-200", "201-500", "501-1,000", "1,001-5,000", "5,001-10,000", "10,001+")
EMPLOYEE_BAND_EDGES = (11, 51, 201, 501, 1001, 5001, 10001)
REVENUE_BANDS = ("< $10M", "$10M–$50M", "$50M–$250M", "$250M–$1B", "> $1B")
REVENUE_BAND_EDGES = (40, 150, 700, 3000)  # employees at which the next revenue band usually starts
REGIONS = ("Northeast", "Midwest", "South", "West", "Canada", "EMEA", "APAC", "LATAM")
PARTNERS = (
    "Marguerite Okonkwo-Hale",
    "Daniel Whitcombe",
    "Sofia Lindqvist",
    "Tomás Herrera",
    "Hannah Brightwell",
    "Kenji Aldana-Ross",
    "Amara Delacroix",
)
FORMULA_PREFIXES = ("=", "+", "-", "@", "- ", "+ ", "-- ")
SENTENCE_SEPARATORS = (" ",) * 92 + ("\n",) * 4 + ("\n\n",) * 2 + ("\r\n",) + ("\n- ",)

# existing reports, as clients and their spreadsheets spell them
SOC1_SPELLINGS = (
    "SOC 1 Type II",
    "SOC1",
    "SOC 1 Type 2",
    "SSAE 18",
    "SOC 1",
    "SSAE 18 SOC 1 Type 2",
    "SOC I Type II",
    "soc 1 type ii",
)
SOC1_TYPE1_SPELLINGS = ("SOC 1 Type I", "SOC1 Type 1")
SOC2_SPELLINGS = (
    "SOC 2 Type II",
    "SOC2 Type 2",
    "SOC II",
    "SOC 2",
    "SOC 2 Type 2",
    "SOC2",
    "SOC 2 Type II (Security, Availability)",
    "SOC 2 Type II (Security, Availability, Confidentiality)",
    "SOC 2 Type II - Security only",
)
SOC2_TYPE1_SPELLINGS = ("SOC 2 Type I", "SOC2 Type 1", "SOC 2 Type 1")
REPORT_SEPARATORS = ("; ", ", ", " / ", " and ", ";", "/", " & ", "\n")
NO_REPORT_SPELLINGS = (None,) * 10 + ("None",) * 3 + ("N/A",) * 2 + ("n/a", "none", "-", "No SOC report", "TBD")

DATE_FORMATS = (
    "{Y}-{mm}-{dd}",
    "{mm}/{dd}/{Y}",
    "{d} {Mon} {Y}",
    "{Month} {d}, {Y}",
    "{m}/{d}/{yy}",
    "{Y}-{mm}-{dd} 00:00:00",
    "{serial}",
)
DATE_FORMAT_WEIGHTS = (30, 25, 10, 12, 10, 8, 5)
DATE_FORMAT_DAY_FIRST = "{dd}/{mm}/{Y}"  # used for some non-US clients
FYE_FORMATS = (
    "{Mon}-{dd}",
    "{m}/{d}",
    "{mm}/{dd}",
    "{Month} {d}",
    "{dd}-{Mon}",
    "{Y}-{mm}-{dd}",
    "{mm}/{dd}/{Y}",
    "{serial}",
)
FYE_FORMAT_WEIGHTS = (20, 20, 10, 15, 8, 12, 12, 3)
FYE_MONTHS = (12, 6, 9, 3, 1, 4, 10)
FYE_MONTH_WEIGHTS = (60, 15, 10, 10, 2, 2, 1)
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# how often a value is missing, per column
LEAD_MISSING = {
    "Company Name": 0.003,
    "Website": 0.08,
    "Industry": 0.07,
    "NAICS": 0.3,
    "SIC": 0.4,
    "Country": 0.05,
    "City": 0.12,
    "Employees": 0.15,
    "Description": 0.06,
}
PORTFOLIO_MISSING = {
    "Website": 0.05,
    "Industry": 0.04,
    "Services": 0.04,
    "NAICS": 0.25,
    "Country": 0.02,
    "Region": 0.02,
    "Engagement Partner": 0.02,
    "Revenue Band": 0.08,
    "Fiscal Year End": 0.1,
}
SIGNAL_COLUMNS = ("Description", "Industry", "NAICS", "SIC")


# --------------------------------------------------------------------------------------------
# Vectorised helpers
# --------------------------------------------------------------------------------------------

_STR = pa.string()
_NULL = pa.scalar(None, _STR)


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class _Drawn:
    """Values drawn from a pool, kept as positions until a template needs the text."""

    values: pa.Array
    index: np.ndarray

    def take(self, rows: np.ndarray) -> pa.Array:
        return self.values.take(self.index[rows])


class _Pools:
    """Several phrase pools (one per archetype or country) flattened for vectorised draws."""

    def __init__(self, pools: Sequence[Sequence[str]]):
        flat = [v for pool in pools for v in pool]
        self.values = pa.array([*flat, None], _STR)
        self.capitalised = pa.array([*map(_upper_first, flat), None], _STR)
        self.sizes = np.array([len(p) for p in pools])
        self.offsets = np.concatenate([[0], np.cumsum(self.sizes)[:-1]]).astype(np.int64)

    def index(self, groups: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Positions in ``values``: one uniform draw inside each row's pool (the null for an empty pool)."""
        sizes = self.sizes[groups]
        within = (rng.random(len(groups)) * sizes).astype(np.int64)
        return np.where(sizes > 0, self.offsets[groups] + within, len(self.values) - 1)

    def draw(self, groups: np.ndarray, rng: np.random.Generator) -> pa.Array:
        return self.values.take(self.index(groups, rng))

    def drawn(self, groups: np.ndarray, rng: np.random.Generator) -> tuple[_Drawn, _Drawn]:
        """One draw per row, as it is and with its first letter upper-cased."""
        index = self.index(groups, rng)
        return _Drawn(self.values, index), _Drawn(self.capitalised, index)


def _pool(values: Sequence[str | None]) -> pa.Array:
    return pa.array(list(values), _STR)


def _choose(values: Sequence[str], n: int, rng: np.random.Generator, weights=None) -> pa.Array:
    """Draw n values from one pool (optionally weighted)."""
    if weights is None:
        idx = rng.integers(0, len(values), n)
    else:
        p = np.asarray(weights, float)
        idx = rng.choice(len(values), n, p=p / p.sum())
    return _pool(values).take(idx)


def _join(*parts, sep: str | pa.Array = "") -> pa.Array:
    """Element-wise concatenation; null parts are skipped, and a row with every part null stays null.

    pyarrow's ``binary_join_element_wise(null_handling="skip")`` (26.0) drops the rows in which
    every part is null, returning a shorter array; those rows are joined over an empty string and
    set back to null here.

    >>> _join(_pool(["a", None, None]), _pool(["b", "c", None]), sep="-").to_pylist()
    ['a-b', 'c', None]
    """
    all_null = None
    if all(isinstance(p, pa.Array) for p in parts):
        all_null = np.logical_and.reduce([p.is_null().to_numpy(zero_copy_only=False) for p in parts])
    if all_null is None or not all_null.any():
        return pc.binary_join_element_wise(*parts, sep, null_handling="skip")
    first = pc.if_else(pa.array(all_null), pa.scalar("", _STR), parts[0])
    joined = pc.binary_join_element_wise(first, *parts[1:], sep, null_handling="skip")
    return _mask(joined, all_null)


def _edit(arr: pa.Array, rows: np.ndarray, change) -> pa.Array:
    """Apply ``change`` (array -> array) to the rows where ``rows`` is True; cheap when they are few."""
    if not rows.any():
        return arr
    return pc.replace_with_mask(arr, pa.array(rows), change(arr.filter(pa.array(rows))))


def _mask(arr: pa.Array, missing: np.ndarray) -> pa.Array:
    """Replace values by null where ``missing`` is True."""
    return pc.if_else(pa.array(missing), _NULL, arr)


def _where(cond: np.ndarray, then: pa.Array | str, otherwise: pa.Array) -> pa.Array:
    if isinstance(then, str):
        then = pa.scalar(then, _STR)
    return pc.if_else(pa.array(cond), then, otherwise)


def _render(templates: Sequence[str], slots: Mapping[str, pa.Array | _Drawn], choice: np.ndarray) -> pa.Array:
    """Fill ``templates[choice[i]]`` with row i of each slot, for every row at once.

    >>> slots = {"a": _pool(["x", "y"]), "b": _pool(["1", "2"])}
    >>> out = _render(("{a}-{b}", "[{a}]"), slots, np.array([0, 1]))
    >>> out.to_pylist()
    ['x-1', '[y]']
    """
    n = len(choice)
    pieces, rows_in_order = [], []
    for t, template in enumerate(templates):
        rows = np.flatnonzero(choice == t)
        if not len(rows):
            continue
        take = pa.array(rows)
        parts = []
        for literal, slot, _spec, _conv in string.Formatter().parse(template):
            if literal:
                parts.append(pa.scalar(literal, _STR))
            if slot is not None:
                value = slots[slot]
                parts.append(value.take(rows) if isinstance(value, _Drawn) else value.take(take))
        if any(isinstance(p, pa.Array) for p in parts):
            pieces.append(pc.binary_join_element_wise(*parts, ""))
        else:
            pieces.append(_pool([template]).take(np.zeros(len(rows), np.int64)))
        rows_in_order.append(rows)
    if not pieces:
        return pa.array([], _STR)
    inverse = np.empty(n, np.int64)
    inverse[np.concatenate(rows_in_order)] = np.arange(n)
    return pa.concat_arrays(pieces).take(pa.array(inverse))


def _ascii(text: str) -> str:
    """Strip accents, spaces and punctuation for a domain name: 'São Vicente' -> 'saovicente'."""
    decomposed = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in decomposed.lower() if ch.isalnum())


def _to_pandas(columns: Mapping[str, pa.Array]) -> pd.DataFrame:
    return pa.table(dict(columns)).to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)


# --------------------------------------------------------------------------------------------
# Organisations: the core columns shared by leads and portfolios
# --------------------------------------------------------------------------------------------

_ARCH = {
    name: _Pools([getattr(a, name) for a in ARCHETYPES])
    for name in (
        "industries",
        "naics",
        "naics_2017",
        "sic",
        "name_words",
        "domain_words",
        "kinds",
        "does",
        "offers",
        "customers",
        "features",
        "traps",
    )
}
_COUNTRY = {
    "spellings": _Pools([c.spellings for c in COUNTRIES]),
    "tlds": _Pools([c.tlds for c in COUNTRIES]),
    "legal": _Pools([c.legal for c in COUNTRIES]),
    "cities": _Pools([c.cities for c in COUNTRIES]),
    "regions": _Pools([c.regions for c in COUNTRIES]),
}
_STEMS = tuple(s + e for s in NAME_STEMS for e in NAME_ENDINGS)
_STEMS_ASCII = tuple(_ascii(s) for s in _STEMS)
_ACCENTED = tuple(s + e for s in ACCENTED_STEMS for e in ACCENTED_ENDINGS)
_ACCENTED_ASCII = tuple(_ascii(s) for s in _ACCENTED)
_DOMAIN_WORDS_ASCII = _Pools([tuple(_ascii(w) for w in a.domain_words) for a in ARCHETYPES])
_NAICS_BOTH = pa.concat_arrays([_ARCH["naics"].values, _ARCH["naics_2017"].values])
_ADJECTIVES = _Pools([ADJECTIVES])


def _archetypes(n: int, rng: np.random.Generator, weight: str) -> np.ndarray:
    p = np.array([getattr(a, weight) for a in ARCHETYPES], float)
    return rng.choice(len(ARCHETYPES), n, p=p / p.sum())


def _countries(n: int, rng: np.random.Generator, weight: str) -> np.ndarray:
    p = np.array([getattr(c, weight) for c in COUNTRIES], float)
    return rng.choice(len(COUNTRIES), n, p=p / p.sum())


def _brand_names(n: int, rng: np.random.Generator) -> pa.Array:
    """Invented one-word brand names."""
    pools = (BRAND_ONSETS, BRAND_VOWELS, BRAND_CODAS, BRAND_ENDINGS)
    return _join(*(_pool(p).take(rng.integers(0, len(p), n)) for p in pools))


def _names(arch: np.ndarray, country: np.ndarray, rng: np.random.Generator) -> dict[str, pa.Array]:
    """Short name (for descriptions), full name (with legal form) and the domain built from them."""
    n = len(arch)
    accented = rng.random(n) < np.array([c.accented for c in COUNTRIES])[country]
    brand = rng.random(n) < 0.7
    compound_idx = np.where(accented, len(_STEMS) + rng.integers(0, len(_ACCENTED), n), rng.integers(0, len(_STEMS), n))
    stem = _where(brand & ~accented, _brand_names(n, rng), _pool(_STEMS + _ACCENTED).take(compound_idx))
    stem_ascii = _where(
        brand & ~accented, pc.utf8_lower(stem), _pool(_STEMS_ASCII + _ACCENTED_ASCII).take(compound_idx)
    )
    word_idx = _ARCH["name_words"].index(arch, rng)
    with_word = rng.random(n) < 0.65
    word = _mask(_ARCH["name_words"].values.take(word_idx), ~with_word)
    short = _join(stem, word, sep=" ")
    full = _join(short, _COUNTRY["legal"].draw(country, rng))
    domain_word = _mask(_DOMAIN_WORDS_ASCII.draw(arch, rng), rng.random(n) < 0.5)
    domain = _join(stem_ascii, domain_word, _COUNTRY["tlds"].draw(country, rng))
    return {"short": short, "full": full, "domain": domain}


def _website(domain: pa.Array, style: np.ndarray) -> pa.Array:
    prefixes = _pool([p for p, _ in WEBSITE_STYLES]).take(style)
    suffixes = _pool([s for _, s in WEBSITE_STYLES]).take(style)
    return _join(prefixes, domain, suffixes)


def _naics(arch: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """NAICS 2022 six-digit codes; some from NAICS 2017, some cut to a prefix, a few with an Excel '.0'."""
    n = len(arch)
    idx = _ARCH["naics"].index(arch, rng)  # naics and naics_2017 are aligned, so the same positions apply
    old = rng.random(n) < 0.1
    codes = _NAICS_BOTH.take(np.where(old, idx + len(_ARCH["naics"].values), idx))
    length = rng.choice([2, 3, 4, 5, 6], n, p=[0.02, 0.03, 0.04, 0.02, 0.89])
    for width in (2, 3, 4, 5):
        codes = _edit(codes, length == width, lambda a, w=width: pc.utf8_slice_codeunits(a, 0, w))
    return _edit(codes, rng.random(n) < 0.01, lambda a: _join(a, pa.scalar(".0")))


def _sic(arch: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """Four-digit SIC codes; agricultural codes sometimes lose their leading zero."""
    codes = _ARCH["sic"].draw(arch, rng)
    return _edit(codes, rng.random(len(arch)) < 0.3, lambda a: pc.utf8_ltrim(a, characters="0"))


def _employee_counts(arch: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    lo = np.log(np.array([a.employees[0] for a in ARCHETYPES], float))[arch]
    hi = np.log(np.array([a.employees[1] for a in ARCHETYPES], float))[arch]
    # skewed towards the small end, as real lists are
    return np.round(np.exp(lo + (hi - lo) * rng.random(len(arch)) ** 1.6)).astype(np.int64)


def _employees(counts: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """Head counts as a number ("240") or as a vendor band ("201-500")."""
    bands = _pool(EMPLOYEE_BANDS).take(np.digitize(counts, EMPLOYEE_BAND_EDGES))
    return _where(rng.random(len(counts)) < 0.4, bands, pc.cast(pa.array(counts), _STR))


def _description(
    arch: np.ndarray, names: Mapping[str, pa.Array], city: pa.Array, country: np.ndarray, rng: np.random.Generator
) -> pa.Array:
    """A main sentence, up to two features, sometimes a trap and a closing line, joined by a separator."""
    n = len(arch)
    year = pc.cast(pa.array(rng.integers(1948, 2024, n)), _STR)
    adj, adj_upper = _ADJECTIVES.drawn(np.zeros(n, np.int64), rng)
    kind, kind_upper = _ARCH["kinds"].drawn(arch, rng)
    offers, offers_upper = _ARCH["offers"].drawn(arch, rng)
    slots = {
        "name": names["short"],
        "kind": kind,
        "Kind": kind_upper,
        "a_adj": adj,
        "A_adj": adj_upper,
        "does": _ARCH["does"].drawn(arch, rng)[0],
        "offers": offers,
        "Offers": offers_upper,
        "customers": _ARCH["customers"].drawn(arch, rng)[0],
        "year": year,
        "city": city,
        "city2": _COUNTRY["cities"].drawn(country, rng)[0],
        "domain": names["domain"],
    }
    main = _render(MAIN_SENTENCES, slots, rng.integers(0, len(MAIN_SENTENCES), n))
    feature1 = _mask(_ARCH["features"].draw(arch, rng), rng.random(n) >= 0.75)
    feature2 = _ARCH["features"].draw(arch, rng)
    repeated = pc.fill_null(pc.equal(feature1, feature2), False).to_numpy(zero_copy_only=False)
    feature2 = _mask(feature2, (rng.random(n) >= 0.4) | repeated)
    trap_rate = np.array([a.trap_rate for a in ARCHETYPES])[arch]
    trap = _mask(_ARCH["traps"].draw(arch, rng), rng.random(n) >= trap_rate)
    closing = _render(CLOSING_SENTENCES, slots, rng.integers(0, len(CLOSING_SENTENCES), n))
    closing = _mask(closing, rng.random(n) >= 0.3)
    sep = _choose(SENTENCE_SEPARATORS, n, rng)
    return _join(main, feature1, trap, feature2, closing, sep=sep)


def _formula_like(arr: pa.Array, rate: float, rng: np.random.Generator) -> pa.Array:
    """Prefix a few cells with '=', '+', '-' or '@', as exports from spreadsheets and CRMs have."""
    n = len(arr)
    rows = rng.random(n) < rate
    return _edit(arr, rows, lambda a: _join(_choose(FORMULA_PREFIXES, len(a), rng), a))


def _organisations(n: int, rng: np.random.Generator, weight: str) -> dict[str, object]:
    """Row-aligned arrays for n invented organisations (before duplicates and missing values)."""
    arch = _archetypes(n, rng, weight)
    country = _countries(n, rng, weight)
    names = _names(arch, country, rng)
    city_idx = _COUNTRY["cities"].index(country, rng)
    city = _COUNTRY["cities"].values.take(city_idx)
    counts = _employee_counts(arch, rng)
    return {
        "arch": arch,
        "country_idx": country,
        "short": names["short"],
        "name": names["full"],
        "domain": names["domain"],
        "website_style": rng.integers(0, len(WEBSITE_STYLES), n),
        "industry": _ARCH["industries"].draw(arch, rng),
        "naics": _naics(arch, rng),
        "sic": _sic(arch, rng),
        "country": _COUNTRY["spellings"].draw(country, rng),
        "city": city,
        "region": _COUNTRY["regions"].values.take(city_idx),
        "employee_count": counts,
        "employees": _employees(counts, rng),
        "description": _description(arch, names, city, country, rng),
    }


def _duplicate(orgs: dict[str, object], rate: float, rng: np.random.Generator) -> dict[str, object]:
    """Make some rows repeat an earlier organisation, with the website spelled another way.

    The repeated rows are copies of rows that are themselves kept, so every copy has its original
    earlier in the table; ``out["duplicate_of"]`` holds the original's position (-1 for none).
    """
    n = len(orgs["arch"])
    k = min(int(round(n * rate)), max(n - 1, 0))
    source = np.arange(n)
    if k:
        is_target = np.zeros(n, bool)
        is_target[rng.choice(np.arange(1, n), size=k, replace=False)] = True
        targets, kept = np.flatnonzero(is_target), np.flatnonzero(~is_target)
        earlier = np.searchsorted(kept, targets)  # kept rows before each target (>= 1, row 0 is kept)
        source[targets] = kept[(rng.random(k) * earlier).astype(np.int64)]
    out = {}
    take = pa.array(source)
    for key, value in orgs.items():
        out[key] = value[source] if isinstance(value, np.ndarray) else value.take(take)
    is_dup = source != np.arange(n)
    shift = rng.integers(1, len(WEBSITE_STYLES), n)
    out["website_style"] = np.where(is_dup, (out["website_style"] + shift) % len(WEBSITE_STYLES), out["website_style"])
    upper = is_dup & (rng.random(n) < 0.3)
    out["name"] = _edit(out["name"], upper, pc.utf8_upper)
    out["duplicate_of"] = np.where(is_dup, source, -1)
    return out


def _apply_missing(
    columns: dict[str, pa.Array], rates: Mapping[str, float], rng: np.random.Generator
) -> dict[str, pa.Array]:
    n = len(next(iter(columns.values())))
    return {c: _mask(v, rng.random(n) < rates[c]) if c in rates else v for c, v in columns.items()}


def _expected(arch: np.ndarray, columns: Mapping[str, pa.Array], signal_columns: Sequence[str]) -> pa.Array:
    """The report each row needs; 'Undetermined' where every signal column is empty."""
    expected = _pool([a.expected for a in ARCHETYPES]).take(arch)
    empty = np.ones(len(arch), bool)
    for c in signal_columns:
        empty &= columns[c].is_null().to_numpy(zero_copy_only=False)
    return _where(empty, "Undetermined", expected)


def _truth(
    orgs: Mapping[str, object], columns: Mapping[str, pa.Array], signal_columns: Sequence[str]
) -> dict[str, pa.Array]:
    """``_archetype``, ``_expected`` and ``_duplicate_of`` (1-based row of the original, or missing)."""
    dup = orgs["duplicate_of"]
    return {
        "_archetype": _pool([a.key for a in ARCHETYPES]).take(orgs["arch"]),
        "_expected": _expected(orgs["arch"], columns, signal_columns),
        "_duplicate_of": pa.array(dup + 1, pa.int64(), mask=dup < 0),
    }


# --------------------------------------------------------------------------------------------
# Public generators
# --------------------------------------------------------------------------------------------


def make_leads(n: int, *, seed: int = 0, truth: bool = False) -> pd.DataFrame:
    """A fictional lead list, as a data vendor would export it.

    Parameters
    ----------
    n : int
        Number of rows (including about 1% duplicates of earlier rows).
    seed : int
        The same seed always gives the same frame.
    truth : bool
        Add ``_archetype`` (the kind of organisation), ``_expected`` (``SOC 1``, ``SOC 2``,
        ``Both``, ``Neither``, or ``Undetermined`` when description, industry, NAICS and SIC are
        all missing) and ``_duplicate_of`` (for a deliberate repeat, the 1-based row number of
        its original; missing otherwise). These are for tests; they are not in the sample CSV.

    Returns
    -------
    pandas.DataFrame
        Columns ``Company Name, Website, Industry, NAICS, SIC, Country, City, Employees,
        Description``, every one of strings with missing values as NaN.

    Examples
    --------
    >>> leads = make_leads(1000, seed=3, truth=True)
    >>> leads.shape
    (1000, 12)
    >>> set(leads["_expected"]) >= {"SOC 1", "SOC 2", "Both", "Neither"}
    True
    >>> bool(leads["Description"].str.contains("\\n", regex=False).any())
    True
    """
    if n < 0:
        raise ValueError(f"make_leads: n={n!r}; accepted: a number of rows >= 0")
    rng = np.random.default_rng(seed)
    orgs = _duplicate(_organisations(n, rng, "lead_weight"), 0.01, rng)
    columns = {
        "Company Name": _formula_like(orgs["name"], 0.001, rng),
        "Website": _website(orgs["domain"], orgs["website_style"]),
        "Industry": orgs["industry"],
        "NAICS": orgs["naics"],
        "SIC": orgs["sic"],
        "Country": orgs["country"],
        "City": orgs["city"],
        "Employees": orgs["employees"],
        "Description": _formula_like(orgs["description"], 0.004, rng),
    }
    columns = _apply_missing(columns, LEAD_MISSING, rng)
    if truth:
        columns.update(_truth(orgs, columns, SIGNAL_COLUMNS))
    return _to_pandas(columns)


def _month_ends(months_back: np.ndarray, reference: np.datetime64) -> np.ndarray:
    """The last day of the month ``months_back`` months before the reference date's month."""
    month = reference.astype("datetime64[M]") - months_back.astype("timedelta64[M]")
    return (month + np.timedelta64(1, "M")).astype("datetime64[D]") - np.timedelta64(1, "D")


def _date_slots(dates: np.ndarray) -> dict[str, pa.Array]:
    """The pieces a date format can use: {Y} {yy} {m} {mm} {d} {dd} {Mon} {Month} {serial}."""
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    months = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    days = (dates - dates.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    serial = (dates - np.datetime64("1899-12-30")).astype(np.int64)

    def text(values):
        return pc.cast(pa.array(values), _STR)

    return {
        "Y": text(years),
        "yy": pc.utf8_lpad(text(years % 100), width=2, padding="0"),
        "m": text(months),
        "mm": pc.utf8_lpad(text(months), width=2, padding="0"),
        "d": text(days),
        "dd": pc.utf8_lpad(text(days), width=2, padding="0"),
        "Mon": _pool([m[:3] for m in MONTH_NAMES]).take(months - 1),
        "Month": _pool(MONTH_NAMES).take(months - 1),
        "serial": text(serial),
    }


def _weighted(n: int, weights: Sequence[float], rng: np.random.Generator) -> np.ndarray:
    p = np.asarray(weights, float)
    return rng.choice(len(p), n, p=p / p.sum())


def _report_status(expected: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """never / current / due / stale, relative to the reference date."""
    statuses = np.array(["never", "current", "due", "stale"])
    service = _weighted(len(expected), (20, 45, 15, 20), rng)
    other = _weighted(len(expected), (90, 6, 2, 2), rng)
    return statuses[np.where(expected == "Neither", other, service)]


def _current_reports(
    expected: np.ndarray, status: np.ndarray, arch: np.ndarray, non_us: np.ndarray, rng: np.random.Generator
) -> pa.Array:
    """What each client holds, in mixed spellings and separators."""
    n = len(expected)
    held = status != "never"
    has1 = held & np.select(
        [expected == "SOC 1", expected == "Both", expected == "SOC 2"],
        [np.ones(n, bool), rng.random(n) < 0.7, rng.random(n) < 0.05],
        False,
    )
    has2 = held & np.select(
        [expected == "SOC 2", expected == "Both", expected == "SOC 1", expected == "Neither"],
        [np.ones(n, bool), rng.random(n) < 0.75, rng.random(n) < 0.15, rng.random(n) < 0.5],
        False,
    )
    has2 |= held & ~has1 & ~has2
    first_report = rng.random(n) < 0.15
    soc1 = _where(first_report, _choose(SOC1_TYPE1_SPELLINGS, n, rng), _choose(SOC1_SPELLINGS, n, rng))
    soc1 = _where(non_us & (rng.random(n) < 0.5), "ISAE 3402", soc1)
    soc1 = _where((status == "stale") & (rng.random(n) < 0.3), "SSAE 16", soc1)
    soc2 = _where(first_report, _choose(SOC2_TYPE1_SPELLINGS, n, rng), _choose(SOC2_SPELLINGS, n, rng))
    soc2 = _where(non_us & (rng.random(n) < 0.4), "ISAE 3000", soc2)
    health = arch == [a.key for a in ARCHETYPES].index("health_tech")
    soc2 = _where(health & (rng.random(n) < 0.5), "SOC 2+ HIPAA", soc2)
    soc3 = _mask(_pool(["SOC 3"]).take(np.zeros(n, np.int64)), ~(has2 & (rng.random(n) < 0.15)))
    none = _mask(_choose(NO_REPORT_SPELLINGS, n, rng), held)
    sep = _choose(REPORT_SEPARATORS, n, rng, weights=(30, 25, 12, 12, 8, 5, 5, 3))
    first_soc2 = rng.random(n) < 0.5
    parts = (_mask(soc2, ~(has2 & first_soc2)), _mask(soc1, ~has1), _mask(soc2, ~(has2 & ~first_soc2)), soc3)
    joined = _join(*parts, sep=sep)
    return pc.if_else(pa.array(held), joined, none)


def _period_ends(status: np.ndarray, reference: np.datetime64, rng: np.random.Generator) -> np.ndarray:
    n = len(status)
    months_back = np.select(
        [status == "current", status == "due", status == "stale"],
        [rng.integers(1, 10, n), rng.integers(10, 13, n), rng.integers(13, 37, n)],
        0,
    )
    return _month_ends(months_back, reference)


def _fiscal_year_ends(n: int, reference: np.datetime64, rng: np.random.Generator) -> np.ndarray:
    """The last fiscal year end on or before the reference date."""
    month = np.array(FYE_MONTHS)[_weighted(n, FYE_MONTH_WEIGHTS, rng)]
    ref_month = reference.astype("datetime64[M]").astype(np.int64) % 12 + 1
    return _month_ends((ref_month - month) % 12 + (ref_month == month) * 12, reference)


def make_portfolio(n: int, *, seed: int = 0, truth: bool = False) -> pd.DataFrame:
    """A fictional client portfolio of an audit firm, as kept in a spreadsheet.

    Report period ends are spread around :data:`REFERENCE_DATE` (2026-11-26): some reports are
    current, some due for renewal (period ended 10 to 12 months before), some stale, and some
    clients never held one. Dates come in mixed spreadsheet formats, including Excel serials.

    Parameters
    ----------
    n : int
        Number of clients.
    seed : int
        The same seed always gives the same frame.
    truth : bool
        Add ``_archetype``, ``_expected`` and ``_duplicate_of`` (as :func:`make_leads`),
        ``_status`` (never/current/due/stale) and ``_period_end`` (ISO date of the report period
        end, empty when never held).

    Returns
    -------
    pandas.DataFrame
        Columns ``Client, Website, Industry, Services, NAICS, Country, Region, Engagement
        Partner, Revenue Band, Current Reports, Report Period End, Fiscal Year End``, all strings.

    Examples
    --------
    >>> clients = make_portfolio(200, seed=3, truth=True)
    >>> clients.shape
    (200, 17)
    >>> sorted(clients["_status"].unique())
    ['current', 'due', 'never', 'stale']
    >>> clients["Revenue Band"].dropna().isin(REVENUE_BANDS).all()
    np.True_
    """
    if n < 0:
        raise ValueError(f"make_portfolio: n={n!r}; accepted: a number of rows >= 0")
    rng = np.random.default_rng(seed)
    reference = np.datetime64(REFERENCE_DATE)
    orgs = _duplicate(_organisations(n, rng, "portfolio_weight"), 0.01, rng)
    arch = orgs["arch"]
    expected = np.array([a.expected for a in ARCHETYPES])[arch]
    non_us = orgs["country_idx"] != 0
    status = _report_status(expected, rng)
    period_end = _period_ends(status, reference, rng)
    period_style = _weighted(n, DATE_FORMAT_WEIGHTS, rng)
    day_first = non_us & (rng.random(n) < 0.5)
    period_text = _render(
        (*DATE_FORMATS, DATE_FORMAT_DAY_FIRST),
        _date_slots(period_end),
        np.where(day_first, len(DATE_FORMATS), period_style),
    )
    no_period = (status == "never") | (rng.random(n) < 0.05)
    fye_text = _render(
        FYE_FORMATS, _date_slots(_fiscal_year_ends(n, reference, rng)), _weighted(n, FYE_FORMAT_WEIGHTS, rng)
    )
    noise = rng.choice([-1, 0, 1], n, p=[0.1, 0.8, 0.1])
    band = np.digitize(orgs["employee_count"], REVENUE_BAND_EDGES) + noise
    columns = {
        "Client": orgs["name"],
        "Website": _website(orgs["domain"], orgs["website_style"]),
        "Industry": orgs["industry"],
        "Services": _formula_like(orgs["description"], 0.005, rng),
        "NAICS": orgs["naics"],
        "Country": orgs["country"],
        "Region": orgs["region"],
        "Engagement Partner": _choose(PARTNERS, n, rng),
        "Revenue Band": _pool(REVENUE_BANDS).take(np.clip(band, 0, len(REVENUE_BANDS) - 1)),
        "Current Reports": _current_reports(expected, status, arch, non_us, rng),
        "Report Period End": _mask(period_text, no_period),
        "Fiscal Year End": fye_text,
    }
    columns = _apply_missing(columns, PORTFOLIO_MISSING, rng)
    if truth:
        columns.update(_truth(orgs, columns, ("Services", "Industry", "NAICS")))
        columns["_status"] = pa.array(status, _STR)
        iso = pc.cast(pa.array(period_end), _STR)
        columns["_period_end"] = _mask(iso, status == "never")
    return _to_pandas(columns)


def write_csv_bulk(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a frame of strings to CSV quickly (pyarrow), quoting values only where needed.

    Missing values are written as empty cells; values holding commas, quotes or newlines are
    quoted, so ``pandas.read_csv`` reads them back unchanged.

    >>> import tempfile
    >>> leads = make_leads(50, seed=4)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_csv_bulk(leads, Path(tmp) / "leads.csv")
    ...     back = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    >>> back.equals(leads)
    True
    """
    path = Path(path)
    table = pa.Table.from_pandas(df, preserve_index=False)
    pacsv.write_csv(table, path, write_options=pacsv.WriteOptions(quoting_style="needed"))
    return path


# --------------------------------------------------------------------------------------------
# The bundled samples
# --------------------------------------------------------------------------------------------

PACKAGE_DATA = Path(__file__).parent.parent / "data"
SAMPLE_PORTFOLIO_FILE = "sample_portfolio.csv"
SAMPLE_LEADS_FILE = "sample_leads.csv"


def sample_frames() -> dict[str, pd.DataFrame]:
    """The bundled samples as generated: file name -> frame (no truth columns)."""
    return {
        SAMPLE_PORTFOLIO_FILE: make_portfolio(SAMPLE_PORTFOLIO_ROWS, seed=SAMPLE_SEED),
        SAMPLE_LEADS_FILE: make_leads(SAMPLE_LEADS_ROWS, seed=SAMPLE_SEED),
    }


def write_samples(directory: str | os.PathLike = PACKAGE_DATA) -> list[Path]:
    """Write the sample portfolio and lead list (deterministic) into ``directory``.

    UTF-8 without BOM, ``\\n`` line ends, values quoted only where needed (so a few keep a
    ``\\r\\n`` inside their quotes, as files saved on Windows do).
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in sample_frames().items():
        path = directory / name
        frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the bundled samples: ``python -m socanalysis._testing.synthetic [--out DIR]``.

    Without ``--out`` the files go to ``socanalysis/data/``; ``data/`` at the top of the source
    tree holds links to them.
    """
    parser = argparse.ArgumentParser(prog="python -m socanalysis._testing.synthetic", description=main.__doc__)
    parser.add_argument("--out", default=str(PACKAGE_DATA), help="directory for the CSV files")
    args = parser.parse_args(argv)
    write_samples(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
