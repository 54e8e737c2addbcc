# Hotline — the two commands a user needs are `make demo` and `make test`; everything else is here
# for developers. Every target installs what it needs first (`deps`).

SWIFT        ?= swift
CONFIG       ?= debug
BIN           = .build/$(CONFIG)/hotline
DB           ?= hotline.sqlite
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Build: pkg-config, libasound2-dev, libsqlite3-dev. Tests also use: tmux (the terminal phone),
# graphviz (flow diagrams), python3-icalendar (the rota's calendar export), espeak-ng and sox (prompts).
# SIP: libre-dev (the SIP/RTP stack, build); sip-tester (SIPp), tshark and baresip-core (SIP tests).
DEB_PACKAGES  = pkg-config libasound2-dev libsqlite3-dev alsa-utils tmux graphviz python3-icalendar espeak-ng sox \
                libre-dev sip-tester tshark baresip-core

PYTHON       ?= python3
# The browser tests: Debian's Chromium and its driver; selenium, pytest and schemathesis from PyPI.
WEB_DEBS      = chromium chromium-driver
WEB_PIP       = selenium pytest schemathesis

.PHONY: deps web-deps build test test-web screenshots demo demo-web bench prompts clean

## deps: install the Debian packages the build and the tests need (only those missing).
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

## web-deps: what the browser tests need (only what is missing).
web-deps:
	@missing=""; for p in $(WEB_DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make web-deps: installing$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
	@$(PYTHON) -c "import selenium, pytest, schemathesis" 2>/dev/null || { echo "make web-deps: pip install $(WEB_PIP)"; $(PYTHON) -m pip install -q $(WEB_PIP); }

## build: compile `hotline` (CONFIG=release for an optimised build).
build: deps
	$(SWIFT) build -c $(CONFIG) --product hotline

## test: the reference scenarios (scripted calls, JUnit in .build/scenarios.xml), every unit and
## integration test, then the SIP end-to-end tests (SIPp against `hotline serve --sip` on loopback).
test: deps
	$(SWIFT) build --build-tests
	$(BIN) test Fixtures/scenarios --junit .build/scenarios.xml --coverage --quiet
	$(SWIFT) test --skip-build
	Tests/sip/run.sh $(BIN)
	$(MAKE) --no-print-directory test-web

## test-web: the web end to end in headless Chromium, and the JSON API fuzzed from its OpenAPI
## document (needs the debug build). Screenshots go to $(SCREENSHOTS). pytest fails (exit 5) when it
## collects no test.
SCREENSHOTS  ?= $(CURDIR)/.build/screenshots
test-web: web-deps
	HOTLINE_BIN=$(CURDIR)/.build/debug/hotline HOTLINE_SCREENSHOTS=$(SCREENSHOTS) $(PYTHON) -m pytest Tests/browser -q -p no:cacheprovider

## screenshots: the browser tests, writing the README's screenshots to docs/images/.
screenshots:
	$(SWIFT) build --product hotline
	$(MAKE) --no-print-directory test-web SCREENSHOTS=$(CURDIR)/docs/images

## demo: the reference escalation call, end to end, on the embedded defaults.
demo: build
	$(BIN) demo --db $(DB)

## demo-web: the Case Center, the desk and the console on the sample data, with one sign-in per
## role (printed). HTTP=127.0.0.1:8080 by default; Ctrl-C stops it.
## SIMULATE=30: simulated callers an hour on the console (0: none).
HTTP         ?= 127.0.0.1:8080
SIMULATE     ?= 30
demo-web: build
	$(BIN) serve --demo --db $(DB) --http $(HTTP) $(if $(filter-out 0,$(SIMULATE)),--simulate-calls-per-hour $(SIMULATE))

## bench: release build, every benchmark, a table and .bench/results.json.
bench: deps
	$(SWIFT) build -c release --product hotline
	$(SWIFT) build -c release --product hotline-bench
	cc -O2 -Wall -o .build/release/sip-ceiling Benchmarks/sip-ceiling/ceiling.c $$(pkg-config --cflags --libs libre) -lm
	.build/release/hotline-bench --hotline .build/release/hotline --ceiling .build/release/sip-ceiling --out .bench/results.json

## prompts: regenerate Prompts/en-US/*.wav from the catalog (needs espeak-ng and sox; installs them).
prompts:
	@for p in espeak-ng sox; do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq espeak-ng sox >/dev/null; break; }; done
	Prompts/generate.sh Prompts/en-US

clean:
	rm -rf .build .bench
