import pytest

from lmsite import pagecache


@pytest.fixture(autouse=True)
def _fresh_page_cache_process():
    """Each test starts as a new worker would: no data version read yet, and the cache trusted
    (a test whose cache fails leaves its breaker open for the next few seconds)."""
    pagecache.last_version.forget()
    pagecache.breaker.reset()
    yield
    pagecache.last_version.forget()
    pagecache.breaker.reset()
