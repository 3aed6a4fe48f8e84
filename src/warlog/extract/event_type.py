"""Event type and sub-event type of a text (a sentence, a snippet or a short report), in ACLED's taxonomy.

The decision combines the trigger lexicon (``assets/event_lexicon.json``, filtered for hypothetical, quoted and
verbal uses) with context rules that ACLED's codebook states in words:

* territory: who took it decides the sub-type: state forces -> *Government regains territory*, a non-state group
  -> *Non-state actor overtakes territory*; a handover or withdrawal without fighting -> *Non-violent transfer*;
* protests: a protest cue plus force by the authorities (firing on the crowd, protesters killed) -> *Excessive
  force against protesters*; plus dispersal or arrests -> *Protest with intervention*; plus violence by the crowd
  -> *Violent demonstration*; otherwise *Peaceful protest*;
* generic violence ("killed", "attacked"): civilian victims and no armed opponent -> *Attack*; armed on both sides
  -> *Armed clash*;
* weapons found, defused, seized or intercepted -> *Disrupted weapons use*, even when the weapon is a bomb.

Each decision keeps the cue that decided it (span into the text) and the rule that applied, so a reviewer can
see why an event got its type.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from warlog.extract import actors as actor_mod
from warlog.extract.sentences import split_sentences
from warlog.extract.triggers import TriggerHit, find_triggers, is_hypothetical
from warlog.literals import may_match

# ACLED sub-event type -> (event type, CASE 2021 code)
TAXONOMY: dict[str, tuple[str, str]] = {
    "Armed clash": ("Battles", "ARMED_CLASH"),
    "Government regains territory": ("Battles", "GOV_REGAINS_TERIT"),
    "Non-state actor overtakes territory": ("Battles", "NON_STATE_ACTOR_OVERTAKES_TER"),
    "Chemical weapon": ("Explosions/Remote violence", "CHEM_WEAP"),
    "Air/drone strike": ("Explosions/Remote violence", "AIR_STRIKE"),
    "Suicide bomb": ("Explosions/Remote violence", "SUIC_BOMB"),
    "Shelling/artillery/missile attack": ("Explosions/Remote violence", "ART_MISS_ATTACK"),
    "Remote explosive/landmine/IED": ("Explosions/Remote violence", "REM_EXPLOS"),
    "Grenade": ("Explosions/Remote violence", "GRENADE"),
    "Sexual violence": ("Violence against civilians", "SEX_VIOL"),
    "Attack": ("Violence against civilians", "ATTACK"),
    "Abduction/forced disappearance": ("Violence against civilians", "ABDUCT_DISSAP"),
    "Peaceful protest": ("Protests", "PEACE_PROTEST"),
    "Protest with intervention": ("Protests", "PROTEST_WITH_INTER"),
    "Excessive force against protesters": ("Protests", "FORCE_AGAINST_PROTEST"),
    "Violent demonstration": ("Riots", "VIOL_DEMONSTR"),
    "Mob violence": ("Riots", "MOB_VIOL"),
    "Agreement": ("Strategic developments", "AGREEMENT"),
    "Arrests": ("Strategic developments", "ARREST"),
    "Change to group/activity": ("Strategic developments", "CHANGE_TO_GROUP_ACT"),
    "Disrupted weapons use": ("Strategic developments", "DISR_WEAP"),
    "Headquarters or base established": ("Strategic developments", "HQ_ESTABLISHED"),
    "Looting/property destruction": ("Strategic developments", "PROPERTY_DISTRUCT"),
    "Non-violent transfer of territory": ("Strategic developments", "NON_VIOL_TERRIT_TRANSFER"),
    "Other": ("Strategic developments", "OTHER"),
}
CASE_CODES: dict[str, str] = {sub: code for sub, (_et, code) in TAXONOMY.items()}
# PLOVER (event-data successor of CAMEO) root of each sub-event type
PLOVER: dict[str, str] = {
    "Armed clash": "ASSAULT", "Government regains territory": "ASSAULT", "Non-state actor overtakes territory": "ASSAULT",
    "Chemical weapon": "ASSAULT", "Air/drone strike": "ASSAULT", "Suicide bomb": "ASSAULT",
    "Shelling/artillery/missile attack": "ASSAULT", "Remote explosive/landmine/IED": "ASSAULT", "Grenade": "ASSAULT",
    "Sexual violence": "ASSAULT", "Attack": "ASSAULT", "Abduction/forced disappearance": "COERCE",
    "Peaceful protest": "PROTEST", "Protest with intervention": "PROTEST", "Excessive force against protesters": "COERCE",
    "Violent demonstration": "PROTEST", "Mob violence": "ASSAULT", "Agreement": "AGREE", "Arrests": "COERCE",
    "Change to group/activity": "MOBILIZE", "Disrupted weapons use": "COERCE", "Headquarters or base established": "MOBILIZE",
    "Looting/property destruction": "COERCE", "Non-violent transfer of territory": "RETREAT", "Other": "OTHER",
}

STATE_KINDS = {"state", "state_generic", "state_defacto"}
STATE_WORDS = re.compile(
    r"\b(?:army|armed forces|military|troops|troopers|soldiers|servicemen|government forces|security forces|police|policemen|"
    r"gendarme\w*|marines|commandos|special forces|national guard|paramilitar\w+|forces loyal to|regime|"
    r"SAA|ANA|ANDSF|SNA|FARDC|ISF|IDF|tatmadaw|navy|air force|(?:Syrian|Iraqi|Afghan|Somali|Nigerian|Malian|"
    r"Yemeni|Libyan|Egyptian|Turkish|Indian|Pakistani|Philippine|Colombian|Ukrainian|Russian|Israeli|Ethiopian|"
    r"Cameroonian|Burkinabe|Mozambican|Congolese|Sudanese) (?:army|forces|troops|soldiers|military))\b",
    re.I,
)
NONSTATE_WORDS = re.compile(
    r"\b(?:rebels?|militants?|insurgents?|jihadists?|terrorists?|Islamists?|extremists?|fighters|gunmen|militia\w*|Taliban|Shabaa?b|"
    r"Boko Haram|ISIS|ISIL|IS|Islamic State|Daesh|Huthis?|Houthis?|al-?Qaeda|HTS|Nusra|opposition|separatists?|"
    r"SDF|YPG|PKK|NPA|ISWAP|JNIM|Ansar|Haftar|LNA|bandits|armed group|guerrillas?|FARC|ELN|Maoists?|Naxal\w*)\b"
)
CAPTURE = re.compile(
    r"\b(?:captur(?:ed|es|ing|e)|seiz(?:ed|es|ing) (?:control|the|a|an|several|two|three|four|five|\d+)|overr(?:an|un)|"
    r"took (?:over|control)|tak(?:en|es|ing) (?:over|control)|(?:fell|falls|fallen) (?:to|into)|recaptur\w+|retook|"
    r"retak\w+|re-?took|re-?taken|re-captur\w+|regain(?:ed|s|ing)?|took back|liberat(?:ed|es|ing|ion of)|freed|"
    r"clawed back|drove (?:\w+ ){0,3}(?:out|back)|driv\w+ (?:\w+ ){0,3}out|expel\w*|pushed (?:\w+ ){0,4}(?:out|back)|"
    r"(?:gain|gained|gaining) (?:full )?control|gained ground|advanc\w+ (?:into|to within)|advanced (?:in|on) (?!\d)|pushed (?:their|its) way into|"
    r"cleared (?:\w+ ){0,2}(?:of|from)|purg(?:ed|ing) (?:\w+ ){0,3}(?:of|from)|controlling the|control over|"
    r"wrest\w* (?:control|back))\b",
)
NOT_TERRITORY = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:commanders?|leaders?|chief|alive|fighters|militants|members|suspects?|weapons|pistols|rifles|"
    r"ammunition|arms|explosives|vehicles|tanks|drones?|equipment|soldiers|troops|prisoners|hostages|bullets)\b",
    re.I,
)
REGAIN = re.compile(r"\b(?:recaptur\w+|retook|retak\w+|re-?took|re-?taken|regain\w*|took back|liberat\w+|clawed back)\b", re.I)
HANDOVER = re.compile(
    r"\b(?:withdr(?:ew|awn|awal|aws|awing)|pull(?:ed|s|ing)? (?:out|back)|hand(?:ed|s|ing)? (?:over|back)|"
    r"handover|evacuat\w+|vacat\w+|abandon\w+|relinquish\w*|ced(?:ed|es)|retreat\w*|without (?:a )?(?:fight|resistance)|"
    r"transferred (?:control|to)|(?:deploy|enter)\w* (?:\w+ ){0,4}(?:under|as part of|following) (?:an? |the )?"
    r"(?:deal|agreement)|(?:began|begin|started) leaving|leaving (?:their|its|the) (?:\w+ ){0,2}(?:bastion|stronghold|enclave|"
    r"positions?))\b",
    re.I,
)
PROTEST = re.compile(
    r"\b(?:(?i:protest(?:s|ed|ers?|ors?|ing)?|demonstrat(?:ion|ions|ors?|ed|ing)|rall(?:y|ies|ied)|marched|marchers|"
    r"marches|sit-?ins?|took to the streets|picket\w*|strik(?:e|es|ing) (?:workers|action)|hunger strike|vigils?|"
    r"agitat\w+|dharna|chanting|placards?|slogans|civil disobedience|walk-?outs?|boycott\w*|shutdown|bandh|hartal|"
    r"(?:workers|teachers|doctors|nurses|employees|drivers|traders) (?:\w+ ){0,3}(?:went on|are on|staged|held|brought))|"
    r"march(?:ing)?|Great March)\b",
)
FORCE = re.compile(
    r"\b(?:(?:fired|opened fire|shot) (?:\w+ ){0,3}(?:on|at|into) (?:\w+ ){0,3}(?:protest\w*|demonstrat\w*|crowds?|marchers|"
    r"rally|students)|(?:protest\w*|demonstrat\w*|marchers) (?:\w+ ){0,5}(?:were |was )?(?:killed|shot dead|shot|"
    r"died|beaten|injured by police|wounded)|(?:killed|shot|beat|beaten|wounded|injured) (?:\w+ ){0,4}"
    r"(?:protest\w*|demonstrat\w*)|live (?:ammunition|rounds|fire|bullets)|brutal\w* (?:attacked|beat\w*|crackdown)|"
    r"attacked (?:\w+ ){0,3}(?:protest|demonstration|rally|march)|excessive force|crackdown|lathi-?charge\w*|"
    r"baton-?charg\w*|beat(?:en|ing)? (?:\w+ ){0,3}(?:protest\w*|demonstrat\w*|students)|violently (?:\w+ ){0,2}"
    r"(?:suppress\w+|dispers\w+|broke up)|(?:injuries|injured|wounded|casualties) (?:\w+ ){0,2}among (?:\w+ ){0,2}"
    r"(?:protest\w*|demonstrat\w*)|(?:attacks?|assault\w*|violence) (?:\w+ ){0,2}(?:against|on) (?:\w+ ){0,2}"
    r"(?:protest\w*|demonstrat\w*|marchers))\b",
    re.I,
)
INTERVENE = re.compile(
    r"\b(?:tear ?-?gas\w*|water ?cannons?|rubber (?:bullets|rounds)|pepper (?:spray|balls|canisters)|dispers\w+|"
    r"stun grenades|smoke grenades|non-?lethal|arrest\w*|detain\w*|rounded up|broke up|break up|cordon\w*|kettl\w+|"
    r"blocked (?:the )?(?:protest|march)|prevented (?:\w+ ){0,3}(?:protest|march)|taken into custody|"
    r"police (?:intervened|stopped|clashed)|clash\w* with (?:the )?(?:police|security forces)|scuffl\w+|"
    r"removed by police|forcibly removed|baton\w*|charged|suppress\w+|drag\w* (?:them|protesters|demonstrators)|"
    r"pushed back|repress\w+)\b",
    re.I,
)
CROWD_VIOLENCE = re.compile(
    r"\b(?:riot\w*|rioters|threw (?:stones|rocks|bricks|bottles|petrol bombs|molotov\w*|objects|projectiles)|"
    r"pelt\w+|stone-?pelting|stone-?throwing|(?:set|sets|setting) (?:\w+ ){0,3}(?:on fire|ablaze|alight)|torch\w+|"
    r"burn(?:ed|t|ing|s)? (?:down )?(?:\w+ ){0,2}(?:tyres|tires|cars|vehicles|buses|police|shops|buildings|effigy)|"
    r"vandali[sz]\w+|ransack\w+|smash\w+|loot\w*|attacked (?:\w+ ){0,3}(?:police|officers|vehicles)|turned violent|"
    r"violent (?:protest\w*|demonstrat\w*|clashes)|clash\w* with (?:the )?(?:police|security forces|officers)|"
    r"injuring (?:\w+ ){0,3}(?:police|officers|policemen)|clash\w*|molotov\w*|petrol bombs?|hurl\w*|throw\w* "
    r"(?:\w+ ){0,3}(?:at|into)|thrown at|(?:were |was )?thrown|violen(?:t|ce|tly)|unrest|mayhem|debris|fires?|"
    r"blocked (?:\w+ ){0,2}(?:roads?|streets?|highways?)|shut down (?:\w+ ){0,2}roads|pull(?:ed)? down|stormed|"
    r"broke into|forced (?:their way )?(?:into|through)|aggressive|attack\w* (?:\w+ ){0,3}(?:each other|police|"
    r"officers|journalists|vehicles|buildings|offices|shops|convoy))\b",
    re.I,
)
MOB = re.compile(
    r"\b(?:mobs?|lynch\w*|vigilantes?|angry (?:residents|villagers|crowd|youths)|jungle justice|mob justice|"
    r"communal (?:clash\w*|violence)|(?:group|groups) of (?:\w+ ){0,2}(?:youths|villagers|men) (?:attacked|beat)|"
    r"set ablaze by|beaten to death by|residents (?:beat|attacked|killed)|villagers (?:beat|attacked|killed)|"
    r"(?:rival|two) (?:groups|gangs|communities|factions|clans|villages) (?:clashed|fought)|villagers clashed|"
    r"(?:group|groups) of (?:\w+ ){0,2}attacked|clash(?:ed|es)? between (?:\w+ ){0,3}"
    r"(?:groups|gangs|communities|villagers|supporters|clans|tribes|students))\b",
    re.I,
)
CIVILIAN_VICTIM = re.compile(
    r"\b(?:civilians?|villagers|residents|farmers|worshippers|passengers|students|pupils|children|women|woman|man|"
    r"men|boys?|girls?|teachers?|journalists?|reporters?|doctors?|nurses|aid workers|health workers|traders|"
    r"shopkeepers?|motorists|pedestrians|tourists|family|families|people|persons|herders|miners|worker|workers|"
    r"pilgrims|refugees|displaced|shepherds?|fishermen|priests?|imams?|clerics?|lawyers?|activists?|politicians?|"
    r"candidates?|councill?ors?|chief|village head|elders?|wedding|market|mosque|church|school|hospital|homes?|house)\b",
    re.I,
)
ARMED_VICTIM = re.compile(
    r"\b(?:soldiers?|troops|police(?:men|man)?|officers?|militants?|rebels?|insurgents?|fighters|gunmen|militiamen|"
    r"jihadists?|terrorists?|security (?:forces|personnel|guards?)|army|servicemen|personnel|commanders?|"
    r"checkpoints?|bases?|outposts?|posts?|camps?|convoys?|patrols?|barracks|positions?|military|forces|AMISOM|"
    r"peacekeepers|garrisons?|headquarters|station)\b",
    re.I,
)
ONE_SIDED = re.compile(
    r"\b(?:opened fire on|shot dead|gunned down|massacr\w+|execut\w+|behead\w+|hacked|stabb\w+|murder\w*|"
    r"assassinat\w+|killed (?:\w+ ){0,3}(?:civilians|villagers|farmers|people|residents|worshippers)|raided (?:the )?"
    r"(?:village|villages|community|communities|homes?)|torture\w*|abus\w+|beat(?:en|ing)?|whipp\w+|flogg\w+|"
    r"attack\w* on (?:\w+ ){0,3}(?:civilians|villagers|village|community|farmers|worshippers|market|school|church|mosque|"
    r"homes?|houses?|residents|bus|vehicle|journalists?)|(?:village|villages|community|communities) (?:\w+ ){0,3}attack\w*)\b",
    re.I,
)
CLASH = re.compile(
    r"\b(?:clash\w*|fighting|fought|fight|gun ?fights?|gun ?battles?|fire ?fights?|exchang\w+ (?:of )?(?:fire|gunfire)|"
    r"battl\w+|skirmish\w*|ambush\w*|offensives?|ground (?:assault|offensive|operations?|attack)|assaults?|"
    r"counter-?attack\w*|counter-?offensives?|repuls\w+|repell\w+|fended off|"
    r"engaged in (?:\w+ ){0,2}(?:clashes|fighting|battles?|gunfights?)|attack\w* (?:on|against) (?:an? |the )?(?:\w+ ){0,3}(?:base|checkpoint|post|outpost|positions?|convoy|patrol|"
    r"barracks|soldiers|troops|army|police)|neutrali[sz]\w+|eliminat\w+|killed (?:\w+ ){0,3}(?:militants|terrorists|"
    r"insurgents|rebels|fighters|gunmen|bandits|jihadists)|(?:militants|terrorists|insurgents|rebels|fighters|gunmen|"
    r"bandits|jihadists) (?:\w+ ){0,3}(?:were|have been|had been|being) killed)\b",
    re.I,
)
DISRUPT = re.compile(
    r"\b(?:defus\w+|dismantl\w+|disarm\w+ (?:an? |the )?(?:\w+ ){0,2}(?:bomb|explosive|device|ied|mine)|"
    r"intercept\w*|shot down|foil\w*|thwart\w*|(?:seiz\w+|recover\w+|confiscat\w+|found|discover\w+|unearth\w+|"
    r"impound\w+|cache of|haul of|stockpile of|destroy\w*|clear\w*|remov\w+|stash of|caches of|depot)(?:\W+[\w-]+){0,6}?\W+(?:weapons?|arms|firearms|guns?|rifles?|pistols?|"
    r"ammunition|ammo|rounds|explosives?|bombs?|grenades?|ieds?|devices?|(?:land ?)?mines?|rockets?|missiles?|detonators?|"
    r"cartridges|bullets)\b|(?:weapons?|arms|firearms|ammunition|explosives?|bombs?|grenades?|ieds?|devices?|mines?|"
    r"rockets?|pistols|rifles|bullets|projectiles)\b(?:\W+[\w-]+){0,6}?\W+(?:were |was |had been |have been )?(?:seized|"
    r"recovered|confiscated|found|discovered|unearthed|defused|intercepted|captured|destroyed in a controlled|detonated "
    r"safely|safely detonated)|bomb squad|bomb disposal|"
    r"controlled (?:explosion|detonation)|weapons cache|arms cache|arms depot|air defen[cs]es? (?:\w+ ){0,3}(?:intercept|"
    r"down|destroy)\w*)",
    re.I,
)
HQ = re.compile(
    r"\b(?:(?:set|sets|setting) up|establish\w*|built|build\w*|open\w*|install\w*|construct\w*|erect\w*|creat\w+)\b"
    r"(?:\s+\w+){0,5}?\s+(?:base|bases|headquarters|HQ|outposts?|posts?|observation points?|checkpoints?|camps?|"
    r"positions?|airbase|air base|garrisons?|barracks|military points?|points)\b",
    re.I,
)
LOOT = re.compile(
    r"\b(?:loot\w*|plunder\w*|pillag\w+|ransack\w+|stole|stolen|steal\w*|torch\w+|(?:set|sets|setting) (?:\w+ ){0,4}"
    r"(?:on fire|ablaze|alight)|arson\w*|(?:wanton )?destruction of (?:\w+ ){0,3}(?:properties|property|homes|houses|shops)|"
    r"(?:houses?|homes?|shops?|properties|property|vehicles|buildings?|cars|offices|churches|mosques|schools?) (?:\w+ ){0,3}"
    r"(?:were|have been|had been|was|been) (?:\w+ ){0,2}(?:burn(?:ed|t)|looted|destroyed|torched|vandali[sz]ed|set on fire|"
    r"razed|demolished)|attacks? on (?:\w+ ){0,2}propert\w+|burn(?:ed|t|ing|s)? (?:down )?(?:\w+ ){0,3}(?:houses?|homes?|villages?|shops?|"
    r"crops|vehicles?|cars?|buildings?|property|offices?|churches|mosques|schools?|market)|demolish\w*|bulldoz\w+|"
    r"raz(?:ed|ing)|destroy\w* (?:\w+ ){0,3}(?:houses?|homes?|property|properties|shops?|vehicles?|crops|fields|"
    r"buildings?|offices?|infrastructure|equipment|tower|towers|railway|bridge)|vandali[sz]\w+|damag\w+ (?:\w+ ){0,3}"
    r"(?:property|properties|vehicles?|shops?|houses?|homes?|buildings?|offices?)|confiscat\w+ (?:\w+ ){0,2}"
    r"(?:land|homes?|houses?|property|properties)|seiz\w+ (?:\w+ ){0,2}(?:homes?|houses?|property|properties|land))\b",
    re.I,
)
AGREE = re.compile(
    r"\b(?:ceasefires?|cease-fires?|ceasfire|truces?|peace (?:deal|agreement|accord|talks|pact)|(?:evacuation|surrender|"
    r"reconciliation|de-?escalation|prisoner|swap|exchange|settlement) (?:deal|agreement|accord)s?|agreements?|"
    r"deals?|accords?|sign(?:ed|s|ing)? (?:an? |the )?(?:\w+ ){0,2}(?:agreement|deal|accord|memorandum|pact)|"
    r"agreed|reached (?:an? )?(?:\w+ ){0,2}(?:agreement|deal|understanding)|released (?:\w+ ){0,4}(?:prisoners|detainees|"
    r"hostages|captives)|prisoner (?:swap|exchange|release)|exchang\w+ (?:\w+ ){0,2}(?:prisoners|bodies|detainees)|"
    r"negotiat\w+|talks)\b",
    re.I,
)
ARREST_STRONG = re.compile(r"\b(?:arrested|detained|jailed|rounded up|taken into custody|apprehended|nabbed)\b", re.I)
ARREST = re.compile(
    r"\b(?:arrest\w*|detain\w*|rounded up|taken into custody|apprehend\w*|nabbed|held by police|in police custody|"
    r"remanded|custody|jail\w*|imprison\w*|lock\w* up)\b",
    re.I,
)
CHANGE = re.compile(
    r"\b(?:siege|besieg\w+|blockad\w+|recruit\w*|mobili[sz]\w+|deploy\w*|reinforcement\w*|curfew|state of emergency|"
    r"martial law|banned|suspend\w+|joined forces|merg\w+|splinter\w*|split|defect\w*|dissolv\w+|announc\w+ (?:\w+ ){0,3}"
    r"(?:formation|creation|launch)|form\w* (?:a |an |the )?(?:new )?(?:group|alliance|coalition|militia|brigade)|"
    r"alliance|pledg\w+ allegiance|fortif\w+|trench\w*|tunnels?|convoys? (?:\w+ ){0,3}(?:arriv\w+|entered|reached)|"
    r"military build-?up|amass\w*|massing|sent (?:\w+ ){0,3}(?:troops|reinforcements|forces)|training camp|"
    r"graduat\w+|drills?|exercises|manoeuvres|maneuvers)\b",
    re.I,
)
ABDUCT = re.compile(
    r"\b(?:abduct\w*|kidnap\w*|forcibly disappeared|enforced disappearances?|taken hostage|held hostage|hostages?|"
    r"went missing|whereabouts (?:\w+ ){0,3}unknown|seized (?:\w+ ){0,3}(?:civilians|villagers|passengers|men|women|people))\b",
    re.I,
)
SEXUAL = re.compile(
    r"\b(?:rap(?:ed|es|ing|e)|rapists?|sexual(?:ly)? (?:violence|assault\w*|abuse\w*|harass\w*|exploit\w*|slavery)|"
    r"gang-?rap\w*|molest\w*|sex slaves?|forced (?:marriage|nudity|prostitution))\b",
    re.I,
)
REMOTE = re.compile(
    r"\b(?:roadside bombs?|improvised explosive devices?|IEDs?|VBIEDs?|landmines?|land ?mines?|mines?|car bombs?|"
    r"bomb(?:ed|-laden)? (?:vehicles?|cars?|motorcycles?)|explosive devices?|booby[- ]trap\w*|bombs?|bomb (?:blast|explosion|"
    r"attack)s?|magnetic bombs?|sticky bombs?|blasts?|explosions?|exploded|detonat\w+|explosives?)\b",
    re.I,
)
GRENADE = re.compile(r"\b(?<!propelled )(?<!propelled-)(?:grenades?|hand ?grenades?)\b", re.I)
SUICIDE = re.compile(
    r"\b(?:suicide (?:bomb\w*|attack\w*|car\w*|vests?|blasts?|truck\w*|explosions?|belts?)|suicide|kamikazes?|(?:killing|killed) themselves|blew (?:himself|herself|"
    r"themselves) up|self-detonat\w*|detonated (?:his|her|their) (?:explosive|suicide)\w*|explosive (?:vest|belt)s?)\b",
    re.I,
)
AIR = re.compile(
    r"\b(?:air ?-?strikes?|air raids?|aerial (?:bombardment|attacks?|strikes?|bombing)|drones?|UAVs?|warplanes?|war planes?|"
    r"jets?|fighter (?:jets?|planes?|aircraft)|aircraft|helicopters?|choppers?|gunships?|barrel bombs?|bombing raids?|bombers?|"
    r"air (?:force|forces|support|power|campaign|attacks?)|sorties|airstrikes|air-raid|bombed from the air|"
    r"airborne|planes)\b",
    re.I,
)
ARTILLERY = re.compile(
    r"\b(?:shell\w*|artillery|mortars?|rockets?|missiles?|bombard\w*|howitzers?|katyushas?|(?<!water )(?<!water-)cannon|projectiles?|"
    r"grad|launchers?|heavy weapons|tank fire|tank attack|pounded|pounding|rocket fire|shelling|RPGs?|"
    r"rocket-propelled grenades?)\b",
    re.I,
)
CHEMICAL = re.compile(
    r"\b(?:chemical (?:weapons?|attacks?|agents?|munitions?|substances?)|chlorine|sarin|toxic (?:gas|substances?|"
    r"chemicals?)|nerve (?:agents?|gas)|poison(?:ous)? gas(?:es)?|gas attacks?|(?:sulfur |sulphur )?mustard(?: gas)?|VX|novichok|suffocat\w+|"
    r"asphyxia\w*|choking|white phosphorus)\b",
    re.I,
)
OPERATION = re.compile(r"\b(?:(?:military |security |joint |counter-?terror\w* )?operations?|raid(?:s|ed|ing)?)\b", re.I)
ASSAILANT_ATTACK = re.compile(
    r"\b(?:gunm[ae]n|armed men|attackers|assailants|bandits|militants|terrorists|insurgents|jihadists|herdsmen|"
    r"fighters|suspected \w+|unknown \w+|unidentified \w+|men|group of \w+(?: \w+)?)(?: \w+){0,3}? (?:(?:were|was|been) )?(?:attacked|opened fire|"
    r"stormed|raided|invaded|killed|shot|set upon|targeted|ambushed|abducted|burned|torched|attack|storm|raid|kill)\b",
    re.I,
)
SURRENDER = re.compile(r"\b(?:surrender(?:ed|s|ing)?|laid down (?:their|his) (?:arms|weapons)|turned themselves in)\b", re.I)
CHANGE_STRONG = re.compile(
    r"\b(?:defect(?:ed|s|ing|ion)|(?:were|was|been|have|has) formed|dispatch\w+|deploy(?:ed|s|ing|ment)|reinforc\w+|"
    r"moving (?:\w+ ){0,2}troops|(?:troops|forces|fighters|convoys?|reinforcements|vehicles|jets|fighters) (?:\w+ ){0,3}arriv\w+|"
    r"mobili[sz]\w+|recruit\w+|redeploy\w*|consolidat\w+ (?:\w+ ){0,2}positions|fortif\w+|military build-?up|"
    r"pledg\w+ allegiance|join(?:ed|s)? (?:the )?(?:ranks|forces with)|merg(?:ed|er)|split from|declared (?:a |an )?"
    r"(?:curfew|state of emergency|martial law)|imposed (?:a |an )?(?:curfew|blockade|siege|ban))\b",
    re.I,
)
AIR_STRONG = re.compile(
    r"\b(?:air ?-?strikes?|air raids?|aerial (?:bombardment|attacks?|strikes?|bombing)s?|drone (?:strikes?|attacks?)|"
    r"(?:warplanes?|war planes?|jets?|fighter jets?|aircraft|helicopters?|choppers|gunships?|drones?|planes|bombers?|UAVs?)"
    r"(?: \w+){0,3}? (?:bomb\w*|struck|strik\w+|hit|target\w*|pound\w*|fired|launched|attack\w*|raided|shelled|"
    r"carried out|conducted|strafed|dropped)|raids? by (?:[\w'’-]+ ){0,4}(?:warplanes|jets|choppers|helicopters|aircraft|"
    r"drones)|barrel bombs?|bombing raids?|airstrikes|air-raid|bombed from the air|sorties)\b",
    re.I,
)
STRONG_AGREE = re.compile(
    r"\b(?:ceasefires?|cease-fires?|ceasfire|truces?|peace (?:deal|agreement|accord|pact)|(?:evacuation|surrender|"
    r"reconciliation|de-?escalation|prisoner|swap|exchange|settlement) (?:deal|agreement|accord)s?|exchang\w+ (?:\w+ ){0,3}"
    r"(?:prisoners|bodies|detainees|dead)|prisoner (?:swap|exchange|release)|released (?:\w+ ){0,4}in exchange|"
    r"sign(?:ed|s|ing)? (?:an? |the )?(?:\w+ ){0,2}(?:agreement|deal|accord|memorandum|pact))\b",
    re.I,
)
SPEAKER_AFTER = re.compile(
    r"^[\w'’-]*\s*(?:\w+\s+)?(?:spokes\w+|officials?|sources?|said|says|statement|commander said|media|announced|"
    r"reported|told)\b",
    re.I,
)
REPORT_FRAME = re.compile(r"\b(?:said|says|say|reported|reports|told \w+|announced|stated|claimed|according to [^,]{0,60},)\s+(?:that\s+)?", re.I)
KILL = re.compile(
    r"\b(?:kill\w*|dead|died|death|deaths|lives|slain|bodies|fatalit\w+|wounded|injur\w+|casualties|shot|attack\w*|"
    r"gunmen|assailants|violence|massacre\w*)\b",
    re.I,
)


@dataclass(slots=True)
class TypeDecision:
    sub_event_type: str
    rule: str
    score: float
    cue: tuple[int, int, str] | None = None
    scores: dict[str, float] = field(default_factory=dict)
    method: str = "rule"  # "rule" | "model" | "rule+model": who decided (see ``classify``)
    model_probability: float | None = None  # the learned model's probability of the decided sub-type
    rule_sub_event_type: str | None = None  # what the rules alone said, when the model overruled them
    rule_precision: float | None = None  # the deciding rule's precision measured on the training notes

    @property
    def event_type(self) -> str:
        return TAXONOMY[self.sub_event_type][0]

    @property
    def case_code(self) -> str:
        return TAXONOMY[self.sub_event_type][1]

    @property
    def plover(self) -> str:
        return PLOVER[self.sub_event_type]


def _first(rx: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The first match of ``rx`` in ``text`` not in a hypothetical frame."""
    return _first_where(rx, text, None)


