# Thin wrappers; the real work is in deploy/infra.sh, .ci/run and pyproject.toml.
#
#   make install     uv sync (installs uv with pip when it is missing)
#   make infra-up    real Kafka (KRaft; secured bus 127.0.0.1:9094, dev listener :9092) + PostgreSQL 15 :55432
#   make test        pytest (the tests use the running local stack, or start it themselves)
#   make lint        ruff, mypy, import-linter
#   make check-deploy  docker-compose.yml through compose-go and its checks; promtool on the Prometheus config,
#                    alert rules and their unit tests (deploy/infra.sh tools builds both)
#   make infra-down  stop both
#   make fuzz        malformed records on every commands topic, then attacks on the secured bus; checks each is
#                    rejected (or refused by the broker) as documented
#
# KAFKA_BOOTSTRAP_SERVERS / DATABASE_URL are deliberately not set here: the services' settings
# default to the local stack's addresses, and the tests start deploy/infra.sh themselves when
# neither is set (when both are set they must answer). Ports: KAFKA_PORT / PG_PORT, see deploy/infra.sh.

SHELL := /bin/bash
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS ?= never

# uv on PATH, else the one pip installed (pyenv may not have a shim for it yet). Lazy (=) on
# purpose: re-evaluated after `install` has put uv there.
UV = $(shell command -v uv 2>/dev/null || echo python3 -m uv)
PYTEST_ARGS ?=

.PHONY: help install asyncapi-parser infra-up infra-down infra-status test lint check-deploy run simulate ci

help:
	@sed -n '3,11p' Makefile | sed 's/^# \{0,1\}//'

install:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 \
		|| python3 -m pip install --quiet uv \
		|| python3 -m pip install --quiet --break-system-packages uv
	@if [ -f uv.lock ]; then $(UV) sync --frozen; else $(UV) sync; fi
	@$(MAKE) --no-print-directory asyncapi-parser

# The AsyncAPI Initiative's parser (Node.js) for the contract test that validates docs/contracts/asyncapi.yaml;
# installed again only when its lock file changed. Without npm that test is skipped (and fails under CI=true).
ASYNCAPI_PARSER = tools/asyncapi/node_modules/.package-lock.json
asyncapi-parser:
	@if ! command -v npm >/dev/null 2>&1; then \
		echo "make install: npm not found; the AsyncAPI parser test will be skipped" >&2; \
	elif [ ! -f $(ASYNCAPI_PARSER) ] || [ tools/asyncapi/package-lock.json -nt $(ASYNCAPI_PARSER) ]; then \
		npm ci --prefix tools/asyncapi --silent --no-audit --no-fund; \
	fi

infra-up:
	@deploy/infra.sh up >/dev/null

infra-down:
	@deploy/infra.sh down

infra-status:
	@deploy/infra.sh status

# pytest exits 5 when it collects no test; make turns any non-zero exit into a failure.
test: install
	@$(UV) run pytest $(PYTEST_ARGS); rc=$$?; \
		if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; \
		exit $$rc

lint:
	$(UV) run ruff check . && $(UV) run mypy && $(UV) run lint-imports

# What deploys: the compose file proven by a Compose implementation (tools/compose_check.py), Prometheus' config and
# alert rules checked and their unit tests run by Prometheus' own promtool. Builds the Go tools first when missing.
PROMTOOL = $(or $(JOURNEY_LOCAL_DIR),.local)/bin/promtool
check-deploy:
	@deploy/infra.sh tools composecheck promtool
	$(UV) run python -m tools.compose_check
	$(PROMTOOL) check config deploy/prometheus/prometheus.yml
	$(PROMTOOL) check rules deploy/prometheus/alerts.yml
	$(PROMTOOL) test rules deploy/prometheus/alerts.test.yml

# The whole stack on this machine: local Kafka + PostgreSQL, Mailpit (web UI and API on :8025, SMTP with STARTTLS on
# :1025, as in compose) and the six services as separate processes (tools/run.py). Ctrl-C stops the services.
run: install
	$(UV) run python -m tools.run

# Plays the partner systems: feeds a sample cohort through a running stack (tools/simulate.py).
simulate:
	$(UV) run python -m tools.simulate

# The whole stack under load on this machine: throughput, milestone-mail latency, peak memory and the raw baseline
# (tools/bench, docs/performance.md). Not part of `make test`. E.g. BENCH_ARGS="--journeys 600 --json bench.json".
.PHONY: bench drill
bench:
	$(UV) run python -m tools.bench $(BENCH_ARGS)

# Fault drill: kill -9 each service, the Kafka broker and PostgreSQL once under load (deploy/infra.sh kafka-kill|
# kafka-start|pg-kill|pg-start), then check nothing was lost or doubled. Other runs on the same Kafka/PostgreSQL see
# the outages: run it when nothing else uses them. E.g. DRILL_ARGS="--instances 2 --json drill.json" (2 per service).
drill:
	$(UV) run python -m tools.bench.drill $(DRILL_ARGS)

# Malformed records on every commands topic, sent as a partner would (tools/fuzz): each must be rejected once with the
# reason docs/partners.md documents, none applied; valid canaries behind the hazardous ones must be applied; no
# partition or outbox may stop. Starts the six services itself (or --running); exit 1 on FAIL. Not part of
# `make test`. E.g. FUZZ_ARGS="--messages 1000 --json fuzz.json" (the CI-sized run, about half a minute).
.PHONY: fuzz
fuzz:
	$(UV) run python -m tools.fuzz $(FUZZ_ARGS)

ci:
	bash .ci/run
