"""Values a caller discloses after a key phrase: "my salary is ...", "I work for ...".

Much personal data has no shape a pattern could recognise: an employer, a diagnosis,
a pet's name, a religion. Callers announce it, though: "my diagnosis is ...", "my
password is ...", "I'm a registered ...". :class:`DisclosureDetector` holds a lexicon
of such *keys*; each names the entity type to report and the *shape* of the value
that follows:

============  ============================================================================
shape         value
============  ============================================================================
``free``      a short phrase up to clause punctuation or a clause word ("and", "but",
              "so", "please", "could you", "thanks", ...), at most 6 words
``secret``    one token (a password, PIN, code); a state word ("wrong", "expired",
              "locked", "not") means the caller is talking *about* it, not telling it
``id``        an identifier: tokens holding a digit (or short upper-case groups beside
              them), or spoken digit words
``token``     one token of letters, digits and ``._-@`` (usernames, e-mail addresses)
``amount``    a money amount or number, with currency, "k", "thousand", "a year"...
``name``      one to four name words (capitalised when the text has capitals at all)
``org``       an organisation name (capitalised words, "of", "&" between them)
``place``     a place name
``date``      a date (month names, ordinals, numbers, "/", "-")
``med``       a medication or treatment: needs a dose or a known medication name
``regex``     a fixed list of values right after the key ("married", "divorced", ...)
============  ============================================================================

Keys that end in a noun ("my salary", "my password") need a *linking* word before the
value ("is", "was", "are", "'s", ":", "of", "to", "called", "named", "would be"...);
so "my password isn't working", "I forgot my PIN", "what is my balance?" and "my
salary arrives on Friday" find nothing. Verb keys ("I work for", "I was diagnosed
with") take the value directly.

Scores: a key with a well-formed value scores 0.6 to 0.85 (higher when the value has
the expected shape, e.g. a password with digits). The explanation names the key,
never the value.

A gazetteer of common conditions and medications (:data:`MEDICAL_TERMS`) also fires
without a key, at 0.55 when a health context word ("doctor", "diagnosed",
"prescribed", "hospital", ...) occurs in the 60 characters before, 0.7 after a direct
cue ("I have", "suffer from", "treated for"), and below the engine threshold (0.35)
otherwise.

Speed: one compiled alternation of every key finds candidate positions; the value is
then parsed locally from there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from trustdesk.privacy.detectors.base import Detector
from trustdesk.privacy.entities import (
    AGE,
    BANK_ACCOUNT,
    CARD_CVV,
    CARD_EXPIRY,
    CREDIT_CARD,
    DATE_OF_BIRTH,
    DATE_TIME,
    EMAIL_ADDRESS,
    HEALTH_INSURANCE_ID,
    IBAN_CODE,
    ID_NUMBER,
    LOCATION,
    MEDICAL_CONDITION,
    MEDICAL_RECORD_NUMBER,
    NRP,
    ORGANIZATION,
    PASSPORT,
    PASSWORD_OR_PIN,
    PERSON,
    PHONE_NUMBER,
    ROUTING_NUMBER,
    SENSITIVE_ATTRIBUTE,
    STREET_ADDRESS,
    TITLE,
    US_DRIVER_LICENSE,
    US_SSN,
    ZIP_CODE,
)
from trustdesk.types import Finding

__all__ = ["MEDICAL_TERMS", "DisclosureDetector", "DisclosureKey"]


@dataclass(frozen=True, slots=True)
class DisclosureKey:
    """One key of the lexicon: ``pattern`` (a regex fragment, case-insensitive).

    ``link`` is ``"req"`` (a linking word must follow), ``"opt"`` or ``"none"``.
    ``value`` is one of the shapes in the module doc, or ``"regex:<fragment>"``.
    """

    label: str
    entity_type: str
    pattern: str
    value: str
    link: str = "req"
    score: float = 0.7


_MY = r"(?:my|our|his|her|the|your)\s+"
_IM = r"(?:i'?m|i\s+am)\s+"
_NUMW = (
    r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|thousand|\d+)"
)

_RELIGIONS = (
    r"(?:a\s+|an\s+)?(?:(?:practicing|practising|devout|non-practicing|orthodox|observant|"
    r"born-again|reform|conservative)\s+)?"
    r"(?:catholic|roman\s+catholic|christian|protestant|baptist|methodist|lutheran|"
    r"presbyterian|anglican|episcopalian|evangelical|pentecostal|mormon|jehovah'?s\s+witness|"
    r"muslim|sunni|shia|shiite|jewish|jew|hindu|buddhist|sikh|jain|bahai|baha'i|atheist|"
    r"agnostic|pagan|wiccan|quaker|orthodox\s+christian|greek\s+orthodox|seventh-day\s+adventist|"
    r"adventist|unitarian|rastafarian|taoist|shinto|zoroastrian)\b"
)
_POLITICS = (
    r"(?:a\s+|an\s+)?(?:(?:registered|lifelong|card-carrying|die-hard|proud|staunch)\s+)?"
    r"(?:democrat|republican|libertarian|independent|socialist|communist|conservative|"
    r"liberal|progressive|green\s+party\s+(?:member|voter)|labour\s+(?:member|voter|supporter)|"
    r"tory|lib\s+dem|member\s+of\s+the\s+[a-z]+(?:\s+[a-z]+)?\s+party)\b"
)
_MARITAL = (
    r"(?:(?:happily|recently|newly|legally|just)\s+)?(?:married|divorced|widowed|"
    r"separated|single|engaged|remarried|in\s+a\s+civil\s+partnership|a\s+widow(?:er)?)\b"
)
_ZODIAC = (
    r"(?:an?\s+)?(?:aries|taurus|gemini|cancer|leo|virgo|libra|scorpio|sagittarius|"
    r"capricorn|aquarius|pisces)\b"
)
_DISABILITY = (
    r"(?:(?:legally|partially|completely|profoundly)\s+)?(?:deaf|blind|hard\s+of\s+hearing|"
    r"visually\s+impaired|hearing\s+impaired|disabled|paraplegic|quadriplegic|autistic|"
    r"on\s+the\s+(?:autism\s+)?spectrum|dyslexic|in\s+a\s+wheelchair|a\s+wheelchair\s+user|"
    r"an?\s+amputee|on\s+disability|neurodivergent)\b"
)
_GENDER = (
    r"(?:an?\s+)?(?:trans(?:gender)?(?:\s+(?:man|woman|male|female))?|non-?binary|"
    r"genderqueer|genderfluid|gender\s+fluid|cisgender(?:\s+(?:man|woman))?|intersex|agender)\b"
)
_IMMIGRATION = (
    r"(?:an?\s+)?(?:green\s+card\s+holder|permanent\s+resident|lawful\s+permanent\s+resident|"
    r"naturali[sz]ed\s+(?:us\s+|u\.s\.\s+|british\s+|canadian\s+)?citizen|refugee|asylum\s+seeker|"
    r"daca\s+recipient|dreamer|undocumented(?:\s+immigrant)?|"
    r"(?:here\s+|in\s+the\s+(?:us|uk|country)\s+)?on\s+(?:an?\s+)?[a-z0-9-]{1,6}\s+visa|"
    r"(?:a\s+)?(?:us|u\.s\.|american|british|canadian|dual)\s+(?:citizen|national)|"
    r"visa\s+holder|work\s+permit\s+holder)\b"
)

#: The lexicon. Order matters where two keys start at the same place: the first wins.
KEYS: tuple[DisclosureKey, ...] = (
    # --- secrets
    DisclosureKey(
        "security question answer",
        PASSWORD_OR_PIN,
        r"(?:" + _MY + r")?(?:answer\s+to\s+(?:my|the)\s+security\s+question|"
        r"security\s+(?:question\s+)?answer|secret\s+answer|memorable\s+(?:word|information|"
        r"answer|date|name|place))",
        "free",
    ),
    DisclosureKey(
        "first pet",
        PASSWORD_OR_PIN,
        r"(?:" + _MY + r")?(?:first|childhood|first\s+ever|favou?rite)\s+(?:pet|dog|cat)(?:'s)?"
        r"(?:\s+name)?",
        "name",
    ),
    DisclosureKey(
        "password",
        PASSWORD_OR_PIN,
        r"(?:" + _MY + r")?(?:[a-z]+\s+)?(?:password|passcode|pass\s+code|passphrase|"
        r"pass\s+phrase|pin\s+(?:number|code)|pin)",
        "secret",
    ),
    DisclosureKey(
        "one-time code",
        PASSWORD_OR_PIN,
        r"(?:the\s+|my\s+)?(?:one[-\s]time\s+(?:pass)?(?:code|password|pin)|otp(?:\s+code)?|"
        r"verification\s+code|authentication\s+code|auth\s+code|2fa\s+code|security\s+pin|"
        r"access\s+code|login\s+code|sms\s+code|code\s+(?:you|they|that\s+was|i\s+got|you\s+guys)\s+(?:just\s+|already\s+)?"
        r"(?:sent|texted|got|received)(?:\s+me)?|code\s+i\s+(?:got|received))",
        "secret",
    ),
    DisclosureKey(
        "recovery code",
        PASSWORD_OR_PIN,
        r"(?:" + _MY + r")?(?:account\s+)?(?:recovery|backup|reset|restore)\s+(?:code|key|phrase)",
        "secret",
    ),
    DisclosureKey("card security code", CARD_CVV, r"(?:cvv2?|cvc2?|cid|security\s+code)", "id"),
    # --- names and relatives
    DisclosureKey(
        "mother's maiden name",
        PERSON,
        r"(?:" + _MY + r")?(?:mother|mom|mum|mommy)(?:'s)?\s+maiden\s+name",
        "name",
    ),
    DisclosureKey(
        "personal name",
        PERSON,
        r"(?:" + _MY + r")(?:full\s+|first\s+|last\s+|middle\s+|maiden\s+|legal\s+|birth\s+|"
        r"given\s+|family\s+|previous\s+|former\s+|married\s+|christian\s+|preferred\s+)?"
        r"(?:name|surname|initial|middle\s+initial|nickname|alias|pseudonym|stage\s+name|"
        r"pen\s+name|handle|also\s+known\s+as)",
        "name",
        link="opt",
    ),
    DisclosureKey(
        "called by",
        PERSON,
        r"(?:(?:people|everyone|friends|they|most\s+people|my\s+friends|folks|family|"
        r"my\s+family)\s+(?:usually\s+|just\s+|always\s+|all\s+)?call(?:s|ed)?\s+me|i\s+(?:usually\s+|also\s+|sometimes\s+)?go\s+by(?:\s+the\s+"
        r"name)?|(?:also\s+)?known\s+as|a\.?k\.?a\.?|formerly\s+known\s+as|i\s+used\s+to\s+go\s+by|"
        r"i\s+also\s+use\s+the\s+name|under\s+the\s+name|i'?m\s+called|you\s+can\s+call\s+me)",
        "name",
        link="opt",
    ),
    DisclosureKey(
        "introduction",
        PERSON,
        r"(?:(?:hi|hello|hey|yes|yeah|morning|afternoon|evening)\s*,?\s+)(?:this\s+is|it'?s|"
        r"i'?m|my\s+name'?s)|(?:hi|hello|hey)\s*,?\s+(?:there\s*,?\s+)?(?:this\s+is|it'?s)",
        "cname",
        link="none",
        score=0.65,
    ),
    DisclosureKey(
        "contact detail",
        PHONE_NUMBER,
        r"(?:reach|call|text|contact|email|e-mail|message)\s+me\s+(?:at|on|via)|"
        r"(?:please\s+)?use\s+(?=\S+@)",
        "token",
        link="none",
    ),
    DisclosureKey(
        "title",
        TITLE,
        r"(?:" + _MY + r")(?:name\s+)?(?:prefix|suffix|honorific|salutation)",
        "free",
    ),
    DisclosureKey(
        "relative or contact",
        PERSON,
        r"(?:" + _MY + r")(?:(?:childhood|best|old|oldest|closest)\s+)*(?:best\s+friend|"
        r"friend|manager|supervisor|boss|line\s+manager|team\s+lead|team\s+leader|"
        r"direct\s+report|beneficiary|primary\s+beneficiary|contingent\s+beneficiary|"
        r"emergency\s+contact|next\s+of\s+kin|spouse|wife|husband|partner|fiance|fiancee|fiancée|son|"
        r"daughter|mother|father|mom|dad|mum|brother|sister|grandmother|grandfather|"
        r"grandma|grandpa|aunt|uncle|cousin|guardian|landlord|doctor|physician|gp|"
        r"therapist|psychiatrist|caseworker|case\s+worker|attorney|lawyer|executor|"
        r"co-?signer|co-?applicant|joint\s+account\s+holder|account\s+holder|"
        r"policy\s*holder|dependent|child)(?:'s)?(?:\s+(?:full\s+|first\s+|last\s+)?name)?",
        "name",
    ),
    DisclosureKey(
        "reports to",
        PERSON,
        r"i\s+(?:report|reported|answer)\s+(?:directly\s+)?to|i\s+work\s+under",
        "name",
        link="none",
    ),
    DisclosureKey(
        "beneficiary",
        PERSON,
        r"(?:the\s+)?(?:primary\s+|contingent\s+|sole\s+)?beneficiary(?:\s+(?:on|of|for)\s+"
        r"(?:the|my)\s+(?:policy|account|plan))?",
        "name",
    ),
    # --- organisations
    DisclosureKey(
        "employer",
        ORGANIZATION,
        r"(?:i\s+(?:currently\s+|now\s+|still\s+)?(?:work|worked|used\s+to\s+work|was\s+working|"
        r"am\s+working|'m\s+working|previously\s+worked|interned)\s+(?:for|at|with)|"
        r"i'?m\s+(?:currently\s+)?(?:employed|working)\s+(?:by|at|for|with)|"
        r"i\s+was\s+(?:employed|working)\s+(?:by|at|for|with)|"
        r"i\s+(?:just\s+)?(?:joined|left|quit)|i'?m\s+(?:a\s+)?contractor\s+(?:for|at|with))",
        "org",
        link="none",
    ),
    DisclosureKey(
        "employer",
        ORGANIZATION,
        r"(?:" + _MY + r")(?:current\s+|previous\s+|former\s+|last\s+|old\s+|new\s+|prior\s+)?"
        r"(?:employer|company|firm|workplace|job|place\s+of\s+(?:work|employment)|"
        r"organi[sz]ation|school|high\s+school|college|university|alma\s+mater)"
        r"(?:'s\s+name|\s+name)?",
        "org",
    ),
    DisclosureKey(
        "school",
        ORGANIZATION,
        r"i\s+(?:went\s+to|attended|graduated\s+from|studied\s+at|go\s+to)"
        r"(?=\s+[A-Z0-9])",
        "org",
        link="none",
    ),
    DisclosureKey(
        "high school",
        ORGANIZATION,
        r"(?:the\s+)?(?:high\s+school|school|secondary\s+school|elementary\s+school|"
        r"primary\s+school|college)\s+i\s+(?:went\s+to|attended|graduated\s+from)",
        "org",
    ),
    # --- identifiers
    DisclosureKey(
        "social security number",
        US_SSN,
        r"(?:" + _MY + r")?(?:social\s+security(?:\s+number|\s+no\.?)?|ssn)",
        "id",
    ),
    DisclosureKey(
        "driver's license",
        US_DRIVER_LICENSE,
        r"(?:" + _MY + r")?(?:[a-z]+\s+)?driver'?s?\s+licen[cs]e(?:\s+(?:number|no\.?|#|id))?",
        "id",
    ),
    DisclosureKey(
        "passport",
        PASSPORT,
        r"(?:" + _MY + r")?(?:[a-z]+\s+)?passport(?:\s+(?:number|no\.?|#|id))?",
        "id",
    ),
    DisclosureKey(
        "medical record number",
        MEDICAL_RECORD_NUMBER,
        r"(?:" + _MY + r")?(?:medical\s+record|patient|hospital|chart|mrn)"
        r"(?:\s+(?:number|no\.?|#|id))?(?=\s*(?:is|was|:|number|id|#))",
        "id",
    ),
    DisclosureKey(
        "health insurance id",
        HEALTH_INSURANCE_ID,
        r"(?:" + _MY + r")?(?:health\s+insurance|insurance|medicare|medicaid|ehic|ghic|"
        r"european\s+health\s+insurance\s+card|global\s+health\s+insurance\s+card|health\s+card|"
        r"health\s+plan|member|membership|subscriber|group)(?:\s+card)?"
        r"(?:\s+(?:number|no\.?|#|id|identifier))",
        "id",
    ),
    DisclosureKey(
        "health card",
        HEALTH_INSURANCE_ID,
        r"(?:" + _MY + r")?(?:ehic|ghic)(?:\s+card)?",
        "id",
    ),
    DisclosureKey(
        "bank account number",
        BANK_ACCOUNT,
        r"(?:" + _MY + r")?(?:[a-z]+\s+)?(?:bank\s+)?(?:account|acct)\s+(?:number|no\.?|#)",
        "id",
    ),
    DisclosureKey(
        "routing number",
        ROUTING_NUMBER,
        r"(?:" + _MY + r")?(?:routing|aba|transit|sort|short|swift|bic|swift/bic|bank)\s+"
        r"(?:number|no\.?|code|#)?",
        "id",
    ),
    DisclosureKey("iban", IBAN_CODE, r"(?:" + _MY + r")?iban(?:\s+(?:number|code))?", "id"),
    DisclosureKey(
        "card number",
        CREDIT_CARD,
        r"(?:" + _MY + r")?(?:credit\s+|debit\s+|bank\s+|visa\s+|mastercard\s+|amex\s+)?card\s+"
        r"(?:number|no\.?|#)",
        "id",
    ),
    DisclosureKey(
        "card expiry",
        CARD_EXPIRY,
        r"(?:" + _MY + r")?(?:card\s+)?(?:expiry|expiration|exp\.?)(?:\s+date)?|"
        r"(?:the\s+)?card\s+expires(?:\s+(?:on|in))?|it\s+expires(?:\s+(?:on|in))?",
        "date",
        link="opt",
    ),
    DisclosureKey(
        "vehicle",
        ID_NUMBER,
        r"(?:" + _MY + r")?(?:vin|vehicle\s+identification\s+number|licen[cs]e\s+plate|"
        r"plate|number\s+plate|registration\s+plate|car\s+registration|vehicle\s+registration|"
        r"reg(?:istration)?)(?:\s+(?:number|no\.?|#))?",
        "id",
    ),
    DisclosureKey(
        "crypto wallet",
        ID_NUMBER,
        r"(?:" + _MY + r")?(?:[a-z]+\s+)?(?:crypto(?:currency)?\s+)?wallet(?:\s+address)?|"
        r"(?:" + _MY + r")?(?:bitcoin|btc|ethereum|eth)\s+address",
        "token",
    ),
    DisclosureKey(
        "username",
        ID_NUMBER,
        r"(?:" + _MY + r")?(?:[a-z]+\s+)?(?:username|user\s+name|user\s*id|login(?:\s+id)?|"
        r"screen\s+name|gamertag|account\s+name|handle)",
        "token",
    ),
    DisclosureKey(
        "e-mail address",
        EMAIL_ADDRESS,
        r"(?:" + _MY + r")?(?:[a-z]+\s+)?e-?mail(?:\s+address)?",
        "token",
    ),
    DisclosureKey(
        "phone number",
        PHONE_NUMBER,
        r"(?:" + _MY + r")?(?:[a-z]+\s+)?(?:phone|cell|mobile|telephone|contact)\s+"
        r"(?:number|no\.?|#)",
        "id",
    ),
    DisclosureKey(
        "device identifier",
        ID_NUMBER,
        r"(?:" + _MY + r")?(?:[a-z]+\s+)?(?:device\s+id|device\s+identifier|serial\s+number|"
        r"serial|imei(?:\s+number)?|mac\s+address|udid|android\s+id|advertising\s+id|"
        r"hardware\s+id|ip\s+address|(?:phone|device|laptop)'?s?\s+(?:id|serial))",
        "token",
    ),
    DisclosureKey(
        "file name",
        ID_NUMBER,
        r"(?:the\s+|my\s+)?(?:file|document|attachment|spreadsheet)(?:\s+is)?\s+"
        r"(?:called|named|titled)|(?:the\s+|my\s+)?(?:file|document)\s*name",
        "token",
        link="opt",
    ),
    DisclosureKey(
        "postal code",
        ZIP_CODE,
        r"(?:" + _MY + r")?(?:zip(?:\s+code)?|post\s*code|postal\s+code)",
        "id",
    ),
    DisclosureKey(
        "identifier",
        ID_NUMBER,
        r"(?:" + _MY + r")?(?:[a-z]+\s+)?(?:employee|staff|badge|personnel|payroll|worker|"
        r"policy|claim|member|membership|customer|client|case|license|licence|registration|"
        r"certificate|permit|national\s+insurance|ni|national\s+id|national\s+identity|"
        r"insurance|social\s+insurance|sin|tax\s+file|tax|taxpayer|tfn|tin|ein|itin|vat|"
        r"company|business|abn|acn|crn|student|library|loyalty|frequent\s+flyer|"
        r"reference|nhs|health\s+service|aadhaar|pan|citizen|identity|id|brokerage|"
        r"investment|trading|pension|retirement|401\(?k\)?|ira|roth\s+ira|isa|"
        r"superannuation|super|visa|green\s+card|alien\s+registration|uscis|a-?number|"
        r"benefits?|medicare|medicaid|voter|professional\s+license|nursing\s+license|"
        r"bar|cpa|dea|npi|contract|invoice|warranty)"
        r"\s+(?:account\s+)?(?:number|no\.?|#|id|code|card\s+number|registration\s+number)",
        "id",
    ),
    DisclosureKey(
        "identifier",
        ID_NUMBER,
        r"(?:" + _MY + r")?(?:employee\s+id|staff\s+id|member\s+id|tax\s+id|national\s+id|"
        r"nino|ni\s+number|sin|tfn|ein|vat|utr|ssn|pps|bsn|nif|nie|dni|cpf|curp|"
        r"licen[cs]e)",
        "id",
    ),
    # --- dates
    DisclosureKey(
        "date of birth",
        DATE_OF_BIRTH,
        r"(?:" + _MY + r")?(?:date\s+of\s+birth|birth\s*date|birthday|d\.?o\.?b\.?)|"
        r"i\s+was\s+born\s+(?:on|in)(?=\s+(?:the\s+)?(?:\d|[a-z]+\s+\d|[a-z]+\s+the\s+\d|"
        r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|"
        r"(?:first|second|third|[a-z]+th)\b|" + _NUMW + r"\b))|born\s+on",
        "date",
        link="opt",
    ),
    DisclosureKey(
        "employment dates",
        DATE_TIME,
        r"(?:" + _MY + r")?(?:start|starting|hire|hiring|end|ending|termination|last\s+working|"
        r"first\s+working|leaving|joining|employment\s+(?:start|end))\s+date|"
        r"i\s+(?:worked|was\s+employed|was\s+there|have\s+worked|'ve\s+worked|started|began|"
        r"joined|left|was\s+hired|got\s+hired|stopped\s+working|retired)(?:\s+(?:there|at\s+"
        r"[A-Z][\w&]*(?:\s+[A-Z][\w&]*)*|with\s+them|working|the\s+job|the\s+company)){0,2}"
        r"\s+(?:from|since|in|on|back\s+in|between)",
        "date",
        link="opt",
        score=0.6,
    ),
    # --- places
    DisclosureKey(
        "coordinates",
        LOCATION,
        r"(?:the\s+|my\s+)?(?:gps\s+)?(?:coordinates|co-ordinates|coords|lat(?:itude)?\s*(?:and|/|,)"
        r"\s*long(?:itude)?|location|position|pin)",
        "coords",
        link="opt",
        score=0.8,
    ),
    DisclosureKey(
        "place lived",
        LOCATION,
        r"(?:the\s+)?(?:city|town|place|village|state|country|neighbou?rhood)\s+(?:that\s+)?i\s+"
        r"(?:grew\s+up\s+in|was\s+raised\s+in|was\s+born\s+in|live\s+in|am\s+from|'m\s+from|"
        r"come\s+from)|(?:" + _MY + r")(?:home\s*town|birthplace|place\s+of\s+birth|"
        r"city\s+of\s+birth|country\s+of\s+(?:birth|origin|residence|citizenship)|"
        r"state\s+of\s+residence|home\s+(?:state|country|city|province)|state|province|"
        r"county|country|city|region|territory|nationality|citizenship)",
        "place",
    ),
    DisclosureKey(
        "place lived",
        LOCATION,
        r"i\s+(?:grew\s+up|was\s+raised|was\s+born|live|lived|currently\s+live|reside|"
        r"resided|am\s+based|'m\s+based|moved\s+here\s+from|moved|relocated|emigrated|"
        r"immigrated|come|am\s+originally|'m\s+originally|am|'m|'m\s+(?:currently\s+)?living|"
        r"am\s+(?:currently\s+)?living|'m\s+staying|am\s+staying|'m\s+calling|am\s+calling|"
        r"'m\s+currently\s+based|am\s+currently\s+based)\s+(?:up\s+)?(?:in|from|to|near|out\s+of)",
        "place",
        link="none",
        score=0.6,
    ),
    DisclosureKey(
        "address",
        STREET_ADDRESS,
        r"(?:" + _MY + r")(?:home\s+|mailing\s+|billing\s+|street\s+|postal\s+|residential\s+|"
        r"shipping\s+|delivery\s+|current\s+|new\s+|old\s+|previous\s+|permanent\s+)*address|"
        r"i\s+live\s+at|(?:send|mail|ship|deliver|post|forward)\s+(?:it|them|mail|"
        r"everything|statements|my\s+\w+|the\s+\w+(?:\s+\w+)?)\s+to",
        "address",
        link="opt",
    ),
    # --- attributes with a fixed list of values
    DisclosureKey(
        "marital status",
        SENSITIVE_ATTRIBUTE,
        r"(?:i'?m|i\s+am|i\s+was|i\s+got|we\s+got|we'?re|we\s+are)\s+(?:now\s+|recently\s+|"
        r"currently\s+|just\s+)?",
        "regex:" + _MARITAL,
        link="none",
    ),
    DisclosureKey(
        "religion",
        SENSITIVE_ATTRIBUTE,
        r"(?:i'?m|i\s+am|i\s+was\s+raised|i\s+was\s+born|we'?re|we\s+are|i\s+identify\s+as)\s+",
        "regex:" + _RELIGIONS,
        link="none",
    ),
    DisclosureKey(
        "political affiliation",
        SENSITIVE_ATTRIBUTE,
        r"(?:i'?m|i\s+am|i\s+was|i've\s+always\s+been|i\s+have\s+always\s+been|"
        r"i\s+(?:usually\s+|always\s+)?vote)\s+(?:registered\s+as\s+|a\s+registered\s+)?",
        "regex:" + _POLITICS,
        link="none",
    ),
    DisclosureKey(
        "zodiac sign",
        SENSITIVE_ATTRIBUTE,
        r"(?:i'?m|i\s+am)\s+",
        "regex:" + _ZODIAC,
        link="none",
        score=0.6,
    ),
    DisclosureKey(
        "disability",
        MEDICAL_CONDITION,
        r"(?:i'?m|i\s+am|i\s+was\s+born|i've\s+been|i\s+have\s+been)\s+(?:registered\s+as\s+|"
        r"classed\s+as\s+|considered\s+|certified\s+as\s+)?",
        "regex:" + _DISABILITY + r"(?:\s+(?:due\s+to|because\s+of|from|with)\s+[\w' -]{3,40}?"
        r"(?=[,.;!?]|$))?",
        link="none",
    ),
    DisclosureKey(
        "gender identity",
        SENSITIVE_ATTRIBUTE,
        r"(?:i'?m|i\s+am|i\s+identify\s+as)\s+",
        "regex:" + _GENDER,
        link="none",
    ),
    DisclosureKey(
        "immigration status",
        SENSITIVE_ATTRIBUTE,
        r"(?:i'?m|i\s+am|i\s+was|i\s+became)\s+(?:currently\s+|now\s+|still\s+)?",
        "regex:" + _IMMIGRATION,
        link="none",
    ),
    DisclosureKey(
        "blood type",
        MEDICAL_CONDITION,
        r"(?:" + _MY + r")?blood\s+(?:type|group)|i'?m\s+(?:blood\s+)?type",
        r"regex:(?:(?:type\s+)?(?:ab|a|b|o)\s*(?:[+-]|pos(?:itive)?|neg(?:ative)?)?)(?![\w])",
        link="opt",
        score=0.8,
    ),
    DisclosureKey(
        "pregnancy",
        MEDICAL_CONDITION,
        r"(?:i'?m|i\s+am|she'?s|my\s+wife\s+is|my\s+partner\s+is|we'?re)\s+(?:currently\s+|"
        r"now\s+)?",
        r"regex:(?:(?:about|around|almost|nearly|over)\s+)?(?:"
        + _NUMW
        + r"(?:[\s-]+"
        + _NUMW
        + r")?\s+(?:weeks?|months?)\s+(?:pregnant|along)|pregnant|expecting(?:\s+(?:a\s+baby|"
        r"twins|our\s+first))?|trying\s+to\s+(?:conceive|get\s+pregnant)|going\s+through\s+ivf|"
        r"in\s+my\s+(?:first|second|third)\s+trimester|postpartum|breastfeeding|"
        r"on\s+(?:birth\s+control|the\s+pill|hrt|hormone\s+therapy))\b",
        link="none",
        score=0.75,
    ),
    DisclosureKey(
        "age",
        AGE,
        r"(?:i'?m|i\s+am|i\s+turned|i'?ll\s+be|i\s+will\s+be|i\s+just\s+turned|"
        + _MY
        + r"age\s+is)\s+",
        r"regex:(?:" + _NUMW + r")(?:[\s-]+(?:" + _NUMW + r"))?(?=\s+years?(?:\s+old|\s+of\s+age)?|"
        r"\s+yrs|\s*(?:[,.!?]|$))",
        link="none",
        score=0.6,
    ),
    # --- free-form sensitive attributes
    DisclosureKey(
        "criminal history",
        SENSITIVE_ATTRIBUTE,
        r"i\s+(?:was|got|have\s+been|'ve\s+been|had\s+been)\s+(?:convicted|arrested|charged|"
        r"sentenced|jailed|incarcerated|imprisoned|indicted|cited|fined|booked|locked\s+up|"
        r"put\s+on\s+probation|on\s+probation|on\s+parole|pulled\s+over\s+for)"
        r"(?:\s+(?:of|for|with|to|back\s+in|in))?|"
        r"i\s+(?:have|'ve\s+got|got|had|do\s+have|did\s+have)\s+(?:a|an|two|three|one|prior|"
        r"previous)\s+(?:prior\s+|"
        r"previous\s+|old\s+|criminal\s+)?(?:conviction|felony|misdemeanou?r|dui|dwi|"
        r"criminal\s+record|record|arrest|charge|warrant|offence|offense)s?(?:\s+(?:for|from))?|"
        r"(?:" + _MY + r")(?:criminal\s+record|record|conviction|arrest|rap\s+sheet)"
        r"(?=\s+(?:is|was|shows|includes|has|for))|"
        r"i\s+(?:served|did|spent)\s+(?:time|\w+\s+(?:years?|months?))(?:\s+in\s+(?:prison|jail))?"
        r"(?:\s+for)?|i\s+pleaded\s+(?:guilty|no\s+contest)\s+to|i'?m\s+on\s+(?:probation|parole)"
        r"(?:\s+for)?",
        "free",
        link="opt",
    ),
    DisclosureKey(
        "bankruptcy or debt",
        SENSITIVE_ATTRIBUTE,
        r"i\s+(?:filed|declared|went\s+through|had|have)\s+(?:for\s+)?(?=(?:a\s+)?(?:chapter\s+\w+"
        r"\s+)?(?:bankruptcy|insolvency|iva|ccj|county\s+court\s+judgment|judgment|default|"
        r"foreclosure|repossession|lien|garnishment))|"
        r"i\s+(?:defaulted\s+on|was\s+(?:foreclosed|evicted)|had\s+my\s+\w+\s+repossessed)|"
        r"i\s+(?:owe|still\s+owe|am\s+in\s+debt|'m\s+in\s+debt|have\s+debt|have\s+debts)|"
        r"i'?m\s+(?:behind|late)\s+on|i\s+(?:missed|skipped)\s+(?:\w+\s+)?payments?\s+on|"
        r"(?:" + _MY + r")(?:debts?|arrears|collections?\s+account|debt\s+(?:total|load))",
        "free",
        link="opt",
        score=0.65,
    ),
    DisclosureKey(
        "insurance claim",
        SENSITIVE_ATTRIBUTE,
        r"(?:i'?m\s+|i\s+am\s+|i\s+)?(?:filing|filed|making|made|submitting|submitted|opening|"
        r"opened)\s+(?:a|an|my|the)\s+(?:\w+\s+)?claim\s+(?:for|about|regarding|because\s+of|"
        r"after|due\s+to)|(?:" + _MY + r")claim\s+(?:is\s+)?(?:for|about|regarding)",
        "free",
        link="none",
        score=0.6,
    ),
    DisclosureKey(
        "performance review",
        SENSITIVE_ATTRIBUTE,
        r"(?:" + _MY + r")(?:last\s+|latest|recent\s+|most\s+recent\s+|annual\s+|yearly\s+|"
        r"mid-?year\s+|year-?end\s+|quarterly\s+)*(?:performance\s+)?(?:review|rating|appraisal|"
        r"evaluation|score\s+on\s+my\s+review)(?:\s+(?:rating|score|result))?(?:\s+(?:said|"
        r"rated\s+me|gave\s+me|came\s+back|came\s+back\s+as))?|"
        r"i\s+(?:was\s+rated|got\s+rated|was\s+put\s+on|got\s+put\s+on|received|got)\s+"
        r"(?=(?:a|an)\s+(?:pip|performance\s+improvement\s+plan|written\s+warning|final\s+warning|"
        r"[\w-]+\s+(?:rating|review)))|i\s+was\s+rated|i\s+got\s+rated",
        "free",
        link="opt",
    ),
    DisclosureKey(
        "job title",
        TITLE,
        r"(?:" + _MY + r")(?:job\s+title|job\s+role|title|role|position|occupation|profession|"
        r"job|designation|rank)|i\s+work\s+as|i\s+worked\s+as|i'?m\s+employed\s+as|"
        r"i\s+was\s+(?:hired|promoted|employed)\s+as",
        "free",
        link="opt",
        score=0.6,
    ),
    DisclosureKey(
        "physical attribute",
        SENSITIVE_ATTRIBUTE,
        r"(?:" + _MY + r")(?:height|weight|eye\s+colou?r|hair\s+colou?r|skin\s+colou?r|"
        r"build|complexion|shoe\s+size|dress\s+size|distinguishing\s+(?:mark|feature)s?|"
        r"tattoo|birthmark|scar|ethnicity|race|ethnic\s+background)|"
        r"i\s+(?:weigh|stand)|i\s+have\s+(?=(?:a\s+)?(?:[a-z]+\s+)?(?:[a-z]+\s+)?"
        r"(?:eyes|hair|tattoo|birthmark|scar|beard|piercing)\b)",
        "free",
        link="opt",
        score=0.6,
    ),
    DisclosureKey(
        "physical attribute",
        SENSITIVE_ATTRIBUTE,
        r"(?:i'?m|i\s+am)\s+(?=(?:about\s+|around\s+|roughly\s+)?(?:\d|"
        + _NUMW
        + r")[\s'’-]*(?:foot|feet|ft|'|’|cm|centimet|met|inch|pounds|lbs|kilos?|kg|stone))",
        r"regex:(?:about\s+|around\s+|roughly\s+)?(?:[\w'’\".-]+\s*){1,5}?"
        r"(?:foot|feet|ft|cm|centimet(?:er|re)s?|met(?:er|re)s?(?:\s+\w+)?|inch(?:es)?|"
        r"pounds|lbs|kilos?|kg|stone)(?:\s+(?:tall|\d+|" + _NUMW + r"(?:\s+inch(?:es)?)?))?",
        link="none",
        score=0.65,
    ),
    DisclosureKey(
        "nationality",
        SENSITIVE_ATTRIBUTE,
        r"(?:i'?m|i\s+am)\s+(?:an?\s+)?(?=[A-Z][a-z]+\s+(?:citizen|national|passport\s+holder))|"
        r"i\s+(?:hold|have)\s+(?:an?\s+)?(?=[A-Z][a-z]+\s+(?:passport|citizenship|nationality))|"
        r"i'?m\s+a\s+citizen\s+of|i\s+have\s+(?:dual\s+)?citizenship\s+(?:in|with|of)",
        "place",
        link="none",
        score=0.65,
    ),
    DisclosureKey(
        "immigration status",
        SENSITIVE_ATTRIBUTE,
        r"(?:" + _MY + r")(?:immigration|visa|residency|citizenship|work\s+authori[sz]ation|"
        r"work\s+permit|legal|residence)\s+(?:status|type|category|class)|"
        r"(?:" + _MY + r")(?:[\w-]+\s+)?(?:visa|work\s+permit)(?=\s+(?:is|was|expires|type|"
        r"category|status))",
        "free",
    ),
    DisclosureKey(
        "immigration status",
        SENSITIVE_ATTRIBUTE,
        r"i\s+(?:have|hold|got|'ve\s+got|am\s+on|'m\s+on|'m\s+here\s+on|am\s+here\s+on|"
        r"applied\s+for|'m\s+applying\s+for|am\s+applying\s+for)\s+(?=(?:a|an|my)?\s*(?:[\w-]+\s+)?"
        r"(?:visa|green\s+card|work\s+permit|ead|settled\s+status|pre-settled\s+status|"
        r"indefinite\s+leave|asylum|refugee\s+status|residency|citizenship|tps|daca)\b)",
        "free",
        link="none",
    ),
    DisclosureKey(
        "attribute",
        SENSITIVE_ATTRIBUTE,
        r"(?:" + _MY + r")(?:religion|faith|religious\s+(?:affiliation|beliefs?|background)|"
        r"political\s+(?:affiliation|party|views?|leanings?)|party\s+affiliation|"
        r"marital\s+status|relationship\s+status|sexual\s+orientation|orientation|"
        r"sexuality|gender(?:\s+identity)?|pronouns|sex|star\s+sign|zodiac\s+sign|"
        r"sign|astrological\s+sign|nationality|ethnicity|race|caste|"
        r"union\s+membership|criminal\s+(?:history|record|background))",
        "free",
    ),
    # --- money
    DisclosureKey(
        "compensation",
        SENSITIVE_ATTRIBUTE,
        r"(?:" + _MY + r")(?:[a-z]+\s+)?(?:salary|pay|base\s+pay|take-home(?:\s+pay)?|"
        r"wages?|hourly\s+rate|rate|income|earnings|compensation|comp|package|bonus|"
        r"commission|raise|pay\s+rise|severance|pension|stipend|allowance|"
        r"rsus?|rsu\s+grant|stock\s+grant|equity\s+grant|equity|stock\s+options|options|"
        r"grant|vesting|shares|401\(?k\)?|ira|portfolio|savings|net\s+worth|"
        r"balance|account\s+balance|current\s+balance|available\s+balance|"
        r"loan|mortgage|rent|debt|credit\s+limit|limit|overdraft|"
        r"monthly\s+payment|payment|repayment|interest\s+rate|apr|"
        r"credit\s+score|fico(?:\s+score)?|credit\s+rating|score)"
        r"(?:\s+(?:amount|balance|total|payment|number))?",
        "amount",
    ),
    DisclosureKey(
        "compensation",
        SENSITIVE_ATTRIBUTE,
        r"i\s+(?:make|made|earn|earned|get\s+paid|got\s+paid|am\s+paid|'m\s+paid|was\s+paid|"
        r"take\s+home|bring\s+in|owe|still\s+owe|borrowed|have|had|got|received|was\s+granted|"
        r"was\s+awarded|got\s+granted|was\s+given|got\s+a\s+bonus\s+of|lost|invested|saved|"
        r"sent|paid|transferred|wired|withdrew|deposited|spent|moved|charged|bought|sold|"
        r"was\s+charged|got\s+charged|took\s+out)\s+",
        "amount",
        link="none",
        score=0.6,
    ),
    DisclosureKey(
        "transaction",
        SENSITIVE_ATTRIBUTE,
        r"(?:a|the|my)\s+(?:payment|transfer|charge|deposit|withdrawal|purchase|transaction|"
        r"wire|refund|direct\s+debit|standing\s+order)\s+(?:of|for)",
        "amount",
        link="none",
        score=0.6,
    ),
    # --- health
    DisclosureKey(
        "diagnosis",
        MEDICAL_CONDITION,
        r"(?:" + _MY + r")(?:[a-z]+\s+)?(?:diagnosis|condition|illness|disease|disorder|"
        r"disability|medical\s+(?:condition|history|issue|problem)|health\s+(?:condition|issue|"
        r"problem)|mental\s+health\s+(?:condition|diagnosis|issue)|allergy|allergies|symptoms?|"
        r"injury|prognosis|genotype|genetic\s+(?:condition|marker|variant|mutation|result|"
        r"results|test|testing)|dna\s+(?:test|results?))(?:\s+(?:results?|came\s+back|showed))?",
        "free",
    ),
    DisclosureKey(
        "diagnosis",
        MEDICAL_CONDITION,
        r"i\s+(?:was|got|have\s+been|'ve\s+been|had\s+been|am\s+being|'m\s+being|just\s+got|"
        r"recently\s+got|was\s+recently|was\s+just)\s+(?:diagnosed|treated|hospitali[sz]ed|"
        r"admitted|tested|screened|seen)\s+(?:with|for)|(?:diagnosed|treated)\s+(?:me\s+)?(?:with|for)|"
        r"i\s+(?:suffer|suffered|am\s+suffering|'m\s+suffering)\s+from|"
        r"i\s+(?:tested|came\s+back|have\s+tested)\s+(?:positive|negative)\s+for|"
        r"i\s+(?:live|am\s+living|'m\s+living|struggle|'ve\s+struggled|have\s+struggled|"
        r"deal|battle|'m\s+dealing|am\s+dealing|'m\s+recovering|am\s+recovering)\s+with|"
        r"i\s+(?:carry|am\s+a\s+carrier\s+(?:of|for)|'m\s+a\s+carrier\s+(?:of|for))|"
        r"i\s+(?:have|'ve\s+got|had)\s+(?:a\s+)?(?:history\s+of|family\s+history\s+of)|"
        r"i'?m\s+(?:allergic|intolerant)\s+to|(?:i'?m|i'?ve\s+been|i\s+have\s+been)\s+in\s+"
        r"(?:recovery|remission)\s+from|"
        r"i'?m\s+(?:a\s+)?recovering|i\s+(?:used\s+to\s+be|was)\s+addicted\s+to|"
        r"i\s+(?:was|am|'m)\s+(?:on|in)\s+(?:rehab|treatment|a\s+program)\s+for|"
        r"i\s+(?:was|got)\s+(?:found|shown)\s+to\s+have|my\s+\w+\s+(?:showed|confirmed|revealed)",
        "free",
        link="none",
        score=0.75,
    ),
    DisclosureKey(
        "test result",
        MEDICAL_CONDITION,
        r"(?:" + _MY + r")(?:[a-z0-9]+\s+){0,2}(?:test|lab|labs|blood\s+work|bloodwork|biopsy|"
        r"scan|mri|x-?ray|ct|screening|panel|a1c|hba1c|cholesterol|ldl|hdl|blood\s+pressure|"
        r"blood\s+sugar|glucose|psa|tsh|iron|vitamin\s+\w+|white\s+(?:blood\s+)?cell\s+count|"
        r"platelet\s+count|levels?|count|reading|viral\s+load|results?)(?:\s+(?:results?|levels?|"
        r"count))?(?:\s+(?:came\s+back|came\s+in|showed|show|shows|indicated|revealed|read|"
        r"reading))?",
        "free",
        score=0.7,
    ),
    DisclosureKey(
        "medication",
        MEDICAL_CONDITION,
        r"i\s+(?:take|took|am\s+taking|'m\s+taking|was\s+taking|'ve\s+been\s+taking|"
        r"have\s+been\s+taking|was\s+prescribed|got\s+prescribed|'ve\s+been\s+prescribed|"
        r"am\s+on|'m\s+on|was\s+on|'ve\s+been\s+on|have\s+been\s+on|was\s+put\s+on|"
        r"got\s+put\s+on|use|inject|need|started)\s+|(?:they|the\s+doctor|my\s+doctor|"
        r"he|she)\s+(?:prescribed(?:\s+me)?|put\s+me\s+on|started\s+me\s+on|gave\s+me)\s+",
        "med",
        link="none",
        score=0.7,
    ),
    DisclosureKey(
        "medication",
        MEDICAL_CONDITION,
        r"(?:" + _MY + r")(?:[a-z]+\s+)?(?:prescription|medication|medications|meds|medicine|"
        r"dosage|dose|treatment(?:\s+plan)?|therapy|care\s+plan|regimen|insulin|inhaler)"
        r"(?:\s+(?:plan|schedule))?(?:\s+(?:includes|involves|consists\s+of|calls\s+for|"
        r"says|has\s+me\s+on|is\s+for))?",
        "free",
        link="opt",
    ),
    DisclosureKey(
        "treatment",
        MEDICAL_CONDITION,
        r"i'?m\s+(?:currently\s+|now\s+)?(?:undergoing|getting|receiving|doing|having|starting|"
        r"scheduled\s+for|booked\s+for|going\s+for|in)\s+(?=(?:a\s+|my\s+|the\s+)?(?:\w+\s+)?"
        r"(?:chemo|chemotherapy|radiation|radiotherapy|dialysis|physical\s+therapy|physiotherapy|"
        r"therapy|counsel(?:l)?ing|rehab|rehabilitation|ivf|surgery|treatment|infusions?|"
        r"injections?|transfusions?|immunotherapy|detox|cbt|ect|hormone|insulin)\b)|"
        r"i\s+(?:see|'m\s+seeing|am\s+seeing|have\s+been\s+seeing|'ve\s+been\s+seeing)\s+"
        r"(?:a|an|my)\s+(?=(?:therapist|psychiatrist|psychologist|counsel(?:l)?or|oncologist|"
        r"cardiologist|neurologist|endocrinologist|specialist))|i\s+(?:had|have\s+had|'ve\s+had|"
        r"underwent)\s+(?=(?:a\s+|an\s+|my\s+)?(?:\w+\s+)?(?:surgery|transplant|operation|"
        r"mastectomy|hysterectomy|bypass|amputation|stroke|heart\s+attack|miscarriage|abortion|"
        r"seizure|breakdown|overdose|vasectomy|c-section|procedure)\b)",
        "free",
        link="none",
        score=0.7,
    ),
    DisclosureKey(
        "vaccination",
        MEDICAL_CONDITION,
        r"i\s+(?:got|had|received|have\s+had|'ve\s+had|took|am\s+due\s+for|'m\s+due\s+for)\s+"
        r"(?:my\s+|the\s+|a\s+|an\s+|both\s+|all\s+|two\s+|three\s+)?(?=(?:\w+\s+){0,3}?"
        r"(?:vaccines?|vaccinations?|shots?|jabs?|boosters?|doses?|immuni[sz]ations?)\b)|"
        r"i'?m\s+(?:fully\s+|partially\s+|not\s+)?(?:vaccinated|immuni[sz]ed|unvaccinated)\s+"
        r"(?:against|for)|(?:" + _MY + r")(?:last\s+|latest\s+|most\s+recent\s+)?(?:\w+\s+)?"
        r"(?:vaccine|vaccination|shot|booster|jab|immuni[sz]ation)s?(?:\s+(?:record|history|"
        r"status))?",
        "free",
        link="opt",
        score=0.65,
    ),
    DisclosureKey(
        "substance use",
        MEDICAL_CONDITION,
        r"(?:i'?ve|i\s+have|i'?d|i\s+had)\s+been\s+|i'?m\s+(?:now\s+)?",
        r"regex:(?:sober|clean|in\s+recovery)\b(?:\s+(?:for|since)\s+(?:(?:about|over|almost|"
        r"nearly|\w+)\s+){0,2}(?:years?|months?|weeks?|days?|\d{4}))?",
        link="none",
        score=0.65,
    ),
    DisclosureKey(
        "substance use",
        MEDICAL_CONDITION,
        r"i\s+(?:used\s+to\s+|still\s+|occasionally\s+|sometimes\s+|regularly\s+)?"
        r"(?:smoke|smoked|drink|drank|vape|vaped|use|used|inject|injected)\s+(?=(?:\w+\s+){0,2}?"
        r"(?:cigarettes?|cigars?|cannabis|marijuana|weed|pot|cocaine|coke|heroin|meth|opioids?|"
        r"pills|alcohol|drugs|every\s+day|daily|heavily|a\s+pack|packs?)\b)|"
        r"i'?ve\s+been\s+(?:sober|clean)|i\s+have\s+been\s+(?:sober|clean)|i'?m\s+(?:sober|clean)|"
        r"i\s+(?:had|have)\s+(?:a|an)\s+(?=(?:\w+\s+)?(?:addiction|dependency|problem)\b)",
        "free",
        link="none",
        score=0.65,
    ),
)

#: Common conditions and medications; fire without a key phrase in a health context.
MEDICAL_TERMS: tuple[str, ...] = (
    # conditions
    "diabetes",
    "type 1 diabetes",
    "type 2 diabetes",
    "prediabetes",
    "hypertension",
    "high blood pressure",
    "high cholesterol",
    "asthma",
    "copd",
    "emphysema",
    "bronchitis",
    "pneumonia",
    "tuberculosis",
    "cancer",
    "breast cancer",
    "prostate cancer",
    "lung cancer",
    "colon cancer",
    "leukemia",
    "leukaemia",
    "lymphoma",
    "melanoma",
    "tumor",
    "tumour",
    "hiv",
    "aids",
    "hepatitis",
    "hepatitis b",
    "hepatitis c",
    "cirrhosis",
    "epilepsy",
    "migraines",
    "migraine",
    "multiple sclerosis",
    "parkinson's",
    "parkinsons",
    "alzheimer's",
    "alzheimers",
    "dementia",
    "stroke",
    "heart disease",
    "heart failure",
    "atrial fibrillation",
    "afib",
    "arrhythmia",
    "kidney disease",
    "chronic kidney disease",
    "renal failure",
    "lupus",
    "rheumatoid arthritis",
    "arthritis",
    "osteoarthritis",
    "osteoporosis",
    "fibromyalgia",
    "crohn's disease",
    "crohn's",
    "crohns",
    "ulcerative colitis",
    "colitis",
    "ibs",
    "irritable bowel syndrome",
    "celiac disease",
    "coeliac disease",
    "gerd",
    "acid reflux",
    "sleep apnea",
    "sleep apnoea",
    "insomnia",
    "narcolepsy",
    "hypothyroidism",
    "hyperthyroidism",
    "hashimoto's",
    "graves' disease",
    "anemia",
    "anaemia",
    "sickle cell",
    "sickle cell disease",
    "sickle cell anemia",
    "hemophilia",
    "cystic fibrosis",
    "muscular dystrophy",
    "cerebral palsy",
    "scoliosis",
    "glaucoma",
    "cataracts",
    "macular degeneration",
    "endometriosis",
    "pcos",
    "polycystic ovary syndrome",
    "infertility",
    "psoriasis",
    "eczema",
    "shingles",
    "covid",
    "covid-19",
    "long covid",
    "chlamydia",
    "gonorrhea",
    "syphilis",
    "herpes",
    "hpv",
    "depression",
    "clinical depression",
    "major depressive disorder",
    "anxiety",
    "anxiety disorder",
    "generalized anxiety disorder",
    "panic disorder",
    "panic attacks",
    "ptsd",
    "post-traumatic stress disorder",
    "ocd",
    "obsessive compulsive disorder",
    "bipolar",
    "bipolar disorder",
    "schizophrenia",
    "schizoaffective disorder",
    "adhd",
    "add",
    "autism",
    "asperger's",
    "eating disorder",
    "anorexia",
    "bulimia",
    "borderline personality disorder",
    "postpartum depression",
    "seasonal affective disorder",
    "alcoholism",
    "alcohol use disorder",
    "addiction",
    "opioid addiction",
    "opioid use disorder",
    "substance abuse",
    "brca1",
    "brca2",
    "brca mutation",
    "lynch syndrome",
    "huntington's",
    "huntington's disease",
    "down syndrome",
    "factor v leiden",
    "concussion",
    "traumatic brain injury",
    "chronic pain",
    "chronic fatigue syndrome",
    # medications
    "metformin",
    "insulin",
    "ozempic",
    "semaglutide",
    "wegovy",
    "mounjaro",
    "jardiance",
    "lisinopril",
    "losartan",
    "amlodipine",
    "metoprolol",
    "atenolol",
    "hydrochlorothiazide",
    "furosemide",
    "atorvastatin",
    "simvastatin",
    "rosuvastatin",
    "lipitor",
    "crestor",
    "warfarin",
    "eliquis",
    "apixaban",
    "xarelto",
    "clopidogrel",
    "levothyroxine",
    "synthroid",
    "albuterol",
    "ventolin",
    "advair",
    "symbicort",
    "prednisone",
    "omeprazole",
    "pantoprazole",
    "gabapentin",
    "pregabalin",
    "lyrica",
    "tramadol",
    "oxycodone",
    "hydrocodone",
    "morphine",
    "fentanyl",
    "methadone",
    "suboxone",
    "buprenorphine",
    "naloxone",
    "naltrexone",
    "sertraline",
    "zoloft",
    "fluoxetine",
    "prozac",
    "citalopram",
    "escitalopram",
    "lexapro",
    "paroxetine",
    "paxil",
    "venlafaxine",
    "effexor",
    "duloxetine",
    "cymbalta",
    "bupropion",
    "wellbutrin",
    "mirtazapine",
    "trazodone",
    "lithium",
    "lamotrigine",
    "lamictal",
    "quetiapine",
    "seroquel",
    "olanzapine",
    "risperidone",
    "aripiprazole",
    "abilify",
    "clozapine",
    "alprazolam",
    "xanax",
    "lorazepam",
    "ativan",
    "clonazepam",
    "klonopin",
    "diazepam",
    "valium",
    "zolpidem",
    "ambien",
    "adderall",
    "ritalin",
    "methylphenidate",
    "vyvanse",
    "concerta",
    "humira",
    "enbrel",
    "methotrexate",
    "tamoxifen",
    "herceptin",
    "keytruda",
    "truvada",
    "prep",
    "biktarvy",
    "antiretrovirals",
    "chemotherapy",
    "chemo",
    "dialysis",
    "birth control",
    "estradiol",
    "testosterone",
    "epipen",
    "amoxicillin",
    "azithromycin",
    "doxycycline",
    "ciprofloxacin",
    "antidepressants",
    "antipsychotics",
    "antibiotics",
    "insulin glargine",
)

_HEALTH_CONTEXT = (
    "doctor",
    "dr",
    "gp",
    "physician",
    "nurse",
    "hospital",
    "clinic",
    "pharmacy",
    "pharmacist",
    "prescri",
    "diagnos",
    "medical",
    "medicine",
    "medication",
    "meds",
    "health",
    "symptom",
    "treat",
    "therap",
    "condition",
    "patient",
    "specialist",
    "surgery",
    "appointment",
    "refill",
    "dose",
    "dosage",
    "milligram",
    "mg",
    "sick",
    "illness",
    "chronic",
    "flare",
    "insurance",
    "claim",
    "coverage",
    "medicare",
    "medicaid",
)
_DIRECT_CUE_RE = re.compile(
    r"(?:\bi\s+(?:have|had|'ve\s+got|got|'ve\s+had|have\s+had|get)|\bi've|\bwith|\bfor|"
    r"\bfrom|\bof|\bon|\btaking|\btake)\s+(?:(?:a|an|my|some|mild|severe|chronic|bad|"
    r"early|late|stage\s+\w+|type\s+\w+|a\s+history\s+of)\s+)*$",
    re.IGNORECASE,
)

_LINK_VERBS = "|".join(
    sorted(
        (
            r"is",
            r"was",
            r"are",
            r"were",
            r"will\s+be",
            r"would\s+be",
            r"should\s+be",
            r"should\s+read",
            r"should\s+say",
            r"has\s+been",
            r"have\s+been",
            r"is\s+still",
            r"was\s+always",
            r"used\s+to\s+be",
            r"is\s+actually",
            r"was\s+actually",
            r"is\s+currently",
            r"is\s+now",
            r"is\s+listed\s+as",
            r"was\s+listed\s+as",
            r"is\s+showing\s+as",
            r"is\s+showing",
            r"was\s+showing\s+as",
            r"was\s+showing",
            r"showing\s+as",
            r"showing",
            r"is\s+set\s+to",
            r"is\s+called",
            r"was\s+called",
            r"is\s+named",
            r"reads",
            r"read",
            r"says",
            r"said",
            r"say",
            r"shows",
            r"show",
            r"showed",
            r"came\s+back\s+as",
            r"came\s+back\s+showing",
            r"came\s+back\s+with",
            r"came\s+back",
            r"rated\s+me\s+as",
            r"rated\s+me",
            r"includes",
            r"include",
            r"included",
            r"involves",
            r"involve",
            r"consists\s+of",
            r"of",
            r"to",
            r"called",
            r"named",
            r"as",
        ),
        key=len,
        reverse=True,
    )
)
_LINK_RE = re.compile(
    # a time ("this year"), a relative clause ("I was given", "you sent me"), where it
    # is recorded ("listed on my file", "on the account"), then the linking verb
    r"(?:\s+(?:this|last|next|for\s+(?:this|last|the))\s+(?:year|month|week|quarter|cycle|"
    r"period|time)|\s+(?:for|in)\s+\d{4})?"
    r"(?:\s+(?:that\s+)?(?:i|you|they|we)(?:\s+(?:was|were|have|had|just|guys))*\s+"
    r"(?:given|got|received|sent(?:\s+me)?|texted(?:\s+me)?|emailed(?:\s+me)?|gave\s+me|"
    r"have|use|used|provided|issued(?:\s+me)?|assigned(?:\s+me)?))?"
    r"(?:\s+(?:listed|recorded|registered|saved|stored|shown|written|printed|that\s+you\s+have))?"
    r"(?:\s+(?:on|in|for|of|with|at|from|under)\s+(?:the|my|this|that|our|your)\s+"
    r"(?:[\w-]+\s+)?[\w-]+(?=\s+(?:is|was|are|were|right|now|currently|would|should|will|"
    r"has|says|reads|shows)\b))?"
    r"(?:\s+(?:on|in)\s+(?:file|record|the\s+system|your\s+system|my\s+file|my\s+account|"
    r"my\s+profile|the\s+account|my\s+record))?"
    r"(?:\s+(?:right\s+)?now|\s+currently|\s+today|\s+at\s+the\s+moment)?"
    r"(?:\s*,?\s*(?:it|that|which|mine|this\s+one)(?=['’\s]))?"
    r"\s*(?:'s\b|’s\b|\s+(?:" + _LINK_VERBS + r")\b|\s*[:=]|\s+-(?=\s)|\s*,(?=\s+[A-Z]))"
    r"(?:\s*(?:is|was|as|of|called|named|at|with|be|read)\b)?"
    r"(?:\s+(?:that\s+)?(?:i|i'm)\s+(?:carry|have|had|am|'m|was|got)(?:\s+(?:a|an|the))?\b)?"
    r"(?:\s*[:,-](?=\s))?",
    re.IGNORECASE,
)
_FILLER_RE = re.compile(
    r"(?:\s*(?:um+|uh+|er+m?|ah+|like|just|actually|basically|probably|currently|"
    r"now|still|going\s+to\s+be|gonna\s+be|it'?s|its|that'?s|about|around|roughly|"
    r"approximately|approx\.?|exactly|precisely|literally|honestly|i\s+think|"
    r"i\s+believe|i\s+guess)\b,?)*",
    re.IGNORECASE,
)
#: Words that end a free-form value.
_STOP = frozenset(
    """and but so please could can would will thanks thank because since if which who
    whom whose when while though although also then okay ok right anyway anyways yeah
    yes no not i i'm i've i'd i'll it's that's you we they he she there here is was are
    were do does did have has had just let let's hope hopefully sorry actually
    for in on at by with from as than till until unless whether what how why where
    before after during""".split()
)
#: Free values may keep these inside ("type 2 diabetes", "anxiety and depression").
_FREE_INNER = frozenset({"of", "with", "in", "on", "and", "for", "from", "to", "at"})
_BAD_START = frozenset(
    """not no none nothing n't wrong incorrect invalid expired expiring locked blocked
    broken working changed changing being going gonna the same correct right still also
    too very really missing lost stolen gone different empty low high due late pending
    coming supposed listed showing showed something anything there here attached on in
    at about what how why where when which who whose that this these those it they
    reset resetting updated update updating saved stored written a an my your our his
    her their some any all every each same fine ok okay good bad great terrible
    important secret private confidential required needed necessary long short
    simple complicated hard easy case sent texted emailed available unavailable up down
    off over under around less more enough""".split()
)
_SECRET_BAD = _BAD_START | frozenset(
    """forgotten forgot unknown asking asked sure please you i we me is was be been
    set for to and or but so if because still yet""".split()
)
_NAME_BAD = frozenset(
    """a an the my your our his her their not no is was very really so too quite just
    pregnant sick ill fine okay ok good great busy away out home here there working
    retired dead deceased alive gone married divorced single late unavailable sorry
    and but or on in at for with to from of by as that this it he she they we you i
    also still now currently always never called named""".split()
)
_CLAUSE_END = ".!?;"
_TOKEN_RE = re.compile(r"[^\s,;!?]+")
_WORD_RE = re.compile(r"[\w'’&.@\-/#+]+")
_AMOUNT_RE = re.compile(
    r"(?:(?:a|an|my|the)\s+(?:[\w-]+\s+)?(?:bonus|raise|payment|grant|award|settlement|refund|"
    r"severance|commission|loan|mortgage|transfer|deposit|charge|balance|limit|score)\s+"
    r"(?:of|for|worth|at)\s+)?(?:(?:a|an)\s+)?(?:(?:about|around|roughly|approximately|approx\.?|nearly|almost|over|under|just\s+"
    r"(?:over|under)|close\s+to|more\s+than|less\s+than|up\s+to)\s+)?"
    r"(?:(?:[$£€¥₹]|usd|gbp|eur|cad|aud|us\$|c\$|a\$)\s?)?"
    r"(?:\d[\d,]*(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?:k|m|bn|mm|million|billion|thousand|hundred|grand|percent|%|points?|"
    r"dollars?|bucks|pounds?|quid|euros?|yen|rupees?|usd|gbp|eur|cad|aud|shares|units|"
    r"rsus?|stock\s+options|options)\b)*"
    r"(?:\s+(?:a|per|an|each|every)\s+(?:year|month|week|hour|day|annum|quarter)|"
    r"\s+(?:annually|monthly|weekly|hourly|yearly|gross|net|pre-?tax|after\s+tax|before\s+tax|"
    r"in\s+(?:cash|stock|rsus?|shares|savings|debt|total)))?"
    r"|(?:" + _NUMW + r"(?:[\s-]+(?:and\s+)?" + _NUMW + r")*\s+(?:dollars?|pounds?|euros?|"
    r"grand|thousand|hundred|k|bucks|percent|points?|shares|rsus?)\b"
    r"(?:\s+(?:a|per)\s+(?:year|month|week|hour))?)",
    re.IGNORECASE,
)
_DIGITISH_RE = re.compile(r"\d|^(?:" + _NUMW + r")$", re.IGNORECASE)
_DOSE_RE = re.compile(
    r"\d+(?:\.\d+)?\s*(?:mg|mcg|µg|g|ml|milligrams?|micrograms?|grams?|units?|iu|cc|"
    r"puffs?|tablets?|pills?|capsules?|drops?)\b|\b(?:" + _NUMW + r")\s+(?:milligrams?|"
    r"micrograms?|units?|tablets?|pills?|capsules?|puffs?)\b",
    re.IGNORECASE,
)
_COORDS_RE = re.compile(
    r"[-−+]?\d{1,3}(?:\.\d+)?\s*°?\s*(?:['′]\s*\d+(?:\.\d+)?\s*['′\"″]*\s*)?[NSns]?"
    r"\s*(?:,|/|and|by)?\s*[-−+]?\d{1,3}(?:\.\d+)?\s*°?\s*(?:['′]\s*\d+(?:\.\d+)?\s*"
    r"['′\"″]*\s*)?[EWew]?(?![\w])"
)
_BARE_COORDS_RE = re.compile(
    r"(?<![\w.])[-−]?\d{1,2}\.\d{3,}\s*°?\s*[NSns]?\s*,\s*[-−]?\d{1,3}\.\d{3,}\s*°?\s*[EWew]?"
    r"(?![\w.])"
)
_DATE_TOKEN_RE = re.compile(
    r"(?:\d{1,4}(?:st|nd|rd|th)?|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|"
    r"june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|"
    r"of|the|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|[a-z]+teenth|"
    r"twentieth|thirtieth|twenty|thirty|"
    + _NUMW
    + r"|to|until|through|till|and|-|–|/|present|now|today|"
    r"\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{2,4})?|'\d{2}|spring|summer|fall|autumn|winter|early|"
    r"mid|late|q[1-4])$",
    re.IGNORECASE,
)


def _fix_pattern(pattern: str) -> str:
    """Let a key written for "i 'm" match "I'm", and ' match ’ (outside classes)."""
    pattern = pattern.replace(r"i\s+(?:", r"i(?:\s+|(?=['’]))(?:")
    out: list[str] = []
    depth = 0
    escaped = False
    for ch in pattern:
        if escaped:
            out.append(ch)
            escaped = False
            continue
        if ch == "\\":
            escaped = True
        elif ch == "[":
            depth += 1
        elif ch == "]" and depth:
            depth -= 1
        elif ch == "'" and not depth:
            out.append("['’]")
            continue
        out.append(ch)
    return "".join(out)