def _first_where(rx: re.Pattern[str], text: str, keep: Callable[[re.Match[str]], bool] | None) -> re.Match[str] | None:
    """The first match not in a hypothetical frame that ``keep`` accepts."""
    if not may_match(rx, text.lower()):
        return None
    return next((m for m in rx.finditer(text) if not is_hypothetical(text, m.start()) and (keep is None or keep(m))), None)


# what a protest is *about* is not what happened at it: "protest against gun violence", "condemning police
# violence", "demanded the release of demonstrators detained", "following the arrest of"
PROTEST_OBJECT = re.compile(
    r"\b(?:against|condemn\w*|decr\w+|denounc\w+|following|after|release of|pictures of|photos of|mourn\w*|"
    r"protest\w* (?:against|over)|demand\w*)\b(?:\W+[\w'’-]+){0,3}\W*$",
    re.I,
)
VIOLENCE_OBJECT = re.compile(r"\b(?:police|gun|state|sanctioned|sexual|domestic|stop|end|on|over)\b(?:\W+[\w'’-]+){0,2}\W*$", re.I)
# a protest spoken of before it happens: arrests "ahead of", "in anticipation of" protests are arrests
PROSPECTIVE = re.compile(
    r"\b(?:before|ahead of|in anticipation of|organi[sz]\w*|planned|plans? to|prevent\w*|call\w* for|fears? of|"
    r"mobili[sz]\w* (?:\w+ ){0,6}to)\b(?:\W+[\w'’-]+){0,6}\W*$",
    re.I,
)
# a chemical attack referred to, not reported: "in retaliation for a suspected poison gas attack", "the scene of a
# deadly 2017 chemical weapons attack", "suffocated by tear gas"
CHEMICAL_REFERENCE = re.compile(
    r"\b(?:retaliation for|response to|accused of|blamed for|scene of|anniversary of|investigat\w+ (?:into|of)|"
    r"(?:19|20)\d\d)\b(?:\W+[\w'’-]+){0,4}\W*$",
    re.I,
)
AIRCRAFT_SUBJECT = re.compile(
    r"\b(?:warplanes?|war planes|jets?|air ?force|aircraft|helicopters?|choppers|drones?|gunships?)\b[^.;]{0,40}$", re.I
)


