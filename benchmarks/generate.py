"""Deterministic synthetic news text for the benchmarks.

Every template below was written for geokg; nothing is copied from real reporting. A paragraph
mixes event sentences (actors from every kind the gazetteer knows — countries, demonyms,
capitals, organisations, armed groups, titled persons — with varied verbs, passive and nominal
variants, reported speech and denials) with background sentences that state no event
(history, economy, weather, sport, prices, quotes without a target), about 45% of them.
"""

import random
from datetime import date, timedelta

#: (country name, demonym, capital)
COUNTRIES = (
    ("Russia", "Russian", "Moscow"),
    ("Ukraine", "Ukrainian", "Kyiv"),
    ("France", "French", "Paris"),
    ("Germany", "German", "Berlin"),
    ("the United States", "American", "Washington"),
    ("China", "Chinese", "Beijing"),
    ("Iran", "Iranian", "Tehran"),
    ("Israel", "Israeli", "Jerusalem"),
    ("Turkey", "Turkish", "Ankara"),
    ("Mali", "Malian", "Bamako"),
    ("Niger", "Nigerien", "Niamey"),
    ("Burkina Faso", "Burkinabe", "Ouagadougou"),
    ("Nigeria", "Nigerian", "Abuja"),
    ("Sudan", "Sudanese", "Khartoum"),
    ("Ethiopia", "Ethiopian", "Addis Ababa"),
    ("Egypt", "Egyptian", "Cairo"),
    ("Saudi Arabia", "Saudi", "Riyadh"),
    ("India", "Indian", "New Delhi"),
    ("Pakistan", "Pakistani", "Islamabad"),
    ("Japan", "Japanese", "Tokyo"),
    ("South Korea", "South Korean", "Seoul"),
    ("North Korea", "North Korean", "Pyongyang"),
    ("Brazil", "Brazilian", "Brasilia"),
    ("Venezuela", "Venezuelan", "Caracas"),
    ("Poland", "Polish", "Warsaw"),
    ("Britain", "British", "London"),
    ("Algeria", "Algerian", "Algiers"),
    ("Morocco", "Moroccan", "Rabat"),
    ("Kenya", "Kenyan", "Nairobi"),
    ("Somalia", "Somali", "Mogadishu"),
    ("Qatar", "Qatari", "Doha"),
    ("Syria", "Syrian", "Damascus"),
)
ORGANISATIONS = (
    "NATO",
    "ECOWAS",
    "the United Nations",
    "the UN",
    "the European Union",
    "the African Union",
    "the IAEA",
    "the World Health Organization",
    "the International Monetary Fund",
    "the World Bank",
    "the International Criminal Court",
    "the Arab League",
    "the OSCE",
)
ARMED_GROUPS = (
    "Wagner",
    "the Wagner Group",
    "JNIM",
    "Hamas",
    "Hezbollah",
    "the Houthis",
    "al-Shabaab",
    "the M23 rebels",
    "the Taliban",
    "Boko Haram",
    "the Rapid Support Forces",
    "Islamic State",
)
#: (title, name); the title is prefixed with the demonym or the organisation.
PERSONS = (
    ("Russian President", "Vladimir Putin"),
    ("Ukrainian President", "Volodymyr Zelensky"),
    ("French President", "Emmanuel Macron"),
    ("Turkish President", "Recep Tayyip Erdogan"),
    ("Chinese President", "Xi Jinping"),
    ("Russian Foreign Minister", "Sergei Lavrov"),
    ("Chinese Foreign Minister", "Wang Yi"),
    ("German Chancellor", "Olaf Scholz"),
    ("Israeli Prime Minister", "Benjamin Netanyahu"),
    ("Indian Prime Minister", "Narendra Modi"),
    ("UN Secretary-General", "Antonio Guterres"),
    ("NATO Secretary General", "Jens Stoltenberg"),
    ("Malian junta leader", "Assimi Goita"),
    ("Nigerien military ruler", "Abdourahamane Tiani"),
    ("Egyptian President", "Abdel Fattah al-Sisi"),
    ("Iranian Foreign Minister", "Abbas Araghchi"),
)
SECTOR_NOUNS = (
    "troops",
    "forces",
    "government",
    "military",
    "police",
    "officials",
    "diplomats",
    "authorities",
    "navy",
    "border guards",
    "opposition",
    "intelligence services",
)
CITIES = (
    "Geneva",
    "Vienna",
    "Istanbul",
    "Doha",
    "Addis Ababa",
    "Brussels",
    "Dakar",
    "Abu Dhabi",
    "Jeddah",
    "Astana",
    "Nairobi",
    "Oslo",
)
WHEN = (
    "on Monday",
    "on Tuesday",
    "on Wednesday",
    "on Thursday",
    "on Friday",
    "on Saturday",
    "on Sunday",
    "last week",
    "earlier this month",
    "late on Thursday",
    "this week",
    "on {day} {month}",
)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
TOPICS = (
    "border security",
    "grain exports",
    "a prisoner exchange",
    "energy supplies",
    "the ceasefire",
    "counter-terrorism cooperation",
    "the return of refugees",
    "maritime security in the Red Sea",
    "debt relief",
    "the nuclear programme",
)
GRIEVANCES = (
    "human rights abuses",
    "the shelling of civilian areas",
    "election fraud",
    "interference in its internal affairs",
    "the detention of journalists",
    "violations of the truce",
    "supporting armed groups",
    "espionage",
)

