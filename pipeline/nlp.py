"""Building the spaCy pipeline: the configured model plus the project's rule components."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .aliases import AliasTable
from .config import Config
from .dateline import ends_dateline
from .errors import Errors, PipelineError

def load_model(config: Config):
    import spacy

    try:
        return spacy.load(config.model)
    except (OSError, ImportError) as e:
        raise PipelineError(Errors.E003.format(model=config.model, reason=str(e).splitlines()[0][:200],
                                               path=config.path))


@Language.factory("claimex_line_breaks_v1", assigns=["token.is_sent_start"])
def make_line_breaks(nlp: Language, name: str, dashes: list[str], head_tokens: int):
    """Sentence starts after line breaks and datelines (``dashes``, ``head_tokens``: the dateline section of
    configs/dates.yaml)."""
    return LineBreaks(tuple(dashes), head_tokens)


class LineBreaks:
    """A line break always ends a sentence: headlines, datelines and paragraphs stand alone. So does the
    dash after a dateline ("ATHENS, 26-Jan-2026 — The ..."): the story starts after it."""

    def __init__(self, dashes: tuple, head_tokens: int):
        self.dashes, self.head_tokens = dashes, head_tokens

    def __call__(self, doc: Doc) -> Doc:
        line_start = 0
        for tok in doc[:-1]:
            if tok.is_space and "\n" in tok.text:
                doc[tok.i + 1].is_sent_start = True
                line_start = tok.i + 1
            elif ends_dateline(doc, tok, line_start, dashes=self.dashes, head_tokens=self.head_tokens):
                doc[tok.i + 1].is_sent_start = True
        return doc


def build_nlp(config: Config, aliases: AliasTable | None = None):
    """The model, with line breaks as sentence boundaries and the alias-table rule layer after its NER; its
    attribute ruler and rule lemmatizer run by columns (:mod:`pipeline.attribute_columns`)."""
    from .entities import ALIAS_SPANS, alias_patterns

    from .attribute_columns import use_attribute_columns, use_lemma_columns

    nlp = load_model(config)
    use_attribute_columns(nlp)          # the same annotations as the model's own ruler and lemmatizer, by columns
    use_lemma_columns(nlp)
    nlp.max_length = max(nlp.max_length, config.section("ingest")["max_file_bytes"] + 1)
    _split_slashes(nlp)
    if "parser" in nlp.pipe_names:
        from .rules import read_date_rules

        dateline = read_date_rules(config.rule_path("rules", "dates"))["dateline"]
        nlp.add_pipe("claimex_line_breaks_v1", before="parser",
                     config={"dashes": dateline["dashes"], "head_tokens": dateline["head_tokens"]})
    if aliases is not None:
        ruler = nlp.add_pipe("span_ruler", name="claimex_alias_ruler",
                             config={"spans_key": ALIAS_SPANS, "annotate_ents": False, "overwrite": True,
                                     "phrase_matcher_attr": "ORTH"})
        with nlp.select_pipes(enable=[]):
            ruler.add_patterns(alias_patterns(aliases))
        ent = config.section("entities")
        heads = list(dict.fromkeys([*ent["org_heads"], *ent["facility_heads"], *ent["group_heads"],
                                    *(w.title() for w in ent["place_suffixes"])]))
        nlp.add_pipe("claimex_alias_ents_v1", config={"org_heads": heads})
    return nlp


def _split_slashes(nlp) -> None:
    """'/EuropaWire/' -> '/', 'EuropaWire', '/': a slash around a word is punctuation, not part of it."""
    from spacy.util import compile_prefix_regex, compile_suffix_regex

    nlp.tokenizer.prefix_search = compile_prefix_regex(list(nlp.Defaults.prefixes) + [r"/"]).search
    nlp.tokenizer.suffix_search = compile_suffix_regex(list(nlp.Defaults.suffixes) + [r"/"]).search
