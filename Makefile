# Maillab. Two commands matter: `make run` and `make test`. Both install what
# they need on Debian/Ubuntu (apt as root, sudo otherwise).

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
export PATH := /usr/local/go/bin:$(HOME)/go/bin:$(PATH)
export GOTOOLCHAIN ?= auto
GO ?= go
WAILS := $(GO) run github.com/wailsapp/wails/v2/cmd/wails@v2.16.0
BIN := build/maillab
DESKTOP_BIN := build/bin/maillab
PORT_BASE ?= 10000

# What the servers' interop tests, the desktop build and the UI tests need.
APT_BASE := ca-certificates curl python3 make gcc
APT_DESKTOP := build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev
# tshark decodes the pcapng exports in the capture tests (Wireshark's CLI).
APT_CAPTURE := tshark
APT_UITEST := xvfb xauth x11-utils xdotool imagemagick chromium fonts-dejavu-core
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all run test bench build desktop frontend deps deps-base deps-capture deps-desktop deps-uitest check-go \
	check-node vet go-test ui-test bindings bindings-check e2e desktop-smoke fuzz clean

all: build

# apt-install: install the named packages that are missing, once.
define apt_install
	@missing=""; \
	for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if ! command -v apt-get >/dev/null; then \
	    echo "Maillab: please install:$$missing (this system has no apt-get)"; exit 1; fi; \
	  echo "Maillab: installing$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps-base: check-go
	$(call apt_install,$(APT_BASE))
deps-capture:
	$(call apt_install,$(APT_CAPTURE))
deps-desktop:
	$(call apt_install,$(APT_DESKTOP))
deps-uitest:
	$(call apt_install,$(APT_UITEST))
deps: deps-base deps-desktop check-node

check-go:
	@command -v $(GO) >/dev/null || { \
	  if command -v apt-get >/dev/null; then \
	    echo "Maillab: installing Go from apt"; \
	    $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go; \
	  else echo "Maillab: please install Go 1.24 or newer (https://go.dev/dl)"; exit 1; fi; }

# Vite 8 needs Node.js 20.19 or newer.
check-node:
	@command -v node >/dev/null || $(NODE_INSTALL)
	@command -v node >/dev/null || { echo "Maillab: please install Node.js 20 or newer"; exit 1; }
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a==20&&b>=19)?0:1)' || \
	  { echo "Maillab: Node.js $$(node --version) is too old; the frontend needs 20.19 or newer"; exit 1; }
NODE_INSTALL = { command -v apt-get >/dev/null && $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

## frontend: build the UI into frontend/dist (embedded by the Go binary)
frontend: check-node frontend/node_modules/.package-lock.json
	cd frontend && npm run build

build: deps-base frontend
	$(GO) build -o $(BIN) .

## desktop: the Wails desktop app (build/bin/maillab)
desktop: deps frontend
	$(WAILS) build -s -tags webkit2_41 -o maillab
	@chmod -R a-x+X frontend/wailsjs

## run: the desktop app (or, with no display, browser mode)
run: desktop
	./$(DESKTOP_BIN) --port-base $(PORT_BASE)

vet: deps-base frontend
	$(GO) vet ./...

go-test: deps-base deps-capture frontend
	MAILLAB_REQUIRE_TSHARK=1 $(GO) test -race -count=1 -timeout 20m ./...

## ui-test: unit tests and type checks of the frontend
ui-test: frontend
	cd frontend && npm test && npm run check

## bindings: regenerate frontend/wailsjs from the Go app layer
bindings: deps-base frontend
	$(WAILS) generate module
	@chmod -R a-x+X frontend/wailsjs

## bindings-check: the committed bindings match the Go code
bindings-check: bindings
	@git diff --exit-code --stat -- frontend/wailsjs || \
	  { echo "Maillab: frontend/wailsjs is out of date: run 'make bindings' and commit"; exit 1; }
	@test -z "$$(git status --porcelain -- frontend/wailsjs)" || \
	  { echo "Maillab: new files in frontend/wailsjs: run 'make bindings' and commit"; git status --porcelain -- frontend/wailsjs; exit 1; }

## e2e: browser end-to-end tests (playwright-core + Debian's Chromium) against `maillab serve`
e2e: deps-uitest build
	cd frontend && MAILLAB_BIN=$(CURDIR)/$(BIN) node --test --test-concurrency=1 e2e/

## desktop-smoke: the real desktop app under Xvfb, ready through the bridge, screenshot, clean quit
desktop-smoke: deps-uitest desktop
	./frontend/e2e/desktop-smoke.sh $(DESKTOP_BIN) build/desktop-smoke.png

## test: every test
test: vet go-test ui-test bindings-check e2e desktop-smoke

## bench: performance figures (not assertions)
bench: deps-base frontend
	$(GO) test -run="^$$" -bench=. -benchmem -benchtime=3s ./simulator/bench/ ./lessons/export/ | ./simulator/bench/ratio.sh

## fuzz: run each fuzz target for a while (seed corpora already run in `make test`)
fuzz: deps-base frontend
	$(GO) test -run='^$$' -fuzz=FuzzParseCommand -fuzztime=60s ./simulator/pop3/
	$(GO) test -run='^$$' -fuzz=FuzzStream -fuzztime=60s ./simulator/wire/

clean:
	rm -rf build frontend/dist/assets frontend/dist/index.html