#: Event sentences: {a} and {b} are actor phrases, {bd} a demonym, {bc} a country.
EVENT_TEMPLATES = (
    "{a} met {b} in {city} {when} to discuss {topic}.",
    "{a} held talks with {b} {when} on {topic}.",
    "{a} expelled {bd} diplomats {when}, accusing them of espionage.",
    "{a} attacked {bd} positions near the border {when}, killing at least {n} people.",
    "{a} signed an agreement with {b} on {topic} {when}.",
    "{a} imposed sanctions on {b} over {grievance}.",
    "{a} condemned {b} for {grievance}.",
    "{a} accused {b} of {grievance} {when}.",
    "{a} delivered weapons to {b} {when}, according to officials.",
    "{a} threatened {b} with retaliation if the attacks continued.",
    "{a} withdrew its ambassador from {bc} {when}.",
    "{a} praised {b} for its role in {topic}.",
    "{a} called on {b} to release the detained aid workers.",
    "{a} deployed troops to {bc} {when} under a defence pact.",
    "{a} rejected a proposal from {b} on {topic}.",
    "{a} pledged humanitarian aid to {b} {when}.",
    "{a} arrested several {bd} nationals suspected of spying {when}.",
    "{a} shelled {bd} positions overnight, local officials said.",
    "{a} hosted {b} for two days of talks in {city}.",
    "{a} demanded that {b} withdraw its forces from the area.",
    "{b} was attacked by {a} {when}, the army said.",
    "Sanctions were imposed on {b} by {a} {when}.",
    "{b} was accused by {a} of {grievance}.",
    "The meeting between {a} and {b} took place in {city} {when}.",
    "{a}'s attack on {b} killed at least {n} people {when}.",
    "Talks between {a} and {b} resumed in {city} {when}.",
    "{a} said it would impose sanctions on {b} over {grievance}.",
    "Officials said {a} had expelled {bd} diplomats {when}.",
    "{a} denied attacking {b} {when}.",
    "{a} did not sign the agreement with {b}, a spokesman said.",
)
#: Background sentences: no event, though some name a country.
BACKGROUND_TEMPLATES = (
    "The two countries fought a border war in {year} that ended in an uneasy truce.",
    "The city was founded in the {century} century as a trading post on the river.",
    "Inflation eased to {pct} percent in {month}, the statistics office said.",
    "The central bank left its key interest rate unchanged at {pct} percent.",
    "Exports of cocoa and gold rose {pct} percent from a year earlier.",
    "{c} has a population of about {n} million people.",
    "{c}'s economy grew {pct} percent last year, driven by mining and services.",
    "Heavy rain is expected across the region through the weekend.",
    "Temperatures reached {n} degrees Celsius in the capital {when}.",
    "The national team won {goals}-{m} in a World Cup qualifier {when}.",
    "Brent crude traded at ${price} a barrel, while gold rose to ${gold} an ounce.",
    "The price of bread has nearly doubled since {year}, residents say.",
    '"We are ready for dialogue, and we are ready to work," a senior official told reporters.',
    '"This is a difficult moment for everyone," the spokesman said.',
    "The region has been hit by drought for three consecutive seasons.",
    "Elections are scheduled for {month} {year}, though no date has been confirmed.",
    "Thousands of families have left their villages since the fighting began.",
    "The project is expected to create around {n},000 jobs over the next decade.",
    "Schools reopened {when} after a two-week holiday.",
    "The new railway line will cut travel time between the two cities by half.",
)
OUTLETS = ("Sahel Monitor", "Capital Wire", "Northern Desk", "Global Dispatch", "Coastal Times")
EVENT_SHARE = 0.55


