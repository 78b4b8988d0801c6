"""Queries through the app on a store built from the sample articles."""

import itertools
from datetime import date, timedelta

import pytest
from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session

from graph.store.analytics import PERIOD_MODIFIERS, period_start


@pytest.fixture(scope="module")
def client(seeded_client):
    return seeded_client


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code} {response.text}"
    return response.json()


def test_actor_search_prefix_first_then_event_count(client):
    page = get(client, "/api/v1/actors?q=niger&limit=20")
    ids = [a["id"] for a in page["data"]]
    assert ids[0] == "NER"  # exact name match before names that merely contain "niger"
    assert page["count"] >= len(ids) >= 2
    by_code = get(client, "/api/v1/actors?q=NERGOV")["data"]
    assert by_code and by_code[0]["id"] == "NERGOV"
    filtered = get(client, "/api/v1/actors?country=NER&sector=GOV")["data"]
    assert filtered and all(a["country"] == "NER" and a["sector"] == "GOV" for a in filtered)
    assert get(client, "/api/v1/actors?kind=person")["data"]
    get(client, "/api/v1/actors?kind=planet", status=422)


def test_actor_profile(client):
    profile = get(client, "/api/v1/actors/NER")
    assert profile["name"] == "Niger" and profile["kind"] == "country"
    assert "Niger" in profile["aliases"]
    assert profile["events_in"] + profile["events_out"] > 0
    assert profile["first_seen"] <= profile["last_seen"]
    top = profile["top_counterparts"]
    assert top and top == sorted(top, key=lambda row: -row["events"])
    get(client, "/api/v1/actors/ATLANTIS", status=404)


def test_relations_events_newest_first_with_evidence(client):
    page = get(client, "/api/v1/actors/NER/relations?direction=both&rollup=country&limit=100")
    events = page["data"]
    assert events and page["count"] == len(events)
    dates = [e["date"] for e in events]
    assert dates == sorted(dates, reverse=True)
    for event in events:
        assert "NER" in (event["source"]["country"], event["target"]["country"])
        assert event["evidence"] and event["evidence"][0]["sentence"]
        assert event["negated"] is False


def test_relations_rollup_folds_sectors_and_persons_into_the_country(client):
    by_actor = get(client, "/api/v1/actors/RUS/relations?rollup=actor&limit=1000")["count"]
    by_country = get(client, "/api/v1/actors/RUS/relations?rollup=country&limit=1000")
    assert by_country["count"] > by_actor
    sources = {e["source"]["id"] for e in by_country["data"]} | {
        e["target"]["id"] for e in by_country["data"]
    }
    assert sources - {"RUS"}  # RUSGOV, RUSMIL, Putin ... all counted as Russia


def test_relations_filters(client):
    base = "/api/v1/actors/NER/relations?rollup=country&limit=1000"
    everything = get(client, base)["data"]
    out = get(client, base + "&direction=out")["data"]
    assert all(e["source"]["country"] == "NER" for e in out)
    incoming = get(client, base + "&direction=in")["data"]
    assert all(e["target"]["country"] == "NER" for e in incoming)
    assert len(out) + len(incoming) >= len(everything)
    for quad in (1, 2, 3, 4):
        assert all(
            e["quad_class"] == quad for e in get(client, f"{base}&quad_class={quad}")["data"]
        )
    root = everything[0]["root"]
    assert all(e["cameo"].startswith(root) for e in get(client, f"{base}&cameo={root}")["data"])
    plover = everything[0]["plover"]
    assert all(
        e["plover"] == plover for e in get(client, f"{base}&plover={plover.lower()}")["data"]
    )
    first = min(e["date"] for e in everything)
    windowed = get(client, f"{base}&start={first}&end={first}")["data"]
    assert windowed and all(e["date"] == first for e in windowed)
    confident = get(client, f"{base}&min_confidence=0.85")["data"]
    assert all(e["confidence"] >= 0.85 for e in confident)
    counterpart = get(client, f"{base}&counterpart=RUS")["data"]
    assert counterpart and all(
        {e["source"]["country"], e["target"]["country"]} == {"NER", "RUS"} for e in counterpart
    )


