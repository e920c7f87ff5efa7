"""Train the PII NER tagger (PERSON, LOCATION, STREET_ADDRESS, ORGANIZATION, NRP, TITLE).

Generates synthetic contact-center messages (bank / insurance / health, chat and voice
transcript style) from this script's own templates filled with Faker values, trains a
multinomial logistic regression over the sparse token features of
:mod:`trustdesk.privacy.ner.features` (beam BIO decoding), evaluates on a held-out
split (unseen templates and unseen fills) and writes the gzip JSON artifact that
:class:`trustdesk.privacy.ner.model.NerModel` scores in pure Python.

Usage::

    PYTHONPATH=src .venv/bin/python scripts/train_ner.py --seed 0
    PYTHONPATH=src .venv/bin/python scripts/train_ner.py --seed 0 \
        --eval-presidio ../shared/datasets/presidio-synth/synth_dataset_v2.json

``--eval-presidio`` only *reports* numbers on that benchmark; nothing from it is used
for training or model selection beyond being printed.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import importlib
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from trustdesk.privacy.ner.features import (  # noqa: E402
    BOS,
    EOS,
    doc_case,
    intrinsic_features,
    layout_features,
    neighbour_features,
    phrase_features,
    tag_features,
    tokenize,
)
from trustdesk.privacy.ner.model import FORMAT, NerModel  # noqa: E402

TYPES = ("PERSON", "LOCATION", "STREET_ADDRESS", "ORGANIZATION", "NRP", "TITLE")
LABELS = ("O", *(f"{p}-{t}" for t in TYPES for p in ("B", "I")))
OUT = ROOT / "src" / "trustdesk" / "models" / "pii-ner" / "model.json.gz"

NAME_LOCALES = (
    "en_US en_GB en_IE en_AU en_CA en_NZ de_DE de_AT de_CH fr_FR fr_CA es_ES es_MX es_AR "
    "es_CO it_IT hu_HU fi_FI pt_BR pt_PT pl_PL nl_NL nl_BE sv_SE da_DK no_NO cs_CZ sk_SK "
    "sl_SI hr_HR ro_RO et_EE lv_LV lt_LT tr_TR id_ID vi_VN fil_PH en_IN"
).split()
ADDRESS_LOCALES = (
    "en_US en_US en_US en_US en_GB en_CA en_AU en_IE en_NZ de_DE de_AT de_CH fr_FR fr_CA es_ES "
    "es_MX es_CL it_IT hu_HU fi_FI pt_BR pt_PT pl_PL nl_NL sv_SE da_DK no_NO cs_CZ sk_SK sl_SI "
    "hr_HR ro_RO en_IN fil_PH"
).split()
COMPANY_LOCALES = (
    "en_US en_US en_US en_GB en_CA en_AU en_PH de_DE de_AT de_CH fr_FR es_ES es_CL it_IT hu_HU "
    "fi_FI pt_BR pt_PT pl_PL nl_NL nl_BE sv_SE da_DK no_NO cs_CZ sk_SK sl_SI hr_HR ro_RO es_MX "
    "tr_TR id_ID vi_VN fil_PH"
).split()
#: Faker ``job()`` locales (en_US dominant; others give local-language titles).
JOB_LOCALES = "en_US en_US en_US en_US en_US en_US de_DE fr_FR es_ES it_IT pt_BR nl_NL".split()

# --------------------------------------------------------------------------------------
# Hand-written word lists (our own), merged with Faker's lists into gazetteers.
# --------------------------------------------------------------------------------------

NATIONALITIES = """
American Canadian Mexican Brazilian Argentinian Argentine Chilean Colombian Peruvian Venezuelan
Cuban Dominican Puerto Rican Jamaican Haitian Guatemalan Honduran Salvadoran Ecuadorian
Bolivian Uruguayan Paraguayan British English Scottish Welsh Irish French German Austrian Swiss
Italian Spanish Portuguese Dutch Belgian Danish Swedish Norwegian Finnish Icelandic Polish Czech
Slovak Slovenian Slovene Croatian Serbian Bosnian Hungarian Romanian Bulgarian Greek Turkish
Cypriot Albanian Macedonian Montenegrin Estonian Latvian Lithuanian Ukrainian Russian
Belarusian Georgian Armenian Azerbaijani Kazakh Uzbek Israeli Palestinian Lebanese Syrian
Jordanian Iraqi Iranian Persian Saudi Emirati Qatari Kuwaiti Yemeni Omani Egyptian Libyan
Tunisian Algerian Moroccan Nigerian Ghanaian Kenyan Ethiopian Somali Sudanese Ugandan Tanzanian
Rwandan Congolese Cameroonian Senegalese Ivorian Malian Angolan Zambian Zimbabwean Namibian
South African Indian Pakistani Bangladeshi Sri Lankan Nepalese Nepali Afghan Chinese Japanese
Korean South Korean North Korean Taiwanese Vietnamese Thai Cambodian Laotian Burmese Malaysian
Singaporean Indonesian Filipino Filipina Australian New Zealander Kiwi Fijian Samoan Tongan
Mongolian Tibetan Hispanic Latino Latina Latinx Asian African European Caribbean Arab Arabic
Kurdish Scandinavian Nordic Balkan Slavic Celtic Basque Catalan Flemish Walloon Quebecois
Native American Indigenous Aboriginal Inuit Cherokee Navajo Hmong Punjabi Gujarati Tamil
Bengali Sinhalese Yoruba Igbo Hausa Zulu Xhosa Maori Hawaiian Creole Romani
"""
RELIGIONS = """
Catholic Roman Catholic Protestant Christian Orthodox Greek Orthodox Evangelical Baptist
Methodist Lutheran Presbyterian Anglican Episcopalian Pentecostal Mormon Adventist
Seventh-day Adventist Jehovah's Witness Quaker Amish Mennonite Muslim Sunni Shia Shiite Jewish
Orthodox Jewish Hasidic Buddhist Hindu Sikh Jain Taoist Shinto Bahai Baha'i Zoroastrian Pagan
Wiccan atheist agnostic Rastafarian Unitarian Coptic Maronite Calvinist
"""
POLITICAL = """
Democrat Democratic Republican Libertarian Green Party Labour Tory Conservative Liberal
Socialist Communist Social Democrat Christian Democrat Progressive Independent Whig Marxist
Nationalist Centrist Liberal Democrat
"""
HONORIFICS = (
    "Mr Mr. Mrs Mrs. Ms Ms. Miss Mx Mx. Dr Dr. Prof Prof. Professor Sir Madam Ma'am Dame Lord "
    "Lady Rev Rev. Reverend Fr Fr. Father Sister Brother Rabbi Imam Pastor Capt Capt. Captain "
    "Col Col. Sgt Sgt. Judge Hon. Officer Nurse Doctor Mister Missus"
).split()
COMMON_HONORIFICS = ["Mr.", "Mrs.", "Ms.", "Dr.", "Mr", "Mrs", "Ms", "Dr", "Miss", "Prof."]
EXTRA_TITLES = """Customer service representative|Bank teller|Branch manager|Loan officer
Mortgage advisor|Financial advisor|Claims adjuster|Insurance agent|Underwriter|Actuary
Registered nurse|Nurse practitioner|Physician assistant|Pharmacist|Dental hygienist
Software engineer|Senior software engineer|Data scientist|Product manager|Project manager
Network and computer systems administrator|Database administrator|IT support specialist
Accountant|Bookkeeper|Payroll clerk|Office manager|Executive assistant|Receptionist
Truck driver|Delivery driver|Electrician|Plumber|Carpenter|Mechanic|Welder|Warehouse associate
Cashier|Retail sales associate|Store manager|Chef|Line cook|Server|Bartender
Teacher|High school teacher|Elementary school teacher|Professor|Teaching assistant|Librarian
Police officer|Firefighter|Paramedic|Security guard|Social worker|Lawyer|Attorney|Paralegal
Chief executive officer|CEO|CFO|CTO|COO|Vice president|Director of operations|HR manager
Marketing manager|Sales representative|Account executive|Graphic designer|Web developer
Civil engineer|Mechanical engineer|Architect|Real estate agent|Consultant|Analyst
Dentist|Surgeon|Physician|Pediatrician|Therapist|Physical therapist|Pharmacy technician
Medical assistant|Home health aide|Caregiver|Janitor|Housekeeper|Farmer|Pilot|Flight attendant
Research scientist|Lab technician|Operations manager|Team lead|Supervisor|Contractor"""

CITIES = """New York|Los Angeles|Chicago|Houston|Phoenix|Philadelphia|San Antonio|San Diego|Dallas
San Jose|Austin|Jacksonville|Fort Worth|Columbus|Charlotte|San Francisco|Indianapolis|Seattle
Denver|Washington|Boston|El Paso|Nashville|Detroit|Oklahoma City|Portland|Las Vegas|Memphis
Louisville|Baltimore|Milwaukee|Albuquerque|Tucson|Fresno|Sacramento|Kansas City|Atlanta|Miami
Omaha|Raleigh|Minneapolis|Cleveland|Tulsa|New Orleans|Tampa|Orlando|Pittsburgh|Cincinnati
St. Louis|Salt Lake City|Honolulu|Anchorage|Boise|Buffalo|Richmond|Spokane|Des Moines|Madison
London|Manchester|Birmingham|Leeds|Glasgow|Edinburgh|Liverpool|Bristol|Cardiff|Belfast|Dublin
Cork|Paris|Lyon|Marseille|Toulouse|Nice|Berlin|Munich|Hamburg|Frankfurt|Cologne|Stuttgart
Vienna|Zurich|Geneva|Bern|Madrid|Barcelona|Valencia|Seville|Lisbon|Porto|Rome|Milan|Naples
Turin|Florence|Venice|Amsterdam|Rotterdam|Utrecht|Brussels|Antwerp|Copenhagen|Stockholm
Gothenburg|Oslo|Bergen|Helsinki|Tampere|Reykjavik|Warsaw|Krakow|Gdansk|Prague|Brno|Budapest
Debrecen|Bucharest|Sofia|Athens|Istanbul|Ankara|Kyiv|Moscow|Tallinn|Riga|Vilnius|Ljubljana
Zagreb|Belgrade|Toronto|Montreal|Vancouver|Calgary|Ottawa|Edmonton|Winnipeg|Quebec City
Halifax|Mexico City|Guadalajara|Monterrey|Tijuana|Bogota|Medellin|Lima|Santiago|Buenos Aires
Montevideo|Sao Paulo|Rio de Janeiro|Brasilia|Caracas|Quito|Havana|Kingston|San Juan|Sydney
Melbourne|Brisbane|Perth|Adelaide|Auckland|Wellington|Tokyo|Osaka|Seoul|Beijing|Shanghai
Hong Kong|Singapore|Bangkok|Manila|Jakarta|Hanoi|Mumbai|Delhi|Bangalore|Chennai|Karachi|Lahore
Dhaka|Dubai|Abu Dhabi|Doha|Riyadh|Tel Aviv|Jerusalem|Cairo|Lagos|Nairobi|Accra|Johannesburg
Cape Town|Casablanca|Tunis|Addis Ababa"""
REGIONS = """Bavaria|Catalonia|Andalusia|Tuscany|Lombardy|Sicily|Provence|Brittany|Normandy
Scotland|Wales|England|Northern Ireland|Ontario|Quebec|British Columbia|Alberta|Manitoba
Nova Scotia|New South Wales|Victoria|Queensland|Tasmania|Yorkshire|Cornwall|Kent|Essex
Lapland|Flanders|Wallonia|Silesia|Transylvania|Patagonia|Siberia|New England|the Midwest
the Bay Area|Long Island|Upstate New York|Midlands|Middle East|Latin America|Southeast Asia"""
COMPANIES = """Walmart|Amazon|Target|Costco|Home Depot|Lowe's|Kroger|Walgreens|CVS Health|FedEx|UPS
Microsoft|Google|Apple|IBM|Oracle|Intel|Cisco|Dell|HP|Accenture|Deloitte|KPMG|PwC|Ernst & Young
McKinsey|Boeing|Lockheed Martin|General Motors|Ford|Tesla|Toyota|Honda|Siemens|Bosch|Nestle
Unilever|Procter & Gamble|PepsiCo|Coca-Cola|Starbucks|McDonald's|Subway|Chipotle|Marriott
Hilton|Delta Air Lines|United Airlines|American Airlines|Southwest Airlines|Verizon|AT&T
T-Mobile|Comcast|Disney|Netflix|Uber|Lyft|DoorDash|Airbnb|Shell|BP|ExxonMobil|Chevron
Kaiser Permanente|Mayo Clinic|Cleveland Clinic|Johns Hopkins Hospital|UnitedHealth Group
Aetna|Cigna|Humana|Anthem|Blue Cross Blue Shield|Pfizer|Moderna|Johnson & Johnson|Merck
State Farm|Allstate|Progressive|GEICO|Liberty Mutual|Nationwide|MetLife|Prudential|AIG
Wells Fargo|Chase|JPMorgan Chase|Bank of America|Citibank|Capital One|HSBC|Barclays|Santander
Deutsche Bank|BNP Paribas|ING|Goldman Sachs|Morgan Stanley|Fidelity|Vanguard|Charles Schwab
US Postal Service|Royal Mail|NHS|Harvard University|Stanford University|MIT|Ohio State University
University of Michigan|Yale|Princeton|Columbia University|Oxford University|Cambridge University
Northwind Bank|Contoso|Fabrikam|Northwind Insurance|Northwind Health"""
ORG_SUFFIXES = (
    "Inc Inc. LLC L.L.C. Ltd Ltd. Limited Corp Corp. Corporation Co Co. Company Group Holdings "
    "GmbH AG KG SA S.A. SARL SAS S.L. SpA S.p.A. BV B.V. NV N.V. AB Oy Oyj ASA A/S Kft Kft. Zrt "
    "Rt sp. z o.o. PLC plc LLP LP Partners Associates Bank Insurance Hospital Clinic University "
    "College School Academy Institute Foundation Trust Solutions Systems Technologies Labs "
    "Logistics Industries Enterprises Services Consulting Healthcare Health Pharmacy Motors Foods "
    "Capital Ventures Media Networks Software"
).split()
STREET_SUFFIXES = (
    "Street St St. Avenue Ave Ave. Road Rd Rd. Boulevard Blvd Blvd. Lane Ln Ln. Drive Dr Court "
    "Ct Ct. Place Pl Pl. Square Sq Terrace Way Parkway Pkwy Highway Hwy Circle Cir Trail Crescent "
    "Close Gardens Grove Row Mews Walk Hill Alley Plaza Apt Apt. Suite Ste Unit Flat Floor "
    "straße strasse str. weg gasse platz allee ring rue avenue chemin boulevard place calle "
    "avenida plaza paseo camino carrera via viale piazza corso strada utca út tér körút katu "
    "tie polku kuja ulica ul. al. aleja plac straat laan weg plein gatan vägen gränd torget gade "
    "vej rua travessa praça alameda largo"
).split()
NEGATIVE_CAPS = """Visa|Mastercard|Visa Debit|Visa card|Platinum Rewards|Premier Checking
Everyday Saver|Northwind Online Banking|Northwind Mobile|Online Banking|Mobile Banking|Apple Pay
Google Pay|Zelle|ATM|PIN|IBAN|SWIFT|ACH|APR|FICO|HSA|FSA|IRA|Roth IRA|CD|OTP|ID|SSN|OK|Okay
January|February|March|April|May|June|July|August|September|October|November|December|Monday
Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Christmas|Thanksgiving|Easter|Halloween
New Year|Medicare|Medicaid|COBRA|EOB|MRI|ER|ICU|COVID|Gold Plan|Silver Plan|Bronze Plan|PPO|HMO
Auto Pay|AutoPay|Direct Deposit|Overdraft Protection|Fraud Alert|Customer Care|Help Center
Terms and Conditions|Privacy Policy|Rewards Points|Cash Back|Business Checking|Student Account
Wi-Fi|Bluetooth|iPhone|Android|Chrome|Safari|Windows|PDF|USB|FAQ|URGENT|Thank You|Hello|Hi
"""

SYLLABLES = (
    "ka ri to mel an ber sel vin dor la mi ra zen tor bel cor nal pes int ly on ar ven sa lo "
    "gri tak mor fen dal kir val ro ul ti na be zo ha ke re jo qua vi ste fa go ru"
).split()

# --------------------------------------------------------------------------------------
# Templates. Slots: {PER} person, {FIRST}, {LAST}, {HON} honorific (TITLE) + {LAST}/{PER},
# {JOB} job title (TITLE), {LOC} any place, {CITY}, {STATE}, {COUNTRY}, {ADDR} full address,
# {ORG} organisation, {NRP}; O-fillers: {NEG} capitalised non-entity, {MONTH}, {DAY},
# {AMT} amount, {NUM} digits, {PROD} product.
# --------------------------------------------------------------------------------------

TEMPLATES = r"""
hi, my name is {PER} and I can't log into my account
hello this is {PER}, calling about my {PROD}
yes hi it's {FIRST} here, I have a question about a charge of {AMT}
my name is {PER}. I'd like to dispute a transaction from {DAY}
this is {HON} {LAST} speaking, I need to reset my password
can I speak to {HON} {LAST} please
the account holder is {PER}
the card is in my wife's name, {PER}
the card is in my husband's name {PER}
please add {PER} as an authorized user on my {PROD}
I want to add my daughter {FIRST} to the account
my son {FIRST} lost his debit card yesterday
thanks {FIRST}, that helps a lot
thank you so much {FIRST}!
ok {FIRST} I'll wait
sure {HON} {LAST}, one moment while I pull up your file
good morning {HON} {LAST}, how can I help you today?
{PER} here. got a letter about my claim
I spoke with {FIRST} last week and she said it would be fixed
I talked to an agent named {FIRST} on {DAY}
your colleague {PER} promised me a callback
the beneficiary should be {PER}, my brother
beneficiary name: {PER}
name on the card: {PER}
Name: {PER}
patient name is {PER}, date of birth in {MONTH}
I'm calling on behalf of my mother, {PER}
I am the power of attorney for {PER}
the payee is {PER} and the amount is {AMT}
send {AMT} to {PER} please
I sent money to {FIRST} {LAST} but it never arrived
can you check if {PER} received the transfer?
{PER} and {PER} are both on the joint account
my doctor is {HON} {PER} at {ORG}
I was seen by {HON} {LAST} at {ORG} in {CITY}
the prescribing physician was {HON} {PER}
my claim was handled by {PER} from your {CITY} office
our family lawyer {PER} will call you
is this {PER}? we're calling about your policy
Dear {HON} {LAST}, your statement is ready
Dear {PER},\nwe received your request
hey it's {FIRST} again lol, still waiting on my refund
{FIRST} {LAST} - account closure request
regards,\n{PER}
best wishes, {FIRST}
thanks,\n{FIRST}
I live in {CITY}
I just moved to {CITY}, {STATE}
I'm currently traveling in {COUNTRY} and my card was declined
my card got blocked while I was in {CITY}
I'll be in {COUNTRY} from {MONTH} to {MONTH}, please put a travel notice on my card
going to {CITY} next week, will my {PROD} work there?
I'm an expat living in {COUNTRY}
the charge came from a store in {CITY}, {COUNTRY}
there's a transaction from {COUNTRY} that I didn't make
we relocated from {STATE} to {STATE} in {MONTH}
I was born in {CITY} but I live in {STATE} now
is there a branch near {CITY}?
which branch is closest to {LOC}?
I usually bank at the {CITY} branch
do you have ATMs in {COUNTRY}?
my policy covers me in {STATE}, right?
I'm in {STATE} for work until {DAY}
the hospital is in {CITY}, {STATE}
our office in {CITY} handles that
wiring money to {COUNTRY}, what are the fees?
I need to send {AMT} to my family in {COUNTRY}
flying back from {CITY} on {DAY}
it says the card was used in {LOC} but I've never been there
I grew up in {COUNTRY}
fraud alert for a purchase in {CITY}
my address is {ADDR}
my new address is {ADDR}
please update my address to {ADDR}
I moved, the new address is {ADDR}
send the replacement card to {ADDR}
can you mail the documents to {ADDR}?
the mailing address should be {ADDR}
my billing address: {ADDR}
Address: {ADDR}
the property is located at {ADDR}
the accident happened outside {ADDR}
I live at {ADDR}
we're at {ADDR} now
old address was {ADDR} and new one is {ADDR}
ship it to\n{ADDR}
my home address\n{ADDR}
{PER}\n{ADDR}
deliver to {PER}, {ADDR}
the statement went to {ADDR} but I don't live there anymore
home is {ADDR}, work is {ADDR}
is my address still {ADDR}?
I work at {ORG}
I work for {ORG} as a {JOB}
I'm a {JOB} at {ORG}
my employer is {ORG}
employer: {ORG}
I just started a new job at {ORG}
my paycheck from {ORG} didn't come through
direct deposit from {ORG} is missing
I got laid off from {ORG} last {MONTH}
I used to work for {ORG}
I'm retired, I was a {JOB} for thirty years
occupation: {JOB}
I'm a {JOB}
I work as a {JOB} in {CITY}
my job title is {JOB}
my wife is a {JOB} at {ORG}
he's a {JOB}, self employed
I'm a {NRP} citizen living in {COUNTRY}
I'm {NRP}, do I need extra documents?
my husband is {NRP} and I'm {NRP}
as a {NRP} resident can I open an account?
I have {NRP} citizenship
I'm {NRP}, so I can't accept interest on the loan
we are {NRP} and would like a sharia compliant account
my father was {NRP}
is there a {NRP} speaking agent available?
the charge from {ORG} is wrong
I was billed twice by {ORG}
there's a payment to {ORG} I don't recognize
I want to cancel my subscription with {ORG}
{ORG} charged me {AMT}
my insurance is through {ORG}
is {ORG} in network?
the claim was rejected by {ORG}
I'm switching from {ORG} to Northwind Bank
I transferred my mortgage from {ORG}
{ORG} sent me a letter
my previous bank was {ORG}
we got a quote from {ORG}
the invoice from {ORG} was paid on {DAY}
I ordered from {ORG} and got charged twice
the pharmacy at {ORG} says my coverage lapsed
they sent me to {ORG} for the x-ray
I'm a student at {ORG}
my kids go to {ORG}
tuition payment to {ORG} bounced
Northwind Bank charged me a fee
I love Northwind Bank but the app keeps crashing
I'd like to freeze my {NEG} card
my {NEG} was declined on {DAY}
how do I set up {NEG}?
can I use {NEG} abroad?
what is the {NEG} on my {PROD}?
I need a new {PROD}
my {PROD} is not working
when will my new {PROD} arrive?
I want to close my {PROD}
can you increase the limit on my {PROD}
the {NEG} says my payment is overdue
I paid {AMT} on {DAY} but it's still pending
is the branch open on {DAY}?
what's the interest rate for {NEG}?
I can't log into {NEG}
how do I reset my PIN?
please block my card, it was stolen on {DAY}
I need my statement for {MONTH}
the payment of {AMT} was due on the {NUM}th
my account number ends in {NUM}
when does my {NEG} policy renew?
I want to file a claim for the damage
how long does a wire transfer take?
can I speak to a human please
I would like to talk to a supervisor
where can I find my tax forms?
I'm having trouble with {NEG} on my phone
why was I charged an overdraft fee?
the {NEG} app says error {NUM}
please call me back on {DAY} afternoon
is {NEG} covered under my plan?
your {NEG} team never answered
{NEG} payments are not showing
does the {NEG} have an annual fee?
yes
no thanks
ok great, thank you
hold on a sec
sorry can you repeat that
{HON} {PER} would like to know about the {PROD}
{HON} {PER}, {JOB} at {ORG}, is our contact
{PER}, {JOB}
contact person: {PER} ({JOB})
I'm {PER}, the {JOB} at {ORG} in {CITY}
this is {PER} from {ORG}, I'm calling about our business account
I'm the {JOB} for {ORG} and need to add a signer
{PER} is a {NRP} {JOB} who lives in {CITY}
my name's {FIRST}, I'm {NRP}, I live at {ADDR}
{FIRST} from {CITY} here, quick question about {PROD}
Customer: hi I'm {PER}\nAgent: thanks {FIRST}, how can I help?
Agent: could I get your full name please?\nCustomer: {PER}
Agent: and your address?\nCustomer: {ADDR}
Agent: what's your employer?\nCustomer: {ORG}
Agent: where are you calling from?\nCustomer: {CITY}
Agent: and your occupation?\nCustomer: {JOB}
Caller: it's {HON} {LAST}. I'm calling from {CITY}.
uh yeah so my name is {PER} and um I live in {CITY}
um this is {FIRST} {LAST} calling from {ORG}
so I'm at {ADDR} and the package never came
the name is {LAST}, {FIRST} {LAST}
that's {FIRST} with a silent h
spell it {LAST}
can you send the form to my accountant {PER} at {ORG}?
{PER} from {ORG} referred me
my late husband {PER} had a policy with you
I'm the executor of {PER}'s estate
{FIRST}'s card was cloned
we're the {LAST} family, we live in {CITY}
please update the policy for {HON} and {HON} {LAST} at {ADDR}
I'm a {NRP} {JOB} working for {ORG} in {COUNTRY}
I have dual {NRP} and {NRP} nationality
my religion is {NRP}, does that affect my life insurance?
political affiliation: {NRP}
I volunteer with the {NRP} community center in {CITY}
the {NRP} consulate in {CITY} needs a bank letter
my card number is {CARDNUM}
card {CARDNUM} exp {DATE}
the charge on {DATE} for {AMT} is wrong
call me at {PHONE}
my phone number is {PHONE}, best after 5
Phone: {PHONE}\nE-mail: {EMAIL}
account number {ACCT}, routing {ACCT}
reference number {ACCT}
my date of birth is {DATE}
born {DATE}
the transaction on {DATE} at {TIME}
I called on {DATE} at {TIME} and nobody answered
policy number {ACCT} renewed on {DATE}
claim #{NUM} was filed on {DATE}
the zip code is {NUM}
my pin is {NUM}, is that secure?
send the code to {EMAIL}
Number of payments: {NUM}
Remember to bring two forms of ID
Unlike last time, the transfer went through
Cool, thanks for the help
Standard shipping takes a week
Please note the new hours
Note: your card expires {DATE}
Reminder: payment due {DATE}
Balance: {AMT} as of {DATE}
Total: {AMT}
Status: pending
Originally I asked for a refund
Honestly it has been a terrible experience
Anyway, can we get back to the loan?
Also, my card number is {CARDNUM}
Weirdly the app shows a different balance
Apparently my payment bounced
Finally got the letter, thanks
the merchant {ORG} keeps charging my card
{ORG} declined my application
{ORG} is my employer and they pay on the 15th
I got a job offer from {ORG} in {CITY}
my subscription to {ORG} renewed without asking
who is {ORG}? I never signed up with them
the refund from {ORG} hasn't shown up
I have a 401k through {ORG}
my health coverage is with {ORG} through my job
I bank with {ORG} too
{ORG} and {ORG} both reported the late payment
the check was issued by {ORG}
we are a small business, {ORG}, based in {CITY}
the company is called {ORG}
I own {ORG}, a bakery in {CITY}
my husband works at {ORG} and I work at {ORG}
I'm from {LOC}
we are from {COUNTRY} originally
I'm visiting family in {LOC} over {MONTH}
the transfer to {COUNTRY} failed
there was an ATM withdrawal in {CITY} at 3am
my sister lives in {CITY} near {CITY}
I commute between {CITY} and {CITY}
is the {CITY} office open on {DAY}?
we drove from {CITY} to {CITY} and the card stopped working in {STATE}
purchase at a gas station in {LOC}, not me
can I use the card in {COUNTRY} and {COUNTRY}?
{CITY} is where I opened the account
I opened it at your branch in {CITY}, {STATE}
my address is {ADDR}, and my phone is the same
correspondence address:\n{ADDR}
{PER}\n{ADDR}\n
please confirm: {ADDR}?
the house at {ADDR} was damaged in the storm
the claim is for the apartment at {ADDR}
my mother's address is {ADDR}
I was at {ADDR} when it happened
mail goes to {ADDR}
{PER} lives at {ADDR}
{PER} moved to {ADDR} last {MONTH}
{LAST}, {FIRST} is the primary cardholder
it's {FIRST} {LAST}, {FIRST} is my first name
the policy holder is {HON} {FIRST} {LAST}
{HON} {LAST} is my primary care doctor
{HON} {PER} referred me to a specialist
ask for {FIRST} at the front desk
my case worker {FIRST} {LAST} said to call
{FIRST} and I share the account
both {FIRST} and {FIRST} need access
I want to remove {PER} from my account
{PER} passed away in {MONTH}, what do I need to do?
I'm {FIRST}, {FIRST}'s daughter
an email came from someone called {PER}
a man named {PER} called me pretending to be from the bank
I think {PER} stole my card
my ex {FIRST} still has my card
{PER} is authorized to talk about my account
I'm a {NRP} national, which ID can I use?
my parents are {NRP} and {NRP}
I'm {NRP} and we don't celebrate Christmas
I'm a practicing {NRP}
our {NRP} church wants to open an account
is there a discount for {NRP} veterans?
I'm a {JOB} and my income varies
my previous role was {JOB} at {ORG}
I was promoted to {JOB}
the {JOB} at the branch was rude
I need to speak to a {JOB}, not a bot
my {JOB} told me to call you
{HON} {LAST} the {JOB} said it's covered
I don't recognize them at all
can you tell me what it is?
they charged me twice for the same thing
I'm not sure, can you check for me?
it was an uncharacteristically large payment
the fee seems high compared to last month
Please send me the forms by email
We tried that already and it did not work
My card was swallowed by the machine
That's fine, go ahead and cancel it
Thanks for your patience while I look into this
Is there anything else I can help you with today?
Your claim has been approved and payment is on the way
Let me transfer you to the fraud department
Our records show the payment was received
The deductible applies before coverage begins
Please allow five to seven business days
We have sent a verification code to your phone
Unfortunately we can't waive that fee
Your appointment is confirmed for next week
The pharmacy needs a new prescription
Your balance is below the minimum
Can you explain the charges on my statement?
Could you please speak a little louder?
I'll be on vacation so please don't call
Everything looks good on my end
Sure, I can help with that
Great, the new card will arrive soon
My account was locked after three tries
The login page keeps showing an error
Annual Percentage Rate and Fees
Premium Rewards and Benefits Guide
Claims Department, Customer Service and Billing
Open Monday to Friday, closed on public holidays
Comedy, Drama and Documentary channels are not covered
Mission statement: helping families save
Terms apply. Offer valid until the end of {MONTH}
Security Notice: never share your PIN
New Feature: instant transfers between accounts
Action required: verify your identity
Important Update About Your Account
WELCOME TO ONLINE BANKING
please hold while I check
what's the status of my loan application
how much is the penalty for early withdrawal
i want to order new checks
the machine ate my card
does the app support face id
they said it would take a week but it's been a month
I already gave them all my information
we need a notarized letter from you
the amount was wrong and nobody helped me
Energetic and friendly staff, great service
its mission is to serve the community
the list of documents is on the website
well, that's disappointing
"""

# General-domain templates (news, narrative, forms, lists, quotes, answers), our own wording.
TEMPLATES_GENERAL = r"""
{PER} was appointed {JOB} of {ORG} last {MONTH}
{PER}, a {JOB} from {CITY}, said the delay was unacceptable
{PER} told reporters in {CITY} that the deal was off
according to {PER}, {ORG} will open an office in {LOC}
{ORG} announced on {DAY} that {PER} would step down
{ORG}, based in {LOC}, reported higher profits this year
the {NRP} delegation met with {PER} in {CITY}
{PER} ({JOB}) and {PER} ({JOB}) signed the agreement
"{FIRST}, come here," said {PER}
"I never agreed to that," {PER} wrote in an email
in a statement, {ORG} said it would cooperate fully
{CITY} police are looking for {PER}, last seen near {ADDR}
the festival in {LOC} drew thousands of {NRP} visitors
{PER} grew up in {LOC} and later moved to {LOC}
{FIRST} and {FIRST} {LAST} married in {CITY} in {NUM}
born in {LOC}, {PER} studied at {ORG}
{PER} is the new {JOB} at {ORG}
{PER} has been with {ORG} since {NUM}
The {JOB}, {PER}, declined to comment
The company, {ORG}, has offices in {CITY} and {CITY}
a spokesperson for {ORG} confirmed the outage
{PER} is {NRP} and speaks three languages
{PER}, who is {NRP}, moved to {COUNTRY} as a child
she is a {NRP} {JOB} living in {LOC}
he described himself as a devout {NRP}
the {NRP} community in {CITY} organised a fundraiser
voters in {LOC} backed the {NRP} candidate
{FIRST} works as a {JOB} in {LOC}
{FIRST}'s new job is {JOB} at {ORG}
{LAST} said the contract with {ORG} ends in {MONTH}
{FIRST} {LAST}'s office is at {ADDR}
{PER}'s mailing address is {ADDR}
{PER} lives at {ADDR} with her two kids
They moved to {ADDR} in {MONTH}
Her address: {ADDR}
The package was delivered to {ADDR} on {DAY}
Please forward all mail to {ADDR}
Our headquarters are located at {ADDR}
The event takes place at {ADDR}
{ORG} moved its offices to {ADDR}
Visit us at {ADDR}
Ship to: {PER}, {ADDR}
Bill to:\n{PER}\n{ORG}\n{ADDR}
From: {PER}\nTo: {PER}\nSubject: meeting in {CITY}
Attendees: {PER}, {PER}, {PER}
Team: {PER} ({JOB}), {PER} ({JOB})
- {PER}, {JOB}, {ORG}
* {PER} - {CITY}, {STATE}
Full name: {PER}\nAddress: {ADDR}\nEmployer: {ORG}
Name: {PER}; Occupation: {JOB}; Nationality: {NRP}
Location: {LOC}
City: {CITY}\nCountry: {COUNTRY}
Company: {ORG}
Title: {JOB}
Religion: {NRP}
Nationality: {NRP}
Where do you live?\n{LOC}
{LOC}
{CITY}, {STATE}
{ADDR}
{PER}
{ORG}
{JOB}
{LOC}, I think
from {LOC} originally, now in {LOC}
{FIRST}? Is that you?
{FIRST}, can you call me back?
{FIRST}! long time no see
{FIRST} - please check the attached invoice
{PER}, {PER} and {PER} were promoted
{LAST} and {LAST} are partners at {ORG}
Congratulations to {PER} on joining {ORG}
Welcome aboard, {FIRST}!
We regret to inform you that {PER} has left {ORG}
Send my regards to {FIRST} and the kids
Ask {HON} {LAST} about the report
{HON} {LAST} will meet you at {ADDR}
{HON} {PER} was born in {LOC}
According to {HON} {LAST}, the results were positive
Prepared by {PER}, {JOB}
Signed, {PER}\n{JOB}\n{ORG}
Kind regards\n{PER}\n{JOB} | {ORG}
Cheers, {FIRST}
Sincerely,\n{HON} {PER}
Yours truly, {PER}
My friend {FIRST} recommended {ORG}
My neighbor {PER} works for {ORG}
My grandmother was {NRP} and lived in {LOC}
My favorite city is {CITY}
My family comes from {LOC}
My cousin {FIRST} is a {JOB}
I met {PER} at a conference in {CITY}
I'm looking for a {JOB} position in {LOC}
I've worked at {ORG} for ten years as a {JOB}
I am a {JOB} and a proud {NRP}
We hired {ORG} to renovate our house at {ADDR}
We flew from {CITY} to {CITY} via {CITY}
We spent the summer in {LOC}
The flight to {COUNTRY} was cancelled
The weather in {LOC} is great this time of year
The conference will be held in {CITY}, {COUNTRY}
The new store opens in {LOC} next month
There are many {NRP} restaurants in {CITY}
The {ORG} branch in {CITY} is closing
Is {ORG} hiring in {LOC}?
Does anyone know {PER}?
Who is {PER}?
Where is {ORG} located?
Have you been to {LOC}?
How far is {CITY} from {CITY}?
Did {FIRST} send the report to {ORG}?
Can {PER} sign for the package?
Why did {ORG} close the account?
what's the weather like in {LOC}
who's the {JOB} at {ORG} now
is {FIRST} coming to the party
tell {FIRST} i said hi
{FIRST} said {ORG} is hiring
{FIRST} lives in {LOC} now
call {FIRST} when you land in {CITY}
text {PER} the address: {ADDR}
ping {FIRST} about the {ORG} contract
i think {PER} works at {ORG}
me and {FIRST} are going to {LOC}
{FIRST} my man, how's {CITY}?
The Film Festival opens on {DAY}
Breaking News: markets fall sharply
Action, Comedy and Horror are the top genres
Chapter One: The Beginning
Summer Sale ends {DAY}
Happy Birthday! Enjoy your day
Good Morning and welcome to the show
Customer Satisfaction Survey
Please Read Carefully Before Signing
Frequently Asked Questions
Sign up for Online Banking today
Pay with Visa or Mastercard
Use your Visa Debit card at any ATM
Download the Mobile Banking app
Most Popular Products This Week
Limited Time Offer on Savings Accounts
Investing for Beginners
Stock prices rose after the announcement
The meeting was moved to Tuesday
Great job everyone, see you Monday
Nobody answered the phone yesterday
Everyone was happy with the result
Several people complained about the noise
Seriously, this is the third time
Tomorrow works better for me
Yesterday the system was down
Overall a good experience
Perhaps we should wait
Hopefully it arrives soon
Unfortunately the store was closed
{CAPS}
{CAPS}: {CAPS}
{CAPS} - {CAPS}
{CAPS}!
{CAPS} starts on {DAY}
the {CAPS} program ends in {MONTH}
Join our {CAPS} webinar
{CAPS}, {CAPS} and {CAPS}
I signed up for the {CAPS} plan
{CAPS} is now available in the app
Re: {CAPS}
{CAPS}. {CAPS}
"{CAPS}" was the subject of the email
have you seen {CAPS}? it was great
card ending {NUM}, expiry {DATE}
{CARDNUM}
Card: {CARDNUM}\nExp: {DATE}
ref {ACCT} / {DATE}
invoice {ACCT} dated {DATE} for {AMT}
{PHONE}
order #{ACCT} shipped {DATE}
tracking number {ACCT}, delivered {DAY}
my new card {CARDNUM} arrived today
"""

# --------------------------------------------------------------------------------------
# Block v3 (new in v3, split on its own so v2's held-out templates stay comparable):
# contact-centre phrasing with entities in more syntactic positions (names as objects of
# verbs and prepositions, possessives, organisations as subjects and as modifiers of
# "app" / "website" / "team"), signature blocks, and more negatives: honorifics used as a
# bare form of address ({SIR}, not a TITLE) and lower-case common nouns ({NOUN}) where a
# job title could stand.
# --------------------------------------------------------------------------------------

TEMPLATES_V3 = r"""
why hasn't {FIRST} called me back yet?
can you let {FIRST} know I rang?
please put me through to {FIRST} in billing
I was on hold with {FIRST} for forty minutes
{FIRST} was really helpful, please pass that on
{FIRST} was rude to me on the phone
the agent, {PER}, said the fee would be waived
your agent {FIRST} gave me reference {ACCT}
I'd like to make a complaint about {PER}
the complaint is about {HON} {LAST}, not the branch
the form was signed by {PER} on {DATE}
the transfer was approved by {HON} {LAST}
I was told by {FIRST} that it was sorted
it was {FIRST} who opened the account for me
ask {HON} {LAST} to call me at {PHONE}
I'm calling for {PER}, she's in hospital
{PER}'s card was swallowed by the ATM
I have {LAST}'s authorisation to discuss this
my joint account with {PER} is overdrawn
remove {PER} from the account please
my mother's maiden name is {LAST}
maiden name {LAST}
the account is under my married name, {PER}
it might be under {LAST}, my old surname
is {PER} still listed as my emergency contact?
the parcel was signed for by someone called {FIRST}
I don't know anyone called {PER}
there's a payment to {PER} I didn't authorise
who is {PER}? I never sent them money
my landlord {PER} hasn't received the rent
{FIRST} and I share the card
me and {FIRST} want to open a joint account
my partner {FIRST} will call instead
{FIRST} here again, any update?
it's {FIRST}, we spoke yesterday
hi {FIRST}, thanks for getting back to me
Hi {HON} {LAST}, thanks for waiting
thank you {SIR}, have a good day
yes {SIR}, I can hold
sorry {SIR}, could you repeat the number?
excuse me {SIR}, I was talking
good afternoon {SIR}, how may I help?
Dear {SIR},\nplease find attached my statement
ok thanks {SIR} bye
my employer {ORG} pays me on the last Friday
{ORG} is my employer
{ORG} pays my salary into this account
{ORG} keeps taking money from my card
{ORG} refused to give me a refund
{ORG} says they never got my payment
{ORG} still hasn't sent my refund
{ORG} charged me twice for one order
{ORG} told me to contact my bank
{ORG} is asking for my account details, is that normal?
{ORG} cancelled my order without telling me
the {ORG} app keeps logging me out
the {ORG} website won't accept my card
I got an email from the {ORG} team about a refund
a {ORG} representative called me about my loan
is the {ORG} office in {CITY} open on {DAY}?
{ORG} customer service told me to call you
I have a {ORG} store card as well
the merchant shows up as {ORG} on my statement
the direct debit to {ORG} should have stopped
I used to bank with {ORG} before I switched
my company, {ORG}, needs a business account
I'm the owner of {ORG}, a small firm in {CITY}
I run {ORG} with my brother
we're a small business called {ORG}
I'm calling from {ORG} about an unpaid invoice
{ORG} hired me as a {JOB} in {MONTH}
I'm a {JOB} with {ORG} in {LOC}
I left {ORG} in {MONTH} and my pension is still there
my pension is with {ORG}
my mortgage is with {ORG}, not with you
the car loan is through {ORG}
{ORG} and {ORG} both charged me on {DAY}
{ORG} was bought by {ORG} last year
since {ORG} took over, nothing works
{ORG}'s refund policy says thirty days
I ordered a laptop from {ORG}
my wages from {ORG} bounced
{PER}\n{ORG}\n{ADDR}
{PER}\n{JOB}\n{ORG}\n{PHONE}
{PER} | {JOB} | {ORG}
{PER} ({ORG})
{FIRST} at {ORG}
Thanks, {FIRST}\n{ORG} accounts team
Regards\n{PER}\n{ORG}
--\n{PER}\n{JOB}, {ORG}
Employer name: {ORG}\nJob title: {JOB}
Occupation: {JOB}\nEmployer: {ORG}
I'm a {JOB}, I work nights
I work as a {JOB} so I can't call during the day
my husband works as a {JOB} at {ORG}
my daughter is a {JOB} in {CITY}
I'm self-employed, I'm a {JOB}
I used to be a {JOB} before I retired
what documents does a {JOB} need for the mortgage?
I'm a {NRP} national living in {CITY}
I'm {NRP} but I have a {NRP} passport too
we're {NRP} and we pray at home
is there a charge for a {NOUN} transfer?
I paid a {NOUN} fee by mistake
there's a {NOUN} charge on my statement
the {NOUN} on my card is scratched
what does {NOUN} mean on my statement?
I was a {NOUN} customer for years
it says {NOUN} {NOUN} next to the payment
my {NOUN} is broken and I can't pay
that sounds like a {NOUN} problem to me
I'd like a {NOUN} account please
it's a {NOUN} {NOUN}, nothing important
the {NOUN} refers to last month's payment
we went there by {NOUN} on {DAY}
he was a {NOUN} back then
She said the {NOUN} was the best part
I'm {FIRST}, calling from {CITY} about my {PROD}
Calling from {LOC}, my name is {PER}
I'm in {CITY} visiting {FIRST} and my card stopped working
we moved from {CITY} to {CITY} in {MONTH}
I'm staying with {PER} at {ADDR} for now
send it care of {PER}, {ADDR}
{PER} lives with me at {ADDR}
the flat at {ADDR} is rented by {PER}
Agent: who am I speaking to?\nCustomer: {PER}
Agent: is that {FIRST}?\nCustomer: yes
Agent: and who is your employer?\nCustomer: it's {ORG}
Agent: and what do you do for work?\nCustomer: I'm a {JOB}
Agent: can you confirm the cardholder's name?\nCustomer: {HON} {PER}
Agent: thanks {HON} {LAST}. And the town?\nCustomer: {CITY}
Customer: my name is {FIRST}\nCustomer: {LAST}
Customer: it's {LAST}\nAgent: thank you
caller said her name was {PER} and she lives in {CITY}
customer {PER} called about a charge from {ORG}
note: spoke to {PER}, advised to contact {ORG}
callback requested by {PER} re {PROD}
uh my name's {FIRST} um {LAST}
yeah it's {FIRST} {LAST} from {CITY}
so i work for {ORG} and um they pay me weekly
um i'm a {JOB} at {ORG}
the name is {FIRST}, {FIRST} {LAST}
{FIRST}: hi, my card was declined again\n{FIRST}: sorry to hear that, let me check
{FIRST}: hello?\n{FIRST}: yes, I can hear you now
{PER}: I need to change my address\nAgent: of course
Agent {FIRST}: thanks for holding\nCustomer: no problem
[{FIRST}] can you confirm your postcode?
{FIRST} (agent): the refund is on its way
I got a text from {PER} asking for my PIN
I was speaking with {FIRST} earlier about the loan
I'm staying with {FIRST} until the new card comes
the email from {FIRST} said it was resolved
I was annoyed at {FIRST} for hanging up
she shouted at {FIRST} and left the branch
he was looking at {FIRST}'s statement, not mine
is it true that {FIRST} left the bank?
why is {FIRST} not answering my emails?
was it {FIRST} or {FIRST} who took the call?
I think it was {PER} but I'm not sure
it might have been {FIRST}, or maybe {FIRST}
not {FIRST}, the other agent
that was {PER}, the manager said so
{PER} and {PER} were both on the call
{LAST} and {LAST} handled my claim
{FIRST} and {FIRST} are my kids
my kids {FIRST} and {FIRST} need savings accounts
the card belongs to {PER}, not me
the cheque was written by {PER}
it was sent to {PER} by mistake
I bought it for {FIRST} as a present
the flowers were for {FIRST}'s birthday
{FIRST} is my son, he's sixteen
{FIRST} is very reliable, you can trust her
{PER} is my financial adviser
{PER} was my late father
thanks to {FIRST} it was sorted in a day
according to {FIRST} the money left on {DAY}
"""


def say(msg: str = "", **_: Any) -> None:
    """Progress output (the script's only output channel)."""
    sys.stdout.write(msg + "\n")
    sys.stdout.flush()


def _split_list(s: str, sep: str = "|") -> list[str]:
    return [x.strip() for x in s.replace("\n", sep).split(sep) if x.strip()]


def _faker_list(module: str, attr: str) -> list[str]:
    try:
        prov = importlib.import_module(module).Provider
    except ImportError:
        return []
    val = getattr(prov, attr, None)
    if val is None or callable(val):
        return []
    if isinstance(val, dict):
        return [str(k) for k in val]
    out: list[str] = []
    for v in val:
        if isinstance(v, tuple | list):
            out.extend(str(x) for x in v)
        else:
            out.append(str(v))
    return out


def _norm(phrase: str) -> str:
    return " ".join(t[0].lower() for t in tokenize(phrase))


class Generator:
    """Fills templates with Faker values; one seeded RNG drives everything."""

    def __init__(self, seed: int) -> None:
        from faker import Faker

        self.rng = random.Random(seed)
        self.fakers: dict[str, Any] = {}
        for loc in sorted(set(NAME_LOCALES + ADDRESS_LOCALES + COMPANY_LOCALES + JOB_LOCALES)):
            f = Faker(loc)
            f.seed_instance(seed + sum(map(ord, loc)))
            self.fakers[loc] = f
        self.jobs = sorted(set(_faker_list("faker.providers.job.en_US", "jobs")))
        self.jobs += _split_list(EXTRA_TITLES) * 3
        self.nrps = (
            _split_list(NATIONALITIES, " ") + _split_list(RELIGIONS, " ") + _split_list(POLITICAL)
        )
        # multi-word NRP entries
        self.nrps += [
            "South African",
            "Puerto Rican",
            "Sri Lankan",
            "New Zealander",
            "Roman Catholic",
            "Greek Orthodox",
            "Native American",
            "Social Democrat",
            "Liberal Democrat",
            "Jehovah's Witness",
        ]
        self.cities = _split_list(CITIES)
        self.regions = _split_list(REGIONS)
        self.companies = _split_list(COMPANIES)
        self.us_states = _faker_list("faker.providers.address.en_US", "states")
        self.us_abbr = _faker_list("faker.providers.address.en_US", "states_abbr")
        self.countries = _faker_list("faker.providers.address.en_US", "countries")
        self.negs = _split_list(NEGATIVE_CAPS)
        self.common = [
            w for w in _faker_list("faker.providers.lorem.en_US", "word_list") if len(w) > 2
        ]
        # lower-case common nouns where a job title could stand ("a travel fee"): not TITLE
        jobwords = {w for j in self.jobs for w in j.lower().split()}
        self.nouns = [w for w in self.common if w not in jobwords]
        # words for brand-like company names ("Adaptive Data Partners", "Balancedly")
        cp = _faker_list("faker.providers.company.en_US", "catch_phrase_words")
        self.brand_words = sorted(
            {
                w.capitalize()
                for group in cp
                for w in (x.split("-")[0] for x in group)
                if w.isalpha() and len(w) > 3
            }
        )
        self.products = [
            "debit card",
            "credit card",
            "Visa card",
            "Mastercard",
            "checking account",
            "savings account",
            "Platinum Rewards card",
            "mortgage",
            "auto loan",
            "home insurance policy",
            "health plan",
            "HSA",
            "Premier Checking account",
            "online banking",
            "Northwind Online Banking",
            "mobile app",
            "car insurance",
            "life insurance",
            "dental plan",
            "line of credit",
        ]

    # -- slot values -----------------------------------------------------------------------

    def pseudo(self, n: int | None = None) -> str:
        k = n or self.rng.choice((2, 2, 3))
        return "".join(self.rng.choice(SYLLABLES) for _ in range(k)).capitalize()

    def faker(self, locales: Sequence[str]) -> Any:
        return self.fakers[self.rng.choice(locales)]

    def first(self) -> str:
        if self.rng.random() < 0.12:
            return self.pseudo()
        return str(self.faker(NAME_LOCALES).first_name())

    def last(self) -> str:
        if self.rng.random() < 0.12:
            return self.pseudo()
        return str(self.faker(NAME_LOCALES).last_name())

    def person(self) -> str:
        r = self.rng.random()
        if r < 0.55:
            return f"{self.first()} {self.last()}"
        if r < 0.65:
            return f"{self.first()} {self.first()} {self.last()}"
        if r < 0.72:
            return f"{self.first()} {self.rng.choice('ABCDEFGHJKLMNPRSTW')}. {self.last()}"
        if r < 0.76:
            return f"{self.first()} {self.last()}-{self.last()}"
        if r < 0.80:
            return f"{self.first()} {self.rng.choice('ABCDEFGHJKLMNPRSTW')} {self.last()}"
        if r < 0.90:
            f = self.faker(NAME_LOCALES)
            name = str(f.name())
            # drop Faker's own prefixes/suffixes; honorifics are their own slot
            parts = [p for p in name.split() if p.rstrip(".") not in _HON_SET]
            return " ".join(parts) or self.first()
        if r < 0.95:
            return self.first()
        return self.last()

    def honorific(self) -> str:
        if self.rng.random() < 0.8:
            return self.rng.choice(COMMON_HONORIFICS)
        return self.rng.choice(HONORIFICS)

    def city(self) -> str:
        r = self.rng.random()
        if r < 0.35:
            return self.rng.choice(self.cities)
        if r < 0.45:
            return self.pseudo() + self.rng.choice(("ville", "burg", "ton", "field", " City"))
        return str(self.faker(ADDRESS_LOCALES).city())

    def state(self) -> str:
        r = self.rng.random()
        if r < 0.45:
            return self.rng.choice(self.us_states)
        if r < 0.7:
            return self.rng.choice(self.us_abbr)
        if r < 0.85:
            return self.rng.choice(self.regions)
        f = self.faker(ADDRESS_LOCALES)
        try:
            return str(f.administrative_unit())
        except AttributeError:
            return self.rng.choice(self.us_states)

    def country(self) -> str:
        return self.rng.choice(self.countries)

    def location(self) -> list[tuple[str, str | None]]:
        r = self.rng.random()
        if r < 0.35:
            return [(self.city(), "LOCATION")]
        if r < 0.55:
            return [(self.country(), "LOCATION")]
        if r < 0.7:
            return [(self.state(), "LOCATION")]
        if r < 0.85:
            return [
                (self.city(), "LOCATION"),
                (", ", None),
                (self.rng.choice(self.us_abbr + self.us_states), "LOCATION"),
            ]
        return [(self.city(), "LOCATION"), (", ", None), (self.country(), "LOCATION")]

    def address(self) -> str:
        f = self.faker(ADDRESS_LOCALES)
        r = self.rng.random()
        if r < 0.55:
            a = str(f.address())
        elif r < 0.7:
            a = str(f.street_address())
        elif r < 0.85:
            a = f"{f.street_address()}, {f.city()}"
            if self.rng.random() < 0.5:
                a += f" {f.postcode()}"
        else:
            us = self.fakers["en_US"]
            parts = [str(us.building_number()), str(us.street_name())]
            if self.rng.random() < 0.5:
                parts.append(str(us.secondary_address()))
            a = " ".join(parts)
            city = self.city() if self.rng.random() < 0.5 else str(us.city())
            sep = self.rng.choice(("\n", ", ", " ", "\n, ", ",\n"))
            a += sep + city + self.rng.choice((", ", " ", "\n, ")) + str(us.state_abbr())
            a += " " + str(us.zipcode())
        if self.rng.random() < 0.2:
            a += self.rng.choice((", ", "\n", " ", "\n ")) + self.country()
        style = self.rng.random()
        if "\n" in a:
            if style < 0.3:
                a = a.replace("\n", ", ")
            elif style < 0.6:
                a = a.replace("\n", " ")
            elif style < 0.7:
                a = a.replace("\n", "\n, ")
        if "\n" in a and self.rng.random() < 0.15:
            a = a.replace("\n", "\n" + " " * self.rng.randint(1, 4))
        if self.rng.random() < 0.05:
            a = a.upper()
        return re.sub(r"[ \t]+", " ", a).strip(" ,")

    def org(self) -> str:
        r = self.rng.random()
        if r < 0.5:
            name = str(self.faker(COMPANY_LOCALES).company())
            if self.rng.random() < 0.15:
                # Faker's "Lastname, Lastname and Lastname" / "Lastname-Lastname" with our names
                a, b, c = self.last(), self.last(), self.last()
                name = self.rng.choice(
                    (
                        f"{a}, {b} and {c}",
                        f"{a}-{b}",
                        f"{a} and {b}",
                        f"{a} & {b}",
                        f"{a}, {b} & {c}",
                    )
                )
                if self.rng.random() < 0.3:
                    name += " " + self.rng.choice(ORG_SUFFIXES)
            return name
        if r < 0.6:
            if self.rng.random() < 0.5:
                return self.brand()
            return self.rng.choice(self.companies)
        if r < 0.67:
            return self.pseudo()
        if r < 0.72:
            a, b = self.rng.sample(_ORG_PARTS, 2)
            name = a.capitalize() + (b if self.rng.random() < 0.6 else " " + b.capitalize())
            return name + (" Inc." if self.rng.random() < 0.2 else "")
        if r < 0.85:
            return self.pseudo() + " " + self.rng.choice(ORG_SUFFIXES)
        if r < 0.93:
            kind = self.rng.choice(
                (
                    "General Hospital",
                    "Medical Center",
                    "Community College",
                    "High School",
                    "Elementary School",
                    "Memorial Hospital",
                    "Family Clinic",
                    "Credit Union",
                    "State University",
                )
            )
            return f"{self.city()} {kind}"
        kind = self.rng.choice(("University of", "Bank of", "St. Mary's Hospital", "Church of"))
        if kind.startswith("St."):
            return kind
        return f"{kind} {self.city()}"

    def brand(self) -> str:
        """A brand-like company name, as real customers write them."""
        rng = self.rng
        r = rng.random()
        if r < 0.15:  # invented word: "Zentorly", "Karimio"
            return self.pseudo() + rng.choice(("ly", "io", "ify", "era", "ix", "ora", "a", ""))
        if r < 0.4:  # glued compound: "BrightPath", "Datamint"
            a, b = rng.sample(_ORG_PARTS, 2)
            return a.capitalize() + (b.capitalize() if rng.random() < 0.4 else b)
        if r < 0.8:  # "Adaptive Health Partners", "Open Data Group"
            k = rng.choice((1, 1, 2))
            words = [rng.choice(self.brand_words + [p.capitalize() for p in _ORG_PARTS])]
            words += [rng.choice(_BRAND_INDUSTRY) for _ in range(k)]
            return " ".join(words)
        # a surname or invented word with an industry word: "Hodge Logistics"
        head = self.last() if rng.random() < 0.6 else self.pseudo()
        return f"{head} {rng.choice(_BRAND_INDUSTRY)}"

    def nrp(self) -> str:
        return self.rng.choice(self.nrps)

    def job(self) -> str:
        if self.rng.random() < 0.3:
            j = str(self.faker(JOB_LOCALES).job())
        else:
            j = self.rng.choice(self.jobs)
        if self.rng.random() < 0.6:
            j = j[0].lower() + j[1:] if not j[:3].isupper() else j
        return j

    def fill(self, slot: str) -> list[tuple[str, str | None]]:
        """Pieces (text, label or None) for one slot."""
        rng = self.rng
        if slot == "PER":
            return [(self.person(), "PERSON")]
        if slot == "FIRST":
            return [(self.first(), "PERSON")]
        if slot == "LAST":
            return [(self.last(), "PERSON")]
        if slot == "HON":
            return [(self.honorific(), "TITLE")]
        if slot == "JOB":
            return [(self.job(), "TITLE")]
        if slot == "LOC":
            return self.location()
        if slot == "CITY":
            return [(self.city(), "LOCATION")]
        if slot == "STATE":
            return [(self.state(), "LOCATION")]
        if slot == "COUNTRY":
            return [(self.country(), "LOCATION")]
        if slot == "ADDR":
            return [(self.address(), "STREET_ADDRESS")]
        if slot == "ORG":
            return [(self.org(), "ORGANIZATION")]
        if slot == "NRP":
            return [(self.nrp(), "NRP")]
        if slot == "CAPS":
            # capitalised common English words (headings, titles of things): not entities
            k = rng.choice((1, 1, 2, 2, 3, 4))
            words = [rng.choice(self.common) for _ in range(k)]
            mode = rng.random()
            if mode < 0.7:
                words = [w.capitalize() for w in words]
            elif mode < 0.85:
                words = [words[0].capitalize(), *words[1:]]
            else:
                words = [w.upper() for w in words]
            return [(" ".join(words), None)]
        if slot == "SIR":
            # a bare form of address is not personal data: no TITLE without a name
            w = rng.choice(("sir", "madam", "ma'am", "miss", "mate", "love", "sir", "madam"))
            return [(w.capitalize() if rng.random() < 0.4 else w, None)]
        if slot == "NOUN":
            return [(rng.choice(self.nouns), None)]
        if slot == "NEG":
            return [(rng.choice(self.negs), None)]
        if slot == "PROD":
            return [(rng.choice(self.products), None)]
        if slot == "MONTH":
            return [(rng.choice(_MONTHS), None)]
        if slot == "DAY":
            return [(rng.choice(_DAYS), None)]
        if slot == "AMT":
            return [
                (
                    rng.choice(("$", "£", "€", ""))
                    + f"{rng.randint(1, 9999)}.{rng.randint(0, 99):02d}",
                    None,
                )
            ]
        if slot == "CARDNUM":
            return [(str(self.fakers["en_US"].credit_card_number()), None)]
        if slot == "DATE":
            # from the seeded RNG only: Faker's date() depends on today's date
            d = datetime.date(rng.randint(1940, 2024), rng.randint(1, 12), rng.randint(1, 28))
            fmt = rng.choice(("%Y-%m-%d", "%m/%d/%Y", "%B %d, %Y", "%d.%m.%Y"))
            return [(d.strftime(fmt), None)]
        if slot == "TIME":
            t = datetime.time(rng.randint(0, 23), rng.randint(0, 59))
            return [(t.strftime(rng.choice(("%H:%M", "%I:%M %p"))), None)]
        if slot == "PHONE":
            return [(str(self.faker(NAME_LOCALES[:20]).phone_number()), None)]
        if slot == "EMAIL":
            return [(str(self.fakers["en_US"].user_name()) + "@example.com", None)]
        if slot == "ACCT":
            return [(str(rng.randint(10**5, 10**12)), None)]
        if slot == "NUM":
            return [(str(rng.randint(1, 9999)), None)]
        raise KeyError(slot)


_HON_SET = {h.rstrip(".") for h in HONORIFICS} | {
    "Dr",
    "Prof",
    "Univ.Prof",
    "Dipl.-Ing",
    "Ing",
    "Mag",
    "MBA",
    "PhD",
    "MD",
    "DDS",
    "DVM",
    "Jr",
    "Sr",
    "II",
    "III",
    "IV",
    "V",
    "Herr",
    "Frau",
    "Mme",
    "Mlle",
    "M",
    "Sra",
    "Srta",
    "Dott",
    "Sig",
    "Sig.ra",
    "Dott.ssa",
    "Avv",
    "dr",
    "ifj",
    "özv",
    "id",
    "Pani",
    "Pan",
    "Bc",
    "Mgr",
    "MUDr",
    "JUDr",
    "RNDr",
    "PhDr",
    "Dhr",
    "Mevr",
    "Drs",
    "Ir",
    "Sra.",
    "Fru",
    "Hr",
}
_ORG_PARTS = (
    "data soft link wallet score cloud market health karma smart hub box net wise pay mint spark "
    "nova quant lab works point stream path logic ware bright true open blue green fin trade "
    "loop gate vista core zen hive grid pulse byte"
).split()
#: Industry words of brand-like company names.
_BRAND_INDUSTRY = (
    "Data Health Capital Insights Analytics Solutions Logistics Media Energy Finance Research "
    "Partners Labs Systems Technologies Group Holdings Networks Software Care Power Transit "
    "Learning Foods Security Payments Robotics Studio Games Ventures Mobility Biotech Wealth"
).split()
_MONTHS = _split_list(
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_DAYS = _split_list("Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today")
_SLOT_RE = re.compile(r"\{([A-Z]+)\}")

PREFIXES = [
    "",
    "",
    "",
    "",
    "hi, ",
    "hello ",
    "um ",
    "yeah ",
    "ok so ",
    "Hi! ",
    "good morning, ",
    "quick question: ",
    "sorry, ",
    "hey ",
    "Customer: ",
    "[caller] ",
]
SUFFIXES = [
    "",
    "",
    "",
    "",
    ".",
    "!",
    "?",
    " thanks",
    " thank you.",
    " please",
    " asap",
    ". Can you help?",
    " - urgent",
    " :)",
    ". I've been waiting for {DAY}s.",
]


def render_sample(gen: Generator, template: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Like :func:`render` but keeps offsets right when punctuation is removed."""
    rng = gen.rng
    template = rng.choice(PREFIXES) + template + rng.choice(SUFFIXES)
    pieces: list[tuple[str, str | None]] = []
    pos = 0
    for m in _SLOT_RE.finditer(template):
        pieces.append((template[pos : m.start()], None))
        pieces.extend(gen.fill(m.group(1)))
        pos = m.end()
    pieces.append((template[pos:], None))
    # entity-level variants: quoted, lower-/upper-cased on its own
    varied: list[tuple[str, str | None]] = []
    for p, lab in pieces:
        if lab is not None and lab not in ("NRP",):
            u = rng.random()
            if u < 0.03:
                q = rng.choice(('"', "'", "“"))
                varied += [(q, None), (p, lab), ({"“": "”"}.get(q, q), None)]
                continue
            if u < 0.04:
                p = p.lower()
            elif u < 0.055:
                p = p.upper()
        varied.append((p, lab))
    pieces = varied
    r = rng.random()
    if r < 0.28:
        pieces = [(p.lower(), lab) for p, lab in pieces]
    elif r < 0.36:
        pieces = [(re.sub(r"[,.!?;:]", "", p.lower()), lab) for p, lab in pieces]
    elif r < 0.38:
        pieces = [(p.upper(), lab) for p, lab in pieces]
    text = ""
    spans: list[tuple[int, int, str]] = []
    for p, lab in pieces:
        if lab is not None and p.strip():
            spans.append((len(text), len(text) + len(p), lab))
        text += p
    return text, spans


def bio(text: str, spans: Sequence[tuple[int, int, str]]) -> tuple[list[Any], list[str]]:
    tokens = tokenize(text)
    tags = ["O"] * len(tokens)
    for s, e, lab in spans:
        first = True
        for i, (_, ts, te) in enumerate(tokens):
            if ts >= s and te <= e:
                tags[i] = ("B-" if first else "I-") + lab
                first = False
    return tokens, tags


def make_dataset(
    gen: Generator, templates: Sequence[str], n: int
) -> list[tuple[str, list[tuple[int, int, str]]]]:
    out = []
    for _ in range(n):
        t = gen.rng.choice(templates)
        # DAY-suffix contains a slot; render_sample handles every slot in one pass
        text, spans = render_sample(gen, t)
        if gen.rng.random() < 0.15:
            # two messages in one: entities after ". ", "\n" etc. at a sentence start
            t2, s2 = render_sample(gen, gen.rng.choice(templates))
            sep = gen.rng.choice((". ", ". ", "! ", "? ", "\n", " ", ", ", "; "))
            text = text.rstrip() + sep
            off = len(text)
            text += t2
            spans = spans + [(s + off, e + off, lab) for s, e, lab in s2]
        out.append((text, spans))
    return out


# --------------------------------------------------------------------------------------
# Gazetteers
# --------------------------------------------------------------------------------------


def build_gazetteers(gen: Generator) -> dict[str, list[str]]:
    first: set[str] = set()
    last: set[str] = set()
    for loc in NAME_LOCALES:
        mod = f"faker.providers.person.{loc}"
        for attr in ("first_names", "first_names_male", "first_names_female"):
            first.update(_norm(x) for x in _faker_list(mod, attr))
        for attr in ("last_names", "last_names_male", "last_names_female"):
            last.update(_norm(x) for x in _faker_list(mod, attr))
    cities: set[str] = {_norm(c) for c in gen.cities}
    states: set[str] = {_norm(s) for s in gen.us_states + gen.regions}
    for loc in ADDRESS_LOCALES:
        mod = f"faker.providers.address.{loc}"
        for attr in ("cities",):
            cities.update(_norm(x) for x in _faker_list(mod, attr))
        for attr in ("states", "provinces", "regions", "counties"):
            states.update(_norm(x) for x in _faker_list(mod, attr))
    abbr = {
        _norm(x)
        for x in gen.us_abbr + _faker_list("faker.providers.address.en_CA", "provinces_abbr")
    }
    countries = {_norm(c) for c in gen.countries} | {"usa", "us", "uk", "u.s", "u.k"}
    orgsfx = {_norm(x) for x in ORG_SUFFIXES}
    for loc in COMPANY_LOCALES:
        orgsfx.update(
            _norm(x) for x in _faker_list(f"faker.providers.company.{loc}", "company_suffixes")
        )
    street = {_norm(x) for x in STREET_SUFFIXES}
    street.update(_norm(x) for x in _faker_list("faker.providers.address.en_US", "street_suffixes"))
    jobs = {_norm(j) for j in gen.jobs}
    jobword: set[str] = set()
    for j in jobs:
        jobword.update(w for w in j.split(" ") if len(w) > 3)
    gaz = {
        "first": first,
        "last": last,
        "city": cities,
        "state": states,
        "abbr": abbr,
        "country": countries,
        "nrp": {_norm(x) for x in gen.nrps},
        "hon": {_norm(x) for x in HONORIFICS},
        "job": jobs,
        "jobw": jobword,
        "orgsfx": orgsfx,
        "company": {_norm(x) for x in gen.companies},
        "street": street,
        "neg": {_norm(x) for x in gen.negs},
        "common": {_norm(x) for x in gen.common},
    }
    return {k: sorted(x for x in v if x) for k, v in gaz.items()}


# --------------------------------------------------------------------------------------
# Features and training
# --------------------------------------------------------------------------------------


class Featurizer:
    def __init__(self, gazetteers: dict[str, list[str]], use_doc_case: bool = True) -> None:
        data = {
            "format": FORMAT,
            "labels": list(LABELS),
            "weights": {},
            "bias": [0.0] * len(LABELS),
            "gazetteers": gazetteers,
        }
        tmp = NerModel(data)
        self.gaz = tmp._gaz
        self.use_doc_case = use_doc_case
        self.phrases = tmp._phrases

    def sentence(self, text: str, tokens: Sequence[Any]) -> list[list[str]]:
        """Per token, every non-tag feature."""
        words = [t[0] for t in tokens]
        lows = [w.lower() for w in words]
        layout = layout_features(text, tokens, self.gaz)
        phr = phrase_features(lows, self.phrases)
        padded = [BOS, BOS, *words, EOS, EOS]
        mode = doc_case(text) if self.use_doc_case else ""
        out = []
        for i, w in enumerate(words):
            f = intrinsic_features(w, self.gaz, mode)
            f += neighbour_features(padded[i], -2, self.gaz)
            f += neighbour_features(padded[i + 1], -1, self.gaz)
            f += neighbour_features(padded[i + 3], 1, self.gaz)
            f += neighbour_features(padded[i + 4], 2, self.gaz)
            f += layout[i] + phr[i]
            out.append(f)
        return out


def build_rows(
    feat: Featurizer,
    data: Sequence[tuple[str, list[tuple[int, int, str]]]],
    rng: random.Random,
    noise: float,
) -> tuple[list[list[str]], list[int]]:
    from trustdesk.privacy.ner.features import case_type

    rows: list[list[str]] = []
    ys: list[int] = []
    lab_idx = {lab: i for i, lab in enumerate(LABELS)}
    for text, spans in data:
        tokens, tags = bio(text, spans)
        fs = feat.sentence(text, tokens)
        p2 = p1 = "O"
        for i, (tok, tag) in enumerate(zip(tokens, tags, strict=True)):
            # teacher forcing with a little noise on the history (exposure bias)
            h1 = p1
            if noise and rng.random() < noise:
                h1 = "O" if p1 != "O" else rng.choice(LABELS)
            rows.append(fs[i] + tag_features(p2, h1, case_type(tok[0])))
            ys.append(lab_idx[tag])
            p2, p1 = p1, tag
    return rows, ys


def train(
    rows: list[list[str]], ys: list[int], c: float, min_count: int
) -> tuple[dict[str, list[float]], list[float]]:
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts: Counter[str] = Counter()
    for r in rows:
        counts.update(set(r))
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count))}
    indptr = [0]
    indices: list[int] = []
    for r in rows:
        idx = sorted({vocab[f] for f in r if f in vocab})
        indices.extend(idx)
        indptr.append(len(indices))
    x = csr_matrix(
        (np.ones(len(indices), dtype=np.float32), np.array(indices), np.array(indptr)),
        shape=(len(rows), len(vocab)),
    )
    y = np.array(ys)
    say(f"  matrix {x.shape}, nnz {x.nnz}", flush=True)
    clf = LogisticRegression(C=c, max_iter=300, tol=1e-4)
    clf.fit(x, y)
    coef = clf.coef_
    classes = list(clf.classes_)
    k = len(LABELS)
    full = np.zeros((k, coef.shape[1]))
    for ci, cl in enumerate(classes):
        full[cl] = coef[ci]
    bias = np.zeros(k) - 30.0
    for ci, cl in enumerate(classes):
        bias[cl] = clf.intercept_[ci]
    inv = sorted(vocab, key=vocab.__getitem__)
    weights = {inv[j]: full[:, j].tolist() for j in range(full.shape[1])}
    return weights, bias.tolist()


def export(
    weights: dict[str, list[float]],
    bias: list[float],
    gazetteers: dict[str, list[str]],
    threshold: float,
    metadata: dict[str, Any],
) -> dict[str, Any]:
    out: dict[str, list[float]] = {}
    for f, vec in weights.items():
        # centre per feature (softmax is invariant to a constant shift) then prune
        mean = sum(vec) / len(vec)
        flat: list[float] = []
        for i, v in enumerate(vec):
            v -= mean
            if abs(v) >= threshold:
                flat.extend((i, round(v, 3)))
        if flat:
            out[f] = flat
    return {
        "format": FORMAT,
        "version": metadata.get("version", "pii-ner"),
        "labels": list(LABELS),
        "bias": [round(b, 4) for b in bias],
        "weights": out,
        "gazetteers": gazetteers,
        "metadata": metadata,
    }


# --------------------------------------------------------------------------------------
# Evaluation (overlap >= 1 character counts as a match)
# --------------------------------------------------------------------------------------


def evaluate(
    predict: Callable[[str], list[tuple[int, int, str]]],
    data: Iterable[tuple[str, list[tuple[int, int, str]]]],
    other_gold: Sequence[list[tuple[int, int]]] | None = None,
) -> dict[str, Any]:
    tp_p: Counter[str] = Counter()
    n_p: Counter[str] = Counter()
    tp_g: Counter[str] = Counter()
    n_g: Counter[str] = Counter()
    ag_tp_p = ag_n_p = ag_tp_g = ag_n_g = 0
    for k, (text, gold) in enumerate(data):
        pred = predict(text)
        others = other_gold[k] if other_gold is not None else []
        for s, e, t in pred:
            n_p[t] += 1
            if any(s < ge and gs < e and gt == t for gs, ge, gt in gold):
                tp_p[t] += 1
            ag_n_p += 1
            if any(s < ge and gs < e for gs, ge, _ in gold) or any(
                s < ge and gs < e for gs, ge in others
            ):
                ag_tp_p += 1
        for s, e, t in gold:
            n_g[t] += 1
            if any(s < pe and ps < e and pt == t for ps, pe, pt in pred):
                tp_g[t] += 1
            ag_n_g += 1
            if any(s < pe and ps < e for ps, pe, _ in pred):
                ag_tp_g += 1
    res: dict[str, Any] = {}
    for t in TYPES:
        p = tp_p[t] / n_p[t] if n_p[t] else 0.0
        r = tp_g[t] / n_g[t] if n_g[t] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        res[t] = {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "support": n_g[t],
        }
    P = sum(tp_p.values()) / max(1, sum(n_p.values()))
    R = sum(tp_g.values()) / max(1, sum(n_g.values()))
    res["micro"] = {
        "precision": round(P, 4),
        "recall": round(R, 4),
        "f1": round(2 * P * R / (P + R) if P + R else 0, 4),
    }
    ap = ag_tp_p / max(1, ag_n_p)
    ar = ag_tp_g / max(1, ag_n_g)
    res["type_agnostic"] = {
        "precision": round(ap, 4),
        "recall": round(ar, 4),
        "f1": round(2 * ap * ar / (ap + ar) if ap + ar else 0, 4),
    }
    return res


def load_presidio(
    path: Path,
) -> tuple[list[tuple[str, list[tuple[int, int, str]]]], list[list[tuple[int, int]]]]:
    mapping = {
        "GPE": "LOCATION",
        "LOCATION": "LOCATION",
        "PERSON": "PERSON",
        "ORGANIZATION": "ORGANIZATION",
        "STREET_ADDRESS": "STREET_ADDRESS",
        "NRP": "NRP",
        "TITLE": "TITLE",
    }
    data = []
    others = []
    for s in json.loads(path.read_text()):
        gold = []
        oth = []
        for sp in s["spans"]:
            t = mapping.get(sp["entity_type"])
            if t:
                gold.append((sp["start_position"], sp["end_position"], t))
            else:
                oth.append((sp["start_position"], sp["end_position"]))
        data.append((s["full_text"], gold))
        others.append(oth)
    return data, others


def print_table(name: str, res: dict[str, Any]) -> None:
    say(f"\n== {name}")
    for k, v in res.items():
        say(f"  {k:15s} " + " ".join(f"{a}={b}" for a, b in v.items()))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--n-train", type=int, default=60000)
    ap.add_argument("--n-test", type=int, default=4000)
    ap.add_argument("--c", type=float, default=1.0)
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--prune", type=float, default=0.02)
    ap.add_argument("--noise", type=float, default=0.03)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--no-doc-case", action="store_true", help="ablation: no casing regime")
    ap.add_argument("--beam", type=int, default=2, help="decoder beam width (1 = greedy)")
    ap.add_argument("--beam-gap", type=float, default=2.0, help="decoder pruning gap (nats)")
    ap.add_argument("--eval-presidio", type=Path, default=None)
    ap.add_argument(
        "--compare",
        type=Path,
        default=None,
        help="also evaluate this older artifact on the same splits (before/after tables)",
    )
    args = ap.parse_args(argv)

    import faker
    import sklearn

    t0 = time.time()
    gen = Generator(args.seed)
    # Each template block is split on its own (seeded shuffle, 1/7 held out), so the
    # core block's held-out templates are the same as in earlier model versions and
    # before/after comparisons (--compare) are on templates neither model saw.
    held_templates: list[str] = []
    train_templates: list[str] = []
    templates: list[str] = []
    for block in (TEMPLATES, TEMPLATES_GENERAL, TEMPLATES_V3):
        lines = [t.strip().replace("\\n", "\n") for t in block.strip("\n").split("\n") if t.strip()]
        templates += lines
        order = lines[:]
        random.Random(args.seed).shuffle(order)
        n_hold = len(order) // 7
        held_templates += order[:n_hold]
        train_templates += order[n_hold:]
    gazetteers = build_gazetteers(gen)
    train_data = make_dataset(gen, train_templates, args.n_train)
    test_data = make_dataset(gen, held_templates, args.n_test // 2) + make_dataset(
        gen, train_templates, args.n_test // 2
    )
    say(
        f"templates: {len(train_templates)} train / {len(held_templates)} held out; "
        f"{len(train_data)} train / {len(test_data)} test sentences ({time.time() - t0:.1f}s)",
        flush=True,
    )

    feat = Featurizer(gazetteers, use_doc_case=not args.no_doc_case)
    rows, ys = build_rows(feat, train_data, random.Random(args.seed + 1), args.noise)
    say(f"rows: {len(rows)} ({time.time() - t0:.1f}s)", flush=True)
    weights, bias = train(rows, ys, args.c, args.min_count)
    say(f"trained ({time.time() - t0:.1f}s)", flush=True)
    metadata: dict[str, Any] = {
        "version": f"pii-ner-lr-v3-seed{args.seed}",
        "types": list(TYPES),
        "faker_version": faker.VERSION,
        "sklearn_version": sklearn.__version__,
        "seed": args.seed,
        "n_train": len(train_data),
        "n_templates": len(templates),
        "c": args.c,
        "min_count": args.min_count,
        "prune": args.prune,
        "beam": args.beam,
        "doc_case": not args.no_doc_case,
        "beam_gap": args.beam_gap,
    }
    artifact = export(weights, bias, gazetteers, args.prune, metadata)
    model = NerModel(artifact)

    def predict(text: str) -> list[tuple[int, int, str]]:
        return [(s.start, s.end, s.label) for s in model.predict(text)]

    n_half = args.n_test // 2
    res_hold = evaluate(predict, test_data[:n_half])
    res_seen = evaluate(predict, test_data[n_half:])
    print_table("held-out templates", res_hold)
    print_table("seen templates, new fills", res_seen)
    if args.compare:
        old = NerModel.load(args.compare)

        def predict_old(text: str) -> list[tuple[int, int, str]]:
            return [(s.start, s.end, s.label) for s in old.predict(text)]

        print_table(
            f"[{old.version}] held-out templates", evaluate(predict_old, test_data[:n_half])
        )
        print_table(f"[{old.version}] seen templates", evaluate(predict_old, test_data[n_half:]))
    metadata["heldout_metrics"] = res_hold
    metadata["seen_template_metrics"] = res_seen
    if args.eval_presidio:
        pdata, others = load_presidio(args.eval_presidio)
        res_p = evaluate(predict, pdata, others)
        print_table("presidio synth_dataset_v2 (reported only)", res_p)
        metadata["presidio_synth_v2_metrics"] = res_p
    # latency
    samples = [t for t, _ in test_data[:500]]
    lat = []
    for s in samples:
        a = time.perf_counter()
        model.predict(s)
        lat.append(time.perf_counter() - a)
    lat = []
    for s in samples:
        a = time.perf_counter()
        model.predict(s)
        lat.append(time.perf_counter() - a)
    say(
        f"median latency {statistics.median(lat) * 1000:.3f} ms over {len(samples)} test messages "
        f"(mean length {statistics.mean(len(s) for s in samples):.0f} chars)"
    )
    artifact["metadata"] = metadata
    raw = json.dumps(artifact, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    say(
        f"wrote {args.out} ({args.out.stat().st_size:,} bytes, "
        f"{len(artifact['weights'])} features) "
        f"in {time.time() - t0:.1f}s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
