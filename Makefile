# seedkeeper — every target installs what it needs (Debian packages, PyPI packages) by itself.
# Fragments beside the code they drive add their own targets and packages:
#   deploy/local/stack.mk (make stack), deploy/aws/aws.mk (make artifact),
#   Benchmarks/bench.mk (make bench), Tests/fuzz/fuzz.mk (make fuzz),
#   deploy/docker/docker.mk (make compose, the Docker engine and the stand-in base images).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
SWIFT ?= swift
PORT ?= 8080

# Debian packages and PyPI packages; fragments append to these.
APT_PACKAGES := libhiredis-dev redis-server redis-tools
# apache2-utils, redbot and httpolice: HTTP clients and linters the conformance tests run against
# the server. HTTPolice 0.9 asks for bitstring without an upper bound but breaks on bitstring 5
# (which no longer makes a BitArray from an integer), so bitstring is held below 5.
TEST_APT_PACKAGES := apache2-utils
PIP_PACKAGES := pytest redbot>=2.7,<3 httpolice>=0.9,<0.10 bitstring>=3.1.4,<5
SERVER_BIN := .build/debug/seed-server
CHECK_BIN := .build/debug/seed-check

-include deploy/local/stack.mk
-include deploy/aws/aws.mk
-include Benchmarks/bench.mk
-include Tests/fuzz/fuzz.mk
-include deploy/docker/docker.mk

.PHONY: help deps test-deps build run test swift-test system-test clean

help:
	@echo "make run      build and run one seed-server (memory backend) on port $(PORT)"
	@echo "make test     install what the tests need, build, run every test"
	@echo "make stack    Redis + two seed-servers + HAProxy on loopback (make stack-down stops it)"
	@echo "make compose  the same stack in Docker containers (make compose-down removes it)"
	@echo "make bench    benchmarks against nginx, HAProxy and Flask, measured in one run"
	@echo "make artifact the release binary (static Swift runtime and hiredis) for EC2"

# Installs only what is missing, so a machine that has everything pays one dpkg query.
deps:
	@./scripts/ensure-apt $(APT_PACKAGES)

test-deps: deps
	@./scripts/ensure-apt $(TEST_APT_PACKAGES)
	@./scripts/ensure-pip $(foreach p,$(PIP_PACKAGES),'$(p)')

build: deps
	$(SWIFT) build --build-tests

run: deps
	$(SWIFT) build --product seed-server
	$(SERVER_BIN) --backend memory --port $(PORT)

# One build with the tests, then the Swift suites without rebuilding (swift test alone would
# build with other flags and compile everything again), then the system tests on real processes.
# The release artifact is built too, so the system tests check the binary that ships to EC2.
test: test-deps build artifact swift-test system-test

swift-test:
	$(SWIFT) test --skip-build

system-test:
	$(PYTHON) -m pytest -c Tests/pytest.ini Tests

clean:
	rm -rf .build .build-*