def _chemical_reported(text: str, m: re.Match[str]) -> bool:
    """Whether a chemical cue reports this event: not an attack referred to, not people suffocated by tear gas."""
    return not CHEMICAL_REFERENCE.search(text[max(0, m.start() - 60) : m.start()]) and not re.match(
        r"\W+(?:\w+\W+){0,2}tear ?gas", text[m.end() : m.end() + 30], re.I)


def _by_aircraft(text: str, m: re.Match[str] | None) -> bool:
    """Whether aircraft are the subject just before the cue ("warplanes destroyed an arms depot")."""
    return m is not None and bool(AIRCRAFT_SUBJECT.search(text[max(0, m.start() - 60) : m.start()]))


def _crowd_violence(text: str, m: re.Match[str]) -> bool:
    """Whether a crowd-violence cue is violence by the crowd: not the object of the protest ("against police
    violence"), not a grenade attack ("a grenade was hurled into a truck")."""
    cue = m.group().lower()
    if re.fullmatch(r"violen\w*|unrest", cue):
        left = text[max(0, m.start() - 40) : m.start()]
        if PROTEST_OBJECT.search(left) or VIOLENCE_OBJECT.search(left):
            return False
    return not (re.match(r"hurl|throw|thrown", cue) and "grenade" in text[max(0, m.start() - 30) : m.end() + 30].lower())


