"""The extractor on sentences written for these tests (not the gold set): one test per
phenomenon the engine must handle."""

import signal
from datetime import date, datetime

import pytest

from graph.ontology import load_codebook
from graph.types import ArticleIn

CODEBOOK = load_codebook()


def events(extractor, text: str, published: str = "2024-04-12"):
    article = ArticleIn(text=text, published_at=datetime.fromisoformat(published))
    return extractor.extract(article)


def coded(extractor, text: str, published: str = "2024-04-12") -> set[tuple]:
    """(source code, target code, PLOVER type, negated) of every event."""
    return {
        (e.source.code, e.target.code, CODEBOOK.get(e.cameo).plover, e.negated)
        for e in events(extractor, text, published)
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # verbs with subject and object, sector nouns, demonyms
        ("Chad expelled Sudanese soldiers on Monday.", {("TCD", "SDNMIL", "SANCTION", False)}),
        # passive with a by-agent
        (
            "Malian troops were attacked by JNIM fighters near Gao.",
            {("MLIREBJNM", "MLIMIL", "ASSAULT", False)},
        ),
        # capitals and seats of power stand for governments
        ("The Kremlin condemned Warsaw.", {("RUSGOV", "POLGOV", "ACCUSE", False)}),
        # a capital used as a place is the country
        ("Russian military instructors arrived in Bamako.", {("RUSMIL", "MLI", "AID", False)}),
        # nominal events with a possessor and an of-object
        (
            "Niger's expulsion of French troops angered Paris.",
            {("NER", "FRAMIL", "SANCTION", False)},
        ),
        # prepositional targets and compound subjects: one event per actor
        (
            "Mali and Burkina Faso condemned the sanctions imposed by ECOWAS.",
            {("MLI", "IGOWAFWAS", "ACCUSE", False), ("BFA", "IGOWAFWAS", "ACCUSE", False)},
        ),
        # symmetric relations with a compound subject go both ways
        (
            "Ghana and Togo held talks on border security.",
            {("GHA", "TGO", "CONSULT", False), ("TGO", "GHA", "CONSULT", False)},
        ),
        # telephone calls through a prepositional phrase on the instrument
        (
            "Turkish President Recep Tayyip Erdogan spoke by phone with Iran's President "
            "Masoud Pezeshkian.",
            {("TURGOV", "IRNGOV", "CONSULT", False)},
        ),
        # reported speech codes the reported act, not the speaker
        (
            "Officials in Kyiv said Russian artillery shelled the Ukrainian city overnight.",
            {("RUS", "UKR", "ASSAULT", False)},
        ),
    ],
)
def test_arguments(extractor, text, expected):
    assert coded(extractor, text, "2025-03-01") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia did not attack Moldova.", {("RUS", "MDA", "ASSAULT", True)}),
        ("Rwanda denied sending troops to Congo.", {("RWA", "COD", "AID", True)}),
        # threats are coded as THREATEN, not as the act
        (
            "The EU threatened to impose sanctions on Belarus.",
            {("IGOEUREEC", "BLR", "THREATEN", False)},
        ),
        # promises of cooperation are intent (AGREE)
        ("China pledged to provide humanitarian aid to Myanmar.", {("CHN", "MMR", "AGREE", False)}),
        # refusals are REJECT
        ("Serbia refused to hold talks with Kosovo.", {("SRB", "XKX", "REJECT", False)}),
        # hypotheticals and conditionals are not coded
        ("Any attack on Niger would be treated as a declaration of war.", set()),
        ("If Iran attacks Israel, the region will burn.", set()),
        # appeals code the appeal, not the act asked for
        (
            "The UN urged Ethiopia to withdraw its troops from Somalia.",
            {("IGOUNO", "ETH", "REQUEST", False)},
        ),
        # accusations code the accusation, not the alleged act
        ("Venezuela accused Guyana of attacking its soldiers.", {("VEN", "GUY", "ACCUSE", False)}),
    ],
)
def test_modality(extractor, text, expected):
    assert coded(extractor, text) == expected


def test_threat_code_follows_the_threatened_act(extractor):
    (event,) = events(extractor, "Washington threatened to cut aid to Honduras.")
    assert event.cameo == "1311" and "threaten" in event.rule


@pytest.mark.parametrize(
    "text",
    [
        "France beat Morocco 2-0 in the World Cup semi-final in Qatar.",
        "A heatwave hit Niger and Mali, with temperatures above 45 degrees.",
        "Oil prices rose on fears of lower Russian supply to Europe.",
        "Niger, a former French colony, borders Nigeria and Algeria.",
        "The ministry said it was monitoring the situation closely.",
        "Kenya held a presidential election on Tuesday.",
    ],
)
def test_no_event_from_mere_co_occurrence(extractor, text):
    assert events(extractor, text) == []


