"""Toponym candidates in a sentence and their role for event-location linking.

Roles: ``event`` (a place where something happened), ``reference`` ("near Lebanon", "north of Aleppo": the
event is near it), ``excluded``: comparisons ("looked like Stalingrad or Berlin", "a second Aleppo",
"lessons learned from Aleppo"), datelines ("BEIRUT (Reuters) -"), source bases ("UK-based", "based in
London"), places inside actor names ("Syrian Democratic Forces") and places of past, contrasted episodes
("Israel's actions in Gaza were crime while ignoring Yarmouk").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COMPARISON_BEFORE = re.compile(
    r"(?:\blike|\bas in|\bsimilar to|\breminiscent of|\bcompared (?:to|with)|\ba second|\banother|\bthan in|"
    r"\bthe fate of|\blessons? (?:learned |learnt )?from|\brepeat(?:ed|ing)? (?:in|what)|\bas (?:it|they) did in|"
    r"\bcommitted in|\bechoes of|\bthe city of \w+ from|\bjust as in|\bunlike|\bthe model of|\bapplied in)"
    r"(?:\s+(?:the\s+)?(?:city|town|battle|siege|fall) of)?\s+(?:“|\")?(?:[\w’'-]+\s+){0,2}$",
    re.I,
)
COMPARISON_AFTER = re.compile(r"^\s*(?:-style|style\b|model\b)", re.I)
REFERENCE_BEFORE = re.compile(
    r"(?:\bnear|\boutside|\bclose to|\b(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)? of|"
    r"\bon the outskirts of|\bborder(?:ing)? with|\bthe border with|\bkm from|\bkilometres from|\bkilometers from|"
    r"\bmiles from|\bon the road to|\btoward|\btowards|\bto)\s+(?:the\s+)?$",
    re.I,
)
BASED = re.compile(r"^[-\s]*based\b", re.I)
BASED_IN = re.compile(r"\b(?:based|headquartered) in\s+$", re.I)
DATELINE_AFTER = re.compile(r"^\s*(?:,\s*\w+\s*\d*,?\s*\d{0,4}\s*)?(?:\((?:Reuters|AFP|AP|Xinhua|Anadolu|dpa)\)|—|–|-)", re.I)
SOURCE_AFTER = re.compile(r"^\s*(?:wrote|said|told|reported|claimed)\b", re.I)
# a capital speaking for its government ("Moscow denied", "Damascus has accused", "Ankara warned")
SPEAKER_AFTER = re.compile(
    r"^\s*(?:has |had |have |also |later |then |on \w+ )?(?:said|says|told|claimed|denied|denies|accused|accuses|"
    r"warned|warns|condemned|condemns|announced|insisted|rejected|vowed|urged|blamed|blames|responded|retaliated "
    r"diplomatically|demanded|threatened|protested|summoned|recalled)\b"
)
CONTRAST = re.compile(r"\b(?:while ignoring|hypocrisy|double standards?)\b", re.I)


@dataclass(frozen=True, slots=True)
class PlaceCandidate:
    start: int
    end: int
    text: str
    role: str  # event | reference | excluded
    why: str = ""


def classify(sentence: str, start: int, end: int, prev: PlaceCandidate | None = None) -> tuple[str, str]:
    before = sentence[max(0, start - 60) : start]
    after = sentence[end : end + 40]
    if start <= 1 and (DATELINE_AFTER.match(after) and sentence[start:end].isupper()):
        return "excluded", "dateline"
    if BASED.match(after) or BASED_IN.search(before):
        return "excluded", "source_base"
    if SPEAKER_AFTER.match(after) and not re.search(r"\b(?:in|at|near|from)\s+(?:the\s+)?$", before):
        return "excluded", "government"
    if COMPARISON_BEFORE.search(before) or COMPARISON_AFTER.match(after):
        return "excluded", "comparison"
    if prev is not None and prev.role == "excluded" and re.fullmatch(r"\s*(?:or|and|,)\s*", sentence[prev.end : start]):
        return "excluded", prev.why  # "like Stalingrad or Berlin"
    if CONTRAST.search(sentence) and re.search(r"\b(?:actions|crimes?|war) in\s+$", before):
        return "excluded", "contrast"
    if REFERENCE_BEFORE.search(before):
        return "reference", "relative"
    return "event", ""


LOCATIVE = re.compile(
    r"\b(?:in|at|near|of|on|outside|around|from|into|across|toward|towards|hit|struck|shelled|pounded|targeted|"
    r"bombed|stormed|entered|besieged|west|east|north|south|attacked|captured|recaptured|seized|raided|overran|"
    r"control of|took over|village of|town of|city of|\()\s*(?:the\s+)?((?:al-|el-)?[A-Z][\w’'‘-]+(?:\s+(?:al-|el-)?[A-Z][\w’'‘-]+){0,2})"
)
NOT_PLACES = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december", "the", "this", "that",
    "god", "allah", "twitter", "facebook", "reuters", "state", "city", "town", "army", "police", "president",
}


def locative_candidates(sentence: str) -> list[tuple[int, int, str]]:
    """Capitalised names after a locative word ("in Kharkiv", "outskirts of Lashkar Gah"): candidate
    toponyms the statistical NER missed or mislabelled. Longest first; the caller checks the gazetteer."""
    out = []
    for m in LOCATIVE.finditer(sentence):
        words = m.group(1).split()
        if len(words) == 1 and "-" in words[0] and not re.match(r"(?i)(?:al|el|ar|as|ad|at|an|ash|az|ed|er|es|en)-", words[0]):
            head = words[0].split("-")[0]  # "Ghazni-Kabul highway": the first town of a road
            out.append((m.start(1), m.start(1) + len(head), head))
        for n in range(len(words), 0, -1):
            name = " ".join(words[:n])
            if name.lower() in NOT_PLACES:
                continue
            start = m.start(1)
            out.append((start, start + len(name), name))
    return out