@pytest.mark.parametrize("actor", ["RUS", "COL", "MLI", "NER"])
def test_relations_both_ways_list_each_event_once_newest_first(client, actor):
    # At country level RUSMIL -> wagner is RUS -> RUS: out and in at once, listed once.
    base = f"/api/v1/actors/{actor}/relations?rollup=country&limit=1000"
    both = get(client, base)
    ids = [e["id"] for e in both["data"]]
    out = {e["id"] for e in get(client, base + "&direction=out")["data"]}
    incoming = {e["id"] for e in get(client, base + "&direction=in")["data"]}
    assert len(ids) == len(set(ids)) == both["count"] and set(ids) == out | incoming
    keys = [(e["date"], e["id"]) for e in both["data"]]
    assert keys == sorted(keys, reverse=True)
    pages = [
        get(client, f"{base.replace('limit=1000', 'limit=3')}&offset={offset}")
        for offset in range(0, len(ids) + 3, 3)
    ]
    assert [e["id"] for page in pages for e in page["data"]] == ids
    assert all(page["count"] == len(ids) for page in pages)


def test_relations_grouped_by_counterpart(client):
    rows = get(client, "/api/v1/actors/NER/relations?rollup=country&group=counterpart")["data"]
    assert rows == sorted(rows, key=lambda r: -r["events"])
    russia = [r for r in rows if r["counterpart"]["id"] == "RUS"]
    assert russia
    events = get(client, "/api/v1/actors/NER/relations?rollup=country&counterpart=RUS&limit=1000")
    assert sum(r["events"] for r in russia) == events["count"]
    for row in rows:
        assert row["direction"] in ("in", "out")
        assert sum(row["quad_classes"].values()) == row["events"]
        assert row["goldstein_mean"] == pytest.approx(
            row["goldstein_sum"] / row["events"], abs=1e-3
        )
        assert row["evidence"] >= row["events"] and row["first"] <= row["last"]
    grouped = "/api/v1/actors/NER/relations?rollup=country&group=counterpart"
    count = get(client, grouped)["count"]
    assert count == len(get(client, grouped + "&limit=1000")["data"])
    past_the_end = get(client, grouped + "&offset=1000")
    assert past_the_end["data"] == [] and past_the_end["count"] == count


@pytest.mark.parametrize("direction", ["both", "out", "in"])
@pytest.mark.parametrize("actor", ["NER", "RUS", "RUSMIL", "MLI"])
def test_counterpart_totals_from_the_dyad_table_match_the_events(client, actor, direction):
    # A window reaching past every event makes the app aggregate the events themselves.
    grouped = f"/api/v1/actors/{actor}/relations?group=counterpart&direction={direction}"
    pages = ["&limit=1000", "&limit=2&offset=1", "&offset=1000", "&counterpart=NER"]
    kept = [get(client, grouped + page) for page in pages]
    assert kept == [get(client, grouped + page + "&start=1900-01-01") for page in pages]
    assert kept[0]["data"] or direction != "both"


def test_negated_events_only_on_request(client):
    base = "/api/v1/events?limit=1000"
    assert get(client, base)["count"] >= 1
    everything = get(
        client, "/api/v1/actors/NER/relations?rollup=country&limit=1000&include_negated=true"
    )
    plain = get(client, "/api/v1/actors/NER/relations?rollup=country&limit=1000")
    assert everything["count"] >= plain["count"]


def test_dyad_timeline_has_every_period(client):
    body = get(client, "/api/v1/dyads/NER/RUS/timeline?rollup=country&interval=month")
    periods = [date.fromisoformat(p["period"]) for p in body["data"]]
    assert periods and all(p.day == 1 for p in periods)
    for earlier, later in itertools.pairwise(periods):
        assert (later.year * 12 + later.month) - (earlier.year * 12 + earlier.month) == 1
    total = sum(p["events"] for p in body["data"])
    both_ways = get(client, "/api/v1/actors/NER/relations?rollup=country&counterpart=RUS")["count"]
    assert total == both_ways
    for point in body["data"]:
        assert sum(point["quad_classes"].values()) == point["events"]
    window = get(
        client,
        "/api/v1/dyads/NER/RUS/timeline?rollup=country&interval=year&start=2020-01-01&end=2026-12-31",
    )
    assert [p["period"][:4] for p in window["data"]] == [str(y) for y in range(2020, 2027)]
    directed = get(client, "/api/v1/dyads/NER/RUS/timeline?rollup=country&directed=true")
    assert sum(p["events"] for p in directed["data"]) <= total
    weekly = get(client, "/api/v1/dyads/NER/RUS/timeline?rollup=country&interval=week")
    assert all(date.fromisoformat(p["period"]).weekday() == 0 for p in weekly["data"])