def test_coreference_across_sentences(extractor):
    text = (
        "Niger's junta ended its military cooperation with France in 2023. "
        "The West African nation later signed a defence pact with Russia. "
        "It also expelled the French ambassador."
    )
    found = coded(extractor, text)
    assert ("NER", "RUS", "AGREE", False) in found
    assert ("NER", "FRAGOV", "SANCTION", False) in found


def test_titled_person_resolves_later_surname(extractor):
    text = (
        "Chadian Foreign Minister Abderaman Koulamallah met his Sudanese counterpart in "
        "Port Sudan. Koulamallah later accused the RSF of shelling Chadian villages."
    )
    found = events(extractor, text)
    accusation = next(e for e in found if CODEBOOK.get(e.cameo).plover == "ACCUSE")
    assert accusation.source.kind == "person" and accusation.source.code == "TCDGOV"
    assert accusation.target.id == "rsf"


def test_leaders_are_coded_by_role_on_the_article_date(extractor):
    before = events(extractor, "Bazoum met Macron in Niamey.", "2022-05-01")
    after = events(extractor, "Bazoum met Macron in Paris.", "2025-05-01")
    assert before and before[0].source.code == "NERGOV"
    assert not after or after[0].source.sector is None


@pytest.mark.parametrize(
    ("text", "day", "precision"),
    [
        ("Niger expelled French troops on Wednesday.", "2024-04-10", "day"),
        ("Niger expelled French troops on March 26.", "2024-03-26", "day"),
        ("Niger expelled French troops in January.", "2024-01-01", "month"),
        ("Niger expelled French troops last year.", "2023-01-01", "year"),
        ("Niger expelled French troops.", "2024-04-12", "day"),
    ],
)
def test_event_dates(extractor, text, day, precision):
    (event,) = events(extractor, text)
    assert (event.date, event.date_precision) == (date.fromisoformat(day), precision)


def test_evidence_is_explained(extractor):
    text = "Background first. Ukraine's drones struck a Russian refinery on Sunday."
    (event,) = events(extractor, text)
    assert text[event.start : event.end] == event.sentence == event.sentence.strip()
    assert event.sentence.startswith("Ukraine's drones struck")
    assert event.trigger == "struck"
    assert event.rule.startswith("verb:strike/") and "src=" in event.rule
    assert 0 < event.confidence <= 1


def test_extract_many_matches_extract(extractor):
    texts = [
        "Chad expelled Sudanese soldiers.",
        "Nothing happened today.",
        "Iran condemned Israel.",
    ]
    articles = [ArticleIn(text=t, published_at=datetime(2024, 1, 1)) for t in texts]
    assert list(extractor.extract_many(articles)) == [extractor.extract(a) for a in articles]


def test_sentences_rooted_in_a_noun_finish(extractor):
    """Walking up the parse from a noun root stops at the root (it once looped forever)."""
    text = (
        "Egyptian President Abdel Fattah al-Sisi held talks with the World Bank on "
        "Wednesday on debt relief. Talks between Egypt and Sudan on Tuesday."
    )

    def give_up(signum, frame):
        raise TimeoutError("extraction did not finish within 60 s")

    previous = signal.signal(signal.SIGALRM, give_up)  # a regression hangs; fail it instead
    signal.alarm(60)
    try:
        assert {e.cameo[:2] for e in events(extractor, text)} <= {"04"}
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a mediator named by a participle's agent mediates between the sides of the deal
        (
            "Ghana and Togo signed a border accord on Monday in a deal brokered by Nigeria.",
            {("NGA", "GHA", "CONSULT", False), ("NGA", "TGO", "CONSULT", False)},
        ),
        # helpers of a mediator mediate too, and a threat or promise does not wrap mediation
        (
            "Ghana and Togo agreed to a ceasefire after talks mediated by Nigeria with help "
            "from Senegal.",
            {
                ("NGA", "GHA", "CONSULT", False),
                ("NGA", "TGO", "CONSULT", False),
                ("SEN", "GHA", "CONSULT", False),
                ("SEN", "TGO", "CONSULT", False),
            },
        ),
        # the mediator written into the adjective
        (
            "Ghana and Togo signed a Nigerian-brokered peace accord.",
            {("NGA", "GHA", "CONSULT", False), ("NGA", "TGO", "CONSULT", False)},
        ),
    ],
)
def test_third_parties(extractor, text, expected):
    assert expected <= coded(extractor, text)


def test_third_party_sides_come_from_the_article(extractor):
    text = (
        "Ghana and Togo signed a peace accord on Monday. The accord, brokered by Nigeria, "
        "ends a year of clashes. Senegal, which hosted the signing ceremony, called it historic."
    )
    found = coded(extractor, text)
    assert {("NGA", "GHA", "CONSULT", False), ("NGA", "TGO", "CONSULT", False)} <= found
    assert {("SENGOV", "GHA", "CONSULT", False), ("SEN", "GHA", "CONSULT", False)} & found


