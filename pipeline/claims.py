"""Claims stage: who claims what, with attribution, hedging and denial.

A parsed Doc and its linked mentions in, claim rows out. The cues are data in
configs/claim_cues.yaml (:class:`Cues`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from .claim_author import author_claims, no_response_claims
from .claim_modality import RULES as MODALITY_RULES, modality as claim_modality
from .claim_quotes import first_person_speakers, primary_first, quote_claims, quote_pattern
from .context import DocContext
from .cue_matcher import Cue, CueMatcher, of_reporting_noun
from .rules import CUE_LISTS, Lexicon, default_lexicon_path, load_lexicon, low, read_cues
from .schemas import make_row
from .resolve import Resolver, name_before
from .syntax import clause_bounds


@dataclass
class Cues:
    """configs/claim_cues.yaml, lower-cased, with the shared :class:`Lexicon`."""
    words: dict[str, frozenset]           # every word list of the file by its key ("reporting_verbs", ...)
    phrases: dict[tuple, str]
    denial_phrases: list[tuple]
    source_phrases: frozenset             # word tuples
    generic_speakers: dict
    windows: dict[str, int]
    lex: Lexicon
    modality_rules: tuple[str, ...] = ()      # names of the modality rules, in order

    def __getattr__(self, key: str) -> frozenset:
        """A word list by its key in the rule file (``cues.reporting_verbs``)."""
        words = self.__dict__.get("words")
        if words is not None and key in words:
            return words[key]
        raise AttributeError(key)

    @property
    def hedges(self) -> frozenset:
        """Words in a claim or its cue that make it hedged: the uncertain and unverified ones."""
        return self.lex.uncertain | self.lex.unverified

    @property
    def group_pronouns(self) -> frozenset:
        """Speakers standing for a group named before: 'it', 'they', 'the group' ..."""
        return self.lex.group_pronouns | self.lex.plural_pronouns | self.lex.group_references


def load_cues(path: str | Path, lexicon: Lexicon | None = None) -> Cues:
    """configs/claim_cues.yaml, validated strictly; ``lexicon`` defaults to configs/lexicon.yaml beside it."""
    path = Path(path)
    d = read_cues(path)
    phrases = {tuple(k.lower().split()): v for k, v in d["phrases"].items()}
    sources = frozenset(tuple(p.lower().split()) for p in d["source_phrases"])
    return Cues({k: low(d[k]) for k in CUE_LISTS}, phrases, [tuple(p.lower().split()) for p in d["denial_phrases"]],
                sources, {k.lower(): v for k, v in d["generic_speakers"].items()}, dict(d["windows"]),
                lexicon or load_lexicon(default_lexicon_path(path)), tuple(d["modality_rules"]))


class ClaimExtractor:
    """Claim rows of a document: cues (:class:`CueMatcher`) -> speaker token and content by the kind of
    cue -> the speaker (:class:`Resolver`), modality (pipeline/claim_modality.py), triple and date; then
    the author's assessments of each sentence (pipeline/claim_author.py) and the direct quotes
    (pipeline/claim_quotes.py)."""

    def __init__(self, cues: Cues, aliases=None, *, vocab=None, resolver: Resolver | None = None):
        self.cues = cues
        self.aliases = aliases
        self.resolver = resolver or Resolver(cues.lex, cues=cues, aliases=aliases)
        self.modality_rules = [MODALITY_RULES[name] for name in cues.modality_rules]
        self._matcher = CueMatcher(cues, vocab=vocab) if vocab is not None else None
        self.quotes = quote_pattern(cues.windows["quote_min_chars"])

    def cue_matcher(self, doc: Doc) -> CueMatcher:
        """The cue matcher (built on the first Doc's vocab when none was given)."""
        if self._matcher is None or self._matcher.vocab is not doc.vocab:
            self._matcher = CueMatcher(self.cues, vocab=doc.vocab)
        return self._matcher

    def extract(self, ctx: DocContext) -> list[dict]:
        doc, doc_id, published, by_token, dates, sent_of = (ctx.doc, ctx.doc_id, ctx.published, ctx.by_token,
                                                            ctx.dates, ctx.sent_of)
        rows: list[dict] = []
        first_person: set[str] = set()
        cue_at: dict[str, int] = {}
        cues = self.cue_matcher(doc)(doc)
        for sidx, sent in ctx.sentences:
            found = 0
            for cue in cues.get(sent.start, ()):
                got = self._row(doc, doc_id, sent, sidx, cue, by_token, dates, published, rows, sent_of,
                                ctx.country)
                if any(c.dep_ == "nsubj" and c.lower_ in self.cues.first_person_pronouns for c in cue.token.children):
                    first_person.update(r["claim_id"] for r in got)
                cue_at.update((r["claim_id"], cue.token.idx) for r in got)
                rows += got
                found += len(got)
            covered = [(r["start_char"], r["end_char"]) for r in rows[len(rows) - found:]]
            rows += author_claims(sent, sidx, doc_id, published, covered, self.cues,
                                  lambda head: self._triple(head, by_token))
            rows += no_response_claims(sent, sidx, doc_id, published, covered, self.cues,
                                       lambda head: self._triple(head, by_token))
        rows = quote_claims(rows, doc, sent_of, self.quotes, self.cues.windows, self._modality,
                            lambda root: self._triple(root, {}))
        rows = first_person_speakers(rows, first_person, doc, self.quotes, sent_of, self.cues.windows)
        return primary_first(rows, cue_at, doc.text, self.quotes, self.cues.relay_cues)

    # one claim: speaker token and content by the kind of cue, then speaker, modality, triple, date -------
    def _noun_claim(self, doc, sent, tok, by_token):
        """"Trump's praise for ...", "per BLA claims", "Islamabad's assurances of ...": the possessor (or a
        "by"/"from" phrase) speaks; the content is the noun's phrase after it. No speaker, no claim."""
        speaker_tok = next((c for c in tok.children if c.dep_ in ("poss", "compound") and by_token.get(c.i)), None)
        if speaker_tok is None:
            by = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in self.cues.source_prepositions),
                      None)
            speaker_tok = next((g for g in by.children if g.dep_ == "pobj"), None) if by is not None else None
        after = [c for c in tok.children if c.i > tok.i and c.dep_ in ("prep", "acl", "ccomp", "relcl")]
        content = doc[tok.i: max(c.right_edge.i for c in after) + 1] if after else sent
        return None if speaker_tok is None else (speaker_tok, content)

    @staticmethod
    def _source_claim(doc, sent, tok):
        """"According to X, ...": X speaks; the claim is the longer other half of the sentence."""
        to = tok.doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        speaker_tok = next((c for c in (to.children if to is not None else []) if c.dep_ == "pobj"), None)
        end = speaker_tok.right_edge.i if speaker_tok is not None else tok.i + 1
        before = [t for t in sent if t.i < tok.i and not (t.is_punct or t.is_space)]
        after = [t for t in sent if t.i > end and not (t.is_punct or t.is_space)]
        side = before if len(before) >= len(after) else after
        return speaker_tok, (doc[side[0].i: side[-1].i + 1] if side else None)

    def _verb_claim(self, doc, sent, tok, cue: Cue, by_token):
        """A cue verb or phrase: its speaker (:meth:`_verb_speaker`), and what it reports: its clause or
        object, the phrase a participle modifies ("the attack, claimed by ..."), or what comes before an
        inverted cue ("Two people were killed, the military said")."""
        speaker_tok, content = self._verb_speaker(tok, sent, by_token), None
        comp = [c for c in tok.children if c.dep_ in ("ccomp", "xcomp")]
        if not comp and tok.dep_ in ("acl", "relcl") and passive_or_agent(tok):
            content = doc[tok.head.left_edge.i: tok.i]
        if cue.kind == "phrase" or (not comp and content is None):
            comp += [c for c in tok.children if c.dep_ in ("dobj", "prep") and c.i > tok.i]
        if content is None and comp:
            content = doc[min(c.left_edge.i for c in comp): max(c.right_edge.i for c in comp) + 1]
        elif content is None and tok.dep_ in ("parataxis", "ccomp", "advcl", "conj") and tok.i > sent.start:
            before = [t for t in sent if t.i < tok.left_edge.i and not t.is_punct]
            content = doc[before[0].i: before[-1].i + 1] if before else None
        return speaker_tok, content

    def _nobody(self, speaker_tok) -> bool:
        """"No group claimed responsibility", "neither side": nobody speaks (the author notes an absence)."""
        return speaker_tok is not None and (speaker_tok.lower_ in self.cues.nobody_words or any(
            (d.dep_ == "det" and d.lower_ in self.cues.lex.negative) or d.lower_ in self.cues.nobody_determiners
            for d in speaker_tok.children))

    def _row(self, doc, doc_id, sent, sidx, cue: Cue, by_token, dates, published, rows, sent_of,
             country=None) -> list[dict]:
        """The claim rows of one cue: none, or the claim of its speaker and one more for each speaker
        coordinated with it ("X and Y condemned": several claims)."""
        tok = cue.token
        if cue.kind == "noun":
            found = self._noun_claim(doc, sent, tok, by_token)
            if found is None:
                return []
        elif cue.kind == "according":
            found = self._source_claim(doc, sent, tok)
        else:
            found = self._verb_claim(doc, sent, tok, cue, by_token)
        speaker_tok, content = found
        nobody = self._nobody(speaker_tok)
        if nobody and (content is None or len(content) < 3):
            start, end = clause_bounds(tok)
            content = doc[start:end]
        if content is not None:
            content = _strip_punct(content, self.cues.complementizers)
        if content is None or len(content) < 2:
            return []
        silent = unspoken(tok, cue)
        if nobody or silent:
            # "No group claimed responsibility", "the military has not announced any attack": the author
            # notes an absence
            speaker_tok = None
        speaker = self.resolver.speaker(speaker_tok, by_token, rows, sent_of, country=country)
        if speaker is None and speaker_tok is not None and speaker_tok.pos_ != "PRON" \
                and speaker_tok.lower_ not in self.cues.source_nouns \
                and speaker_tok.lemma_.lower() not in self.cues.source_nouns \
                and not (cue.lemma in self.cues.speech_verbs and speaker_tok.pos_ in ("NOUN", "PROPN")):
            return []
        if speaker_tok is not None and speaker is None and speaker_tok.pos_ == "PRON" \
                and speaker_tok.lower_ not in self.cues.kept_pronouns:
            speaker_name = None
        else:
            speaker_name = speaker.canonical_name if speaker else (
                repeated_source(speaker_tok, rows, self.cues.lex.definite) or self._np(speaker_tok))
        modality, negated = self._modality(cue, content, tok)
        if nobody or silent and modality == "reported":
            modality, negated = "denied", True
        if speaker_tok is None and cue.kind == "verb" and modality == "reported":
            return []
        root = content.root
        subj, subj_id, obj, obj_id = self._triple(root, by_token)
        date = self._date(tok, content, dates, published, sent_of)
        # the evidence: cue, speaker and content
        start = min(content.start, tok.i, speaker_tok.left_edge.i if speaker_tok is not None else tok.i)
        end = max(content.end, tok.i + 1, speaker_tok.right_edge.i + 1 if speaker_tok is not None else 0)
        start, end = max(start, sent.start), min(end, sent.end)
        while end > start + 1 and doc[end - 1].is_punct and doc[end - 1].text not in "”\"":
            end -= 1
        span = doc[start:end]
        row = make_row("claims", **{
            "claim_id": f"{doc_id}-{sidx}-{tok.idx}", "doc_id": doc_id, "sent_idx": sidx,
            "start_char": span.start_char, "end_char": span.end_char,
            "speaker_id": (speaker.entity_id or None) if speaker else None, "speaker_name": speaker_name,
            "cue": cue.lemma, "modality": modality, "negated": negated,
            "subject": subj, "subject_id": subj_id, "predicate": root.lemma_.lower() if root.pos_ in ("VERB", "AUX")
            else None, "object": obj, "object_id": obj_id, "quote": None, "content": content.text,
            "date": date[0], "date_precision": date[1], "date_method": date[2],
            "confidence": round(0.5 + 0.3 * (speaker is not None) + 0.2 * (cue.kind != "phrase"), 2),
        })
        more = self.resolver.conjunct_speakers(speaker_tok, by_token, rows, sent_of, country) \
            if speaker is not None and speaker_tok is not None else []
        if not more:
            return [row]
        # one claim per speaker, the first named first
        speakers = sorted([speaker] + [m for m in more if m.entity_id != speaker.entity_id or not m.entity_id],
                          key=lambda m: m.start)
        return [{**row, "claim_id": row["claim_id"] + (f"-{k}" if k else ""), "speaker_id": m.entity_id or None,
                 "speaker_name": m.canonical_name} for k, m in enumerate(speakers)]

    def _verb_speaker(self, tok: Token, sent: Span, by_token) -> Token | None:
        """Who says it, for a cue verb: its subject or agent, else what the parse leaves in reach."""
        speaker_tok = None
        for c in tok.children:
            if c.dep_ in ("nsubj", "agent"):
                speaker_tok = c if c.dep_ == "nsubj" else next((g for g in c.children if g.dep_ == "pobj"), None)
                break
        subjects = [c for c in tok.children if c.dep_ == "nsubj"]
        if len(subjects) > 1:
            # a parse with several subjects ("the Vice - president", "..., the military's media wing said"):
            # a named one or a source noun, the nearest to the verb
            speaker_tok = next((c for c in reversed(subjects) if by_token.get(c.i) is not None
                                or c.lemma_.lower() in self.cues.source_nouns), subjects[-1])
        if speaker_tok is None and of_reporting_noun(tok, self.cues):
            speaker_tok = self._document_owner(tok)      # "Cisse issued a statement calling for dialogue"
        if speaker_tok is None:     # "with Interior Minister Mohsin Naqvi labeling them"
            speaker_tok = name_before(tok, by_token, window=self.cues.windows["speaker_name_tokens"])
        if speaker_tok is None and tok.dep_ == "conj" and tok.i > sent.start and doc_punct_before(tok):
            # "..., the regional police director, Brigadier General Allan Nobleza, told reporters": the name
            # just before an inverted cue, not the subject of the clause it is coordinated with
            speaker_tok = name_before(tok, by_token, window=self.cues.windows["inverted_speaker_tokens"],
                                      lower=sent.start, stop_at_punct=False)
        if speaker_tok is None and tok.dep_ == "xcomp" and tok.head.pos_ == "VERB":
            # object control: "prompting Beijing to demand", "urged the group to ..."
            speaker_tok = next((c for c in tok.head.children if c.dep_ == "dobj"), None)
        if speaker_tok is None and tok.dep_ in ("advcl", "conj", "xcomp") and tok.head.pos_ == "VERB":
            speaker_tok = self._governing_speaker(tok)      # ", adding that"
        if speaker_tok is None and any(c.dep_ == "ccomp" and c.i < tok.i for c in tok.children):
            # "..., its managing director, Furrukh Khan, said.": the parser may hang the speaker elsewhere;
            # take the name or source noun just before the cue
            speaker_tok = name_before(tok, by_token, window=self.cues.windows["inverted_speaker_tokens"],
                                      lower=sent.start, stop_at_punct=False,
                                      nouns=self.cues.source_nouns)
        if speaker_tok is None:
            speaker_tok = inverted_speaker(tok, by_token, self.cues.source_nouns)
        if speaker_tok is not None and speaker_tok.tag_ in ("WP", "WDT") and tok.dep_ == "relcl":
            speaker_tok = tok.head     # "Richard Grenell, who tweeted ...": the one the clause is about
        return speaker_tok

    def _governing_speaker(self, tok: Token) -> Token | None:
        """The speaker of a cue hanging from another verb (", adding that ..."): the subject of the nearest
        reporting verb above it ("he said the attack occurred at 5pm, adding that ..." is his), else the
        subject of the verb it hangs from."""
        first = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
        t = tok.head
        for _ in range(3):
            if t.lemma_.lower() in self.cues.reporting_verbs:
                found = next((c for c in t.children if c.dep_ == "nsubj"), None)
                if found is not None:
                    return found
            if t.head.i == t.i:
                break
            t = t.head
        return first

    def _document_owner(self, tok: Token) -> Token | None:
        """Who a reporting noun a cue participle describes belongs to: its possessor or "by"/"from" phrase
        ("the army's statement condemning ...", "a statement from the ministry urging ..."), else the subject
        of the verb it is the object of ("the president released a statement condemning ...")."""
        while tok.dep_ == "conj" and tok.head.pos_ == "VERB":
            tok = tok.head
        noun = tok.head
        for c in noun.children:
            if c.dep_ == "poss":
                return c
            if c.dep_ == "prep" and c.lower_ in self.cues.source_prepositions:
                return next((g for g in c.children if g.dep_ == "pobj"), None)
        if noun.dep_ == "dobj":
            return next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
        return None

    def _modality(self, cue: Cue, content: Span, tok: Token) -> tuple[str, bool]:
        """(modality, negated): the rules claim_cues.yaml lists, in its order (pipeline/claim_modality.py)."""
        return claim_modality(cue, content, tok, self.cues, self.modality_rules)

    def _triple(self, root: Token, by_token) -> tuple:
        subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        obj = next((c for c in root.children if c.dep_ in ("dobj", "attr", "oprd")), None)
        if obj is None:
            prep = next((c for c in root.children if c.dep_ == "prep"), None)
            obj = next((g for g in prep.children if g.dep_ == "pobj"), None) if prep is not None else None

        def ent(t):
            if t is None:
                return None, None
            m = self.resolver.named(t, by_token, ("group", "person", "place"))
            return self._np(t), (m.entity_id or None) if m else None
        s, sid = ent(subj)
        o, oid = ent(obj)
        return s, sid, o, oid

    def _date(self, cue: Token, content: Span, dates, published, sent_of) -> tuple:
        """The date of a claim: a date of the cue's sentence near the cue and outside the content, else the
        publication date."""
        for ent, d in dates:
            if d.method != "none" and sent_of[ent.start] == sent_of[cue.i] \
                    and not (content.start <= ent.start < content.end) \
                    and abs(ent.start - cue.i) <= self.cues.windows["cue_date_tokens"]:
                return d.date, d.precision, d.method
        if published:
            return published, "day", "publication"
        return None, None, "none"

    def _np(self, tok: Token | None) -> str | None:
        return noun_phrase(tok, self.cues.windows["phrase_words"], self.cues.dropped_leading_words)