def test_sql_periods_start_where_python_periods_start(client):
    days = [date(2023, 12, 24) + timedelta(days=n) for n in range(14)]  # Sundays, new year
    with Session(client.app.state.engine) as session:
        for interval, modifiers in PERIOD_MODIFIERS.items():
            found = [
                session.execute(sa_select(func.date(day.isoformat(), *modifiers))).scalar()
                for day in days
            ]
            assert found == [period_start(day, interval).isoformat() for day in days]


def test_dyad_timeline_periods_add_up_the_days(client):
    base = "/api/v1/dyads/NER/RUS/timeline?rollup=country"
    days = [p for p in get(client, f"{base}&interval=day")["data"] if p["events"]]
    for interval in ("week", "month", "year"):
        expected: dict[str, int] = {}
        for point in days:
            period = period_start(date.fromisoformat(point["period"]), interval).isoformat()
            expected[period] = expected.get(period, 0) + point["events"]
        found = get(client, f"{base}&interval={interval}")["data"]
        assert {p["period"]: p["events"] for p in found if p["events"]} == expected


def test_neighborhood(client):
    body = get(client, "/api/v1/graph/neighborhood/NER?rollup=country&depth=1")
    ids = {n["id"] for n in body["nodes"]}
    assert {"NER", "RUS", "FRA"} <= ids
    neighbours = set()
    for edge in body["edges"]:
        assert edge["source"] in ids and edge["target"] in ids
        assert edge["weight"] == edge["events"] >= 1
        if "NER" in (edge["source"], edge["target"]):
            neighbours |= {edge["source"], edge["target"]}
    assert neighbours == ids  # every node is one hop from Niger (edges among them included)
    wider = get(client, "/api/v1/graph/neighborhood/NER?rollup=country&depth=2")
    assert len(wider["nodes"]) >= len(body["nodes"])
    small = get(client, "/api/v1/graph/neighborhood/NER?rollup=country&depth=2&limit=3")
    assert len(small["nodes"]) == 3 and "NER" in {n["id"] for n in small["nodes"]}
    strong = get(client, "/api/v1/graph/neighborhood/NER?rollup=country&min_events=2")
    assert all(edge["events"] >= 2 for edge in strong["edges"])
    for graph in (body, wider, strong):
        assert graph["truncated"] is False
        assert (graph["nodes_total"], graph["edges_total"]) == (
            len(graph["nodes"]),
            len(graph["edges"]),
        )
        for node in graph["nodes"]:  # events among the returned nodes
            touching = [e for e in graph["edges"] if node["id"] in (e["source"], e["target"])]
            assert node["events"] == sum(e["events"] for e in touching)
    assert small["truncated"] is True and small["nodes_total"] == len(wider["nodes"])


def test_neighborhood_caps_edges_keeping_the_actors_own_then_the_heaviest(client):
    url = "/api/v1/graph/neighborhood/NER?rollup=country&depth=2"
    full = get(client, url)
    own = [e for e in full["edges"] if "NER" in (e["source"], e["target"])]
    others = sorted((e for e in full["edges"] if e not in own), key=lambda e: -e["events"])
    assert len(own) >= 2 and others
    capped = get(client, f"{url}&edge_limit={len(own) + 1}")
    assert capped["truncated"] is True
    assert capped["edges_total"] == len(full["edges"]) > len(capped["edges"]) == len(own) + 1
    assert capped["nodes"] == full["nodes"]  # node events count the edges before the cap
    kept = [e for e in capped["edges"] if e not in own]
    assert all(e in capped["edges"] for e in own)
    assert len(kept) == 1 and kept[0]["events"] == others[0]["events"]
    get(client, f"{url}&edge_limit=0", status=422)