def test_relative_pronoun_subject_is_its_antecedent(extractor):
    text = "Chad's junta, which accused Sudan of arming rebels, expelled its ambassador."
    assert ("TCDGOV", "SDN", "ACCUSE", False) in coded(extractor, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # agreeing to stop the fighting declares a ceasefire (not a promise, not 030)
        (
            "Ghana and Togo agreed on Friday to halt all hostilities along their border.",
            {("GHA", "TGO", "RETREAT", False), ("TGO", "GHA", "RETREAT", False)},
        ),
        (
            "Ghana and Togo agreed to end three months of fighting.",
            {("GHA", "TGO", "RETREAT", False), ("TGO", "GHA", "RETREAT", False)},
        ),
        # civilians storming an institution or forcing their way in protest violently
        ("Nigerian protesters stormed parliament in Abuja.", {("NGACVL", "NGA", "PROTEST", False)}),
        (
            "Angry Ghanaian protesters forced their way into Togo's embassy.",
            {("GHACVL", "TGOGOV", "PROTEST", False)},
        ),
        # security forces forcing their way in coerce
        (
            "Chadian police forced their way into the Sudanese embassy.",
            {("TCDCOP", "SDNGOV", "COERCE", False)},
        ),
        # a foreign police contingent arriving for a security mission
        (
            "A contingent of Kenyan police officers landed in Haiti on Tuesday.",
            {("KENCOP", "HTI", "AID", False)},
        ),
        # an infinitive on a noun is only intended, however the parser labels it
        (
            "Ghana and Togo spoke by phone, discussing ways to end the war in Mali.",
            {("GHA", "TGO", "CONSULT", False), ("TGO", "GHA", "CONSULT", False)},
        ),
    ],
)
def test_ceasefires_protests_and_deployments(extractor, text, expected):
    assert coded(extractor, text) == expected


def test_shipping_food_is_humanitarian_aid(extractor):
    text = "Turkey pledged to ship 20,000 tonnes of wheat to Sudan and Chad."
    assert coded(extractor, text) == {
        ("TUR", "SDN", "AGREE", False),
        ("TUR", "TCD", "AGREE", False),
    }


def test_object_noun_shares_its_verbs_reported_future(extractor):
    # "would widen its sanctions": a future hostile act announced is a threat (13x)
    text = "The European Commission said the bloc would widen its sanctions against Iran."
    assert ("IGOEUREEC", "IRN", "THREATEN", False) in coded(extractor, text)


def test_investigating_reports_targets_the_reported_actor(extractor):
    text = (
        "Amnesty International said it was investigating reports that Sudanese soldiers "
        "had executed prisoners."
    )
    assert ("NGOHRIAMN", "SDNMIL", "ACCUSE", False) in coded(extractor, text)


def test_reciprocal_objects_and_both_sides(extractor):
    assert coded(extractor, "Ghana and Togo accused each other of violating the truce.") == {
        ("GHA", "TGO", "ACCUSE", False),
        ("TGO", "GHA", "ACCUSE", False),
    }
    # "both sides" are the sides of the latest act between several actors, not the last named
    text = (
        "Ghana and Togo agreed to a ceasefire on Monday, the French foreign ministry said. "
        "Within hours both sides accused each other of violating it."
    )
    accusations = {e for e in coded(extractor, text) if e[2] == "ACCUSE"}
    assert accusations == {("GHA", "TGO", "ACCUSE", False), ("TGO", "GHA", "ACCUSE", False)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the subject receives, the slot gives: the roles of a `reverse` lexicon row swap
        ("Sudan took delivery of attack drones from Iran.", {("IRN", "SDN", "AID", False)}),
        (
            "Burkina Faso's junta, which received Turkish instructors in May, thanked Ankara.",
            {("TURMIL", "BFAGOV", "AID", False), ("BFAGOV", "TURGOV", "SUPPORT", False)},
        ),
        ("Jordan received aid from Saudi Arabia.", {("SAU", "JOR", "AID", False)}),
    ],
)
def test_receiving_reverses_the_roles(extractor, text, expected):
    assert coded(extractor, text) == expected


def test_vowed_outcome_is_a_threat(extractor):
    text = "Iran's supreme leader vowed that Azerbaijan would face a harsh punishment."
    assert coded(extractor, text) == {("IRNGOV", "AZE", "THREATEN", False)}


def test_definite_attack_points_back_to_the_attackers(extractor):
    text = (
        "Turkish jets struck villages in northern Iraq on Monday. "
        "The PKK vowed that the attack would not go unanswered. "
        "Baghdad condemned the strikes."
    )
    found = coded(extractor, text)
    assert ("TURMIL", "IRQ", "ASSAULT", False) in found
    assert any(e[1] == "TURMIL" and e[2] == "THREATEN" for e in found)
    assert ("IRQGOV", "TURMIL", "ACCUSE", False) in found
    # an indefinite attack is not the earlier one
    assert not any(
        e[2] == "ACCUSE"
        for e in coded(extractor, "Turkish jets struck Iraq. Baghdad condemned an attack.")
    )