def _pick(rng: random.Random, items: tuple):
    return items[rng.randrange(len(items))]


def actor_phrase(rng: random.Random) -> str:
    """An actor as news text names one: country, demonym + sector, capital, organisation,
    armed group or titled person."""
    name, demonym, capital = _pick(rng, COUNTRIES)
    kind = rng.random()
    if kind < 0.25:
        return name
    if kind < 0.45:
        return f"{demonym} {_pick(rng, SECTOR_NOUNS)}"
    if kind < 0.55:
        return capital
    if kind < 0.70:
        return _pick(rng, ORGANISATIONS)
    if kind < 0.82:
        return _pick(rng, ARMED_GROUPS)
    title, person = _pick(rng, PERSONS)
    return f"{title} {person}"


def _when(rng: random.Random) -> str:
    when = _pick(rng, WHEN)
    return when.format(day=rng.randint(1, 28), month=_pick(rng, MONTHS))


def _fields(rng: random.Random) -> dict[str, object]:
    """Values for every placeholder a template may use."""
    other_name, other_demonym, _ = _pick(rng, COUNTRIES)
    return {
        "a": actor_phrase(rng),
        "b": actor_phrase(rng),
        "bd": other_demonym,
        "bc": other_name,
        "c": _pick(rng, COUNTRIES)[0],
        "city": _pick(rng, CITIES),
        "when": _when(rng),
        "topic": _pick(rng, TOPICS),
        "grievance": _pick(rng, GRIEVANCES),
        "n": rng.randint(2, 40),
        "m": rng.randint(0, 2),
        "goals": rng.randint(3, 5),
        "pct": f"{rng.uniform(0.5, 12):.1f}",
        "year": rng.randint(1960, 2022),
        "century": _pick(rng, ("15th", "16th", "17th", "18th", "19th")),
        "month": _pick(rng, MONTHS),
        "price": f"{rng.uniform(60, 110):.2f}",
        "gold": f"{rng.uniform(1800, 2600):,.0f}",
    }


def sentence(rng: random.Random) -> str:
    """One sentence: an event (55%) or background."""
    templates = EVENT_TEMPLATES if rng.random() < EVENT_SHARE else BACKGROUND_TEMPLATES
    text = _pick(rng, templates).format(**_fields(rng))
    return text[0].upper() + text[1:]


def paragraph(rng: random.Random, low: int = 60, high: int = 120) -> str:
    """Sentences until the paragraph has between `low` and `high` words."""
    target = rng.randint(low, high)
    parts: list[str] = []
    words = 0
    while words < target:
        text = sentence(rng)
        count = len(text.split())
        if words >= low and words + count > high:
            break
        parts.append(text)
        words += count
    return " ".join(parts)


def paragraphs(n: int, seed: int = 0) -> list[str]:
    """`n` paragraphs of about 60–120 words each."""
    rng = random.Random(seed)
    return [paragraph(rng) for _ in range(n)]


def articles(n: int, words: int = 400, seed: int = 0) -> list[dict]:
    """`n` articles of about `words` words, with title, date, url and outlet."""
    rng = random.Random(seed)
    first_day = date(2019, 1, 1)
    found = []
    for index in range(n):
        body: list[str] = []
        count = 0
        while count < words:
            body.append(paragraph(rng))
            count += len(body[-1].split())
        outlet = _pick(rng, OUTLETS)
        slug = outlet.lower().replace(" ", "-")
        found.append(
            {
                "text": "\n\n".join(body),
                "title": _title(rng),
                "published_at": (first_day + timedelta(days=rng.randrange(2555))).isoformat(),
                "url": f"https://bench.geokg.invalid/{slug}/{index:06d}",
                "source": outlet,
            }
        )
    return found


def _title(rng: random.Random) -> str:
    a, b = actor_phrase(rng), actor_phrase(rng)
    verb = _pick(rng, ("and", "vs", "meets", "warns", "accuses", "backs", "presses"))
    title = f"{a} {verb} {b} over {_pick(rng, TOPICS)}"
    return title[0].upper() + title[1:]


def word_count(texts: list[str]) -> int:
    """Whitespace-separated tokens in `texts`."""
    return sum(len(text.split()) for text in texts)
