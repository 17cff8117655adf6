# yujing — the two commands a newcomer needs are `make demo` and `make test`.
# Everything else here is what those two are made of.
SHELL := /bin/bash
.DEFAULT_GOAL := help
STACK := deploy/local/stack.sh
export YJ_ROOT := $(CURDIR)
# Node 24 LTS from .tools/node (brought by deploy/local/ensure-node.sh), ahead of Debian's Node 20.
export PATH := $(CURDIR)/.tools/node/bin:$(PATH)

.PHONY: help install stack-up stack-down stack-status up down demo test test-unit test-integration test-e2e test-browser fault-matrix fuzz typecheck lint bench

help:
	@echo "make demo   - run the whole system with simulated gateways and show live alarms"
	@echo "make test   - install, start the local stack, run every test suite"
	@echo "make up / make down, make stack-up / make stack-down, make bench"
	@echo "make fuzz   - 100,000 generated bad and good messages into the ingest services (docs/reliability.md)"
	@echo "make fault-matrix - kill -9 and restart each part under load, on a stack of its own (docs/reliability.md)"

## install: pnpm (pinned in package.json) and the workspace's dependencies from the lockfile
install:
	@bash deploy/local/ensure-node-deps.sh

stack-up:
	@bash $(STACK) up

stack-down:
	@bash $(STACK) down

stack-status:
	@bash $(STACK) status

typecheck: install
	pnpm run typecheck

lint: install
	pnpm run lint

## test: every suite, against the real Kafka, QuestDB, Redis and Mosquitto started here
test: install stack-up
	@bash deploy/local/run-tests.sh

test-unit: install
	@bash deploy/local/ensure-promtool.sh
	pnpm exec vitest run --project unit

test-integration: install stack-up
	@source deploy/local/env.sh && pnpm exec vitest run --project integration

test-e2e: install stack-up
	@source deploy/local/env.sh && pnpm exec vitest run --project e2e

## test-browser: the web console in headless Chromium (Debian's chromium, brought by ensure-chromium.sh)
test-browser: install stack-up
	@bash deploy/local/ensure-chromium.sh
	@source deploy/local/env.sh && pnpm exec vitest run --project browser

## fuzz: the bad-input fuzz suite at full count (FUZZ_MESSAGES, default 100,000; make test runs 5,000;
## FUZZ_SEED replays a run)
fuzz: install stack-up
	@source deploy/local/env.sh && FUZZ_MESSAGES=$${FUZZ_MESSAGES:-100000} pnpm exec vitest run --project integration test/fuzz

## fault-matrix: every row of the fault matrix on its own stack (.stack-faults, 2xxxx ports); CI runs a slice
fault-matrix: install
	@bash deploy/local/fault-matrix.sh

up: install stack-up
	@bash deploy/local/services.sh up

down:
	-@bash deploy/local/services.sh down
	@bash $(STACK) down

## demo: starts the stack if needed (and stops it again on Ctrl-C if it started it)
demo: install
	@bash deploy/local/demo.sh

bench: install stack-up
	@source deploy/local/env.sh && bash bench/run.sh