def _compile_keys(keys: tuple[DisclosureKey, ...]) -> re.Pattern[str]:
    parts = [f"(?P<k{i}>{_fix_pattern(k.pattern)})" for i, k in enumerate(keys)]
    return re.compile(r"(?<![\w'])(?:" + "|".join(parts) + r")(?:(?<=\s)|(?![\w']))", re.IGNORECASE)


def _compile_terms(terms: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted({t.lower() for t in terms}, key=len, reverse=True)
    body = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in ordered)
    return re.compile(r"(?<![\w-])(?:" + body + r")(?![\w-])", re.IGNORECASE)


_KEY_RES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(
        r"(?<![\w'])(?:" + _fix_pattern(k.pattern) + r")(?:(?<=\s)|(?![\w']))", re.IGNORECASE
    )
    for k in KEYS
)


def _fold_pattern(pattern: str) -> str:
    """``pattern`` with its letters lower-cased (escapes such as ``\\S`` kept)."""
    return re.sub(
        r"\\.|[A-Z]+", lambda m: m.group() if m.group()[0] == "\\" else m.group().lower(), pattern
    )


#: The key patterns for lower-cased text, without IGNORECASE: the same matches at the
#: same places when lower-casing changes only ASCII letters (see :func:`_foldable`),
#: and much faster (the engine can skip alternatives by their first letter).
_KEY_RES_LOW: tuple[re.Pattern[str], ...] = tuple(
    re.compile(_fold_pattern(p.pattern)) for p in _KEY_RES
)
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")


