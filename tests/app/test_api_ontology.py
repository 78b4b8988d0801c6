"""The codebook over HTTP."""


def test_ontology_serves_every_code(client):
    body = client.get("/api/v1/ontology").json()
    codes = {entry["code"]: entry for entry in body["codes"]}
    assert len(codes) == 311 and set(body["plover_types"]) >= {"AGREE", "ASSAULT"}
    assert codes["062"] == {
        "code": "062",
        "name": "Cooperate militarily",
        "root": "06",
        "quad_class": 2,
        "goldstein": 7.4,
        "plover": "COOPERATE",
        "plover_mode": "military",
    }
    assert codes["010"]["plover"] is None  # statements are not PLOVER events
    assert body["quad_classes"]["4"] == "material conflict"