def repeated_source(tok: Token | None, rows: list[dict], definite: frozenset) -> str | None:
    """"Security sources said ... the sources added": a bare definite source noun repeats the last unnamed
    speaker of the document with that head word, in its fuller form."""
    if tok is None or tok.pos_ != "NOUN" or not any(c.dep_ == "det" and c.lower_ in definite for c in tok.children) \
            or any(c.dep_ not in ("det", "punct") for c in tok.children if c.i < tok.i):
        return None
    last = next((r["speaker_name"] for r in reversed(rows) if r["speaker_name"] and not r["speaker_id"]
                 and r["speaker_name"].lower().split()[-1] == tok.lower_), None)
    return last if last is not None and len(last.split()) > 1 else None


def inverted_speaker(tok: Token, by_token, source_nouns: frozenset) -> Token | None:
    """An inverted cue after what it reports, its speaker parsed as its object ("..., reported ISIS-linked Amaq
    news agency"; "..., said the ministry"): the noun after the verb, when it names someone or is a source
    noun."""
    if not any(c.dep_ in ("ccomp", "parataxis") and c.i < tok.i for c in tok.children):
        return None
    after = next((c for c in tok.children if c.dep_ in ("dobj", "attr", "npadvmod") and c.i > tok.i), None)
    if after is None:
        return None
    named = any(t.i in by_token and by_token[t.i].entity_type in ("person", "group") for t in after.subtree)
    return after if named or after.lemma_.lower() in source_nouns else None


