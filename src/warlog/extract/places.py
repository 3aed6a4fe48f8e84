"""Toponym candidates in a sentence and their role for event-location linking.

Roles: ``event`` (a place where something happened), ``reference`` ("near Lebanon", "north of Aleppo": the
event is near it), ``excluded``: comparisons ("looked like Stalingrad or Berlin", "a second Aleppo",
"lessons learned from Aleppo"), datelines ("BEIRUT (Reuters) -"), source bases ("UK-based", "based in
London"), places inside actor names ("Syrian Democratic Forces") and places of past, contrasted episodes
("Israel's actions in Gaza were crime while ignoring Yarmouk"); governments' voices ("Moscow said", "Washington
warned", "officials in Ankara said", "Tehran's support"): a capital named for its government is never an event
location; and words that only look like toponyms: abbreviations ("IS", "US", "SDF", "YPG") and short common words
("May", "Of", "Is").
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
DATELINE_AFTER = re.compile(
    r"^\s*(?:,\s*\w+\s*\d*,?\s*\d{0,4}\s*)?(?:\((?:Reuters|AFP|AP|Xinhua|Anadolu|dpa|[A-Z][\w .-]{1,24})\)|—|–|-)"
)
# a place followed by what a government does in words: it speaks for the government ("Moscow said")
VOICE_AFTER = re.compile(
    r"^(?:’s|'s)?\s*(?:(?:has|have|had|also|again|had|would|will|later|quickly|repeatedly|long|previously|now|"
    r"publicly|officially|strongly|swiftly|immediately)\s+){0,2}"
    r"(?:said|says|say|saying|warned|warns|denied|denies|deny|accused|accuses|insisted|insists|claimed|claims|"
    r"announced|announces|urged|urges|called\s+(?:on|for)|calls\s+(?:on|for)|demanded|demands|condemned|condemns|"
    r"rejected|rejects|welcomed|welcomes|threatened|threatens|vowed|vows|argued|argues|believes|believed|wants|"
    r"wanted|stated|states|responded|responds|denounced|denounces|blamed|blames|pledged|pledges|promised|"
    r"promises|agreed|agrees|hopes|hoped|fears|feared|expects|expected|declined|refused|refuses|sees|saw|"
    r"considers|views|told|tells|asked|asks|criticised|criticized|criticises|criticizes|dismissed|dismisses|"
    r"confirmed|confirms|acknowledged|acknowledges|maintains|maintained|backs|backed|supports|supported|"
    r"opposes|opposed|signalled|signaled|indicated|sent|sends|decided|decides|approved|approves|calls|called)\b",
    re.I,
)
VOICE_IN_AFTER = re.compile(
    r"^\s*(?:(?:has|have|had|also)\s+)?(?:said|says|told|warned|denied|insisted|claimed|announced|added|stated)\b", re.I
)
SPEAKER_IN_BEFORE = re.compile(
    r"\b(?:officials?|diplomats?|sources?|spokes(?:man|woman|person)|ministry|ministers?|government|authorities|"
    r"leaders?|envoys?|embassy|officers?|analysts?|correspondents?)\s+(?:\w+\s+){0,2}(?:in|from)\s+$",
    re.I,
)
# national capitals that stand for their governments ("Moscow's support", "a deal between Ankara and Moscow")
CAPITALS = frozenset(c.lower() for c in (
    "Moscow", "Washington", "Ankara", "Tehran", "Teheran", "Damascus", "Beirut", "Riyadh", "London", "Paris", "Berlin",
    "Beijing", "Baghdad", "Amman", "Cairo", "Doha", "Jerusalem", "Tel Aviv", "Brussels", "Kabul", "Islamabad",
    "New Delhi", "Tokyo", "Seoul", "Pyongyang", "Kyiv", "Kiev", "Minsk", "Rome", "Madrid", "Ottawa", "Canberra",
    "Abu Dhabi", "Kuwait City", "Muscat", "Manama", "Sanaa", "Tripoli", "Khartoum", "Algiers", "Rabat", "Tunis",
    "Caracas", "Havana", "Geneva", "The Hague", "Astana", "Nur-Sultan", "Sochi", "Vienna", "Stockholm", "Oslo",
    "Copenhagen", "Athens", "Nicosia", "Baku", "Yerevan", "Tbilisi", "Kiev",
))
# a capital where diplomacy happens or that sponsors a side is not where an event happened ("rebels affiliated with
# Ankara", "the US ambassador to London", "a summit in Tehran"); a seat of government stands for its government
DIPLOMATIC_BEFORE = re.compile(
    r"\b(?:affiliated with|backed by|sid(?:e|es|ed|ing) with|allied (?:to|with)|loyal to|aligned with|sponsored by|ambassador to|envoys? to|"
    r"embass(?:y|ies) in|(?:summit|talks|conference|meeting|negotiations|visit|trip|delegation|consulate)s? (?:in|to)|"
    r"(?:flew|travelled|traveled|returned) (?:back )?to)\s+(?:the\s+)?$",
    re.I,
)
SEATS_OF_GOVERNMENT = frozenset({
    "whitehall", "downing street", "white house", "kremlin", "the kremlin", "pentagon", "the pentagon", "westminster",
    "capitol hill", "elysée", "élysée", "elysee", "quai d'orsay", "foggy bottom", "state department",
})
CAPITAL_BEFORE = re.compile(r"\b(?:between|by|from|with)\s+([A-Z][\w-]+)\s+(?:and|or)\s+$")
# short words the NER or the gazetteer can take for places ("Is", "Of", "May") and abbreviations of groups and
# states ("IS", "US", "UN", "SDF", "YPG"): never toponyms on their own
COMMON_WORDS = frozenset({
    "is", "of", "may", "us", "it", "in", "on", "at", "as", "an", "al", "el", "the", "and", "or", "to", "by", "for",
    "he", "she", "we", "they", "but", "so", "if", "no", "not", "all", "one", "two", "its", "his", "her", "our",
    "was", "has", "had", "be", "do", "did", "can", "man", "men", "war", "aid", "gas", "oil", "sun", "sea",
    "said", "says", "will", "new", "old", "big", "van", "bar", "hay", "tel", "tal", "kafr", "deir",
    "jabal", "wadi", "ras", "ain", "bir", "abu", "umm", "ibn", "bin", "beit", "bait", "city", "east", "west", "north",
    "south", "centre", "center", "camp", "base", "border", "front", "state", "mount", "lake", "river", "news",
    "times", "post", "press", "daily", "home", "hope", "unity", "victory", "peace", "reform", "order", "justice",
    "western", "eastern", "northern", "southern", "central", "northwestern", "northeastern", "southwestern",
    "southeastern", "north-western", "north-eastern", "south-western", "south-eastern", "run", "rural",
})
# where a person comes from is not where the event happened ("Anna Campbell, 26, from Lewes", "a British man from
# west London", "the east London schoolgirl")
ORIGIN_BEFORE = re.compile(
    r"(?:,\s*\d{1,2},?\s+|\b(?:man|woman|men|women|worker|national|citizen|resident|native|fighter|volunteer|"
    r"schoolgirl|schoolboy|student|jihadist|teenager|boy|girl|father|mother|son|daughter|brother|sister|family|"
    r"nurse|doctor|soldier|veteran|aid worker|couple)s?\s+)(?:originally\s+)?from\s+(?:(?:north|south|east|west)"
    r"(?:ern)?\s+|the\s+)?$",
    re.I,
)
ORIGIN_AFTER = re.compile(r"^\s+(?:schoolgirl|schoolboy|man|woman|teenager|girl|boy|native|-born\b)", re.I)
# a country is where an event happened only after a locative word ("in northern Syria", "across Iraq");
# otherwise it acts or speaks ("Turkey's offensive", "France appeared to", "Russia tested")
COUNTRY_LOCATIVE = re.compile(
    r"\b(?:in|inside|into|across|throughout|within|near|of|to|from|at|on|over|entered|invaded|struck|hit|around)\s+"
    r"(?:the\s+)?(?:(?:far\s+)?(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west|central|rural)"
    r"(?:ern)?\s+)?$",
    re.I,
)
NAMED_AS_PLACE = re.compile(r"\b(?:town|village|city|district|province|hamlet|settlement|suburb)\s+of\s+$", re.I)
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


def not_toponym(name: str, before: str = "", shouting: bool = False) -> bool:
    """An abbreviation ("IS", "US", "SDF") or a short common word ("May", "Of") taken for a place, unless the
    sentence names it as one ("the town of Hit"). In a sentence written in capitals only common words count."""
    bare = name.strip(" .,'’\"()")
    words = bare.split()
    if not words:
        return True
    if NAMED_AS_PLACE.search(before):
        return False
    if len(words) == 1:
        w = words[0]
        letters = re.sub(r"[^A-Za-z]", "", w)
        if letters.isupper() and len(letters) <= 5 and not shouting:
            return True  # IS, US, UN, SDF, YPG, ISIS, UAE ...
        if w.lower() in COMMON_WORDS or len(letters) <= 2:
            return True
    return False


def _is_country(name: str) -> bool:
    from warlog.resolve.geocode import gazetteer

    return gazetteer().country_of(name) is not None


def is_voice(sentence: str, start: int, end: int) -> bool:
    """A place named as a government's voice: "Moscow said", "Washington has warned", "officials in Ankara told
    ...", or a capital standing for its state ("Tehran's backing", "talks between Ankara and Moscow")."""
    name = sentence[start:end]
    after = sentence[end : end + 60]
    before = sentence[max(0, start - 60) : start]
    if VOICE_AFTER.match(after.lstrip(" ,") if after.startswith((" ,", ",")) else after.lstrip()) and not re.match(
        r"^\s*(?:’s|'s)\s+(?:old|city|centre|center|streets?|districts?|neighbourhoods?|outskirts|suburbs?)\b", after
    ):
        return True
    if SPEAKER_IN_BEFORE.search(before) and VOICE_IN_AFTER.match(after):
        return True
    if name.lower() in CAPITALS:
        if re.match(r"^(?:’s|'s)\s+(?!old\b|city\b|centre\b|center\b|streets?\b|districts?\b|outskirts\b|suburbs?\b|"
                    r"eastern\b|western\b|northern\b|southern\b|airport\b|countryside\b)", after):
            return True  # "Moscow's support", not "Damascus's eastern suburbs"
        pair = re.match(r"^\s+(?:and|or)\s+([A-Z][\w-]+)", after)
        if pair and pair.group(1).lower() in CAPITALS and not re.search(r"\b(?:in|at|near|on|around)\s+$", before):
            return True  # "Ankara and Moscow agreed"
        prev_cap = CAPITAL_BEFORE.search(before)
        if prev_cap and prev_cap.group(1).lower() in CAPITALS:
            return True  # "... between Ankara and Moscow"
    return False


