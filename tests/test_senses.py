"""Words in the sense their rule means, customers named after the system they use, activities done
to whose things in several phrasings, and rationales that quote words of their own row.

Every sentence here is invented for these tests.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from socanalysis import classify
from socanalysis.classifier.matching import SHORT_FORMS, stem

REPORTS = {"SOC 1": {1}, "SOC 2": {2}, "Both": {1, 2}, "Neither": set()}


def one(text: str, **columns) -> pd.Series:
    return classify(pd.DataFrame({"Description": [text], **{k: [v] for k, v in columns.items()}})).iloc[0]


def includes(report: str, wanted: str) -> bool:
    got = REPORTS.get(report)
    if got is None:
        return False
    return {"SOC 1": 1 in got, "SOC 2": 2 in got, "Both": got == {1, 2}, "Neither": not got}[wanted]


# --------------------------------------------------------------------------- each trap, in both its senses
SENSES = {
    "mobile": [
        ("Mobile tyre fitting at the roadside.", "Neither"),
        ("Mobile hairdresser for brides and bridesmaids.", "Neither"),
        ("We build mobile apps for insurers and keep them running.", "SOC 2"),
        ("Mobile payments acceptance for market traders.", "SOC 1"),
    ],
    "collection": [
        ("Scrap metal collection from garages.", "Neither"),
        ("Bulky waste collection for households.", "Neither"),
        ("Collection agency for unpaid utility bills.", "SOC 1"),
        ("Survey data collection and storage for universities.", "SOC 2"),
    ],
    "security": [
        ("Security doors and shutters installed in warehouses.", "Neither"),
        ("Static guarding and key holding for offices.", "Neither"),
        ("Managed security operations centre watching client networks.", "SOC 2"),
        ("Identity and access management software for hospitals.", "SOC 2"),
    ],
    "electronic": [
        ("Electronic scoreboards made for stadiums.", "Neither"),
        ("Electronics recycling for offices.", "Neither"),
        ("Electronic payroll and payslips for charities.", "SOC 1"),
        ("We store electronic contracts for estate agents.", "SOC 2"),
    ],
    "records": [
        ("Record label releasing dance music.", "Neither"),
        ("Vinyl records pressing plant.", "Neither"),
        ("We scan and store HR records for employers.", "SOC 2"),
        ("Records retention software for councils.", "SOC 2"),
    ],
    "capital": [
        ("Venture capital investor in consumer brands.", "Neither"),
        ("Capital projects builder of bridges and tunnels.", "Neither"),
        ("Capital markets back office: trade settlement for brokers.", "SOC 1"),
        ("Fund administration for private capital funds.", "SOC 1"),
    ],
    "clinic or hospital": [
        ("Eye clinic offering laser surgery.", "Neither"),
        ("Hospital running two emergency departments.", "Neither"),
        ("We host the imaging archives of hospitals.", "SOC 2"),
        ("Payroll for clinics and dental surgeries.", "SOC 1"),
    ],
    "custody and divorce": [
        ("Family law practice: divorce, child custody and support.", "Neither"),
        ("Custody disputes and adoptions for families.", "Neither"),
        ("Custody and fund accounting for hedge funds.", "SOC 1"),
        ("Custody of client assets for wealth managers.", "SOC 1"),
    ],
    "claims": [
        ("Gold explorer holding mining claims in Nevada.", "Neither"),
        ("Claims administration for self-insured employers.", "SOC 1"),
    ],
    "data centre": [
        ("Design-build contractor; we build data centres and hand them over.", "Neither"),
        ("We run two data centres and host servers for banks.", "SOC 2"),
    ],
    "store": [
        ("Shoe store in the high street.", "Neither"),
        ("We store dash-cam footage for police forces in our cloud.", "SOC 2"),
    ],
    "brokerage": [
        ("Residential real estate brokerage with 60 agents.", "Neither"),
        ("Prime brokerage and securities lending for hedge funds.", "SOC 1"),
    ],
    "negated lists": [
        ("Electrical contractor; we never install servers or host data for anyone.", "Neither"),
        ("We host websites or apps for dentists.", "SOC 2"),
    ],
    "library": [
        ("They run a public library system with 11 branches.", "Neither"),
        ("Library management software for schools and public libraries.", "SOC 2"),
    ],
    "food bank": [
        ("Food bank serving four counties; donations are tracked in a donor CRM.", "Neither"),
        ("Donor CRM for food banks and charities.", "SOC 2"),
    ],
    "software it hands over": [
        ("We write custom software for clients and hand over the code at the end; we don't host anything.", "Neither"),
        ("We build custom software for clients and host it in our cloud.", "SOC 2"),
    ],
    "credit union": [
        ("Credit union with 30,000 members: checking, savings and auto loans.", "Neither"),
        ("We service auto loans for credit unions.", "SOC 1"),
    ],
    "trust": [
        ("Land trust holding conservation easements on farmland.", "Neither"),
        ("Trust company acting as trustee and custodian for family trusts.", "SOC 1"),
    ],
    "custody mediation": [
        ("Custody mediation for divorcing parents, and parenting plans.", "Neither"),
        ("Custody and fund accounting for pension schemes.", "SOC 1"),
    ],
    "blood bank": [
        ("Community blood bank that collects donations and supplies local hospitals.", "Neither"),
        ("We collect and process donations for charities and issue their donor receipts.", "SOC 1"),
    ],
    "check cashing": [
        ("Family-owned check cashing and pawn shop on Main Street.", "Neither"),
        ("Remote deposit capture that processes check deposits for community banks.", "SOC 1"),
    ],
    "builder": [
        ("Custom home builder in the hill country.", "Neither"),
        ("Hosted workflow builder that city permit offices use to run their applications.", "SOC 2"),
    ],
    "meeting rooms": [
        ("Coworking space downtown with hot desks and meeting rooms.", "Neither"),
        ("Meeting transcription and notes software for sales teams.", "SOC 2"),
    ],
    "device": [
        ("We make smart thermostats and other home devices.", "Neither"),
        ("Ad platform that processes device IDs and audience segments for ad agencies.", "SOC 2"),
    ],
    "insurance brokerage": [
        ("Managed IT and help desk for insurance brokerages.", "SOC 2"),
        ("Car wash chain; our insurance brokerage renews the fleet cover.", "Neither"),
    ],
    "between": [
        ("Hosted lab interface that routes patient orders and results between clinics and labs.", "SOC 2"),
        ("Walk-in clinic between the mall and the station.", "Neither"),
    ],
    "advice on a choice": [
        ("Consultancy that helps mid-market firms choose an ERP; advisory only.", "Neither"),
        ("We host and run the ERP for mid-market firms.", "SOC 2"),
    ],
    "events": [
        ("We produce corporate events and product launches for fintech companies.", "Neither"),
        ("Event ticketing platform that holds attendee data for conference organisers.", "SOC 2"),
    ],
    "handed over": [
        ("Web designer: I build sites for local shops and hand them over; the client owns the hosting.", "Neither"),
        ("We build websites for local shops and host them for a monthly fee.", "SOC 2"),
    ],
    "surveys": [
        ("Chartered surveyors: building surveys and valuations for lenders.", "Neither"),
        ("Survey software that holds customers' respondent data.", "SOC 2"),
    ],
    "budgeting app": [
        ("Budgeting app for couples, with a free tier and a premium tier.", "Neither"),
        ("Budgeting and forecasting software that finance teams at mid-sized companies run in our cloud.", "SOC 2"),
    ],
    "wiping drives": [
        ("We collect old laptops from hospitals and wipe the drives before resale.", "SOC 2"),
        ("We repair and resell used laptops to students.", "Neither"),
    ],
    "identity": [
        ("Creative agency doing brand identity and launch campaigns for fintech startups.", "Neither"),
        ("Identity verification API that checks customers' ID documents for banks.", "SOC 2"),
    ],
    "co-parenting": [
        ("Co-parenting app for separated parents: custody schedules and shared expenses.", "Neither"),
        ("Custody and safekeeping of securities for pension funds.", "SOC 1"),
    ],
    "drug screening": [
        ("Background and drug screening for employers: criminal records and past employment.", "SOC 2"),
        ("Biotech developing oncology drugs.", "Neither"),
    ],
    "devices managed": [
        ("We manage the phones and tablets of utility field crews: push apps and wipe lost devices.", "SOC 2"),
        ("We make rugged tablets and phones for field crews.", "Neither"),
    ],
    "an IT department": [
        ("We run the whole IT department for four rural clinics under contract.", "SOC 2"),
        ("Rural clinic with four doctors and a small IT department.", "Neither"),
    ],
    "cash logistics": [
        ("We keep bank ATMs stocked with cash and run cash-in-transit for retailers.", "SOC 1"),
        ("Convenience store with an ATM by the door.", "Neither"),
    ],
    "paid to it": [
        ("We franchise gyms; franchisees pay us royalties every month.", "Neither"),
        ("We collect royalties for music publishers and pay them out to songwriters.", "SOC 1"),
    ],
    "its own billing": [
        ("Orthopedic practice; we do all our own billing and coding in-house.", "Neither"),
        ("We do billing and coding for orthopedic practices.", "SOC 1"),
    ],
    "both outsourced": [
        ("Private equity firm; fund admin and audit are both outsourced.", "Neither"),
        ("We provide fund admin for private equity firms.", "SOC 1"),
    ],
    "design-build": [
        ("General contractor: design-build of data centers for hyperscalers.", "Neither"),
        ("Colocation data centers where banks rent racks for their servers.", "SOC 2"),
    ],
    "dispatch": [
        ("They make the computer-aided dispatch software that 911 centers run.", "SOC 2"),
        ("Taxi company with its own dispatch office.", "Neither"),
    ],
    "storefront": [
        ("Candle maker selling through two shops and an Etsy storefront.", "Neither"),
        ("We build and host online stores for candle makers.", "SOC 2"),
    ],
    "dictation": [
        ("They type up doctors' dictated notes for clinics and put them in the chart.", "SOC 2"),
        ("Family clinic; our doctors write their own notes.", "Neither"),
    ],
    "in every cab": [
        ("Trucking company; ELDs and telematics in every cab.", "Neither"),
        ("Telematics platform that fleets use to track their trucks.", "SOC 2"),
    ],
    "digital banking": [
        ("We are a digital bank for freelancers: current accounts and savings in one app.", "Neither"),
        ("Mobile banking platform for community banks, hosted in our cloud.", "Both"),
    ],
    "consumer app": [
        ("A dating app helping people find relationships through prompts and profiles.", "Neither"),
        ("A matching app that staffing agencies use to place nurses, holding their credentials.", "SOC 2"),
    ],
    "credentials": [
        ("Credentials verification for hospitals: we primary-source verify physician licenses.", "SOC 2"),
        ("Community blood center supplying area hospitals.", "Neither"),
    ],
    "ambulance": [
        ("Ambulance service with 30 rigs covering three counties.", "Neither"),
        ("Ambulance billing for fire departments and EMS agencies.", "SOC 1"),
    ],
    "farm credit": [
        ("Farm credit association lending to farmers.", "Neither"),
        ("We service farm loans for rural banks.", "SOC 1"),
    ],
    "credit balances": [
        ("We work credit balances and overpayment refunds on hospital patient accounts.", "SOC 1"),
        ("Hardware store; store credit balances on gift cards never expire.", "Neither"),
    ],
    "hr teams": [
        ("We design open enrollment guides and benefit videos for HR teams; creative only.", "Neither"),
        ("HR software that HR teams use to keep employee records.", "SOC 2"),
    ],
    "a topic": [
        ("Analyst firm that publishes reports on enterprise cloud spending.", "Neither"),
        ("Cloud cost management platform that reads customers' cloud accounts.", "SOC 2"),
    ],
    "24/7": [
        ("24/7 monitoring of food plants' control networks, with incident response.", "SOC 2"),
        ("A 24/7 truck stop diner off the interstate.", "Neither"),
    ],
    "license": [
        ("Attendance app that charter schools license to track pupils.", "SOC 2"),
        ("Our bistro licenses its name to a frozen food maker.", "Neither"),
    ],
    "via a platform": [
        ("Youth soccer league; online giving via a platform.", "Neither"),
        ("Online giving platform that churches use to collect and pay out donations.", "SOC 1"),
    ],
    "through an online vendor": [
        ("Synagogue with 200 families; online giving through an online vendor.", "Neither"),
        ("We collect online giving for synagogues and remit it monthly.", "SOC 1"),
    ],
    "bookkeeper": [
        ("Veterinary practice with an in-house bookkeeper and two vets.", "Neither"),
        ("Florist with a part-time bookkeeper.", "Neither"),
        ("We are bookkeepers for veterinary practices.", "SOC 1"),
    ],
    "where": [
        ("Bid platform where contractors post jobs and subs upload quotes.", "SOC 2"),
        ("Seaside guesthouse where walking groups stay.", "Neither"),
    ],
    "cre brokerage": [
        ("CRE brokerage: office leasing and investment sales in two metros.", "Neither"),
        ("Online brokerage that clears and holds trades for advisers' clients.", "SOC 1"),
    ],
    "edi": [
        ("Commercial bakery; orders come in over EDI from grocers.", "Neither"),
        ("We run the EDI network that suppliers and retailers send orders through.", "SOC 2"),
    ],
    "outsource": [
        ("We're a regional airline and we outsource payroll to a bureau.", "Neither"),
        ("Regional airlines outsource their payroll to us.", "SOC 1"),
    ],
    "event hosting": [
        ("Event hosting and catering for corporate galas.", "Neither"),
        ("Website hosting and backups for catering firms.", "SOC 2"),
    ],
    "family law custody": [
        ("Family law practice: custody and divorce.", "Neither"),
        ("Custody and settlement of securities for asset managers.", "SOC 1"),
    ],
    "24 hr": [
        ("Animal hospital, 24 hr emergency care.", "Neither"),
        ("HR software for animal hospitals.", "SOC 2"),
    ],
    "payment plans": [
        ("Dental practice; we offer in-house payment plans.", "Neither"),
        ("We run payment plans for dental practices, collecting patients' instalments and remitting them.", "SOC 1"),
    ],
    "tax returns": [
        ("We prepare tax returns for individuals and retirees.", "Neither"),
        ("We prepare excise tax filings for breweries and wineries.", "SOC 1"),
    ],
    "social media": [
        ("We run instagram for bakeries and shoot content.", "Neither"),
        ("Social media archiving platform that banks use to keep posts for regulators.", "SOC 2"),
    ],
    "patent claims": [
        ("Patent firm; we draft claims for medtech startups.", "Neither"),
        ("We adjudicate dental claims for self-funded employers.", "SOC 1"),
    ],
    "museum collections": [
        ("History museum; our collections include loans from other museums.", "Neither"),
        ("Collections on overdue loans for credit unions.", "SOC 1"),
    ],
    "actuarial": [
        ("Publisher of actuarial exam textbooks.", "Neither"),
        ("Actuarial software that pension funds use to value liabilities.", "SOC 2"),
    ],
    "service contracts": [
        ("We administer vehicle service contracts and pay repair shops on approved claims.", "SOC 1"),
        ("Auto repair shop doing warranty repairs for dealers.", "Neither"),
    ],
    "recording": [
        ("Recording studio rented by the hour to bands.", "Neither"),
        ("We store and back up recordings for podcast networks.", "SOC 2"),
    ],
    "asset management": [
        ("Media asset management: studios park footage with us and we handle storage.", "SOC 2"),
        ("Film studio producing documentaries.", "Neither"),
    ],
    "live with us": [
        ("Traceability records for food processors live with us.", "SOC 2"),
        ("Family bakery; the recipes live with us.", "Neither"),
    ],
    "our outside cpa": [
        ("Brewery; our outside CPA files the excise tax returns.", "Neither"),
        ("We file excise tax returns for breweries.", "SOC 1"),
    ],
    "built by": [
        ("Restaurant group; the ordering app was built by an agency.", "Neither"),
        ("We build and host ordering apps for restaurant groups.", "SOC 2"),
    ],
    "the ehr is": [
        ("Physio clinic; the EHR is WebPT.", "Neither"),
        ("We host the EHR for physio clinics.", "SOC 2"),
    ],
    "fractional controller": [
        ("Fractional controller services for ad agencies.", "SOC 1"),
        ("Search firm placing controllers at ad agencies.", "Neither"),
    ],
    "label": [
        ("We label camera footage for self-driving companies in a secure facility.", "SOC 2"),
        ("We print and label jars for food brands.", "Neither"),
    ],
    "billing outsourced": [
        ("Orthopaedic practice, EHR is Epic, billing outsourced.", "Neither"),
        ("We do outsourced billing for orthopaedic practices.", "SOC 1"),
    ],
    "through payroll": [
        ("Bar with 40 staff; tips paid out through payroll.", "Neither"),
        ("We run payroll for bars and pay out their staff's tips.", "SOC 1"),
    ],
    "app stores": [
        ("Consumer running app, subscriptions billed through the app stores.", "Neither"),
        ("Subscription billing platform that app developers use to bill their customers.", "SOC 1"),
    ],
    "sox": [
        ("Listed gold miner; SOX 404 applies to us.", "Neither"),
        ("SOX compliance software that listed companies use to store control evidence.", "SOC 2"),
    ],
    "union": [
        ("Teachers union local; dues deducted through the districts' payroll.", "Neither"),
        ("We collect union dues for teachers unions and remit them.", "SOC 1"),
    ],
    "storage cabinets": [
        ("We sell records storage cabinets to clinics.", "Neither"),
        ("Records storage and retrieval for clinics.", "SOC 2"),
    ],
    "a third party": [
        ("Guesthouse; the booking engine is a third party.", "Neither"),
        ("We run the booking engine that guesthouses use.", "SOC 2"),
    ],
    "is in a product": [
        ("Law firm; trust accounting is in Clio.", "Neither"),
        ("Trust accounting for law firms: we reconcile their client trust ledgers monthly.", "SOC 1"),
    ],
    "angel syndicate": [
        ("Angel syndicate; we write checks into seed-stage SaaS companies.", "Neither"),
        ("SaaS platform that angel syndicates use to run their deals and hold investor data.", "SOC 2"),
    ],
    "spreadsheet": [
        ("Animal rescue; we track volunteers in a spreadsheet.", "Neither"),
        ("Spreadsheet platform that finance teams use to store forecasts.", "SOC 2"),
    ],
    "out of our own": [
        ("Oil producer; we pay royalty owners out of our own production.", "Neither"),
        ("We pay royalty owners on behalf of oil producers.", "SOC 1"),
    ],
    "a named pos": [
        ("Taco chain, 5 locations, Toast POS.", "Neither"),
        ("We process card payments for taco chains.", "SOC 1"),
    ],
    "tax prep for individuals": [
        ("Storefront tax prep for individuals, walk-in season.", "Neither"),
        ("Payroll tax filings for small employers.", "SOC 1"),
    ],
    "our finance team": [
        ("Hotel group; our finance team runs payroll.", "Neither"),
        ("We run payroll for hotel groups.", "SOC 1"),
    ],
    "fuel purchases": [
        ("We settle fuel purchases nightly between truck stops and fleets.", "SOC 1"),
        ("Truck stop chain selling fuel to fleets.", "Neither"),
    ],
    "pre-release masters": [
        ("Dubbing studio; we receive pre-release masters from streamers.", "SOC 2"),
        ("Recording studio for local bands.", "Neither"),
    ],
    "managed by a": [
        ("Biotech; our trial data is managed by a CRO.", "Neither"),
        ("We manage clinical trial data for biotech sponsors.", "SOC 2"),
    ],
    "from the vendor": [
        ("Physio chain; the patient portal comes from the EMR vendor.", "Neither"),
        ("We run the patient portal for physio chains.", "SOC 2"),
    ],
    "financial systems": [
        ("We host and patch Oracle financials for hospital systems.", "Both"),
        ("Hospital system with Oracle financials hosted by a vendor.", "Neither"),
    ],
    "progress claims": [
        ("Builder; we submit progress claims to clients monthly.", "Neither"),
        ("We submit claims to insurers for dental practices.", "SOC 1"),
    ],
    "ledger stones": [
        ("Monumental mason carving headstones and ledger stones.", "Neither"),
        ("We keep the general ledger for small charities.", "SOC 1"),
    ],
    "portal crane": [
        ("Portal crane hire for shipyards.", "Neither"),
        ("Supplier portal that shipyards use to share drawings with vendors.", "SOC 2"),
    ],
    "cpe courses": [
        ("We run CPE courses for accountants on payroll tax and audit.", "Neither"),
        ("We run payroll tax filings for accounting firms' clients.", "SOC 1"),
    ],
    "clients pay": [
        ("Wedding photographer; clients pay deposits online.", "Neither"),
        ("We collect deposits for wedding photographers and pay them out.", "SOC 1"),
    ],
    "financial planner": [
        ("Fee-only financial planner for retirees.", "Neither"),
        ("Financial planning software that advisers use to hold client data.", "SOC 2"),
    ],
    "pos displays": [
        ("Commercial printer: brochures and point-of-sale displays.", "Neither"),
        ("Point-of-sale payments for florists.", "SOC 1"),
    ],
    "advice only": [
        ("Actuarial consulting for pension plans, advice only.", "Neither"),
        ("Actuarial software that insurers use to model reserves.", "SOC 2"),
    ],
    "erp by name": [
        ("We host and manage Dynamics GP for forty distributors.", "Both"),
        ("Managed Epicor hosting for machine shops.", "Both"),
        ("A bakery supplier; we moved our books to Sage 300 last spring.", "Neither"),
        ("We manage our own SAP instance for our three plants.", "Neither"),
    ],
    "host events": [
        ("We host quarterly networking lunches for local CFOs.", "Neither"),
        ("Boutique caterer: we cater dinners for fintech firms.", "Neither"),
        ("We organise payments conferences and expos for bankers.", "Neither"),
        ("We host the event registration site for trade bodies and keep attendee data.", "SOC 2"),
    ],
    "server farm": [
        ("Family dairy farm with a farm shop.", "Neither"),
        ("We run a render farm that animation studios upload their scenes to.", "SOC 2"),
    ],
    "ourselves": [
        ("Regional haulier with 60 drivers; we do payroll ourselves in a desktop package.", "Neither"),
        ("Payroll bureau for farms: we run the pay runs and file the returns.", "SOC 1"),
    ],
    "our own systems": [
        ("Three family diners; our POS is cloud-based and the menus are printed weekly.", "Neither"),
        ("Chain of tanning salons; client details live in our CRM.", "Neither"),
        ("Joinery firm; our customer records sit in Salesforce and invoicing is done in Xero.", "Neither"),
        ("Cloud POS for cafés: we host the menus, orders and sales data for each café.", "SOC 2"),
    ],
    "phones and lines": [
        ("Family bakery; we answer the phones ourselves and take orders.", "Neither"),
        ("We answer the phones out of hours for about 90 veterinary practices.", "SOC 2"),
        ("We staff the reservation lines for two cruise operators.", "SOC 2"),
    ],
    "watch": [
        ("Watch repair shop in the old town.", "Neither"),
        ("Our engineers watch the servers of 40 law firms overnight.", "SOC 2"),
    ],
    "a supplier's": [
        ("Garden centre; we take payments through a supplier's card terminal.", "Neither"),
        ("We reconcile garden centres' card payments for them every night.", "SOC 1"),
    ],
    "security firm": [
        ("Security firm: manned guarding and door supervisors for pubs.", "Neither"),
        ("Cybersecurity firm running a 24/7 SOC for credit unions.", "SOC 2"),
    ],
    "recruiters": [
        ("Tech recruiters placing engineers at start-ups on contingency.", "Neither"),
        ("Applicant tracking system for recruiters.", "SOC 2"),
    ],
    "training and newsletters": [
        ("IT training firm delivering certification courses to corporate staff.", "Neither"),
        ("Ad-supported newsletter covering AI start-ups.", "Neither"),
        ("Newsletter platform that hosts subscriber lists for publishers.", "SOC 2"),
    ],
    "run for us": [
        ("Bus operator; the ticketing app is run for us by a supplier.", "Neither"),
        ("We run the ticketing app for regional bus operators.", "SOC 2"),
    ],
    "file our own": [
        ("Building firm; we file our own VAT and run our own payroll.", "Neither"),
        ("We file VAT returns for 300 small firms.", "SOC 1"),
    ],
    "shop": [
        ("Corner shop selling newspapers and sweets.", "Neither"),
        ("Two-person dev shop; we build and host booking apps for salons.", "SOC 2"),
    ],
    "checks": [
        ("Gym with a sauna; we do safety checks on the equipment daily.", "Neither"),
        ("Pre-employment screening: criminal checks and reference verification for employers.", "SOC 2"),
    ],
    "translation": [
        ("Literary translator of French novels.", "Neither"),
        ("We translate patients' discharge documents for hospitals.", "SOC 2"),
    ],
    "print and mail": [
        ("Print shop: flyers and business cards.", "Neither"),
        ("We print and mail members' statements for credit unions.", "SOC 2"),
    ],
    "hosted by": [
        ("Food bank; our donor database is hosted by Blackbaud.", "Neither"),
        ("We host donor databases for food banks.", "SOC 2"),
    ],
    "send us": [
        ("Dairy farm; the co-op sends us a milk statement every month.", "Neither"),
        ("Print-and-mail house; councils send us data files and we post the letters.", "SOC 2"),
    ],
    "clean": [
        ("Commercial cleaning firm: we clean offices and data centres overnight.", "Neither"),
        ("Data centre operator renting racks to banks.", "SOC 2"),
    ],
    "fares and benefits": [
        ("Bus company; riders pay fares on board.", "Neither"),
        ("Fare collection as a service for transit agencies.", "SOC 1"),
        ("EBT processor for state benefit programmes.", "SOC 1"),
        ("Hosted remote deposit capture for community banks.", "SOC 1"),
    ],
    "networks": [
        ("Broadcaster operating four television networks.", "Neither"),
        ("We monitor the networks of regional broadcasters around the clock.", "SOC 2"),
    ],
    "through a provider": [
        ("Self-insured haulier; our workers' comp claims go through a TPA.", "Neither"),
        ("TPA for self-insured hauliers: we adjudicate and pay their workers' comp claims.", "SOC 1"),
    ],
    "our or its back office": [
        ("Injection moulder; we use a BPO for our accounts payable.", "Neither"),
        ("Hospital looking to move its patient billing to an outsourcer next year.", "Neither"),
        ("Dental group; they bill patients and insurers themselves.", "Neither"),
        ("Restaurant group, eight sites, and an outside bookkeeper does the books.", "Neither"),
        ("We run accounts payable for 60 hospitals.", "SOC 1"),
        ("Patient billing outsourcer for rural hospitals.", "SOC 1"),
        ("They bill insurers for 40 dental groups.", "SOC 1"),
    ],
    "fit out": [
        ("We fit out contact centres: desks, acoustic panels, cabling.", "Neither"),
        ("Outsourced contact centre answering calls for utilities.", "SOC 2"),
    ],
    "press statements": [
        ("PR agency writing press statements for hospitals.", "Neither"),
        ("Statement printing and mailing for credit unions.", "SOC 2"),
    ],
    "services in health and public words": [
        ("Statewide health information exchange linking hospitals and practices.", "SOC 2"),
        ("Pharmacovigilance outsourcing: intake and coding of adverse event reports for drug companies.", "SOC 2"),
        ("Royalty accounting for university tech transfer offices.", "SOC 1"),
        ("Hosted case management for municipal courts, including receipting of fines and fees.", "Both"),
        ("Small water districts hand us their meter reads; we produce the bills and post what comes in.", "SOC 1"),
        ("We produce olive oil and sell it to delis.", "Neither"),
    ],
    "on payroll": [
        ("Joinery workshop with 25 people on the payroll.", "Neither"),
        ("Payrolling for recruitment agencies: we pay their contractors every week and file the taxes.", "SOC 1"),
    ],
    "services in other words": [
        ("Delegated claims handler for marine insurers.", "SOC 1"),
        ("RIA managing endowments for foundations.", "SOC 1"),
        ("Bacs approved bureau collecting Direct Debits for leisure centres.", "SOC 1"),
        ("We pay the publishers and influencers on behalf of consumer brands.", "SOC 1"),
        ("ASC 842 lease schedules for restaurant groups.", "SOC 1"),
        ("We run AP for school districts: invoice entry and check runs.", "SOC 1"),
        ("We calculate the points liability for supermarket loyalty schemes each month.", "SOC 1"),
        ("Discretionary fund manager for livery companies and small pension schemes.", "SOC 1"),
        ("We pay bank nurses on behalf of NHS trusts every week.", "SOC 1"),
        ("We run the DR site two county councils fail over to.", "SOC 2"),
        ("Print and post for housing associations: rent statements to every tenant.", "SOC 2"),
        ("Tuition payment platform for dance schools.", "Both"),
        ("Catholic primary school; parents' tuition payments come in by direct debit.", "Neither"),
        ("We run store credit programmes for DIY retailers.", "SOC 1"),
        ("Leisure centre with a pool; members pay by Direct Debit.", "Neither"),
    ],
    "cloud": [
        ("Cloud Nine Hauling: tipper trucks for hire.", "Neither"),
        ("Cloud Peak Pilates, two studios in Leeds.", "Neither"),
        ("Cloud fund accounting for housing associations.", "Both"),
        ("A government cloud for state agencies.", "SOC 2"),
    ],
    "currency exchange": [
        ("Bureau de change with four counters at the ferry port.", "Neither"),
        ("Currency exchange booths in shopping centres for tourists.", "Neither"),
        ("Currency exchange and cross-border payments for importers.", "SOC 1"),
    ],
    "platforms and suites that are property": [
        ("We hire out stage platforms and crowd barriers for festivals.", "Neither"),
        ("Scissor lifts and aerial work platforms for hire to shopfitters.", "Neither"),
        ("Booking platform that festival organisers use to sell tickets and hold attendee data.", "SOC 2"),
        ("Landlord of medical office buildings, leasing suites to dentists.", "Neither"),
        ("Practice management suite for dentists, hosted in our cloud.", "SOC 2"),
    ],
    "revenue recognition": [
        ("ASC 606 schedules prepared for subscription software firms each month.", "SOC 1"),
        ("Rev rec software for SaaS companies.", "SOC 1"),
        ("We make industrial pumps; our own accounting team handles ASC 606.", "Neither"),
    ],
    "its own back office, named as such": [
        ("Housing charity. Payroll for our own staff runs in Sage.", "Neither"),
        ("Bakery group; our own accounting is done in Xero by the office.", "Neither"),
        ("We outsourced our payroll and IT support last spring; we're a joinery.", "Neither"),
        ("Dental group. Our patient notes in Dentrix, card payments through Square.", "Neither"),
        ("We run payroll and the books for joineries and bakeries.", "SOC 1"),
        ("Florist; I run the payroll myself in Xero.", "Neither"),
    ],
    "backup as power": [
        ("Battery packs for home backup during power cuts.", "Neither"),
        ("Standby generators and power backup installed for farms.", "Neither"),
        ("We back up law firms' servers to our data centre every night.", "SOC 2"),
    ],
    "run in family-run": [
        ("Family-run pension by the lake, nine rooms.", "Neither"),
        ("Family-owned payroll bureau that runs payroll for 300 small employers.", "SOC 1"),
    ],
    "an exchange it is listed on": [
        ("Specialist insurer listed on the London Stock Exchange.", "Neither"),
        ("Ferry operator whose shares trade on Nasdaq Copenhagen.", "Neither"),
        ("We run a stock exchange and its clearing house for equities.", "Both"),
    ],
    "an insurer or a bank of its own": [
        ("A specialist insurer writing marine and aviation cover for shipowners and airlines.", "Neither"),
        ("Retail bank with 60 branches offering mortgages, savings and business accounts.", "Neither"),
        ("Claims administration for life insurers and insurance groups.", "SOC 1"),
        ("Core banking platform hosted for challenger banks.", "Both"),
    ],
    "hospital system": [
        ("Two-hospital system in the valley, everything on Epic.", "Neither"),
        ("Scheduling software for hospital systems.", "SOC 2"),
    ],
    "hosting a gathering": [
        ("We're hosting a vintage tractor show for the village school.", "Neither"),
        ("Hosting charity quiz nights for local sports clubs.", "Neither"),
        ("We provide hosting for accountancy practices.", "SOC 2"),
    ],
}
SENSE_CASES = [(trap, text, expected) for trap, cases in SENSES.items() for text, expected in cases]


@pytest.mark.parametrize(("trap", "text", "expected"), SENSE_CASES, ids=[f"{c[0]}: {c[1][:40]}" for c in SENSE_CASES])
def test_a_trap_word_counts_only_in_the_sense_its_rule_means(trap, text, expected):
    row = one(text)
    assert includes(row["soc_report"], expected), (row["soc_report"], row["evidence"], row["rationale"])


def test_every_trap_has_both_senses():
    for trap, cases in SENSES.items():
        assert {"Neither"} < {e for _, e in cases}, trap


# --------------------------------------------------------------------------- Neither kinds as customers
NEITHER_CUSTOMERS = [
    # (description, the kind of organisation shown as customers) -- each kind a Neither rule's own word
    ("The stock control app that restaurants use.", "'restaurant' (customers)"),
    ("Table booking software used by restaurants and pubs.", "'restaurant' (customers)"),
    ("The reservation system that hotels rely on.", "'hotel' (customers)"),
    ("Class booking app used by gyms.", "'gym' (customers)"),
    ("Harvest records software that farms use.", "'farm' (customers)"),
    ("Dispatch software used by couriers.", "'courier' (customers)"),
    ("The ordering portal that bakeries use.", "'bakery' (customers)"),
    ("Hosted lab interface that routes patient orders and results between clinics and labs.", "'clinic' (customers)"),
    # whose thing: a kind of organisation in the possessive, or right before a possessive word
    ("We monitor and patch hotels' guest Wi-Fi networks around the clock.", "'hotel' (customers)"),
    ("We reconcile restaurant chains' card settlements every night.", "'restaurant' (customers)"),
    ("We keep each clinic's patient files in our archive.", "'clinic' (customers)"),
]


@pytest.mark.parametrize(("text", "shown"), NEITHER_CUSTOMERS, ids=[c[0][:40] for c in NEITHER_CUSTOMERS])
def test_a_neither_kind_named_after_the_system_it_uses_is_its_customers(text, shown):
    row = one(text)
    assert shown in row["evidence"], row["evidence"]
    assert row["soc_report"] != "Neither", row["rationale"]
    assert "points the other way" not in row["rationale"]  # the customers are no clue against it


def test_the_same_kind_as_the_organisation_itself_still_counts():
    for text in ("Family restaurant serving pasta.", "Small hotel by the sea.", "Gym with a pool and sauna."):
        row = one(text)
        assert row["soc_report"] == "Neither", row["rationale"]
        assert "(customers)" not in row["evidence"]


# --------------------------------------------------------------------------- activities done to whose things
PHRASINGS = [
    # (description, the pair quoted, expected)
    ("We administer 401(k) plans for employers.", "administer ... 401(k) plans", "SOC 1"),
    ("Administration of 401(k) plans for small employers.", "administration ... 401(k) plans", "SOC 1"),
    ("401(k) plan administration for dentists.", "'401(k) plan administration'", "SOC 1"),
    ("Pension plan administration for charities.", "'pension plan administration'", "SOC 1"),
    ("She administers the 401(k) plans of three unions.", "administer ... 401(k) plans", "SOC 1"),
    ("We keep backups of our customers' servers offsite.", "keep ... backup", "SOC 2"),
    ("We back up customers' servers every night.", "back up ... servers", "SOC 2"),
    ("Offsite backup of client servers for architects.", "backup ... servers", "SOC 2"),
    ("We run the ledger software that banks post transactions to.", "post ... transactions", "SOC 1"),
    ("We post and reconcile transactions for credit unions.", "reconcile ... transactions", "SOC 1"),
    ("Banks post their transactions to our ledger.", "post ... transactions", "SOC 1"),
    ("Our team settles card transactions for hotel groups.", "settle ... transactions", "SOC 1"),
]


@pytest.mark.parametrize(("text", "pair", "expected"), PHRASINGS, ids=[p[0][:45] for p in PHRASINGS])
def test_a_service_is_found_by_what_it_does_to_whose_things_however_it_is_phrased(text, pair, expected):
    row = one(text)
    assert pair in row["evidence"], row["evidence"]
    assert includes(row["soc_report"], expected), row["rationale"]


# --------------------------------------------------------------------------- rationales quote words of their own row
QUOTE = re.compile(r"'([^']+)' in ([A-Za-z]+)")
TOKEN = re.compile(r"[a-z0-9()]+(?:[-'][a-z0-9()]+)*")


def _stems(text: str) -> set[str]:
    """The stems of a text's words; a short form typed in notes ("mgmt") as the word it stands for."""
    words = TOKEN.findall(text.lower())
    words += [part for w in words for part in w.split("-")]
    words += [w.strip("()") for w in words]  # "(cloud contact center software)": the words inside
    return {stem(w) for w in words} | {stem(SHORT_FORMS[w]) for w in words if w in SHORT_FORMS}