def _foldable(text: str) -> bool:
    """True when ``text.lower()`` changes only ASCII letters (other characters caseless)."""
    if text.isascii():
        return True
    return all(c.lower() == c == c.upper() for c in set(_NON_ASCII_RE.findall(text)))


#: Words too common to tell keys apart; a key is tried only when the text holds one
#: of its other literal words (every path through every key pattern has one).
_GENERIC = frozenset(
    """my our his her the your is was am be been have had has to of in on for at with
    from as and re ve ll im are were i you we they he she it me a an do did so not hi
    hello hey yes yeah there just can could would will""".split()
)
_TEXT_WORD_RE = re.compile(r"[a-z0-9]+")


def _literal_words(pattern: str) -> frozenset[str]:
    # quantifier bounds ("{0,2}") are not words of the text
    cleaned = re.sub(
        r"\\[a-zA-Z]|\[[^\]]*\]|\(\?(?:[:=!]|<[=!]|P<\w+>)|\{\d*(?:,\d*)?\}", " ", pattern.lower()
    )
    words = {w for w in re.findall(r"[a-z0-9]+", cleaned) if w not in _GENERIC}
    # "post\s*code" also matches the single word "postcode"
    words.update(a + b for a, b in re.findall(r"([a-z]+)\\s\*(?:\(\?:)?([a-z]+)", pattern.lower()))
    return frozenset(words)


