# Maillage — the two commands a fresh machine needs: `make dev` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: dev test seed bench asyncapi compose-config clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,test]'
	touch $(STAMP)

## Every service in one process on http://127.0.0.1:$${PORT:-8000} (SecantusDB embedded; RabbitMQ if it answers).
dev: $(STAMP)
	MAILLAGE_ENV=dev exec $(BIN)/maillage dev

## The whole test suite against a real RabbitMQ and a real Mongo-wire server.
test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

## Demo data from the seeds (set MONGO_URL to the running platform's store; `make dev` prints it).
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
	rm -rf $(VENV) var .pytest_cache
