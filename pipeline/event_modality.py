"""The modality of an event candidate: named rules, tried in the order configs/event_types.yaml lists them.

``modality.rules`` are tried on the candidate; the first that decides (returns a modality) wins, else the
happening is ``asserted``. The rule ``head_chain`` tries ``modality.chain_rules`` on the trigger and on
each head above it (at most ``windows.chain_heads``, through the dependencies of :data:`CHAIN_DEPS`):
"did not attack", "threatened to attack", "if they attack". Each rule is registered by name with
:func:`rule` and has a docstring saying what it decides. No spaCy import: the rules read tokens only.
"""

from __future__ import annotations

from typing import Callable

RULES: dict[str, Callable] = {}          # name -> rule(candidate, tax) -> modality | None
CHAIN_RULES: dict[str, Callable] = {}    # name -> rule(token, candidate, tax) -> modality | None
# the dependencies by which a trigger's modality comes from its head
CHAIN_DEPS = ("xcomp", "ccomp", "dobj", "pobj", "prep", "advcl", "acl", "nsubj", "nsubjpass", "compound", "amod")
VERBAL = ("VERB", "AUX")


def rule(name: str, registry: dict = RULES):
    """Register a modality rule under ``name`` (the name the rule file lists)."""
    def add(fn):
        registry[name] = fn
        return fn
    return add


def modality(c, tax, rules: list[Callable]) -> str:
    """The first decision of ``rules`` on candidate ``c``, else "asserted"."""
    for fn in rules:
        got = fn(c, tax)
        if got is not None:
            return got
    return "asserted"


def head_chain(tok, tax) -> list:
    """The trigger and the heads above it whose modality reaches it."""
    chain, t = [tok], tok
    for _ in range(tax.windows["chain_heads"]):
        if t.head.i == t.i or t.dep_ not in CHAIN_DEPS:
            break
        t = t.head
        chain.append(t)
    return chain


@rule("infinitive")
def infinitive(c, tax) -> str | None:
    """A verbal trigger in the infinitive is a plan or purpose, not a report ("met to discuss"): hypothetical."""
    if not c.nominal and any(ch.dep_ == "aux" and ch.tag_ == "TO" for ch in c.token.children):
        return "hypothetical"
    return None


@rule("unverified_word")
def unverified_word(c, tax) -> str | None:
    """An unverified-report word on the trigger ("50 hostages reportedly executed"): hedged."""
    if any(ch.lower_ in tax.lex.unverified for ch in c.token.children):
        return "hedged"
    return None


@rule("unverified_source")
def unverified_source(c, tax) -> str | None:
    """A verb above the trigger whose subject or adverb is an unverified source ("Rumours on social media
    claimed that multiple targets were attacked"): hedged."""
    for t in c.token.ancestors:
        if t.pos_ == "VERB" and any(ch.dep_ in ("nsubj", "advmod") and any(
                x.lower_ in tax.lex.unverified for x in ch.subtree) for ch in t.children):
            return "hedged"
    return None


@rule("head_chain")
def on_head_chain(c, tax) -> str | None:
    """The first decision of the chain rules on the trigger, then on each head above it."""
    rules = [CHAIN_RULES[name] for name in tax.modality_chain_rules]
    for t in head_chain(c.token, tax):
        for fn in rules:
            got = fn(t, c, tax)
            if got is not None:
                return got
    return None


@rule("negation", CHAIN_RULES)
def negation(t, c, tax) -> str | None:
    """A negated verb ("did not attack"): negated."""
    if t.pos_ in VERBAL and any(ch.dep_ == "neg" for ch in t.children):
        return "negated"
    return None


@rule("negative_argument", CHAIN_RULES)
def negative_argument(t, c, tax) -> str | None:
    """A verb whose subject or object has a negative determiner ("no Chinese nationals were killed"): negated."""
    if t.pos_ in VERBAL and any(ch.dep_ in ("nsubj", "nsubjpass", "dobj") and any(
            d.lower_ in tax.lex.negative and d.dep_ == "det" for d in ch.children) for ch in t.children):
        return "negated"
    return None


@rule("modal", CHAIN_RULES)
def modal(t, c, tax) -> str | None:
    """A verb with a modal auxiliary of ``modal_words`` ("could attack"): hypothetical."""
    if t.pos_ in VERBAL and any(ch.dep_ == "aux" and ch.lower_ in tax.modal_words for ch in t.children):
        return "hypothetical"
    return None


@rule("plan_verb", CHAIN_RULES)
def plan_verb(t, c, tax) -> str | None:
    """A head above the trigger of ``hypothetical_heads`` ("threatened to attack", "plans to sign"): hypothetical."""
    if t.i != c.token.i and t.lemma_.lower() in tax.hypothetical_heads:
        return "hypothetical"
    return None


@rule("condition", CHAIN_RULES)
def condition(t, c, tax) -> str | None:
    """A clause opened by a word of ``conditional_marks`` ("if they attack"): hypothetical."""
    if any(ch.dep_ == "mark" and ch.lower_ in tax.conditional_marks for ch in t.children):
        return "hypothetical"
    return None