def classify(sentence: str, start: int, end: int, prev: PlaceCandidate | None = None) -> tuple[str, str]:
    before = sentence[max(0, start - 60) : start]
    after = sentence[end : end + 40]
    name = sentence[start:end]
    shouting = sum(c.islower() for c in sentence) < sum(c.isupper() for c in sentence)  # a sentence in capitals
    if not_toponym(name, before, shouting):
        return "excluded", "not_toponym"
    letters = re.sub(r"[^A-Za-z]", "", name)
    if (start <= 1 and DATELINE_AFTER.match(after) and name.isupper()) or (
        letters.isupper() and len(letters) >= 4 and not shouting
    ):
        return "excluded", "dateline"  # "BEIRUT (Reuters) -", "MOSCOW (Sputnik) -", "... 2015 BEIRUT At least"
    if is_voice(sentence, start, end):
        return "excluded", "voice"
    if name.lower() in SEATS_OF_GOVERNMENT or (name.lower() in CAPITALS and DIPLOMATIC_BEFORE.search(before)):
        return "excluded", "voice"
    if ORIGIN_BEFORE.search(before) or ORIGIN_AFTER.match(after):
        return "excluded", "origin"
    if _is_country(name) and (not COUNTRY_LOCATIVE.search(before) or re.match(r"^(?:’s|'s)\s", after)):
        return "excluded", "country_actor"
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