def test_government_of_a_leader_is_the_leaders_country(extractor):
    text = (
        "JNIM fighters killed soldiers in northern Burkina Faso on Saturday. "
        "The government of Ibrahim Traore condemned the attack."
    )
    assert any(e[0] == "BFAGOV" and e[2] == "ACCUSE" for e in coded(extractor, text, "2024-08-26"))


def test_thing_made_by_an_agent_stands_for_the_agent(extractor):
    text = "Ethiopia rejected a peace plan drafted by Kenya and its partners."
    assert ("ETH", "KEN", "REJECT", False) in coded(extractor, text)


def test_a_definite_sector_noun_keeps_its_country(extractor):
    # "the junta" is Guinea's junta again, though Turkey was named since
    text = (
        "Guinea's junta dissolved the electoral commission on Monday. "
        "Turkey became the main arms supplier of the junta, which received Turkish drones "
        "last month."
    )
    assert ("TURMIL", "GINGOV", "AID", False) in coded(extractor, text)


def test_unnamed_fighters_are_the_articles_armed_group(extractor):
    # "Islamist fighters" before the article names al-Shabaab, "the assailants" after it
    text = (
        "Islamist fighters attacked an army base in Somalia's Lower Shabelle region on Monday. "
        "Al-Shabaab claimed the attack. "
        "The army said its troops had repelled the assailants."
    )
    found = coded(extractor, text)
    assert any(e[0] == "SOMREBSHB" and e[2] == "ASSAULT" for e in found), found
    assert ("SOMMIL", "SOMREBSHB", "ASSAULT", False) in found
    # not in an article naming two armed groups, nor as a bare object ("the war on jihadists")
    two = "Islamist fighters attacked a base in Mali. JNIM and Islamic State are active there."
    assert not any(e[2] == "ASSAULT" for e in coded(extractor, two))


def test_participle_misparsed_as_adjective_keeps_its_subject(extractor):
    # spaCy reads "held" as an adjective on "talks" after a hyphenated name
    text = "South Korean President Lee Myung-bak held talks with Japanese Prime Minister Taro Aso."
    found = coded(extractor, text, "2009-01-12")
    assert any(e[0].startswith("KOR") and e[1:3] == ("JPNGOV", "CONSULT") for e in found), found


def test_an_admitted_act_is_also_a_concession(extractor):
    found = coded(
        extractor, "The Pentagon admitted that a U.S. drone had killed ten Afghan civilians."
    )
    assert ("USAMIL", "AFGCVL", "ASSAULT", False) in found
    assert ("USAMIL", "AFGCVL", "CONCEDE", False) in found
    # a denied admission concedes nothing
    found = coded(extractor, "Moscow did not acknowledge that its jets had bombed the Syrian town.")
    assert not any(plover == "CONCEDE" for _, _, plover, _ in found)


def test_rejected_accusations_accuse_the_rejecter(extractor):
    found = coded(extractor, "Beijing rejected Manila's accusations, calling them baseless.")
    assert ("PHLGOV", "CHNGOV", "ACCUSE", False) in found
    found = coded(extractor, "Ankara called the Greek allegations baseless.")
    assert ("GRC", "TURGOV", "ACCUSE", False) in found
    # backing an accusation is no accusation against the backer
    found = coded(extractor, "Britain backed Ukraine's accusations.")
    assert not any(plover == "ACCUSE" for _, _, plover, _ in found)


def test_hyphenated_first_words_are_no_dateline(extractor):
    found = coded(extractor, "U.S. F-16 jets struck an Iranian radar site on Friday.")
    assert ("USAMIL", "IRN", "ASSAULT", False) in found
    # a dateline with a region still goes: the filing city is no actor
    text = "GOMA, Congo, March 3 (geokg) – Rwandan troops shelled Congolese army positions."
    found = coded(extractor, text)
    assert ("RWAMIL", "COD", "ASSAULT", False) in found
    assert all(source.startswith("RWA") for source, *_ in found), found


def test_a_counted_crowd_protests_against_its_own_government(extractor):
    text = "Hundreds of Serbians protested in Belgrade against the government on Sunday."
    assert ("SRBCVL", "SRBGOV", "PROTEST", False) in coded(extractor, text)
    # counted soldiers stay soldiers
    text = "Dozens of Malian soldiers attacked a camp of Tuareg rebels near Kidal."
    assert not any(source == "MLICVL" for source, *_ in coded(extractor, text))


@pytest.mark.parametrize(
    "text",
    [
        "The first German Leopard tanks arrived in Ukraine on Monday.",
        "Two Dutch F-16 fighter jets arrived in Ukraine last week.",
        "Polish troops arrived in Ukraine for a training mission.",
    ],
)
def test_arriving_weapons_and_troops_are_military_aid(extractor, text):
    found = coded(extractor, text)
    assert any(e[1] == "UKR" and e[2] == "AID" for e in found), found
    assert not any(e[2] == "CONSULT" for e in found), found