def _quotes_are_in_their_row(description: str, rationale: str) -> list[str]:
    """The quoted Description terms of a rationale whose words are not all in the description."""
    words = _stems(description)
    missing = []
    for term, column in QUOTE.findall(rationale):
        if column != "Description":
            continue
        for part in term.split(" ... "):
            if not _stems(part.replace("-", " ")) <= words:  # "third-party" quoted, "third party" typed
                missing.append(part)
    return missing


DATA = Path(__file__).parent / "data" / "typed_phrasings.csv"


def test_every_quoted_term_of_every_outcome_stands_in_its_row():
    typed = pd.read_csv(DATA, dtype=str, keep_default_na=False)
    texts = typed["Description"].tolist() + [c[1] for c in SENSE_CASES] + [p[0] for p in PHRASINGS]
    out = classify(pd.DataFrame({"Description": texts}))
    assert set(out["soc_report"]) >= {"SOC 1", "SOC 2", "Both", "Neither"}
    quoted = 0
    for text, report, rationale in zip(texts, out["soc_report"], out["rationale"], strict=True):
        assert not _quotes_are_in_their_row(text, rationale), (text, report, rationale)
        quoted += bool(QUOTE.search(rationale))
    assert quoted >= 0.9 * len(texts)  # nearly every answer names its evidence
    conflicts = [r for r in out["rationale"] if "points the other way" in r]
    assert conflicts  # conflicts among them, checked like the rest


