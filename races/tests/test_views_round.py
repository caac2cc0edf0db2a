URL = "/series/le-mans-series/2011/6-hours-of-estoril/"

URL = "/series/le-mans-series/2011/6-hours-of-estoril/"


def test_round_page_shows_results_overall_and_by_class(client, grid):
    grid(3)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Retired — Transmission (gearbox)" in html
    assert 'id="results-2-lmp2"' in html
    assert "6:00:24.815" in html
    assert "+6 laps" in html