def test_an_organisation_ordering_a_state_demands(extractor):
    text = "The U.N. Security Council ordered Sudan to hand over the suspects."
    assert ("IGOUNO", "SDN", "REQUEST", False) in coded(extractor, text)
    # a leader's orders to his own forces are no demand
    text = "Russian President Vladimir Putin ordered Russian troops to withdraw from Kherson."
    assert not any(e[2] == "REQUEST" for e in coded(extractor, text))


def test_a_commitment_without_recipient_goes_to_the_articles_one_counterpart(extractor):
    found = coded(
        extractor,
        "Pyongyang sent troops to Russia last month. Seoul demanded the withdrawal of "
        "North Korean troops from Russia. "
        "North Korea denied sending any troops.",
    )
    # Seoul's demand is no cooperation: Russia is the only counterpart
    assert ("PRK", "RUS", "AID", True) in found, found
    text = (
        "The first Rwandan police officers arrived in the Central African Republic on Monday. "
        "Rwandan President Paul Kagame has promised to send a total of 800 officers."
    )
    assert ("RWAGOV", "CAF", "AGREE", False) in coded(extractor, text)
    # two countries cooperated with: no single recipient
    text = (
        "France sent troops to Mali in 2013. France sent food aid to Niger on Tuesday. "
        "France has pledged 20 million euros."
    )
    assert not any(e[2] == "AGREE" for e in coded(extractor, text))
    # sending forces towards an adversary is no aid
    text = (
        "Chinese warships fired on a Taiwanese patrol boat on Monday. "
        "Taiwan sent warships to monitor the area."
    )
    assert not any(e[2] in ("AID", "AGREE") for e in coded(extractor, text))


def test_talks_after_which_the_subject_acted_took_place(extractor):
    found = coded(extractor, "Mali and Senegal issued a joint statement after talks in Dakar.")
    assert {("MLI", "SEN", "CONSULT", False), ("SEN", "MLI", "CONSULT", False)} <= found
    text = "Germany resumed arms deliveries to Israel after talks with Israeli officials."
    assert ("DEU", "ISRGOV", "CONSULT", False) in coded(extractor, text)
    # other acts after which something happened stay background
    found = coded(extractor, "Mali and Senegal reopened their border after the war in Sudan.")
    assert not any(e[2] == "ASSAULT" for e in found)


def test_national_broadcasters_are_their_countrys_media(extractor):
    text = "Mali's junta suspended Al Jazeera and Deutsche Welle, accusing the channels of bias."
    found = coded(extractor, text)
    assert ("MLIGOV", "QATMED", "COERCE", False) in found
    assert ("MLIGOV", "DEUMED", "COERCE", False) in found
    # speaking to a broadcaster is no event; a that-clause is what was said
    text = "French President Emmanuel Macron told France 24 that the troops would leave."
    assert coded(extractor, text) == set()
    text = "Niger's junta told the French ambassador to leave within 48 hours."
    assert ("NERGOV", "FRAGOV", "SANCTION", False) in coded(extractor, text)


def test_be_to_infinitive_is_a_planned_act(extractor):
    text = "Under the deal, Armenian troops are to withdraw from the disputed villages."
    found = coded(extractor, text)
    assert not any(e[2] == "RETREAT" for e in found), found
    text = "Under the deal, Ethiopian troops are to withdraw from Somalia by March."
    assert ("ETHMIL", "SOM", "AGREE", False) in coded(extractor, text)


def test_pounding_is_an_attack(extractor):
    text = "Russian warplanes pounded the Syrian city of Idlib overnight."
    assert ("RUSMIL", "SYR", "ASSAULT", False) in coded(extractor, text)


def test_sanctions_targeting_an_economy_restrict_it(extractor):
    text = "Britain announced new sanctions on Monday targeting Russia's oil trade."
    found = coded(extractor, text)
    assert ("GBR", "RUS", "COERCE", False) in found
    assert not any(e[2] == "ASSAULT" for e in found), found


def test_with_clause_of_its_own_is_a_second_act(extractor):
    text = (
        "Bolivia cut diplomatic ties with Israel on Tuesday, with President Luis Arce "
        "accusing the Israeli government of war crimes."
    )
    found = coded(extractor, text, "2023-11-01")
    assert any(e[0].startswith("BOL") and e[1] == "ISRGOV" and e[2] == "ACCUSE" for e in found)


def test_a_possessive_group_noun_is_no_partitive(extractor):
    text = (
        "Al-Shabaab fighters attacked a base in Somalia after U.S. drone strikes killed "
        "two of the group's commanders."
    )
    found = coded(extractor, text)
    assert any(e[0] == "USA" and e[1] == "SOMREBSHB" and e[2] == "ASSAULT" for e in found), found