def unspoken(tok: Token, cue: Cue) -> bool:
    """A negated verb of saying ("the military has not announced any attack", "X did not say whether"): nobody
    said it; the author notes that the subject did not speak (speaker empty, denied)."""
    return cue.kind == "verb" and any(c.dep_ == "neg" for c in tok.children) and any(
        c.dep_ == "nsubj" for c in tok.children)


def doc_punct_before(tok: Token) -> bool:
    """A comma right before the token ("..., X, told reporters")."""
    return tok.i > 0 and tok.doc[tok.i - 1].text == ","


def passive_or_agent(tok: Token) -> bool:
    return any(c.dep_ in ("agent", "auxpass") for c in tok.children)


def noun_phrase(tok: Token | None, max_words: int, dropped: frozenset) -> str | None:
    """A speaker or argument phrase: the head with what precedes it (at most ``max_words``), without a
    leading word of ``dropped`` (an article, "various")."""
    if tok is None:
        return None
    cut = set()
    for c in tok.children:
        if c.dep_ in ("relcl", "appos", "acl", "conj", "cc", "punct", "advcl") and c.i > tok.i:
            cut.update(t.i for t in c.subtree)
    words = [t for t in tok.subtree if t.i not in cut][:max_words]
    while words and (words[0].lower_ in dropped or words[0].like_num and len(words) > 1):   # "two security sources"
        words = words[1:]
    text = " ".join(t.text for t in words).replace(" ’s", "’s").replace(" 's", "'s").strip()
    return text or None


def _strip_punct(span: Span, complementizers: frozenset) -> Span | None:
    """The span without quotes, commas and spaces at its ends, nor a leading complementizer ("that")."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].is_punct or doc[start].is_space or doc[start].lower_ in complementizers
                           and doc[start].dep_ == "mark"):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return doc[start:end] if end > start else None
