"""The API starts over a store and documents itself."""

from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings


def test_health_and_openapi(built_store_path):
    client = TestClient(create_app(Settings(store=str(built_store_path))))
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["quads"] > 100_000
    assert client.get("/openapi.json").json()["info"]["title"] == "thamquyen"
    assert client.get("/docs").status_code == 200