def test_an_inherited_war_subject_does_not_vow(extractor):
    text = (
        "Hezbollah fighters attacked an Israeli border post on Monday. Israeli Prime Minister "
        "Benjamin Netanyahu said the war would go on, vowing to destroy Hezbollah."
    )
    found = coded(extractor, text, "2024-06-01")
    assert ("ISRGOV", "LBNREBHEZ", "THREATEN", False) in found


def test_the_two_delegations_are_the_latest_sides(extractor):
    text = (
        "Armenia and Azerbaijan exchanged prisoners on Sunday. The freed men were flown home "
        "via Georgia. The swap was agreed at a meeting between the two delegations last month."
    )
    found = coded(extractor, text)
    assert any(e[:3] == ("ARM", "AZE", "CONSULT") or e[:2] == ("ARMGOV", "AZEGOV") for e in found)
    assert not any("GEO" in (e[0], e[1]) for e in found), found


def test_protest_at_and_outside_a_summit(extractor):
    text = "Hundreds of Kenyans marched in Nairobi in protest at the government's new taxes."
    assert any(e[0] == "KENCVL" and e[2] == "PROTEST" for e in coded(extractor, text))
    # a summit the protest was held outside of is no meeting of the protesters
    text = "Outside the summit, hundreds of Polish and Czech farmers blocked roads in Brussels."
    assert not any(e[2] == "CONSULT" for e in coded(extractor, text))


def test_an_unowned_opposition_is_the_acting_countrys(extractor):
    text = "Belarusian police fired tear gas at opposition supporters in the capital's squares."
    assert ("BLRCOP", "BLROPP", "COERCE", False) in coded(extractor, text)


def test_would_take_action_against_is_a_threat(extractor):
    text = "Britain's foreign secretary said London would take action against Tehran's government."
    found = coded(extractor, text)
    assert any(e[1] == "IRNGOV" and e[2] == "THREATEN" for e in found), found


def test_buying_a_countrys_oil_is_trade(extractor):
    text = "Chinese refiners bought large volumes of Iranian crude last month."
    assert ("CHNBUS", "IRN", "COOPERATE", False) in coded(extractor, text)
    # an opposition is the acting forces' own, not a foreign supporter's
    text = "The U.S. embassy said American diplomats met opposition activists in Minsk."
    assert not any(e[1] == "USAOPP" for e in coded(extractor, text))


def test_a_base_housing_troops_stands_for_them(extractor):
    text = "Iraqi militias fired rockets at a Syrian base housing American troops on Friday."
    found = coded(extractor, text)
    assert any(e[1] == "USAMIL" and e[2] == "ASSAULT" for e in found), found
    assert not any(e[1] == "SYR" for e in found), found


def test_a_plural_noun_has_no_person_in_apposition(extractor):
    # "people [whom] Trump described as ...": the person heads a reduced relative clause
    text = "U.S. forces sank a boat on Tuesday, killing 11 people Trump described as smugglers."
    found = coded(extractor, text, "2025-09-10")
    assert not any(e[1].startswith("USA") for e in found), found


def test_an_intent_only_reported_is_not_coded(extractor):
    text = "Ankara dismissed rumours that Turkish troops were preparing to withdraw from Syria."
    assert not any(e[2] in ("AGREE", "THREATEN") for e in coded(extractor, text))
    text = "Turkish troops were preparing to withdraw from Syria, officials said."
    assert any(e[0] == "TURMIL" for e in coded(extractor, text))


def test_a_visit_during_another_act_is_its_own_event(extractor):
    text = "China and Serbia signed a trade agreement during Xi Jinping's visit to Belgrade."
    found = coded(extractor, text, "2024-05-08")
    assert ("CHNGOV", "SRB", "CONSULT", False) in found
    assert ("CHN", "SRB", "AGREE", False) in found


def test_troops_pushing_into_a_country_attack_it(extractor):
    text = "Azerbaijani troops pushed into Armenia's Syunik province on Tuesday."
    assert ("AZEMIL", "ARM", "ASSAULT", False) in coded(extractor, text)


def test_driving_forces_out_attacks_them(extractor):
    text = "Armenian forces were driven out of the village by Azerbaijani troops on Monday."
    assert ("AZEMIL", "ARMMIL", "ASSAULT", False) in coded(extractor, text)


def test_blue_helmets_are_the_un(extractor):
    text = "Congo's government demanded that the blue helmets leave the east by December."
    assert any(e[1] == "IGOUNO" and e[2] == "REQUEST" for e in coded(extractor, text))


def test_a_national_read_as_an_adjective_is_still_a_person(extractor):
    text = "Malian police detained a French national accused of spying for French intelligence."
    found = coded(extractor, text)
    assert any(e[:3] == ("MLICOP", "FRACVL", "COERCE") for e in found), found


def test_warning_someone_not_to_act_is_a_warning_to_them(extractor):
    found = coded(extractor, "Russia warned NATO not to send troops to Ukraine.")
    assert ("RUS", "IGOWSTNAT", "THREATEN", False) in found
    assert not any(e[0] == "IGOWSTNAT" for e in found), found