def test_path(client):
    body = get(client, "/api/v1/graph/path?source=FRA&target=RUS&rollup=country&max_hops=3")
    assert body["length"] >= 1
    for path in body["paths"]:
        nodes = [n["id"] for n in path["nodes"]]
        assert nodes[0] == "FRA" and nodes[-1] == "RUS" and len(nodes) == body["length"] + 1
        for hop in path["hops"]:
            assert hop["events"] >= 1 and hop["strongest"]
    get(client, "/api/v1/graph/path?source=FRA&target=RUS&rollup=country&max_hops=0", status=422)


def test_path_404_when_too_far(client):
    # A leaf of the graph far from another leaf: ask for one hop between non-neighbours.
    graph = get(client, "/api/v1/graph/neighborhood/NER?rollup=country&depth=1")
    neighbours = {e["source"] for e in graph["edges"]} | {e["target"] for e in graph["edges"]}
    far = get(client, "/api/v1/graph/centrality?metric=degree&rollup=country&limit=1000")["data"]
    stranger = next(r["actor"]["id"] for r in far if r["actor"]["id"] not in neighbours)
    response = client.get(
        f"/api/v1/graph/path?source=NER&target={stranger}&rollup=country&max_hops=1"
    )
    assert response.status_code == 404
    assert "no path" in response.json()["detail"]


@pytest.mark.parametrize("metric", ["degree", "pagerank", "betweenness", "eigenvector"])
def test_centrality(client, metric):
    body = get(client, f"/api/v1/graph/centrality?metric={metric}&rollup=country&limit=10")
    scores = [row["score"] for row in body["data"]]
    assert body["metric"] == metric and len(scores) == min(10, body["nodes"])
    assert scores == sorted(scores, reverse=True)
    again = get(client, f"/api/v1/graph/centrality?metric={metric}&rollup=country&limit=10")
    assert again == body


def test_communities(client):
    body = get(client, "/api/v1/graph/communities?rollup=country")
    assert body["count"] == len(body["data"]) >= 1
    members = [m["id"] for c in body["data"] for m in c["members"]]
    assert len(members) == len(set(members))
    nodes = get(client, "/api/v1/graph/centrality?metric=degree&rollup=country&limit=1000")["nodes"]
    assert len(members) == nodes
    for community in body["data"]:
        for side in ("internal", "external"):
            assert (
                community[side]["cooperation"] + community[side]["conflict"]
                == community[side]["events"]
            )


def test_stats(client):
    stats = get(client, "/api/v1/stats")
    health = get(client, "/api/v1/health")
    assert stats["articles"] == health["articles"] == 16
    assert stats["events"] == health["events"] == sum(stats["events_by_plover"].values())
    assert stats["first_date"] <= stats["last_date"]
    counts = [a["event_count"] for a in stats["top_actors"]]
    assert counts == sorted(counts, reverse=True)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/actors/NER/relations?start=2024-05-01&end=2024-01-01",
        "/api/v1/actors/NER/relations?start=2024-02-30",
        "/api/v1/actors/NER/relations?cameo=99",
        "/api/v1/actors/NER/relations?plover=HUG",
        "/api/v1/actors/NER/relations?rollup=continent",
        "/api/v1/actors/NER/relations?direction=sideways",
        "/api/v1/actors/NER/relations?group=month",
        "/api/v1/actors/NER/relations?quad_class=5",
        "/api/v1/dyads/NER/RUS/timeline?interval=decade",
        "/api/v1/graph/neighborhood/NER?depth=0",
        "/api/v1/graph/neighborhood/NER?depth=4",
        "/api/v1/graph/centrality?metric=fame",
        "/api/v1/graph/communities?start=2025-01-01&end=2024-01-01",
    ],
)
def test_bad_parameters_are_422_with_a_message(client, url):
    body = get(client, url, status=422)
    assert body["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/actors/NOPE/relations",
        "/api/v1/dyads/NER/NOPE/timeline",
        "/api/v1/graph/neighborhood/NOPE",
        "/api/v1/graph/path?source=NOPE&target=NER",
        "/api/v1/actors/NER/relations?counterpart=NOPE",
    ],
)
def test_unknown_actor_is_404_naming_it(client, url):
    assert "'NOPE'" in get(client, url, status=404)["detail"]
