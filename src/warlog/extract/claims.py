"""Attribution: who said it, and through which outlet.

Recognised: "according to (the) SOURCE", "SOURCE said/reported/told/claimed/condemned/stated/wrote",
"as SOURCE told OUTLET", "SOURCE, told OUTLET", "SOURCE wrote in OUTLET". A source is a named
organisation/person (spaCy ORG/PERSON/NORP) or a lexicon source ("the White Helmets", "Syrian Observatory").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from warlog.literals import may_match

OUTLETS = (
    r"The Washington Post|Washington Post|The Guardian|The New York Times|New York Times|Reuters|AFP|Agence France-Presse|"
    r"Associated Press|AP|Al Jazeera|BBC|CNN|Al Arabiya|SANA|Anadolu(?: Agency)?|Xinhua|TASS|RIA Novosti|Asharq Al-Awsat|"
    r"The Independent|The Times|Der Spiegel|Le Monde|Middle East Eye|Enab Baladi|Amaq(?: News Agency)?|Al-Masdar"
)
KNOWN_SOURCES = (
    r"(?:the )?White Helmets|Syria Civil Defen[cs]e|(?:the )?Syrian Observatory for Human Rights|SOHR|(?:the )?Syrian Observatory|"
    r"Amnesty International|Human Rights Watch|(?:the )?United Nations|(?:the )?UN|UNICEF|OCHA|(?:the )?ICRC|"
    r"(?:the )?Red Cross|(?:the )?Red Crescent|Doctors Without Borders|MSF|(?:the )?health ministry|(?:the )?Ministry of Health|"
    r"(?:the )?Syrian American Medical Society|SAMS|(?:the )?Syrian Network for Human Rights|SNHR|(?:the )?interior ministry|"
    r"(?:the )?defen[cs]e ministry|(?:the )?military|(?:a )?police spokesman|(?:local )?officials|activists|witnesses|residents|"
    r"medics|(?:a )?rescue workers?|(?:the )?army|(?:the )?Pentagon|(?:the )?Kremlin|ACLED|Airwars"
)
SPEECH_VERBS = (
    r"said|says|reported|reports|told|tells|claimed|claims|condemned|condemns|stated|states|wrote|writes|announced|"
    r"confirmed|estimated|documented|accused|alleged|warned|tweeted"
)
_SRC = rf"(?P<src>{KNOWN_SOURCES}|[A-Z][\w’'.-]+(?:\s+(?:of|for|al-)?\s*[A-Z][\w’'.-]+){{0,5}})"
PATTERNS = [
    re.compile(rf"\baccording to\s+{_SRC}(?:,?\s+(?:via|citing|in|quoted by)\s+(?P<via>{OUTLETS}))?"),
    re.compile(rf"\b[Aa]s\s+(?:a\s+|an\s+)?(?:[\w-]+\s+){{0,4}}?(?:from|of)\s+{_SRC}[^,]{{0,60}}?,?\s+(?:{SPEECH_VERBS})\s+(?P<via>{OUTLETS})"),
    re.compile(rf"{_SRC},?\s+(?:[\w\s,-]{{0,60}}?,\s+)?(?:{SPEECH_VERBS})\b(?:\s+(?:in|to)\s+(?P<via>{OUTLETS}))?"),
    re.compile(rf"{_SRC}\s+has\s+(?:{SPEECH_VERBS})"),
]
ALLEGATION = re.compile(
    r"\b(?:war crimes?|crimes? against humanity|massacre|genocide|ethnic cleansing|atrocit(?:y|ies)|indiscriminate|"
    r"deliberate(?:ly)? target\w*|chemical|unlawful|violat\w+|collective punishment)\b",
    re.I,
)
NOT_SOURCES = {"The", "This", "That", "It", "He", "She", "They", "We", "In", "As", "But", "However", "Meanwhile", "And"}


@dataclass(frozen=True, slots=True)
class Attribution:
    source: str
    via: str | None
    start: int
    end: int


KNOWN_AS = re.compile(rf",?\s+(?:known|better known|known widely|widely known)\s+as\s+(?P<alias>{KNOWN_SOURCES})")
VIA_AFTER = re.compile(rf"^[^.“\"]{{0,80}}?\b(?:told|to|in|on)\s+(?P<via>{OUTLETS})")


GATE = re.compile(rf"\baccording to\b|\b(?:{SPEECH_VERBS})\b")


def find_attributions(sentence: str) -> list[Attribution]:
    out: list[Attribution] = []
    if not GATE.search(sentence):  # every pattern needs "according to" or a speech verb
        return out
    low = sentence.lower()
    for pat in PATTERNS:
        if not may_match(pat, low):
            continue
        for m in pat.finditer(sentence):
            src = m.group("src").strip()
            src = re.sub(r"^(?:the|a|an)\s+", "", src, flags=re.I)
            if src in NOT_SOURCES or src.split()[0] in NOT_SOURCES or len(src) < 2:
                continue
            via = m.groupdict().get("via")
            tail = sentence[m.end("src") :]
            alias = KNOWN_AS.match(tail)
            if alias:
                src = re.sub(r"^(?:the)\s+", "", alias.group("alias"), flags=re.I)
            if via is None:
                v = VIA_AFTER.match(tail)
                via = v.group("via") if v else None
            if via and src == via:
                continue
            if any(a.start <= m.start("src") < a.end for a in out):
                continue
            out.append(Attribution(src, via, m.start("src"), m.end("src")))
    return out


def is_allegation(sentence: str) -> bool:
    return bool(ALLEGATION.search(sentence))