def _index_keys(keys: tuple[DisclosureKey, ...]) -> dict[str, tuple[int, ...]]:
    index: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        words = _literal_words(k.pattern)
        if k.value.startswith("regex:"):
            words |= _literal_words(k.value[len("regex:") :])
        if k.value.startswith("regex:") and "\\d" in k.value:
            words |= {"0"}  # a digit in the text stands for any number
        # Contraction pieces and fillers say little: a key is looked up by its
        # telling words when it has any (every alternative of a key pattern carries one).
        telling = words - _WEAK_INDEX_WORDS or words
        for w in telling:
            index.setdefault(w, []).append(i)
    return {w: tuple(ids) for w, ids in index.items()}


_WEAK_INDEX_WORDS = frozenset(
    {"m", "s", "d", "ve", "ll", "re", "t", "e", "no", "got", "now", "still", "currently", "back"}
)


_KEY_INDEX = _index_keys(KEYS)
#: The literal words of each key's own phrase (not of its value pattern).
_KEY_WORDS: tuple[frozenset[str], ...] = tuple(_literal_words(k.pattern) for k in KEYS)
_DIGIT_RE = re.compile(r"[0-9]")
#: Characters searched on each side of a key word.
_WINDOW = 48


_INDEXED_WORDS = frozenset(_KEY_INDEX)
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def _word_windows(low: str, word: str, n: int) -> list[tuple[int, int]]:
    """The windows around each token ``word`` of ``low`` (tokens as :data:`_TEXT_WORD_RE`)."""
    out: list[tuple[int, int]] = []
    size = len(word)
    end_of_text = len(low)
    at = low.find(word)
    while at >= 0:
        end = at + size
        if (at == 0 or low[at - 1] not in _WORD_CHARS) and (
            end >= end_of_text or low[end] not in _WORD_CHARS
        ):
            out.append((max(0, at - _WINDOW), min(n, end + _WINDOW)))
        at = low.find(word, at + 1)
    return out