def test_a_state_protecting_its_own_people_is_no_relation(extractor):
    text = "American troops protect U.S. personnel at the base."
    assert not any(e[0][:3] == e[1][:3] == "USA" for e in coded(extractor, text))
    # its rebels are other actors
    text = "The Colombian army and the ELN agreed to a ceasefire on Monday."
    assert any(e[2] == "RETREAT" for e in coded(extractor, text))


def test_former_titles_and_the_regional_group(extractor):
    text = (
        "Guinea announced on Monday that it was leaving ECOWAS. Senegal's former president "
        "Macky Sall urged the regional group to keep talking."
    )
    found = coded(extractor, text, "2024-06-01")
    assert any(e[0].startswith("SEN") and e[1] == "IGOWAFWAS" for e in found), found
    assert not any(e[0].startswith("GIN") and e[2] == "REQUEST" for e in found), found
    text = "Mali announced that it was quitting the regional group after years of sanctions."
    context = "ECOWAS suspended Mali in 2021. " + text
    assert any(e[:2] == ("MLI", "IGOWAFWAS") for e in coded(extractor, context))


def test_supporters_of_a_government_are_its_civilians(extractor):
    text = "In Bamako, thousands of supporters of the junta rallied outside the French embassy."
    found = coded(extractor, text)
    assert any(e[0] == "MLICVL" and e[1].startswith("FRA") for e in found), found


def test_the_accusations_point_back_to_the_latest_accuser(extractor):
    text = (
        "Lithuania accused Belarus of pushing migrants across the border. "
        "Minsk rejected the accusations on Tuesday."
    )
    found = coded(extractor, text)
    assert any(e[0].startswith("BLR") and e[1] == "LTU" and e[2] == "REJECT" for e in found)
    # with no accusation before, "the accusations" name nobody
    found = coded(extractor, "Minsk rejected the accusations on Tuesday.")
    assert not any(e[2] == "REJECT" for e in found)


def test_seizing_a_capital_takes_the_city(extractor):
    text = "M23 rebels seized Kinshasa on Sunday after days of fighting."
    found = coded(extractor, text)
    assert any(e[0] == "CODREBM23" and e[1].startswith("COD") and e[2] == "ASSAULT" for e in found)


def test_hosted_that_meeting_despite_the_misparse(extractor):
    text = (
        "Armenia and Azerbaijan held talks in Abu Dhabi. The UAE hosted that meeting, and "
        "officials said Abu Dhabi was ready to host more rounds."
    )
    found = coded(extractor, text)
    assert {("ARE", "ARM", "CONSULT", False), ("ARE", "AZE", "CONSULT", False)} <= found, found


def test_both_sides_some_sentences_later_and_an_asked_for_agreement(extractor):
    text = (
        "Armenia and Azerbaijan exchanged fire along the border on Monday. "
        "Dozens of soldiers were killed. Villages were evacuated. Schools closed. "
        "French President Emmanuel Macron, who has urged both sides to agree to a ceasefire, "
        "called for calm."
    )
    found = coded(extractor, text, "2024-06-01")
    assert {("FRAGOV", "ARM", "REQUEST", False), ("FRAGOV", "AZE", "REQUEST", False)} <= found
    # the ceasefire was only asked for
    assert not any(e[2] == "RETREAT" for e in found), found


def test_reactions_to_the_deal_and_both_countries_go_to_its_sides(extractor):
    text = (
        "Armenia and Azerbaijan signed a peace agreement on Friday. "
        "Washington welcomed the agreement."
    )
    found = coded(extractor, text, "2025-08-09")
    assert {("USAGOV", "ARM"), ("USAGOV", "AZE")} <= {e[:2] for e in found if e[2] == "SUPPORT"}
    text = (
        "Armenia and Azerbaijan signed a peace agreement on Friday. "
        "U.S. President Donald Trump congratulated both countries."
    )
    found = coded(extractor, text, "2025-08-09")
    assert {("USAGOV", "ARM"), ("USAGOV", "AZE")} <= {e[:2] for e in found if e[2] == "SUPPORT"}


def test_a_step_that_acts_is_taken_by_the_clause_subject(extractor):
    text = (
        "Washington declared the takeover a coup on Tuesday, a step that cuts off most "
        "U.S. assistance to Niger."
    )
    assert ("USAGOV", "NER", "SANCTION", False) in coded(extractor, text)


def test_representatives_of_groups_stand_for_them(extractor):
    text = "Representatives of Colombia's government and the ELN signed a ceasefire deal in Havana."
    found = coded(extractor, text)
    assert any(e[0].startswith("COL") and e[1] == "COLREBELN" for e in found), found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ecuador sent three gang leaders and a drug trafficker to the United States.",
            ("ECU", "USA", "COOPERATE", False),
        ),
        (
            "Venezuela agreed to accept deportation flights from the United States.",
            ("VEN", "USA", "AGREE", False),
        ),
    ],
)
def test_handing_suspects_over_and_accepting_deportees(extractor, text, expected):
    assert expected in coded(extractor, text)