def _sides(text: str) -> list[tuple[int, int, str]]:
    """(start, end, 'state'|'nonstate') for every armed actor named in ``text``."""
    out: list[tuple[int, int, str]] = []
    for h in actor_mod.find_actors(text):
        if re.match(r"[\w]*-(?:backed|based|led|linked|allied|affiliated)", text[h.end : h.end + 14]):
            continue
        if SPEAKER_AFTER.match(text[h.end : h.end + 40]):
            continue
        kind = "state" if h.entry.kind in STATE_KINDS - {"state_defacto"} else (
            "nonstate" if h.entry.inter in (1, 2, 3, 4) else None)
        if kind:
            out.append((h.start, h.end, kind))
    for rx, kind in ((STATE_WORDS, "state"), (NONSTATE_WORDS, "nonstate")):
        for m in rx.finditer(text):
            if re.match(r"[\w]*-(?:backed|based|led|linked|allied|affiliated)", text[m.end() : m.end() + 14]):
                continue
            if SPEAKER_AFTER.match(text[m.end() : m.end() + 40]):
                continue
            if not any(s <= m.start() < e for s, e, _ in out):
                out.append((m.start(), m.end(), kind))
    return sorted(out)


def _agent_side(text: str, vstart: int, vend: int) -> str | None:
    """Which side carried out the verb at ``vstart:vend``: 'state', 'nonstate' or None.

    A passive agent ("was recaptured by government troops") wins; then the subject: the first armed actor of the
    clause before the verb, after any reporting frame ("an army spokesman said rebels ..."); then the loser named
    after "from" ("seized the town from the Islamic State") gives the other side; then the nearest actor before."""
    after = text[vend : vend + 120]
    if re.search(r"\b(?:was|were|been|being|is|are|be)\s+(?:\w+\s+)?$", text[max(0, vstart - 25) : vstart]):
        by = re.match(r"[^.;]{0,40}?\bby\b", after)
        if by:
            sides = _sides(after[by.end() : by.end() + 60])
            if sides:
                return sides[0][2]
    cut = max(text.rfind(". ", 0, vstart), text.rfind("; ", 0, vstart), -1) + 1
    clause = text[cut:vstart]
    frames = list(REPORT_FRAME.finditer(clause))
    frame = frames[-1] if frames else None
    if frame is not None and _sides(clause[frame.end() :]):
        clause = clause[frame.end() :]
    sides = _sides(clause)
    if sides:
        return sides[0][2]
    frm = re.match(r"[^.;]{0,60}?\bfrom\b", after)
    if frm:
        sides = _sides(after[frm.end() : frm.end() + 50])
        if sides:
            return "state" if sides[0][2] == "nonstate" else "nonstate"
    sides = _sides(text[max(0, vstart - 200) : vstart])
    return sides[-1][2] if sides else None


