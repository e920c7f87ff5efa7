"""A small, explainable intent matcher for the demo agent.

Each intent has weighted regex patterns (English, Spanish, German, French). A message
is folded first (NFKD, accents dropped, casefolded, typographic apostrophes made
plain), so patterns are written in plain lower-case ASCII. An intent's *evidence* is
the sum of the weights of its patterns that match.

Confidence combines two factors, both in [0, 1]:

* an absolute one, ``e / (e + saturation)``: one strong cue (weight 1.0) gives about
  0.74, two give about 0.85, a weak cue alone stays low, no cue gives 0;
* a relative one, a softmax over the evidence of every intent that matched: when two
  intents have similar evidence neither is confident.

Intents without any matching pattern are not returned, so gibberish yields an empty
ranking (confidence 0). Its numbers are only "calibrated-ish".

:class:`~trustdesk.agent.DemoBankAgent` now takes its banking intents from the trained
Banking77 classifier (:mod:`trustdesk.agent.classifier`) and uses this matcher only for
the intents that model has no label for: ``human_request``, ``greeting`` and
``goodbye``. The other patterns are kept as a documented, multilingual baseline.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from trustdesk.errors import ConfigError

__all__ = ["DEFAULT_PATTERNS", "INTENTS", "IntentMatch", "IntentMatcher", "fold"]

# Reused fragments.
_CARD = r"(?:card|debit\s+card|credit\s+card)"
_TXN = r"(?:payment|transaction|charge|purchase|debit|withdrawal)s?"
_BYE = (
    r"(?:bye|goodbye|good\s+bye|bye\s+bye|see\s+you|see\s+ya|that'?s\s+all|that\s+is\s+all"
    r"|have\s+a\s+(?:nice|good|great)\s+day|adios|hasta\s+luego|tschuss|auf\s+wiedersehen"
    r"|au\s+revoir|a\s+bientot)"
)

DEFAULT_PATTERNS: Mapping[str, tuple[tuple[str, float], ...]] = {
    "card_arrival": (
        (rf"\b{_CARD}\b.{{0,40}}\b(?:arriv\w*|deliver\w*|ship\w*|post(?:ed)?|mail(?:ed)?"
         r"|dispatch\w*|come|came|received?|track\w*)\b", 0.8),
        (r"\b(?:arriv\w*|deliver\w*|ship\w*|receiv\w*|track\w*|waiting\s+for|wait\s+for"
         rf"|where\s+is)\b.{{0,40}}\b{_CARD}\b", 0.8),
        (r"\bcard\s+(?:delivery|status)\b", 1.0),
        (r"\b(?:new|replacement)\s+card\b", 0.3),
        (r"\bwhen\s+(?:will|do|does|can|should)\s+(?:i|my|it|we)\b.{0,30}"
         r"\b(?:arrive|come|get|receive)\b", 0.4),
        (r"\btarjeta\b.{0,40}\b(?:llega\w*|llego|recib\w*|envi\w*|entreg\w*)", 0.8),
        (r"\b(?:llega\w*|recib\w*|entreg\w*|envio|espera\w*)\b.{0,40}\btarjeta\b", 0.8),
        (r"\bkarte\b.{0,40}\b(?:angekommen|ankommen|kommt|zugestellt|geliefert|erhalten"
         r"|bekommen|versand\w*|verschickt)\b", 0.8),
        (r"\b(?:wann|wo)\b.{0,30}\bkarte\b", 0.4),
        (r"\bcarte\b.{0,40}\b(?:arriv\w*|recu|recue|recois|livr\w*|envoy\w*|recevoir)\b", 0.8),
        (r"\b(?:recevoir|reception|livraison|arrivee?)\b.{0,40}\bcarte\b", 0.8),
    ),
    "lost_or_stolen_card": (
        (r"\b(?:lost|lose|misplaced|can'?t\s+find|cannot\s+find|can\s+not\s+find|left)\s+"
         r"(?:my\s+|the\s+|our\s+)?(?:\w+\s+)?(?:card|wallet|purse)\b", 1.0),
        (r"\b(?:card|wallet|purse)\b.{0,30}\b(?:stolen|lost|missing|gone)\b", 1.0),
        (r"\b(?:stolen|stole|pickpocket\w*|robbed|mugged|theft)\b", 0.7),
        (r"\b(?:perdi|he\s+perdido|extravie|extraviado)\b.{0,20}\btarjeta\b", 1.0),
        (r"\btarjeta\b.{0,20}\b(?:robada|perdida|extraviada)\b", 1.0),
        (r"\b(?:me\s+robaron|me\s+han\s+robado|robo)\b", 0.7),
        (r"\bkarte\b.{0,30}\b(?:verloren|gestohlen|weg|geklaut)\b", 1.0),
        (r"\b(?:verloren|gestohlen|geklaut|diebstahl|ausgeraubt)\b", 0.6),
        (r"\b(?:perdu|egare)\b.{0,20}\bcarte\b", 1.0),
        (r"\bcarte\b.{0,20}\b(?:volee|perdue|egaree)\b", 1.0),
        (r"\bon\s+m'?a\s+vole\b", 0.8),
    ),
    "freeze_card": (
        (r"\b(?:freeze|block|lock|deactivate|disable|suspend|cancel|stop|turn\s+off)\s+"
         r"(?:my\s+|the\s+|this\s+|our\s+)?(?:\w+\s+)?card\b", 1.0),
        (r"\b(?:freeze|block|lock)\s+(?:it|them)\b", 0.6),
        (r"\b(?:bloquear|bloquea|bloqueen|congelar|congela|cancelar|cancela|desactivar"
         r"|desactiva)\s+(?:mi\s+|la\s+)?tarjeta\b", 1.0),
        (r"\bkarte\b.{0,20}\b(?:sperren|sperre|einfrieren|blockieren|deaktivieren"
         r"|kundigen)\b", 1.0),
        (r"\b(?:sperren|sperre|sperrt|einfrieren|blockieren)\b.{0,20}\bkarte\b", 1.0),
        (r"\b(?:bloquer|bloquez|geler|gelez|desactiver|suspendre|annuler)\b.{0,20}\bcarte\b", 1.0),
        (r"\bfaire\s+opposition\b", 1.0),
    ),
    "card_fees": (
        (r"\bfees?\b", 0.8),
        (r"\b(?:monthly|annual|yearly)\s+(?:fee|charge|cost)s?\b", 1.0),
        (r"\b(?:charges?|cost|costs|price|pricing)\b.{0,30}\b(?:card|withdraw\w*|atm|cash"
         r"|abroad)\b", 0.6),
        (r"\b(?:card|withdraw\w*|atm|cash)\b.{0,30}\b(?:charges?|cost|costs|free|price)\b", 0.6),
        (r"\bhow\s+much\s+(?:does|do|is|will)\b", 0.3),
        (r"\b(?:comision|comisiones|cuota|cuotas|tarifa|tarifas|coste|costo|cuesta)\b", 0.8),
        (r"\b(?:gebuhr|gebuhren|kosten|kostet|entgelt)\b", 0.8),
        (r"\b(?:frais|cout|coute|couts|tarif|tarifs|commission)\b", 0.8),
    ),
    "exchange_rate": (
        (r"\bexchange\s+rates?\b", 1.0),
        (r"\b(?:conversion|currency)\s+(?:rate|conversion|exchange)s?\b", 1.0),
        (r"\bforeign\s+currenc\w*", 0.7),
        (r"\b(?:convert|conversion)\b", 0.5),
        (r"\b(?:usd|eur|gbp|chf|dollars?|euros?|pounds?|francs?|yen)\s+(?:to|into|in)\s+"
         r"(?:usd|eur|gbp|chf|dollars?|euros?|pounds?|francs?|yen)\b", 1.0),
        (r"\btipo\s+de\s+cambio\b", 1.0),
        (r"\bcambio\s+de\s+(?:divisa|moneda)s?\b", 1.0),
        (r"\bdivisas?\b", 0.6),
        (r"\bwechselkurs\w*", 1.0),
        (r"\bfremdwahrung\w*", 0.7),
        (r"\bumrechnung\w*", 0.6),
        (r"\btaux\s+de\s+change\b", 1.0),
        (r"\bdevises?\b", 0.6),
    ),
    "dispute_transaction": (
        (r"\b(?:don'?t|do\s+not|didn'?t|did\s+not)\s+(?:recogni[sz]e|know|make|authori[sz]e)\b"
         rf".{{0,30}}\b{_TXN}\b", 1.0),
        (r"\b(?:unknown|unrecogni[sz]ed|unauthori[sz]ed|suspicious|strange|weird|fraudulent"
         rf"|wrong)\s+(?:\w+\s+)?{_TXN}\b", 1.0),
        (r"\bdisput\w*", 1.0),
        (r"\b(?:charged|billed|debited)\s+(?:me\s+)?(?:twice|double|two\s+times|too\s+much"
         r"|wrong)", 1.0),
        (r"\bdouble\s+(?:charged|charge|payment)\b", 1.0),
        (r"\bchargeback\b", 1.0),
        (rf"\b{_TXN}\b.{{0,30}}\b(?:never\s+made|not\s+mine|(?:don'?t|do\s+not|didn'?t"
         r"|did\s+not)\s+(?:recogni[sz]e|know|make|authori[sz]e))\b", 1.0),
        (r"\bno\s+reconozco\b", 1.0),
        (r"\b(?:cargo|pago|movimiento|compra)s?\s+(?:\w+\s+)?(?:desconocido|no\s+autorizado"
         r"|extrano|duplicado|indebido)s?\b", 1.0),
        (r"\b(?:disputar|reclamar|impugnar)\b", 0.8),
        (r"\bcobrado\s+(?:dos\s+veces|de\s+mas)\b", 1.0),
        (r"\b(?:abbuchung|zahlung|buchung|belastung|transaktion)\w*\b.{0,40}"
         r"\b(?:nicht\s+erkenne|nicht\s+kenne|nicht\s+gemacht|nicht\s+autorisiert|unbekannt"
         r"|doppelt)", 1.0),
        (r"\b(?:erkenne|kenne)\b.{0,40}\b(?:abbuchung|zahlung|buchung|belastung|transaktion)"
         r"\w*\b.{0,20}\bnicht\b", 1.0),
        (r"\b(?:unbekannte|fremde|doppelte|falsche)\s+(?:abbuchung|zahlung|buchung|belastung"
         r"|transaktion)", 1.0),
        (r"\b(?:reklamieren|reklamation|widersprechen|widerspruch)\b", 0.8),
        (r"\bje\s+ne\s+reconnais\s+pas\b", 1.0),
        (r"\b(?:paiement|transaction|prelevement|debit|achat)s?\s+(?:\w+\s+)?(?:inconnu"
         r"|frauduleux|non\s+autorise|suspect|en\s+double)e?s?\b", 1.0),
        (r"\bcontest\w*", 0.9),
        (r"\bdebite\s+deux\s+fois\b", 1.0),
    ),
    "refund_request": (
        (r"\brefund\w*", 1.0),
        (r"\bmoney\s+back\b", 1.0),
        (r"\breimburs\w*", 1.0),
        (r"\b(?:return|give|send)\s+(?:me\s+)?(?:back\s+)?(?:my|the)\s+money\b", 1.0),
        (r"\b(?:reembolso|reembolsar|devolucion|devolver|devuelvan)\b", 1.0),
        (r"\b(?:ruckerstattung|erstattung|erstatten|zuruckerstatten)\b", 1.0),
        (r"\bgeld\s+zuruck\b", 1.0),
        (r"\brembours\w*", 1.0),
    ),
    "transfer_timing": (
        (r"\btransfers?\b|\btransferr?(?:ed|ing)\b", 0.7),
        (r"\bwire\b", 0.5),
        (r"\bsend(?:ing)?\s+money\b", 0.8),
        (r"\bsepa\b", 0.8),
        (r"\b(?:how\s+long|when)\b.{0,40}\b(?:transfer|payment|money)\b.{0,30}"
         r"\b(?:take|arrive|reach|clear|go\s+through)", 0.6),
        (r"\b(?:transfer|payment)\s+limits?\b", 1.0),
        (r"\b(?:pending|stuck)\b.{0,20}\b(?:transfer|payment)", 0.6),
        (r"\btransferencias?\b", 0.8),
        (r"\benviar\s+dinero\b", 0.8),
        (r"\buberweisung\w*", 0.8),
        (r"\buberweisen\b", 0.8),
        (r"\bgeld\s+(?:senden|schicken)\b", 0.8),
        (r"\bvirements?\b", 0.8),
        (r"\benvoyer\s+de\s+l'?argent\b", 0.8),
    ),
    "top_up": (
        (r"\btop(?:\s|-)?(?:up|ups)\b|\btopp(?:ed|ing)\s+up\b", 1.0),
        (r"\b(?:add|load|put|deposit)\w*\s+(?:some\s+)?(?:money|funds|cash|credit)\b", 1.0),
        (r"\bdeposit\w*\b", 0.5),
        (r"\b(?:apple|google)\s+pay\b", 0.5),
        (r"\brecarg\w*", 1.0),
        (r"\b(?:anadir|agregar|ingresar|meter)\s+(?:dinero|saldo|fondos)\b", 1.0),
        (r"\b(?:aufladen|aufgeladen|aufladung)\b", 1.0),
        (r"\bgeld\s+(?:einzahlen|hinzufugen)\b", 1.0),
        (r"\beinzahl\w*", 0.6),
        (r"\brecharg\w*", 1.0),
        (r"\b(?:ajouter|deposer)\s+(?:de\s+l'?argent|des\s+fonds)\b", 1.0),
        (r"\balimenter\b", 0.7),
    ),
    "security_phishing": (
        (r"\bphish\w*", 1.0),
        (r"\bscam\w*", 1.0),
        (r"\b(?:smish|vish)\w*", 1.0),
        (r"\bsuspicious\s+(?:e-?mail|call|text|sms|message|link|website|site|phone\s+call)s?\b",
         1.0),
        (r"\b(?:asked|asking|asks|wants?|wanted)\s+(?:me\s+)?(?:for\s+)?(?:my\s+)?"
         r"(?:pin|password|passcode|one[-\s]time\s+code|otp|security\s+code"
         r"|verification\s+code|card\s+details)\b", 1.0),
        (r"\b(?:someone|somebody|a\s+man|a\s+woman|caller)\b.{0,40}"
         r"\b(?:called|phoned|texted|emailed|claim\w*)\b", 0.5),
        (r"\bdo\s+you\s+(?:ever\s+)?(?:ask|call|text|email)\b", 0.6),
        (r"\bis\s+(?:this|that|it)\s+(?:e-?mail\s+|call\s+|text\s+|sms\s+|message\s+|link\s+)?"
         r"(?:really\s+|actually\s+)?(?:from\s+you|from\s+northwind|legit\w*|genuine|real"
         r"|fake)\b", 1.0),
        (r"\bsafe\s+account\b", 1.0),
        (r"\bfraud\w*\s+(?:call|e-?mail|text|sms|message)", 1.0),
        (r"\b(?:estafa|fraude|timo|phishing|suplantacion)\b", 1.0),
        (r"\bme\s+(?:pidieron|piden|pidio)\s+(?:el|mi)\s+(?:pin|contrasena|codigo)", 1.0),
        (r"\b(?:betrug\w*|betruger\w*|abzocke)\b", 1.0),
        (r"\b(?:pin|passwort|tan|code)\b.{0,30}\b(?:gefragt|verlangt|wollte|fragen)\b", 1.0),
        (r"\bverdachtig\w*", 0.7),
        (r"\b(?:arnaque\w*|escroquer\w*|hameconnage)\b", 1.0),
        (r"\bdemand\w*\s+(?:mon|le)\s+(?:code|pin|mot\s+de\s+passe)\b", 1.0),
    ),
    "opening_hours": (
        (r"\bopening\s+(?:hours|times)\b", 1.0),
        (r"\b(?:business|office|working|service|support)\s+hours\b", 1.0),
        (r"\b(?:what\s+time|when)\b.{0,30}\b(?:open|close|closed|available|reach)\b", 0.8),
        (r"\bare\s+you\s+(?:open|available|closed)\b", 1.0),
        (r"\b(?:call|phone|contact|reach)\s+(?:you|the\s+bank|northwind|support"
         r"|customer\s+service)\b", 0.8),
        (r"\b(?:phone|telephone|contact)\s+(?:number|details)\b", 0.8),
        (r"\bbranch(?:es)?\b", 0.6),
        (r"\bopen\s+on\s+(?:saturdays?|sundays?|weekends?|holidays?)\b", 1.0),
        (r"\bhorarios?\b", 1.0),
        (r"\b(?:a\s+que\s+hora|cuando)\b.{0,30}\b(?:abr\w*|cierr\w*|atienden)\b", 1.0),
        (r"\bsucursal(?:es)?\b", 0.5),
        (r"\b(?:offnungszeit|geschaftszeit|servicezeit|sprechzeit)\w*", 1.0),
        (r"\berreichbar\w*", 0.8),
        (r"\bwann\b.{0,30}\b(?:geoffnet|offen)\b", 0.8),
        (r"\bfiliale\w*", 0.5),
        (r"\btelefonnummer\b", 0.8),
        (r"\bhoraires?\b", 1.0),
        (r"\bheures?\s+d'?ouverture\b", 1.0),
        (r"\b(?:joindre|contacter)\b", 0.7),
        (r"\bagences?\b", 0.5),
        (r"\bnumero\s+de\s+telephone\b", 0.8),
    ),
    "change_address": (
        (r"\b(?:change|update|correct|edit|new)\s+(?:my\s+|the\s+|our\s+)?(?:home\s+|postal\s+"
         r"|mailing\s+|billing\s+|residential\s+|street\s+)?address\b", 1.0),
        (r"\baddress\s+change\b", 1.0),
        (r"\b(?:moved|moving|relocat\w*)\b", 0.7),
        (r"\bnew\s+(?:home|flat|apartment|house)\b", 0.6),
        (r"\b(?:cambiar|actualizar|modificar|cambio\s+de)\s+(?:mi\s+|la\s+)?"
         r"(?:direccion|domicilio)\b", 1.0),
        (r"\bme\s+(?:he\s+)?mud(?:e|ado)\b|\bmudanza\b", 0.7),
        (r"\b(?:adresse|anschrift|wohnsitz)\w*\b.{0,20}\b(?:andern|aktualisieren|anpassen"
         r"|geandert|korrigieren)\b", 1.0),
        (r"\b(?:adressanderung|adresswechsel|neue\s+adresse|neue\s+anschrift)\b", 1.0),
        (r"\bumgezogen\b|\bumzug\b|\bziehe\s+um\b", 0.7),
        (r"\b(?:changer|modifier|mettre\s+a\s+jour|changement)\s+(?:de\s+|d'|l'|mon\s+)?"
         r"adresse\b", 1.0),
        (r"\bdemenag\w*", 0.7),
        (r"\bnouvelle\s+adresse\b", 1.0),
    ),
    "greeting": (
        (r"^\W*(?:hi|hello|hey|hiya|howdy|good\s+(?:morning|afternoon|evening|day)|hola"
         r"|buenos\s+dias|buenas(?:\s+tardes|\s+noches)?|hallo|guten\s+(?:tag|morgen|abend)"
         r"|servus|moin|bonjour|bonsoir|salut|coucou)"
         r"(?:\s+(?:there|team|all|everyone|northwind|bot))?\W*$", 1.0),
        (r"^\W*(?:hi|hello|hey|good\s+(?:morning|afternoon|evening)|hola|buenos\s+dias|hallo"
         r"|guten\s+(?:tag|morgen)|bonjour|salut)\b", 0.25),
    ),
    "goodbye": (
        (r"^\W*(?:(?:thanks?|thank\s+you|thx|ty|cheers|ok|okay|great|perfect)"
         rf"(?:\s+(?:so|very)\s+much)?\W*)?{_BYE}(?:\W+{_BYE})*\W*$", 1.0),
        (r"^\W*(?:thanks?|thank\s+you|thx|ty|cheers|gracias|muchas\s+gracias|danke"
         r"|danke\s+schon|vielen\s+dank|merci|merci\s+beaucoup)"
         r"(?:\s+(?:so|very)\s+much)?(?:\s+(?:for\s+(?:your|the)\s+help|a\s+lot))?\W*$", 0.8),
        (r"\b(?:goodbye|bye|adios|tschuss|au\s+revoir)\b", 0.5),
    ),
    "human_request": (
        (r"\b(?:talk|speak|chat)\w*\s+(?:to|with)\s+(?:a\s+|an\s+|some\s+|your\s+|real\s+"
         r"|actual\s+|live\s+)*(?:human|person|people|agent|representative|rep|someone"
         r"|somebody|advis[oe]r|operator|staff|employee|manager|colleague)s?\b", 1.0),
        (r"\b(?:real|live|actual)\s+(?:human|person|agent|people)\b", 1.0),
        (r"\bhuman\s+(?:agent|being|advis[oe]r|support|please)\b", 1.0),
        (r"\b(?:get|want|need|give|connect|transfer|put)\s+(?:me\s+)?(?:to\s+|with\s+"
         r"|through\s+to\s+)?(?:a\s+|an\s+)?(?:human|person|representative|real\s+person"
         r"|operator)\b", 1.0),
        (r"^\W*(?:human|agent|representative|operator|person)\W*(?:please|pls)?\W*$", 1.0),
        (r"\b(?:no|not|don'?t\s+want|stop)\b.{0,20}\b(?:bot|robot|machine|chatbot)s?\b", 0.8),
        (r"\bhablar\s+con\s+(?:una?\s+|algun\s+)?(?:persona|humano|agente|asesora?"
         r"|operadora?|empleado|alguien)\b", 1.0),
        (r"\bpersona\s+real\b", 1.0),
        (r"\bmit\s+(?:einem|einer|jemandem)\s+(?:echten\s+|richtigen\s+)?(?:menschen|mensch"
         r"|mitarbeiter\w*|berater\w*|person|kundenberater\w*|sachbearbeiter\w*)\b", 1.0),
        (r"\b(?:echten|richtigen)\s+menschen\b", 1.0),
        (r"\bparler\s+(?:a|avec)\s+(?:un|une|quelqu'?un)\s*(?:vrai\s+|vraie\s+)?"
         r"(?:conseiller|conseillere|humain|personne|agent|operateur|operatrice)?\b", 1.0),
        (r"\bvraie?\s+(?:humain|personne)\b", 1.0),
    ),
}  # fmt: skip

INTENTS: tuple[str, ...] = tuple(DEFAULT_PATTERNS)

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def fold(text: str) -> str:
    """Fold a message for intent patterns: no accents, casefolded, plain apostrophes."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold().translate(_APOSTROPHES)


