"""A small trained NER detector (pure-Python inference) for names, places and the like.

Quick use::

    from trustdesk.privacy.ner import NerDetector

    NerDetector().analyze("hi, this is Maria Keller from Denver")
    # [Finding(entity_type='PERSON', start=12, end=24, ...),
    #  Finding(entity_type='LOCATION', start=30, end=36, ...)]

Types: PERSON, LOCATION, STREET_ADDRESS, ORGANIZATION, NRP, TITLE. The model is a
BIO tagger (multinomial logistic regression over sparse token features and
gazetteers, pruned beam decoding), trained on synthetic contact-center messages by
``scripts/train_ner.py``; see ``trustdesk/models/pii-ner/MODEL_CARD.md``.
"""

from __future__ import annotations

from trustdesk.privacy.ner.detector import NER_ENTITY_TYPES, NerDetector
from trustdesk.privacy.ner.model import NerModel, NerSpan, load_default_model

__all__ = ["NER_ENTITY_TYPES", "NerDetector", "NerModel", "NerSpan", "load_default_model"]
