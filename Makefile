# One command to run the bot, one to run the tests; both set up .venv first when needed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install try run test lint check-content

$(BIN)/lvm-bot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

install: $(BIN)/lvm-bot

try: install
	$(BIN)/lvm-bot try

run: install
	$(BIN)/lvm-bot

# The suite on every core (at most four): each worker has its own SQLite files and its own
# PostgreSQL schema; modules sharing one costly run are kept on one worker (xdist_group).
test: install
	$(BIN)/pytest -n auto --maxprocesses 4 --dist loadgroup

lint: install
	$(BIN)/ruff check bot slack_standin tests bench
	$(BIN)/ruff format --check bot slack_standin tests bench
	$(BIN)/lint-imports

check-content: install
	$(BIN)/lvm-bot content check