class IntentMatch(NamedTuple):
    """One ranked intent with its confidence in [0, 1]."""

    intent: str
    confidence: float


class IntentMatcher:
    """Ranks intents for a message from weighted regex patterns (see the module docs)."""

    def __init__(
        self,
        patterns: Mapping[str, Sequence[tuple[str, float]]] | None = None,
        *,
        saturation: float = 0.35,
        sharpness: float = 3.0,
    ) -> None:
        if saturation <= 0 or sharpness <= 0:
            raise ConfigError("intent matcher saturation and sharpness must be positive")
        source = DEFAULT_PATTERNS if patterns is None else patterns
        compiled: dict[str, tuple[tuple[re.Pattern[str], float], ...]] = {}
        for intent, entries in source.items():
            items = []
            for i, (pattern, weight) in enumerate(entries):
                if not 0.0 < weight <= 1.0:
                    raise ConfigError(f"intent {intent}: pattern #{i + 1} weight must be in (0, 1]")
                try:
                    items.append((re.compile(pattern), weight))
                except re.error as exc:
                    raise ConfigError(
                        f"intent {intent}: pattern #{i + 1} is invalid: {exc}"
                    ) from None
            compiled[intent] = tuple(items)
        self._patterns = compiled
        self.saturation = saturation
        self.sharpness = sharpness

    @property
    def intents(self) -> tuple[str, ...]:
        return tuple(self._patterns)

    def evidence(self, text: str) -> dict[str, float]:
        """Summed weights of the matching patterns, for intents with any match."""
        folded = fold(text)
        scores: dict[str, float] = {}
        for intent, items in self._patterns.items():
            total = sum(w for rx, w in items if rx.search(folded) is not None)
            if total > 0:
                scores[intent] = total
        return scores

    def rank(self, text: str) -> list[IntentMatch]:
        """Intents with any evidence, most confident first (ties by name)."""
        scores = self.evidence(text)
        if not scores:
            return []
        top = max(scores.values())
        weights = {i: math.exp(self.sharpness * (s - top)) for i, s in scores.items()}
        total = sum(weights.values())
        matches = [
            IntentMatch(i, (s / (s + self.saturation)) * (weights[i] / total))
            for i, s in scores.items()
        ]
        matches.sort(key=lambda m: (-m.confidence, m.intent))
        return matches

    def best(self, text: str) -> IntentMatch | None:
        ranked = self.rank(text)
        return ranked[0] if ranked else None