@pytest.mark.parametrize(
    "text",
    [
        "Serbia and Kosovo failed to agree on a ceasefire.",
        "Israel and Hamas did not agree to a truce on Monday.",
    ],
)
def test_a_failed_agreement_negates_the_act(extractor, text):
    found = coded(extractor, text)
    assert found and all(e[2] == "RETREAT" and e[3] for e in found), found


def test_surrounding_a_country_in_drills_is_a_show_of_force(extractor):
    text = "China's military surrounded Taiwan with warships on Friday in drills."
    assert coded(extractor, text) == {("CHNMIL", "TWN", "MOBILIZE", False)}


def test_a_passive_restatement_later_in_an_article_is_no_new_event(extractor):
    text = (
        "Armenia and Azerbaijan signed a peace agreement on Friday. "
        "Officials said the agreement was signed after a phone call."
    )
    found = [e for e in events(extractor, text) if e.cameo == "057"]
    assert {e.sentence for e in found} == {
        "Armenia and Azerbaijan signed a peace agreement on Friday."
    }


def test_migrants_arriving_in_a_country_are_no_visit(extractor):
    text = (
        "Lithuania closed two border crossings with Belarus on Monday. "
        "The refugees arrived in Belarus on flights from Iraq."
    )
    assert not any(e[2] == "CONSULT" for e in coded(extractor, text))
    assert ("FRAGOV", "UKR", "CONSULT", False) in coded(
        extractor, "French President Emmanuel Macron arrived in Kyiv on Monday."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Guinea's junta dissolved dozens of political parties on Monday.",
            ("GINGOV", "GINOPP", "COERCE", False),
        ),
        ("Thailand's army declared martial law on Tuesday.", ("THAMIL", "THACVL", "COERCE", False)),
        (
            "Rights groups condemned Belarus's crackdown on protesters.",
            ("BLR", "BLRCVL", "COERCE", False),
        ),
    ],
)
def test_repression_with_no_named_target_falls_on_the_own_country(extractor, text, expected):
    assert expected in coded(extractor, text)


def test_armed_groups_opening_fire_are_no_domestic_repression(extractor):
    text = "JNIM fighters attacked a village in Mali. The gunmen opened fire at dawn."
    assert not any(e[2] == "COERCE" for e in coded(extractor, text))


def test_investigators_sent_or_set_up_to_investigate_are_the_investigation(extractor):
    sent = (
        "The EU sent a team of experts on Monday to investigate Belarus's crackdown on protesters."
    )
    assert ("IGOEUREEC", "BLR", "ACCUSE", False) in coded(extractor, sent)
    asked = "The EU called for a mission to investigate Belarus's crackdown on protesters."
    assert not any(e[2] == "ACCUSE" for e in coded(extractor, asked))


def test_the_launcher_of_a_weapon_is_the_source_of_what_it_hit(extractor):
    text = "Hezbollah said the rockets it fired on Monday hit an Israeli army base."
    found = coded(extractor, text)
    assert ("LBNREBHEZ", "ISRMIL", "ASSAULT", False) in found or (
        "LBNREBHEZ",
        "ISR",
        "ASSAULT",
        False,
    ) in found, found


def test_arrests_of_unnamed_people_fall_on_the_own_country(extractor):
    text = "Turkish police arrested a former mayor on Sunday."
    assert ("TURCOP", "TURCVL", "COERCE", False) in coded(extractor, text)


def test_the_act_answered_by_a_retaliation_is_not_the_retaliators(extractor):
    text = (
        "Israel struck targets in Lebanon on Monday in retaliation for a rocket attack "
        "that wounded two soldiers in Syria."
    )
    found = coded(extractor, text)
    assert ("ISR", "LBN", "ASSAULT", False) in found
    assert not any(e[0] == "ISR" and e[1] == "SYR" for e in found), found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Japan sent warships on Monday to shadow the Chinese vessels.",
            ("JPN", "CHN", "MOBILIZE", False),
        ),
        (
            "Poland scrambled jets to intercept Russian bombers.",
            ("POL", "RUSMIL", "MOBILIZE", False),
        ),
        (
            "Cuba mobilised reservists to counter what it called U.S. provocations.",
            ("CUB", "USA", "MOBILIZE", False),
        ),
    ],
)
def test_a_show_of_force_is_aimed_at_the_object_of_its_purpose(extractor, text, expected):
    assert expected in coded(extractor, text)


@pytest.mark.parametrize(
    "text",
    [
        "Iranian police detained a British journalist on Monday. London demanded her release.",
        "Iranian police detained a British journalist, and London demanded his release.",
    ],
)
def test_a_release_is_demanded_of_whoever_holds_the_person(extractor, text):
    assert ("GBRGOV", "IRNCOP", "REQUEST", False) in coded(extractor, text)
