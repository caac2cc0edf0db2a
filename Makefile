# make run   — set up everything and serve the site with the demo data on http://127.0.0.1:8000/
# make test  — lint, format check and the test suite
# make serve — serve with gunicorn, DEBUG off
# make messages — collect the interface strings into locale/de/…/django.po and compile the .mo
#                 (needs GNU gettext; translate the new empty msgstr, then run it again)

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test serve setup lint messages chromium

$(PY):
	@PYTHON=$$(bin/find-python) && echo "Using $$PYTHON" && "$$PYTHON" -m venv $(VENV)

$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@ $(STAMP)

setup: $(STAMP)
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py collectstatic --no-input -v 0
	$(PY) manage.py load_demo

run: setup
	DJANGO_DEBUG=0 $(PY) manage.py runserver $(HOST):$(PORT)

serve: setup
	DJANGO_DEBUG=0 $(VENV)/bin/gunicorn lmsite.wsgi --bind $(HOST):$(PORT) --workers 2

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The browser tests drive Debian's Chromium; installed here when missing (as root with apt-get).
chromium:
	@[ -x /usr/bin/chromium ] || { \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "The browser tests need Chromium at /usr/bin/chromium: apt-get install chromium"; \
	    exit 1; \
	  fi; }

test: lint chromium
	$(VENV)/bin/pytest $(PYTEST_ARGS)

messages: $(STAMP)
	@command -v xgettext >/dev/null || { echo "make messages needs GNU gettext (apt-get install gettext)"; exit 1; }
	$(PY) manage.py makemessages -l de --add-location=file --ignore=.venv --ignore=staticfiles --ignore=bench --ignore=docs
	$(PY) manage.py compilemessages -l de --ignore=.venv --ignore=staticfiles