def test_the_check_of_quotes_can_fail():
    assert _quotes_are_in_their_row("We run payroll.", "Runs payroll ('payroll' in Description).") == []
    assert _quotes_are_in_their_row("We bake bread.", "Runs payroll ('payroll' in Description).") == ["payroll"]
    assert _quotes_are_in_their_row(
        "We administer pension plans.", "x ('administer ... 401(k) plans' in Description)"
    ) == ["401(k) plans"]


def test_a_short_form_in_the_row_stands_for_the_word_the_rationale_quotes():
    assert _quotes_are_in_their_row("fund admin for hedge funds", "x ('fund administration' in Description)") == []
    assert _quotes_are_in_their_row("fund admin", "x ('fund accounting' in Description)") == ["fund accounting"]


def test_a_company_name_ending_in_co_or_companies_is_no_sign_of_serving_organisations():
    names = ["Acme Co", "Acme Companies", "Acme"]
    out = classify(pd.DataFrame({"Company": names, "Industry": ["Computer Software"] * 3}))
    assert out["evidence"].tolist() == ["Industry: 'Computer Software'"] * 3
    assert out["confidence"].nunique() == 1
    # in a description the same words are the customers it serves
    said = classify(pd.DataFrame({"Description": ["Scheduling app for trucking cos"]}))
    assert "compan" in said.loc[0, "evidence"]


@pytest.mark.parametrize(
    "text",
    [
        "We film product demos for software companies and tech companies.",
        "Mechanical contractor servicing chillers for data centres and hospitals.",
        "Event staffing for technology companies' user conferences.",
    ],
)
def test_software_companies_and_data_centres_named_as_customers_are_not_the_organisation(text):
    out = classify(pd.DataFrame({"Description": [text]})).iloc[0]
    assert out["soc_report"] == "Neither", out["evidence"]
    assert "(customers)" in out["evidence"]
