"""The extraction stage: sentences -> candidate sentences (trigger prefilter) -> spaCy NER on candidates
only -> one ``Mention`` per candidate sentence with trigger, type, actors, counts, places, date expression
and claims (all with spans into ``Doc.clean_text``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from warlog.data import Actor, ActorMethod, Claim, Doc, Mention, Quantity, Span, TypeMethod, TypeResolution
from warlog.extract import actors as actor_mod
from warlog.extract.casualties import CountHit, find_counts, period_cue
from warlog.extract.claims import Attribution, find_attributions, is_allegation
from warlog.extract.event_type import PLOVER
from warlog.extract.event_type import classify as classify_type
from warlog.extract.fatalities import estimate as estimate_fatalities
from warlog.extract.nlp import load_nlp
from warlog.extract.places import PlaceCandidate, classify, locative_candidates
from warlog.extract.sentences import split_sentences
from warlog.extract.triggers import TriggerHit, find_triggers
from warlog.pipeline.base import Stage
from warlog.resolve.dates import find_date_exprs, nearest
from warlog.resolve.geocode import gazetteer

PLACE_LABELS = {"GPE", "LOC", "FAC"}
ARMED_INTER = {1, 2, 3, 4, 8}
BY_AFTER = re.compile(r"^\s*(?:\w+\s+){0,3}?by\s+$", re.I)
SPEAKER_AFTER = re.compile(
    r"^\s*(?:\w+\s+){0,3}?(?:said|says|told|reported|announced|stated|confirmed|added|according)\b", re.I
)
PRONOUN_SUBJECT = re.compile(r"^\W*(?:It|They|The group|The regime|The government|The militants|The rebels|The army)\s+(?!is\b|was\b|are\b|were\b)\w+", re.I)
NON_VIOLENT_DEATH = re.compile(
    r"\b(?:hypothermia|malnutrition|starvation|starved|disease|illness|freezing|the cold|cold weather|lack of (?:medical )?"
    r"(?:care|treatment|food|medicine)|dysentery|cholera|outbreak|epidemic|fires? caused by|stoves?|drown(?:ed|ing)|"
    r"(?:car|road|traffic) accident|heart attack|natural causes|exposure|floods?|earthquake|storm)\b",
    re.I,
)
SPEAKER_BEFORE = re.compile(r"\b(?:according to|told|said)\s+(?:the\s+)?$", re.I)


FELL_TO = re.compile(r"(?:fell|falls) to", re.I)


class ExtractStage(Stage):
    name = "extract"
    requires = frozenset({"clean_text"})
    assigns = frozenset({"sentences", "mentions"})

    def __init__(self, nlp_batch_size: int = 256, naive: bool = False) -> None:
        """``naive=True`` is the reference pass of the benchmark: the full spaCy pipeline (tagger, parser,
        lemmatizer, NER) on every sentence and every trigger rule tried on every sentence, no prefilter."""
        super().__init__()
        self.nlp_batch_size = nlp_batch_size
        self.naive = naive

    def process_batch(self, docs: Sequence[Doc]) -> list[Doc]:
        jobs: list[tuple[Doc, Span, list[TriggerHit], _Cues | None]] = []
        for doc in docs:
            doc.sentences = split_sentences(doc.clean_text)
            self.stats.counters["sentences"] += len(doc.sentences)
            for sent in doc.sentences:
                text = sent.text(doc.clean_text)
                hits = find_triggers(text, use_prefilter=not self.naive)
                cues = _cues(text, hits) if hits else None
                if cues is not None:
                    self.stats.counters["candidate_sentences"] += 1
                elif hits:
                    self.stats.counters["no_event_sentences"] += 1  # "died", "the attacks": nobody, no number
                if cues is not None or self.naive:
                    jobs.append((doc, sent, hits, cues))
        nlp = load_nlp(full=self.naive)
        texts = [s.text(d.clean_text) for d, s, _, _ in jobs]
        for (doc, sent, hits, cues), sdoc in zip(jobs, nlp.pipe(texts, batch_size=self.nlp_batch_size), strict=True):
            if cues is None:
                continue
            try:
                mention = self._mention(doc, sent, hits, sdoc, cues)
            except Exception as exc:  # keep the document; count the failure
                self.stats.counters["mention_errors"] += 1
                doc.meta.setdefault("errors", []).append(f"{type(exc).__name__}: {exc}")
                continue
            if mention is not None:
                doc.mentions.append(mention)
                self.stats.counters["mentions"] += 1
        return list(docs)

    def _antecedent(self, doc: Doc, sent: Span) -> Actor | None:
        a = _antecedent_actor(doc, sent)
        if a is not None:
            self.stats.counters["actor_coreference"] += 1
        return a

    def _mention(self, doc: Doc, sent: Span, hits: list[TriggerHit], sdoc: object, cues: _Cues) -> Mention | None:
        text = sent.text(doc.clean_text)
        off = sent.start
        best = hits[0]
        actor_hits, counts, armed, civ_actor, civ_count = cues
        # places from NER (+ curated ruler), minus those inside actor names
        cands: list[PlaceCandidate] = []
        prev: PlaceCandidate | None = None
        spans = [(ent.start_char, ent.end_char, ent.text) for ent in sdoc.ents if ent.label_ in PLACE_LABELS]  # type: ignore[attr-defined]
        gaz = gazetteer()
        for s, e, name in locative_candidates(text):
            if any(s < e2 and s2 < e for s2, e2, _ in spans):
                continue
            if gaz.candidates(name, None) or gaz.country_of(name):
                spans.append((s, e, name))
        spans.sort()
        dateline_at = int(doc.meta.get("dateline_end", -10)) - off  # a place just after the date line is a dateline
        for s, e, ent_text in spans:
            if any(h.start <= s and e <= h.end for h in actor_hits if h.entry.kind not in ("civilians",)):
                continue
            role, why = classify(text, s, e, prev)
            if role != "excluded" and 0 <= s - dateline_at <= 3 and re.match(r"^\s*[,(-]?\s*(?:\(|[A-Z]|$)", text[e : e + 4]):
                role, why = "excluded", "dateline"
            c = PlaceCandidate(s, e, ent_text, role, why)
            cands.append(c)
            prev = c
            self.stats.counters[f"place_{role}"] += 1
        # type refinement for generic triggers
        event_type, sub = best.event_type, best.sub_event_type
        if best.kind in ("kill", "attack"):
            if civ_actor or civ_count:
                event_type, sub = "Violence against civilians", "Attack"
            else:
                event_type, sub = "Battles", "Armed clash"
        # context rules of the codebook (who took territory, what happened at a protest, weapons found not used)
        # and the learned sub-event model where the rules are silent or weak (extract/event_model.py)
        decision = classify_type(text, hits)
        typing = TypeResolution(TypeMethod.LEXICON, "lexicon", None, None)
        if decision.method == "model" or (
            decision.rule not in ("lexicon", "no-cue", "kill-armed", "kill-civilian") and decision.sub_event_type != "Other"
        ):
            if (event_type, sub) != (decision.event_type, decision.sub_event_type):
                self.stats.counters["retyped_by_model" if decision.method == "model" else "retyped_by_context"] += 1
            event_type, sub = decision.event_type, decision.sub_event_type
            typing = TypeResolution(TypeMethod(decision.method), decision.rule, decision.rule_precision, decision.model_probability)
        # actor roles
        actor1 = actor2 = None
        by_hit = next((h for h in armed if h.start > best.end and BY_AFTER.match(text[best.end : h.start])), None)
        before = [h for h in armed if h.start < best.start]
        after = [h for h in armed if h.start >= best.end and h is not by_hit]
        a1 = by_hit or (before[0] if before else None)
        if best.kind == "territory" and FELL_TO.fullmatch(best.text) and after and by_hit is None:
            # "the IS-held town fell to the SDF": who took it comes after the trigger, the holder before it
            a1 = after.pop(0)
            after[:0] = before[:1]
        if a1 is None and PRONOUN_SUBJECT.match(text):
            actor1 = self._antecedent(doc, sent)  # "It signed agreements with ...": the previous sentence's subject
        if a1 is None and actor1 is None:
            a1 = after.pop(0) if after and not civ_actor else None
        if a1 is not None:
            actor1 = _actor(a1, off)
        if sub == "Excessive force against protesters":
            # the force is the actor: state forces on protesters
            prot = next((h for h in actor_hits if h.entry.kind == "protesters"), None)
            force = next((h for h in actor_hits if h.entry.kind in ("state", "state_generic")), None)
            actor1 = _actor(force, off) if force else actor1
            actor2 = _actor(prot, off) if prot else Actor("Protesters", "protesters", 6, ActorMethod.DEFAULT)
        elif event_type in ("Protests", "Riots"):
            prot = next((h for h in actor_hits if h.entry.kind in ("protesters", "rioters")), None)
            crowd = "Protesters" if event_type == "Protests" else "Rioters"
            actor1, actor2 = (
                _actor(prot, off) if prot else Actor(crowd, crowd.lower(), 6 if crowd == "Protesters" else 5, ActorMethod.DEFAULT)
            ), (actor1 if actor1 and actor1.inter != 7 else None)
        elif civ_actor and event_type != "Battles":
            actor2 = _actor(civ_actor, off)
        elif civ_count and event_type != "Battles":
            actor2 = Actor("Civilians", "civilians", 7, ActorMethod.LEXICON, None)
        else:
            rest = [h for h in after if a1 is None or h.entry.name != a1.entry.name] or [
                h for h in before[1:] if a1 is None or h.entry.name != a1.entry.name
            ]
            if rest:
                actor2 = _actor(rest[0], off)
        others = [_actor(h, off) for h in armed if h is not a1]
        # counts
        killed = [c for c in counts if c.kind == "killed" and not c.cumulative]
        injured = [c for c in counts if c.kind == "injured" and not c.cumulative]
        m = Mention(
            sentence=sent,
            trigger=Span(off + best.start, off + best.end),
            trigger_text=best.text,
            event_type=event_type,
            sub_event_type=sub,
            actor1=actor1,
            actor2=actor2,
            plover=PLOVER.get(sub, best.plover),
            other_actors=others,
            typing=typing,
        )
        if killed:
            k = max(killed, key=lambda c: (c.quantity.best or 0))
            m.fatalities, m.fatality_span = k.quantity, Span(off + k.start, off + k.end)
            m.civilian_fatalities = any(c.civilian for c in killed)
            ks = sorted(killed, key=lambda c: c.start)
            conjuncts = all(
                b.conjunct or re.fullmatch(r"\s*(?:,|and|, and|as well as)\s*", text[a.end : b.start])
                for a, b in zip(ks, ks[1:], strict=False)
            )
            if len(killed) > 1 and conjuncts and not any(c.quantity.increment for c in killed):
                est = estimate_fatalities(text)  # distinct victim groups add up; restatements do not
                if est.best is not None and est.best > (k.quantity.best or 0):
                    m.fatalities = Quantity(low=est.low, best=est.best, high=est.high)
                    m.fatality_span = Span(off + min(c.start for c in killed), off + max(c.end for c in killed))
        if injured:
            m.injuries = max((c.quantity for c in injured), key=lambda q: q.best or 0)
        m.place_candidates = [(Span(off + c.start, off + c.end), c.text, c.role) for c in cands]
        dateline_end = int(doc.meta.get("dateline_end", 0)) - off
        expr = nearest([x for x in find_date_exprs(text) if x.start >= dateline_end], best.start)
        if expr is not None:
            m.date_expr = (Span(off + expr.start, off + expr.end), expr.kind)
        # claims: figures and allegations attached to their source
        attributions = find_attributions(text)
        sources: list[Attribution | None] = list(attributions) or [None]
        for att in sources:
            for ch in counts:
                m.claims.append(_count_claim(text, off, ch, att.source if att else None, att.via if att else None))
            if att is not None and not counts:
                m.claims.append(Claim("allegation" if is_allegation(text) else "statement", att.source, att.via, text, sent))
        m.confidence = min(1.0, 0.3 + best.priority / 200 + (0.15 if actor1 else 0) + (0.1 if cands else 0))
        return m


def _count_claim(text: str, off: int, ch: CountHit, source: str | None, via: str | None) -> Claim:
    """A count as a claim of its source. A cumulative or period toll ("more than 370,000 killed since 2011") is a
    ``cumulative_fatalities`` / ``cumulative_injuries`` claim whose span runs from the count to its period cue,
    so the period is kept with the figure; it never becomes an event's fatalities."""
    kind = "fatalities" if ch.kind == "killed" else "injuries"
    start, end = ch.start, ch.end
    if ch.cumulative:
        kind = f"cumulative_{kind}"
        cue = period_cue(text, ch.start, ch.end)
        if cue is not None:
            start, end = min(start, cue.start()), max(end, cue.end())
    return Claim(kind, source, via, text[start:end], Span(off + start, off + end), ch.quantity, ch.civilian)


