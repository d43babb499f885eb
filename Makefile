# Maillab. Two commands matter: `make run` and `make test`. Both install what
# they need on Debian/Ubuntu (apt as root, sudo otherwise).

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
export PATH := /usr/local/go/bin:$(HOME)/go/bin:$(PATH)
export GOTOOLCHAIN ?= auto
GO ?= go
BIN := build/maillab
PORT_BASE ?= 10000

APT_PACKAGES := ca-certificates curl python3 make gcc
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all run test bench build deps check-go fuzz clean vet

all: build

## deps: install the system packages the tests and the app need
deps: check-go
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if ! command -v apt-get >/dev/null; then \
	    echo "Maillab: please install:$$missing (no apt-get on this system)"; exit 1; fi; \
	  echo "Maillab: installing$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

## check-go: a Go toolchain must be there; go.mod's version is fetched through the module proxy
check-go:
	@command -v $(GO) >/dev/null || { \
	  if command -v apt-get >/dev/null; then \
	    echo "Maillab: installing Go from apt"; \
	    $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go; \
	  else echo "Maillab: please install Go 1.24 or newer (https://go.dev/dl)"; exit 1; fi; }

build: check-go
	$(GO) build -o $(BIN) .

## run: start the mail world for external clients (the desktop app arrives later)
run: deps build
	./$(BIN) world --port-base $(PORT_BASE)

vet: check-go
	$(GO) vet ./...

## test: every test, the race detector on the simulator, real curl and Python clients
test: deps vet
	$(GO) test -race -count=1 -timeout 15m ./...

## bench: performance figures (not assertions)
bench: deps
	$(GO) test -run="^$$" -bench=. -benchmem -benchtime=3s ./simulator/bench/ | ./simulator/bench/ratio.sh

## fuzz: run each fuzz target for a while (seed corpora already run in `make test`)
fuzz: check-go
	$(GO) test -run='^$$' -fuzz=FuzzParseCommand -fuzztime=60s ./simulator/pop3/
	$(GO) test -run='^$$' -fuzz=FuzzStream -fuzztime=60s ./simulator/wire/

clean:
	rm -rf build
