"""Sub-event typing: the codebook's context rules, each on a sentence written for the test."""

import pytest

from warlog.extract.event_type import CASE_CODES, PLOVER, TAXONOMY, classify_text


@pytest.mark.parametrize(
    ("text", "sub"),
    [
        ("Government troops recaptured the town of Qaryat al-Nahr from rebels on Tuesday.", "Government regains territory"),
        ("Rebel fighters captured the village of Tell Hamra after a night of fighting.", "Non-state actor overtakes territory"),
        ("The town was retaken by government forces on Sunday, the army said.", "Government regains territory"),
        ("An army spokesman said militants have taken over two villages in the district.", "Non-state actor overtakes territory"),
        ("Rebels seized the crossing from the Islamic State, activists said.", "Non-state actor overtakes territory"),
        ("Militia fighters entered the town without any resistance after the army pulled out.", "Non-violent transfer of territory"),
        ("Police fired tear gas to disperse hundreds of demonstrators outside parliament.", "Protest with intervention"),
        ("Security forces opened fire on protesters, killing three.", "Excessive force against protesters"),
        ("Protesters threw stones at police and set tyres on fire during the march.", "Violent demonstration"),
        ("Hundreds of teachers rallied peacefully in the capital to demand unpaid wages.", "Peaceful protest"),
        ("Police defused a roadside bomb found near the market.", "Disrupted weapons use"),
        ("A roadside bomb killed four soldiers near the base.", "Remote explosive/landmine/IED"),
        ("Warplanes struck the village, killing six civilians.", "Air/drone strike"),
        ("Artillery shelling hit the outskirts of the town overnight.", "Shelling/artillery/missile attack"),
        ("A suicide bomber blew himself up at a checkpoint.", "Suicide bomb"),
        ("Gunmen abducted twelve students from a boarding school.", "Abduction/forced disappearance"),
        ("Gunmen attacked a village and killed seven farmers.", "Attack"),
        ("Soldiers clashed with insurgents on the outskirts of the city.", "Armed clash"),
        ("The two sides agreed to a ceasefire after a week of fighting.", "Agreement"),
        ("Police arrested five suspected militants in a dawn raid.", "Arrests"),
        ("Turkish forces set up a new observation post near the highway.", "Headquarters or base established"),
        ("Militiamen looted shops and burned houses in the village.", "Looting/property destruction"),
        ("A mob lynched a man accused of theft.", "Mob violence"),
        ("US forces have withdrawn from a base near the border.", "Change to group/activity"),
        ("The army sent reinforcements to its positions north of the city.", "Change to group/activity"),
        ("Residents said a chlorine attack left dozens choking.", "Chemical weapon"),
        ("Soldiers raped three women in the village, witnesses said.", "Sexual violence"),
        ("An unidentified assailant threw a grenade into a bar.", "Grenade"),
    ],
)
def test_codebook_rules(text: str, sub: str) -> None:
    d = classify_text(text)
    assert d.sub_event_type == sub, (d.rule, d.scores)
    assert d.cue is not None and text[d.cue[0] : d.cue[1]] == d.cue[2]


def test_hypothetical_is_not_an_event() -> None:
    d = classify_text("The army is poised to recapture the town in coming days.")
    assert d.sub_event_type != "Government regains territory"


def test_month_march_is_not_a_protest() -> None:
    assert classify_text("On 3 March, a roadside bomb killed two soldiers.").sub_event_type == "Remote explosive/landmine/IED"


def test_no_cue_is_other() -> None:
    d = classify_text("The weather in the capital was mild.")
    assert d.sub_event_type == "Other" and d.score == 0


def test_taxonomy_complete() -> None:
    assert len(TAXONOMY) == 25 and len(set(CASE_CODES.values())) == 25
    assert {et for et, _ in TAXONOMY.values()} == {
        "Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots", "Strategic developments"}
    assert set(PLOVER) == set(TAXONOMY)


@pytest.mark.parametrize(
    ("text", "sub"),
    [
        # what a protest is about is not what happened at it
        ("Students marched through the city centre to protest against gun violence in schools.", "Peaceful protest"),
        ("Nurses rallied outside the ministry, demanding the release of colleagues detained last week.", "Peaceful protest"),
        ("Police fired rubber bullets and water cannon to disperse the crowd of protesters.", "Protest with intervention"),
        # arrests made before a protest takes place are arrests
        ("Police detained a dozen activists ahead of a planned rally on Friday.", "Arrests"),
        # a chemical attack referred to, not reported
        ("Government troops captured two villages near a town that was the scene of a 2017 chemical weapons attack.",
         "Government regains territory"),
        ("Warplanes struck rebel bases in retaliation for a suspected poison gas attack.", "Air/drone strike"),
        ("Fighters fired mortar rounds containing poisonous gases at the front line.", "Chemical weapon"),
        # aircraft destroying stores of arms: an air strike, not a seizure
        ("Army jets destroyed an arms depot used by the militants near the border.", "Air/drone strike"),
        ("Engineers cleared more than 2,000 landmines from farmland around the village.", "Disrupted weapons use"),
        # passive and realised frames
        ("Rebel fighters will move north after seizing the hill town of Kafr Hamra from the Islamic State.",
         "Non-state actor overtakes territory"),
        ("Two would-be suicide bombers blew themselves up before reaching the checkpoint.", "Suicide bomb"),
        ("Residents hurled a grenade into an army truck near the protest camp.", "Grenade"),
        ("The militants suffered heavy losses in raids by the army's choppers overnight.", "Air/drone strike"),
    ],
)
def test_context_rules(text: str, sub: str) -> None:
    d = classify_text(text)
    assert d.sub_event_type == sub, (d.rule, d.scores)