def _search(
    pattern: re.Pattern[str], text: str, windows: list[tuple[int, int]] | None
) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` in ``text``, or only within the merged ``windows``."""
    if windows is None:
        yield from pattern.finditer(text)
        return
    windows.sort()
    start, end = windows[0]
    merged: list[tuple[int, int]] = []
    for s, e in windows[1:]:
        if s <= end:
            end = max(end, e)
        else:
            merged.append((start, end))
            start, end = s, e
    merged.append((start, end))
    last = -1
    for s, e in merged:
        for m in pattern.finditer(text, s, e):
            if m.start() >= last:
                last = m.end()
                yield m


_TERMS_RE = _compile_terms(MEDICAL_TERMS)
_TERM_FIRST = frozenset(re.findall(r"[a-z0-9]+", t.lower())[0] for t in MEDICAL_TERMS)
_VALUE_RES: dict[int, re.Pattern[str]] = {
    i: re.compile(k.value[len("regex:") :], re.IGNORECASE)
    for i, k in enumerate(KEYS)
    if k.value.startswith("regex:")
}
_HEALTH_RE = re.compile(
    r"(?<![\w])(?:" + "|".join(re.escape(w) for w in _HEALTH_CONTEXT) + ")", re.IGNORECASE
)
_UPPER_WORD_RE = re.compile(r"\b[A-Z][a-z]")


class DisclosureDetector(Detector):
    """Finds values disclosed after a key phrase, and medical terms in a health context."""

    name = "disclosure"
    rescan = False
    sees_masked = True
    entity_types = (
        AGE,
        BANK_ACCOUNT,
        CARD_CVV,
        CARD_EXPIRY,
        CREDIT_CARD,
        DATE_OF_BIRTH,
        DATE_TIME,
        EMAIL_ADDRESS,
        HEALTH_INSURANCE_ID,
        IBAN_CODE,
        ID_NUMBER,
        LOCATION,
        MEDICAL_CONDITION,
        MEDICAL_RECORD_NUMBER,
        NRP,
        ORGANIZATION,
        PASSPORT,
        PASSWORD_OR_PIN,
        PERSON,
        PHONE_NUMBER,
        ROUTING_NUMBER,
        SENSITIVE_ATTRIBUTE,
        STREET_ADDRESS,
        TITLE,
        US_DRIVER_LICENSE,
        US_SSN,
        ZIP_CODE,
    )
    #: Score of a gazetteer term after a direct cue / with health context / without.
    term_cue_score = 0.7
    term_context_score = 0.55
    term_bare_score = 0.35
    health_window = 60

    def analyze(self, text: str) -> list[Finding]:
        findings: list[Finding] = []
        has_upper = _UPPER_WORD_RE.search(text) is not None
        taken: list[tuple[int, int]] = []
        # Each key is searched only near the words of its own phrase (the regexes
        # start with optional parts, so a whole-text scan tries every position);
        # a key found through a word of its value pattern is searched everywhere.
        n = len(text)
        low = text.lower()
        words = set(_TEXT_WORD_RE.findall(low))
        full: set[int] = set()
        windows: dict[int, list[tuple[int, int]]] = {}
        for w in words & _INDEXED_WORDS:
            spans: list[tuple[int, int]] | None = None
            for idx in _KEY_INDEX[w]:
                if idx in full:
                    continue
                if w in _KEY_WORDS[idx]:
                    if spans is None:
                        spans = _word_windows(low, w, n)
                    windows.setdefault(idx, []).extend(spans)
                else:
                    full.add(idx)
        if _DIGIT_RE.search(text) is not None:
            words.add("0")
            full.update(_KEY_INDEX.get("0", ()))
        seen: set[tuple[int, int]] = set()
        key_res, scanned = (_KEY_RES_LOW, low) if _foldable(text) else (_KEY_RES, text)
        for idx in sorted(full.union(windows)):
            key = KEYS[idx]
            for km in _search(key_res[idx], scanned, None if idx in full else windows[idx]):
                span = self._value(text, km.end(), idx, key, has_upper)
                if span is None or span[1] <= span[0]:
                    continue
                start, end, bonus = span
                if (start, end) in seen:
                    continue
                seen.add((start, end))
                findings.append(
                    Finding(
                        entity_type=key.entity_type,
                        start=start,
                        end=end,
                        score=round(min(1.0, key.score + bonus), 4),
                        detector=self.name,
                        explanation=f"disclosure: value after key '{key.label}'",
                    )
                )
                taken.append((start, end))
        if "." in text:
            for m in _BARE_COORDS_RE.finditer(text):
                if not any(s < m.end() and m.start() < e for s, e in taken):
                    findings.append(
                        Finding(LOCATION, m.start(), m.end(), 0.6, self.name, "coordinates pattern")
                    )
        if not _TERM_FIRST.isdisjoint(words):
            self._terms(text, findings, taken, words)
        return findings

    # ----------------------------------------------------------------- gazetteer

    def _terms(
        self, text: str, findings: list[Finding], taken: list[tuple[int, int]], words: set[str]
    ) -> None:
        low = text.lower()
        starts: set[int] = set()
        for w in _TERM_FIRST.intersection(words):
            i = low.find(w)
            while i >= 0:
                starts.add(i)
                i = low.find(w, i + 1)
        for at in sorted(starts):
            m = _TERMS_RE.match(text, at)
            if m is None or (at and (text[at - 1].isalnum() or text[at - 1] in "-_")):
                continue
            s, e = m.start(), m.end()
            if any(a <= s and e <= b for a, b in taken):
                continue
            before = text[max(0, s - self.health_window) : s]
            if _DIRECT_CUE_RE.search(before[-40:]) and _HEALTH_RE.search(before):
                score, why = self.term_cue_score, "medical term after a health cue"
            elif _DIRECT_CUE_RE.search(before[-40:]) and before.lower().rstrip().endswith(
                ("i have", "i've got", "i had", "i've had", "suffer from", "history of")
            ):
                score, why = self.term_cue_score, "medical term after a health cue"
            elif _HEALTH_RE.search(before) or _HEALTH_RE.search(text[e : e + 40]):
                score, why = self.term_context_score, "medical term in a health context"
            else:
                score, why = self.term_bare_score, "medical term without health context"
            findings.append(Finding(MEDICAL_CONDITION, s, e, score, self.name, why))

    # ----------------------------------------------------------------- values

    def _value(
        self, text: str, pos: int, idx: int, key: DisclosureKey, has_upper: bool
    ) -> tuple[int, int, float] | None:
        """Parse the value after a key ending at ``pos``: (start, end, score bonus)."""
        if key.link != "none":
            lm = _LINK_RE.match(text, pos)
            if lm is not None and lm.end() > pos:
                pos = lm.end()
            elif key.link == "req" and key.value not in ("id", "amount", "coords"):
                return None
        fm = _FILLER_RE.match(text, pos)
        if fm is not None:
            pos = fm.end()
        n = len(text)
        while pos < n and text[pos] in " \t\"'“‘(":
            pos += 1
        if pos >= n:
            return None
        shape = key.value
        if shape.startswith("regex:"):
            vm = _VALUE_RES[idx].match(text, pos)
            if vm is None or vm.end() == pos:
                return None
            return pos, _rstrip(text, pos, vm.end()), 0.0
        if text[pos] in _CLAUSE_END or text[pos] == ",":
            return None
        if shape == "secret":
            return _secret(text, pos)
        if shape == "id":
            return _identifier(text, pos)
        if shape == "token":
            return _token(text, pos)
        if shape == "amount":
            am = _AMOUNT_RE.match(text, pos)
            if am is None or am.end() == pos:
                return None
            return pos, _rstrip(text, pos, am.end()), 0.1
        if shape == "name":
            return _name(text, pos, has_upper)
        if shape == "cname":
            return _name(text, pos, has_upper) if has_upper else None
        if shape == "org":
            return _org(text, pos, has_upper)
        if shape == "place":
            return _place(text, pos, has_upper)
        if shape == "date":
            return _date(text, pos)
        if shape == "coords":
            cm = _COORDS_RE.match(text, pos)
            if cm is None or sum(c.isdigit() for c in cm.group()) < 4:
                return None
            return pos, _rstrip(text, pos, cm.end()), 0.0
        if shape == "med":
            span = _free(text, pos, max_words=7)
            if span is None:
                return None
            value = text[span[0] : span[1]]
            if _DOSE_RE.search(value) or _TERMS_RE.search(value):
                return span
            return None
        if shape == "address":
            return _address(text, pos)
        return _free(text, pos)


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t,.;:!?)\"'”’":
        end -= 1
    return end


def _first_word(text: str, pos: int) -> str:
    m = _WORD_RE.match(text, pos)
    return m.group().lower().rstrip(".") if m else ""


def _secret(text: str, pos: int) -> tuple[int, int, float] | None:
    m = _TOKEN_RE.match(text, pos)
    if m is None:
        return None
    tok = m.group()
    word = tok.lower().rstrip(".'\"”’")
    if word in _SECRET_BAD or word.endswith("n't"):
        return None
    end = m.end()
    # a spoken or spaced code: "4 7 1 9" / "four seven one nine" / "AB12 CD34"
    has_digit = any(c.isdigit() for c in tok)
    if _DIGITISH_RE.search(tok):
        end = _extend_digits(text, end)
        has_digit = True
    end = _rstrip(text, pos, end) if not tok.endswith("!") else end
    if end <= pos:
        return None
    strong = (
        has_digit
        or any(not c.isalnum() for c in tok.rstrip(".,"))
        or (any(c.isupper() for c in tok[1:]))
    )
    return pos, end, 0.15 if strong else -0.05


def _extend_digits(text: str, end: int) -> int:
    """Extend over following groups that hold digits or digit words (max 8 groups)."""
    n = len(text)
    for _ in range(8):
        j = end
        while j < n and text[j] in " -":
            j += 1
        m = _TOKEN_RE.match(text, j)
        if m is None or j == end:
            break
        tok = m.group().rstrip(".")
        if not _DIGITISH_RE.search(tok):
            break
        end = j + len(tok)
    return end


def _identifier(text: str, pos: int) -> tuple[int, int, float] | None:
    m = _TOKEN_RE.match(text, pos)
    if m is None:
        return None
    tok = m.group().rstrip(".")
    if not tok or tok.lower() in _BAD_START:
        return None
    end = pos + len(tok)
    if not _DIGITISH_RE.search(tok):
        # letters first ("AB 12 34 56 C", "RN-448291" is one token): allow a short
        # upper-case prefix group before digits
        if not (tok.isupper() and len(tok) <= 4 and tok.isalnum()):
            return None
        nxt = _extend_digits(text, end)
        if nxt == end:
            return None
        end = nxt
    else:
        end = _extend_digits(text, end)
    # a trailing short upper-case letter group ("... 56 C")
    tail = re.match(r" ([A-Z]{1,2})(?![\w])", text[end : end + 4])
    if tail:
        end += len(tail.group())
    return pos, _rstrip(text, pos, end), 0.1


def _token(text: str, pos: int) -> tuple[int, int, float] | None:
    m = _TOKEN_RE.match(text, pos)
    if m is None:
        return None
    tok = m.group()
    if tok.lower().rstrip(".") in _BAD_START or tok.lower().endswith("n't"):
        return None
    end = _rstrip(text, pos, m.end())
    if end <= pos:
        return None
    if _DIGITISH_RE.search(tok) and not any(c.isalpha() for c in tok):
        end = _extend_digits(text, end)
    return pos, end, 0.0


def _words(text: str, pos: int, limit: int) -> list[tuple[int, int, str]]:
    """Up to ``limit`` words from ``pos`` within the clause: (start, end, word)."""
    out: list[tuple[int, int, str]] = []
    i = pos
    n = len(text)
    while i < n and len(out) < limit:
        while i < n and text[i] in " \t":
            i += 1
        if i >= n:
            break
        m = _WORD_RE.match(text, i)
        if m is None:
            break
        w = m.group()
        end = m.end()
        # a period ends the clause unless it is inside a token ("2.5", "St.")
        trailing_dot = w.endswith(".") and len(w) > 1
        if trailing_dot:
            w = w[:-1]
            end -= 1
        if w:
            out.append((i, end, w))
        i = end
        if trailing_dot or (i < n and text[i] in _CLAUSE_END + ",\n"):
            break
    return out


def _free(text: str, pos: int, max_words: int = 6) -> tuple[int, int, float] | None:
    words = _words(text, pos, max_words)
    if not words:
        return None
    first = words[0][2].lower()
    if first in _BAD_START or first.endswith("n't"):
        return None
    kept: list[tuple[int, int, str]] = []
    for s, e, w in words:
        low = w.lower()
        if kept and low in _STOP and low not in _FREE_INNER:
            break
        if not kept and low in _STOP:
            return None
        kept.append((s, e, w))
    while kept and kept[-1][2].lower() in _FREE_INNER | {"the", "a", "an", "my"}:
        kept.pop()
    if not kept:
        return None
    return kept[0][0], kept[-1][1], 0.0


_RELATION_RE = re.compile(
    r"(?:my|our|his|her|the)\s+(?:\w+\s+)?(?:wife|husband|spouse|partner|son|daughter|"
    r"mother|father|mom|dad|mum|brother|sister|friend|boss|manager|supervisor|cousin|aunt|"
    r"uncle|niece|nephew|grandmother|grandfather|grandson|granddaughter|child|kid|"
    r"fiance|fiancee|fiancée|colleague|neighbou?r)\s*,?\s+",
    re.IGNORECASE,
)


def _name(text: str, pos: int, has_upper: bool) -> tuple[int, int, float] | None:
    rm = _RELATION_RE.match(text, pos)
    if rm is not None:
        pos = rm.end()
    words = _words(text, pos, 4)
    kept: list[tuple[int, int, str]] = []
    for s, e, w in words:
        low = w.lower()
        if low in _NAME_BAD or low in _STOP:
            break
        if has_upper and not (w[0].isupper() or (kept and low in ("de", "van", "von", "da"))):
            break
        if not any(c.isalpha() for c in w):
            break
        kept.append((s, e, w))
        if not has_upper and len(kept) >= 2:
            break
    if not kept:
        return None
    return kept[0][0], kept[-1][1], 0.0 if has_upper else -0.1


def _org(text: str, pos: int, has_upper: bool) -> tuple[int, int, float] | None:
    words = _words(text, pos, 7)
    kept: list[tuple[int, int, str]] = []
    for i, (s, e, w) in enumerate(words):
        low = w.lower()
        if not kept and low in ("a", "an"):
            return None
        if not kept and low == "the":
            continue
        if w in ("I", "I'm", "I've", "I'd", "I'll"):
            break
        if has_upper:
            connector = low in ("of", "&", "and", "for", "the", "de", "la", "at") and kept
            nxt_upper = (
                i + 1 < len(words)
                and words[i + 1][2][:1].isupper()
                and words[i + 1][2] not in ("I", "I'm", "I've", "I'd", "I'll")
            )
            if w[0].isupper() or w[0].isdigit() or (connector and nxt_upper):
                kept.append((s, e, w))
                continue
            break
        if low in _STOP or low in _NAME_BAD:
            break
        kept.append((s, e, w))
        if len(kept) >= 4:
            break
    if not kept:
        return None
    return kept[0][0], kept[-1][1], 0.0 if has_upper else -0.1


def _place(text: str, pos: int, has_upper: bool) -> tuple[int, int, float] | None:
    words = _words(text, pos, 5)
    kept: list[tuple[int, int, str]] = []
    for s, e, w in words:
        low = w.lower()
        if not kept and low == "the":
            continue
        if low in _STOP or low in _NAME_BAD:
            if not (kept and low == "of"):
                break
        if has_upper and not (w[0].isupper() or low == "of"):
            break
        kept.append((s, e, w))
        if not has_upper and len(kept) >= 3:
            break
    while kept and kept[-1][2].lower() == "of":
        kept.pop()
    if not kept:
        return None
    return kept[0][0], kept[-1][1], 0.0 if has_upper else -0.1


def _date(text: str, pos: int) -> tuple[int, int, float] | None:
    words = _words(text, pos, 9)
    if words:
        after = words[-1][1]
        # "March 4, 1988": a comma before a year does not end a date
        if text[after : after + 2] == ", " and text[after + 2 : after + 3].isdigit():
            words += _words(text, after + 2, 2)
    kept: list[tuple[int, int, str]] = []
    digits = False
    for s, e, w in words:
        if not _DATE_TOKEN_RE.match(w):
            break
        if any(c.isdigit() for c in w) or w.lower() not in ("of", "the", "to", "and", "-", "/"):
            digits = True
        kept.append((s, e, w))
    while kept and kept[-1][2].lower() in ("of", "the", "to", "and", "-", "/", "until", "till"):
        kept.pop()
    if not kept or not digits:
        return None
    return kept[0][0], kept[-1][1], 0.0


def _address(text: str, pos: int) -> tuple[int, int, float] | None:
    """An address: up to 12 words, commas allowed, must hold a digit."""
    i = pos
    n = len(text)
    end = pos
    count = 0
    while i < n and count < 14:
        while i < n and text[i] in " \t,":
            i += 1
        m = _WORD_RE.match(text, i)
        if m is None:
            break
        w = m.group().rstrip(".")
        low = w.lower()
        if low in _STOP and low not in ("in", "on", "at", "of") or low in ("please", "thanks"):
            break
        end = i + len(w)
        count += 1
        i = m.end()
        if i < n and text[i] in _CLAUSE_END:
            break
        if m.group().endswith(".") and (i >= n or text[i] == " ") and not _is_abbrev(w):
            break
    value = text[pos:end]
    if not any(c.isdigit() for c in value) or end <= pos:
        return None
    return pos, end, 0.05


def _is_abbrev(word: str) -> bool:
    return word.lower() in {"st", "rd", "ave", "apt", "blvd", "dr", "ln", "ct", "no", "ste", "mt"}
