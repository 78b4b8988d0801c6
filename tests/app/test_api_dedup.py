"""Events, not reports: one happening told by several articles is one event."""


def post(client, text, date, source, url):
    response = client.post(
        "/api/v1/articles",
        json={"text": text, "published_at": date, "source": source, "url": url},
    )
    assert response.status_code == 201, response.text
    return response.json()


def expulsions(client):
    page = client.get("/api/v1/events?source=NER&target=FRAMIL&limit=100").json()
    return page["data"]


def test_two_sources_one_expulsion_is_one_event_with_two_evidences(client):
    first = post(
        client,
        "Niger expelled French troops on Friday, state television said.",
        "2023-12-22",
        "Sahel Wire",
        "https://a.example/1",
    )
    second = post(
        client,
        "French forces were expelled by Niger on Friday after months of tension.",
        "2023-12-23",
        "Eastern Dispatch",
        "https://b.example/2",
    )
    (event,) = expulsions(client)
    assert event["id"] == first["events"][0]["id"] == second["events"][0]["id"]
    assert event["evidence_count"] == 2
    assert event["article_count"] == 2
    assert event["source_count"] == 2
    detail = client.get(f"/api/v1/events/{event['id']}").json()
    assert {e["article_source"] for e in detail["evidence"]} == {"Sahel Wire", "Eastern Dispatch"}
    assert {e["article_url"] for e in detail["evidence"]} == {
        "https://a.example/1",
        "https://b.example/2",
    }


def test_expulsions_a_month_apart_are_two_events(client):
    post(client, "Niger expelled French troops on Friday.", "2023-11-24", "Sahel Wire", None)
    post(client, "Niger expelled more French troops on Friday.", "2023-12-22", "Sahel Wire", None)
    events = expulsions(client)
    assert len(events) == 2
    assert {e["date"] for e in events} == {"2023-11-24", "2023-12-22"}
    assert all(e["evidence_count"] == 1 for e in events)


def test_a_second_article_from_the_same_outlet_is_not_a_second_source(client):
    post(client, "Niger expelled French troops on Friday.", "2023-12-22", "Sahel Wire", None)
    post(client, "On Friday Niger expelled the French troops.", "2023-12-22", "Sahel Wire", None)
    post(client, "French troops were expelled by Niger on Friday.", "2023-12-22", None, None)
    (event,) = expulsions(client)
    assert (event["evidence_count"], event["article_count"], event["source_count"]) == (3, 3, 2)


def test_one_article_telling_an_event_twice_gives_one_event_with_two_evidences(client):
    text = (
        "Niger expelled French troops on Friday. "
        "The junta said Niger expelled the French troops to defend its sovereignty."
    )
    created = post(client, text, "2023-12-22", "Sahel Wire", None)
    (event,) = expulsions(client)
    assert [e["id"] for e in created["events"]] == [event["id"]]
    assert (event["evidence_count"], event["article_count"], event["source_count"]) == (2, 1, 1)