def classify_text(text: str, sentence_hits: list[TriggerHit] | None = None) -> TypeDecision:
    """Type a snippet or sentence. Never raises; text with no cue at all is typed *Other* with score 0.
    ``sentence_hits``: the trigger hits already found when ``text`` is one sentence (not searched again)."""
    scores: dict[str, float] = {}
    cues: dict[str, tuple[int, int, str]] = {}

    first_end = next(iter(split_sentences(text[:400])), None)
    head = first_end.end if first_end is not None else 400

    def vote(sub: str, weight: float, m: re.Match[str] | None, rule: str) -> None:
        if m is None:
            return
        # the report's lead states its main event: cues in the first sentence count more, later ones decay
        weight += 1.2 if m.start() < head else -0.6 * min(1.0, m.start() / 400)
        if weight > scores.get(sub, 0.0):
            scores[sub] = weight
            cues[sub] = (m.start(), m.end(), rule)

    lead = text[:400]
    hits: list[tuple[int, TriggerHit]] = []
    sents = split_sentences(text)
    if sentence_hits is not None and len(sents) == 1 and sents[0].start == 0 and sents[0].end == len(text):
        hits = [(0, h) for h in sentence_hits]
    else:
        for sent in sents:
            hits.extend((sent.start, h) for h in find_triggers(sent.text(text)))
    # strong, specific weapons
    vote("Chemical weapon", 9.5, _first_where(CHEMICAL, lead, lambda m: _chemical_reported(lead, m)), "chemical")
    vote("Suicide bomb", 9.0, _first(SUICIDE, lead), "suicide")
    vote("Sexual violence", 9.4, _first(SEXUAL, lead), "sexual")
    vote("Grenade", 9.0, _first(GRENADE, lead), "grenade")
    vote("Air/drone strike", 6.2, _first(AIR, lead), "aircraft")
    vote("Air/drone strike", 7.7, _first(AIR_STRONG, lead), "air")
    vote("Shelling/artillery/missile attack", 7.4, _first(ARTILLERY, lead), "artillery")
    vote("Remote explosive/landmine/IED", 7.2, _first(REMOTE, lead), "remote")
    disrupt = _first(DISRUPT, lead)
    if _by_aircraft(lead, disrupt):
        vote("Air/drone strike", 9.3, disrupt, "aircraft-destroyed")  # "warplanes destroyed an arms depot"
    else:
        vote("Disrupted weapons use", 9.2, disrupt, "disrupt")
    vote("Abduction/forced disappearance", 8.0, _first(ABDUCT, lead), "abduct")
    vote("Headquarters or base established", 8.4, _first(HQ, lead), "hq")
    vote("Agreement", 6.0, _first(AGREE, lead), "agree")
    vote("Agreement", 8.3, _first(STRONG_AGREE, lead), "agreement")
    vote("Agreement", 7.4, _first(SURRENDER, lead), "surrender")
    vote("Arrests", 6.6, _first(ARREST, lead), "arrest")
    vote("Arrests", 7.6, _first(ARREST_STRONG, lead), "arrested")
    vote("Change to group/activity", 4.0, _first(CHANGE, lead), "change")
    vote("Change to group/activity", 6.4, _first(CHANGE_STRONG, lead), "group-change")
    loot = _first(LOOT, lead)
    if _by_aircraft(lead, loot):
        vote("Air/drone strike", 7.9, loot, "aircraft-destroyed")
    else:
        vote("Looting/property destruction", 7.0, loot, "loot")
    vote("Mob violence", 8.2, _first_where(MOB, lead, lambda m: not re.search(r"\baccording to\s+$", lead[max(0, m.start() - 15) : m.start()])), "mob")
    # territory
    cap = next(
        (m for m in CAPTURE.finditer(lead)
         if not NOT_TERRITORY.match(lead[m.end() : m.end() + 40])
         and not re.search(r"\b(?:to|attempt(?:ed|s)? to|tried to|trying to|bid to|aim(?:ed|ing)? to)\s+$", lead[max(0, m.start() - 16) : m.start()])
         and not is_hypothetical(lead, m.start())),
        None,
    )
    positions_only = cap is not None and re.match(
        r"^\W*(?:\w+\W+){0,4}?(?:positions?|checkpoints?|posts?|outposts?|bases?|barracks|trenches)\b", lead[cap.end() : cap.end() + 60], re.I
    ) and (CLASH.search(lead) or re.search(r"\battack\w*", lead, re.I))
    hand = _first(HANDOVER, lead)
    if cap is not None:
        side = _agent_side(lead, cap.start(), cap.end())
        if positions_only:
            vote("Armed clash", 9.0, cap, "positions-taken-in-fighting")
        elif side == "state":
            vote("Government regains territory", 8.8, cap, "capture-by-state")
        elif side == "nonstate":
            vote("Non-state actor overtakes territory", 8.8, cap, "capture-by-nonstate")
        elif REGAIN.search(cap.group()):
            vote("Government regains territory", 7.0, cap, "regain")
        else:
            vote("Non-state actor overtakes territory", 6.5, cap, "capture")
    if hand is not None:
        fight = CLASH.search(lead) or re.search(r"\b(?:kill\w*|attack\w*|dead|wounded)\b", lead, re.I)
        peaceful = re.search(r"without (?:any |a )?(?:fight\w*|resistance|firing|clashes)|no (?:fighting|resistance|clashes)", lead, re.I)
        takeover = cap is not None or re.search(
            r"\b(?:hand\w* (?:over|back|control)|handover|took over|entered|hands of|seiz\w+|in the face of|to the (?:\w+ ){0,3}(?:forces|army|troops|rebels|militants)|"
            r"transferred|ced\w+|evacuat\w+)\b", lead, re.I)
        explicit = re.search(r"hand|leav|evacuat|withdr|pull", hand.group(), re.I)
        if explicit and STRONG_AGREE.search(lead):
            vote("Non-violent transfer of territory", 9.6, hand, "handover-under-deal")
        if not takeover:
            vote("Change to group/activity", 7.0, hand, "withdrawal")
        else:
            vote("Non-violent transfer of territory", 9.0 if peaceful or (cap is not None and not fight) else 7.1 if cap is None else 6.0,
                 hand, "handover")
    peaceful_entry = re.search(
        r"\b(?:entered|took over|seized|taken control|took control)\b(?=[^.]{0,160}\b(?:without (?:any |a )?(?:resistance|fight\w*)|"
        r"not encounter\w* any (?:resistance|fight\w*)|no (?:resistance|fighting))\b)", lead, re.I)
    vote("Non-violent transfer of territory", 9.2, peaceful_entry, "unopposed-entry")
    # protests and riots
    prot = _first_where(PROTEST, lead, lambda m: not PROSPECTIVE.search(lead[max(0, m.start() - 60) : m.start()]))
    if prot is not None:
        force = _first(FORCE, lead)
        inter = _first_where(INTERVENE, lead, lambda m: not PROTEST_OBJECT.search(lead[max(0, m.start() - 40) : m.start()]))
        riot = _first_where(CROWD_VIOLENCE, lead, lambda m: _crowd_violence(lead, m))
        authorities = STATE_WORDS.search(lead) or re.search(r"\b(?:authorities|forces|government|regime|officers|Israeli|occupation|guards)\b", lead, re.I)
        if force is not None and not authorities:
            vote("Mob violence", 9.3, force, "crowd-attacks-protest")
        elif force is not None:
            vote("Excessive force against protesters", 9.3, force, "protest+force")
        elif riot is not None and not re.search(r"\bpeaceful(?:ly)?\b", lead[max(0, riot.start() - 40) : riot.end() + 40], re.I):
            vote("Violent demonstration", 9.1, riot, "protest+crowd-violence")
        elif inter is not None:
            vote("Protest with intervention", 9.0, inter, "protest+intervention")
        else:
            vote("Peaceful protest", 8.9, prot, "protest")
    else:
        riot = _first(CROWD_VIOLENCE, lead)
        if riot is not None and re.search(r"\briot\w*|rioters\b", riot.group(), re.I):
            vote("Violent demonstration", 8.5, riot, "riot")
    # generic violence
    one = _first(ONE_SIDED, lead)
    clash = _first(CLASH, lead)
    kill = _first(KILL, lead)
    if clash is not None:
        vote("Armed clash", 7.0, clash, "clash")
    vote("Armed clash", 5.0, _first(OPERATION, lead), "operation")
    for am in ASSAILANT_ATTACK.finditer(lead):
        target = lead[am.end() : am.end() + 70]
        if re.search(r"\b(?:were|was|been|being)\s+\w+$", am.group()):
            continue
        if not ARMED_VICTIM.search(target) and not is_hypothetical(lead, am.start()):
            vote("Attack", 7.5, am, "assailants-on-unarmed")
            break
    if one is not None:
        vote("Attack", 7.3 if clash is None else 6.8, one, "one-sided")
    if kill is not None and not scores:
        civ = CIVILIAN_VICTIM.search(lead)
        armed = ARMED_VICTIM.search(lead)
        if civ and not armed:
            vote("Attack", 5.0, kill, "kill-civilian")
        else:
            vote("Armed clash", 4.5, kill, "kill-armed")
    for off, h in hits:  # the pipeline lexicon as a weak fallback
        if h.sub_event_type not in cues:
            scores[h.sub_event_type] = max(scores.get(h.sub_event_type, 0.0), 3.0 + h.priority / 100)
            cues[h.sub_event_type] = (off + h.start, off + h.end, "lexicon")
    if not scores:
        return TypeDecision("Other", "no-cue", 0.0, None, {})
    sub = max(scores, key=lambda k: (scores[k], -cues[k][0]))
    s, e, rule = cues[sub]
    return TypeDecision(sub, rule, scores[sub], (s, e, text[s:e]), dict(scores))


def classify(text: str, sentence_hits: list[TriggerHit] | None = None, domain: str = "news") -> TypeDecision:
    """The codebook rules (``classify_text``) combined with the learned sub-event model
    (``extract/event_model.py``): the rules decide where they are explicit and reliable on the training notes,
    the model where they are silent, weak or less likely right than the model (``event_model.combine``). The
    decision records who decided and the model's probability. Without a shipped model: the rules alone.
    ``domain``: "news" (articles and news snippets) or "notes" (ACLED coder notes; see ``event_model.combine``)."""
    from dataclasses import replace

    from warlog.extract.event_model import combine, shipped_or_override

    d = classify_text(text, sentence_hits)
    model = shipped_or_override()
    if model is None:
        return d
    c = combine(d.sub_event_type, d.rule, model, text, domain=domain)
    if c.method == "model":
        return replace(d, sub_event_type=c.sub_event_type, rule=f"model (rules: {d.rule})", score=c.model_probability or 0.0,
                       method="model", model_probability=c.model_probability, rule_sub_event_type=d.sub_event_type,
                       rule_precision=c.rule_precision)
    return replace(d, method=c.method, model_probability=c.model_probability, rule_precision=c.rule_precision)
