# 金财门户 — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run dev test install install-test lock check screenshot postgres clean elasticsearch

# The demo as its users see it: DEBUG off, gunicorn, collected static files (scripts/run.sh says how).
run: install
	HOST=$(HOST) PORT=$(PORT) PY=$(PY) bash scripts/run.sh

# For developers: runserver with DEBUG and auto-reload, on the same database and demo content.
dev: install
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(PY) manage.py compile_translations -v 0
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(PY) manage.py migrate --noinput -v 0
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(PY) manage.py load_demo --base-url http://$(HOST):$(PORT)/
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(PY) manage.py runserver $(HOST):$(PORT)

test: install-test
	bash scripts/test.sh

install: $(VENV)/.installed-base
install-test: $(VENV)/.installed-test

$(PY):
	@$(PYTHON) -m venv $(VENV) || { echo "无法创建虚拟环境：请先安装 Python 3.11 及其 venv 模块（Debian: apt-get install python3.11-venv）"; exit 1; }

$(VENV)/.installed-base: requirements/base.txt | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements/base.txt
	@touch $@

$(VENV)/.installed-test: requirements/test.txt | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements/test.txt
	@touch $@ $(VENV)/.installed-base

# Refresh the pinned, hashed lock files after editing requirements/*.in.
lock: | $(PY)
	$(PY) -m pip install --quiet pip-tools
	$(PY) -m piptools compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-find-links \
		-o requirements/base.txt requirements/base.in
	$(PY) -m piptools compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-find-links \
		-o requirements/test.txt requirements/test.in

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# A screenshot of the running site (make run in another terminal): make screenshot URL=http://127.0.0.1:8000/
screenshot: install-test
	bash scripts/browser.sh ensure
	$(PY) scripts/screenshot.py $(or $(URL),http://$(HOST):$(PORT)/) var/screenshots/page.png --full-page
	@echo "var/screenshots/page.png"

# A local PostgreSQL for trying the scale-out path: DATABASE_URL=$$(make -s postgres) make run
postgres:
	@bash scripts/postgres.sh start

clean:
	rm -rf $(VENV) var

# A local Elasticsearch 8 (one JVM, 127.0.0.1:9250; needs JDK 17 and Maven) for the scale-out search path:
# ELASTICSEARCH_URL=$$(make -s elasticsearch) make run   (stop it: bash scripts/elasticsearch.sh stop)
elasticsearch:
	@bash scripts/elasticsearch.sh start
