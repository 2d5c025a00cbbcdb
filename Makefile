# Maillage — the two commands a fresh machine needs: `make dev` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: dev test seed bench asyncapi compose-config clean web web-api

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,test]'
	touch $(STAMP)

## Every service in one process on http://127.0.0.1:$${PORT:-8000} (SecantusDB embedded; RabbitMQ if it answers),
## the web console at / (built first when Node.js is there).
dev: $(STAMP) web
	MAILLAGE_ENV=dev exec $(BIN)/maillage dev

WEB_MODULES := web/node_modules/.package-lock.json
WEB_DIST := web/dist/index.html
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.ts web/tsconfig.json

# Rebuilt only when a source changed: the next `make dev` starts at once.
$(WEB_DIST): $(WEB_SOURCES) $(WEB_MODULES)
	cd web && npm run build --silent

$(WEB_MODULES): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund

## The web console in web/dist (npm ci when the lockfile changed, then vite). Without Node.js, says what to install.
web:
	@if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then \
	  $(MAKE) -s --no-print-directory $(WEB_DIST) \
	  || echo "web console: the build failed (see above); make dev serves the APIs without it" >&2; \
	else \
	  echo "web console not built: install Node.js >= 20.19 and npm (e.g. apt-get install nodejs npm), then make web" >&2; \
	fi

## Regenerate the console's typed API client from the four services' OpenAPI documents.
web-api: $(STAMP) $(WEB_MODULES)
	cd web && MAILLAGE_CLI=../$(BIN)/maillage npm run api

## The whole test suite against a real RabbitMQ and a real Mongo-wire server, on TEST_WORKERS pytest-xdist
## workers (each with its own embedded store; TEST_WORKERS=0 runs it in this one process).
TEST_WORKERS ?= 3
test: $(STAMP)
	$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

## Demo data from the seeds (set MONGO_URL, and BUS_QUEUE_PREFIX on RabbitMQ, as `make dev` prints them).
seed: $(STAMP)
	$(BIN)/maillage seed

## Benchmarks, reported as ratios against baselines measured in the same run.
bench: $(STAMP)
	MAILLAGE_ENV=dev $(BIN)/python -m bench

## Regenerate the AsyncAPI document from the services' event catalogs.
asyncapi: $(STAMP)
	$(BIN)/maillage asyncapi > docs/asyncapi.yaml

compose-config:
	docker-compose -f docker-compose.yml config --quiet

clean:
	rm -rf $(VENV) var .pytest_cache web/node_modules web/dist web/test-results