class _Cues(NamedTuple):
    actors: list[actor_mod.ActorHit]
    counts: list[CountHit]
    armed: list[actor_mod.ActorHit]  # armed actors that are not speakers
    civ_actor: actor_mod.ActorHit | None
    civ_count: bool  # civilians counted among the killed


def _cues(text: str, hits: list[TriggerHit]) -> _Cues | None:
    """What a candidate sentence says without the NER: actors, counts, armed actors, civilian victims; ``None``
    when it can't report an event whatever its places ("died", "the attacks" with nobody and no number), so the
    NER is not run on it."""
    actor_hits = actor_mod.find_actors(text)
    counts = find_counts(text)
    civ_actor = next((h for h in actor_hits if h.entry.kind == "civilians"), None)
    civ_count = any(c.civilian and c.kind == "killed" for c in counts)
    armed = [
        h for h in actor_hits
        if (h.entry.inter in ARMED_INTER or h.entry.kind == "unidentified")
        and not SPEAKER_AFTER.match(text[h.end : h.end + 40])
        and not SPEAKER_BEFORE.search(text[max(0, h.start - 20) : h.start])
    ]
    if hits[0].kind in ("kill", "attack") and not (civ_actor or civ_count) and not counts and not armed:
        return None
    if hits[0].kind == "kill" and not armed and NON_VIOLENT_DEATH.search(text):
        return None  # "15 children have died of the cold", "fires caused by stoves killed two": not political violence
    return _Cues(actor_hits, counts, armed, civ_actor, civ_count)


def _antecedent_actor(doc: Doc, sent: Span) -> Actor | None:
    """The first armed actor of the sentence before ``sent`` (the likely referent of a sentence-initial pronoun)."""
    prev = [s for s in doc.sentences if s.end <= sent.start]
    if not prev:
        return None
    p = prev[-1]
    ptext = p.text(doc.clean_text)
    for h in actor_mod.find_actors(ptext):
        if h.entry.inter in ARMED_INTER and not SPEAKER_AFTER.match(ptext[h.end : h.end + 40]):
            a = _actor(h, p.start)
            a.method = ActorMethod.COREFERENCE
            return a
    return None


def _actor(h: actor_mod.ActorHit, off: int) -> Actor:
    return Actor(h.entry.name, h.text, h.entry.inter, ActorMethod.LEXICON, Span(off + h.start, off + h.end), h.entry.country)
