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
# brotli makes the web edition's .br copy (gzip is everywhere).
APT_WEB := brotli
WEB_DIR := build/web
WEB_PUBLIC := build/web-public
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: vulncheck dist deps-dist dist-test all run test bench build desktop frontend deps deps-base deps-capture deps-desktop deps-uitest check-go \
	check-node vet go-test ui-test bindings bindings-check e2e classroom-netns deps-netns desktop-smoke fuzz clean \
	web web-wasm deps-web wasm-test e2e-web web-bench

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
deps-web:
	$(call apt_install,$(APT_WEB))
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

LDFLAGS := -X main.version=$(VERSION)

build: deps-base frontend
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) .

## web-wasm: the Go side of the web edition (simulator, lessons, app) for js/wasm, with
## the wasm_exec.js of the toolchain that built it, compressed copies and the icons
web-wasm: deps-base deps-web
	@echo "Maillab web: building the Go side for js/wasm ($(VERSION))"
	rm -rf $(WEB_PUBLIC) && mkdir -p $(WEB_PUBLIC)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o $(WEB_PUBLIC)/maillab.wasm .
	@root=$$($(GO) env GOROOT); js=$$root/lib/wasm/wasm_exec.js; [ -f $$js ] || js=$$root/misc/wasm/wasm_exec.js; \
	  cp $$js $(WEB_PUBLIC)/wasm_exec.js
	@echo "Maillab web: compressing maillab.wasm (gzip, brotli)"
	gzip -9 -n -k $(WEB_PUBLIC)/maillab.wasm
	brotli -q 9 -k $(WEB_PUBLIC)/maillab.wasm
	cp frontend/public/* $(WEB_PUBLIC)/
	@ls -l $(WEB_PUBLIC)/maillab.wasm* | awk '{printf "  %-40s %6.1f MB\n", $$NF, $$5/1e6}'

## web: the web edition, a static site in build/web: serve it with any static web server
web: web-wasm check-node frontend/node_modules/.package-lock.json
	@echo "Maillab web: building the page and its service worker into $(WEB_DIR)"
	hash=$$(sha256sum $(WEB_PUBLIC)/maillab.wasm | cut -c1-16); cd frontend && \
	  MAILLAB_VERSION=$(VERSION) VITE_MAILLAB_WASM_HASH=$$hash MAILLAB_WEB_PUBLIC=$(CURDIR)/$(WEB_PUBLIC) npx vite build --mode web
	@echo "Maillab web: ready. Try it: python3 -m http.server -d $(WEB_DIR) 8000, then open http://127.0.0.1:8000/"

## dist: the downloads, into dist/: Windows installer and portable zip, .deb and .rpm,
## a Linux tar.gz, the web edition as a zip, and SHA256SUMS over them
# wine64 and the MinGW compiler (for a stub DLL) run the Windows files in the tests.
APT_DIST := nsis lintian file wine64 gcc-mingw-w64-x86-64-win32 xvfb
NFPM := $(GO) run github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.48.0
DIST := dist
STAGE := $(DIST)/stage
# Debian and RPM versions must start with a digit: v1.2.3-4-gabc → 1.2.3+4+gabc, a bare commit → 0.0~git<hash>.
PKG_VERSION := $(shell echo '$(VERSION)' | sed -E 's/^v([0-9]+\.)/\1/; t; s/^/0.0~git/' | tr - +)
deps-dist:
	$(call apt_install,$(APT_DIST))

dist: deps deps-dist deps-web frontend web
	@echo "Maillab dist $(VERSION): Linux desktop binary"
	rm -rf $(DIST) && mkdir -p $(STAGE)/man $(STAGE)/completions
	GOFLAGS=-buildmode=pie $(WAILS) build -s -tags webkit2_41 -ldflags "$(LDFLAGS)" -o maillab
	@chmod -R a-x+X frontend/wailsjs
	cp $(DESKTOP_BIN) $(STAGE)/maillab
	@echo "Maillab dist: man pages and shell completions from the command tree"
	MAILLAB_LANG=en $(STAGE)/maillab man $(STAGE)/man && gzip -9n $(STAGE)/man/*.1
	for sh in bash zsh fish powershell; do MAILLAB_LANG=en $(STAGE)/maillab completion $$sh > $(STAGE)/completions/maillab.$$sh; done
	mv $(STAGE)/completions/maillab.powershell $(STAGE)/completions/maillab.ps1
	printf 'Maillab %s\n\nCopyright (C) %s the Maillab authors.\nNo licence has been chosen yet: see README.md.\nThird-party Go modules keep their own licences (go.mod lists them).\n' '$(VERSION)' "$$(git log -1 --format=%cd --date=format:%Y)" > $(STAGE)/copyright
	printf 'maillab (%s) unstable; urgency=medium\n\n  * Built from git %s.\n\n -- Maillab <maillab@example.org>  %s\n' \
	  '$(PKG_VERSION)' '$(VERSION)' "$$(date -R -d @$$(git log -1 --format=%ct))" | gzip -9n > $(STAGE)/changelog.gz
	@echo "Maillab dist: .deb and .rpm (nfpm)"
	MAILLAB_PKG_VERSION='$(PKG_VERSION)' $(NFPM) pkg --config build/linux/nfpm.yaml --packager deb --target $(DIST)/maillab_$(VERSION)_amd64.deb
	MAILLAB_PKG_VERSION='$(PKG_VERSION)' $(NFPM) pkg --config build/linux/nfpm.yaml --packager rpm --target $(DIST)/maillab_$(VERSION)_x86_64.rpm
	@echo "Maillab dist: Linux tar.gz"
	mkdir -p $(STAGE)/tar/maillab_$(VERSION)_linux_amd64
	cp -r $(STAGE)/maillab README.md $(STAGE)/copyright $(STAGE)/completions $(STAGE)/tar/maillab_$(VERSION)_linux_amd64/
	tar -C $(STAGE)/tar -czf $(DIST)/maillab_$(VERSION)_linux_amd64.tar.gz maillab_$(VERSION)_linux_amd64
	@echo "Maillab dist: the web edition as a zip"
	cd $(WEB_DIR) && python3 -m zipfile -c $(CURDIR)/$(DIST)/maillab_$(VERSION)_web.zip .
	@echo "Maillab dist: Windows (installer with Wails' NSIS project, portable zip)"
	$(WAILS) build -s -skipbindings -platform windows/amd64 -nsis -ldflags "$(LDFLAGS)" -o maillab.exe
	cp build/bin/Maillab-amd64-installer.exe $(DIST)/maillab_$(VERSION)_windows_amd64_setup.exe
	mkdir -p $(STAGE)/win && cp build/bin/maillab.exe README.md $(STAGE)/completions/maillab.ps1 $(STAGE)/win/
	cd $(STAGE)/win && python3 -m zipfile -c $(CURDIR)/$(DIST)/maillab_$(VERSION)_windows_amd64.zip maillab.exe README.md maillab.ps1
	cd $(DIST) && sha256sum maillab_* > SHA256SUMS
	@echo "Maillab dist: done"; ls -l $(DIST)

## dist-test: check what make dist built (checksums, formats, package fields, install; Windows under Wine)
dist-test: dist build
	./build/linux/dist-test.sh $(DIST) '$(VERSION)' build/maillab
	./build/windows/wine-test.sh $(DIST) '$(VERSION)' build/maillab

## desktop: the Wails desktop app (build/bin/maillab)
desktop: deps frontend
	$(WAILS) build -s -tags webkit2_41 -ldflags "$(LDFLAGS)" -o maillab
	@chmod -R a-x+X frontend/wailsjs

## run: the desktop app (or, with no display, browser mode)
run: desktop
	./$(DESKTOP_BIN) --port-base $(PORT_BASE)

vet: deps-base frontend
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet . ./app/

go-test: deps-base deps-capture frontend
	MAILLAB_REQUIRE_TSHARK=1 $(GO) test -race -count=1 -timeout 20m ./...

## wasm-test: the web edition's Go entry under js/wasm itself (Node runs it, Go's go_js_wasm_exec)
wasm-test: deps-base check-node
	PATH="$$($(GO) env GOROOT)/lib/wasm:$$PATH" GOOS=js GOARCH=wasm $(GO) test -count=1 ./app/

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
## and against the web edition in build/web
e2e: deps-uitest deps-capture build web
	cd frontend && MAILLAB_BIN=$(CURDIR)/$(BIN) node --test --test-concurrency=1 e2e/

## e2e-web: only the web edition's browser tests
e2e-web: deps-uitest deps-capture web
	cd frontend && node --test e2e/web.test.mjs

## classroom-netns: the classroom network across Linux network namespaces (root; iproute2): one
## namespace per machine on a bridge, the built binary's `classroom host` and three `classroom join`
## mailing each other (Python's mail clients), a bounce, DMARC, a student off and back; every namespace
## is removed when it ends, failed or not
classroom-netns: deps-base deps-netns build
	MAILLAB_BIN=$(CURDIR)/$(BIN) $(GO) test -tags netns -count=1 -timeout 10m -run Netns -v ./app/interop/
deps-netns:
	$(call apt_install,iproute2)

## desktop-smoke: the real desktop app under Xvfb, ready through the bridge, screenshot, clean quit
desktop-smoke: deps-uitest desktop
	./frontend/e2e/desktop-smoke.sh $(DESKTOP_BIN) build/desktop-smoke.png

## test: every test
test: vet go-test wasm-test ui-test bindings-check e2e classroom-netns desktop-smoke dist-test

## vulncheck: known vulnerabilities this code can reach (govulncheck), checked against the Go
## vulnerability database as the module proxy serves it (golang.org/x/vulndb), so it runs where
## vuln.go.dev cannot be reached; not part of `make test` (it needs the proxy and ~2 minutes)
VULNDB ?= v0.0.0-20261105234957-e22db6528018
GOVULNCHECK ?= v1.9.0
vulncheck: deps-base frontend
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  (cd "$$tmp" && $(GO) mod init vulndb >/dev/null 2>&1 && \
	   GOFLAGS=-mod=mod $(GO) mod download -json golang.org/x/vulndb@$(VULNDB) >dl.json) && \
	  src=$$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$$/\1/p' "$$tmp/dl.json") && \
	  (cd "$$src" && GOFLAGS=-mod=mod $(GO) build -o "$$tmp/indexdb" ./cmd/indexdb) && \
	  "$$tmp/indexdb" -vulns "$$src/data/osv" -out "$$tmp/db" && \
	  $(GO) run golang.org/x/vuln/cmd/govulncheck@$(GOVULNCHECK) -db "file://$$tmp/db" ./...

## bench: performance figures (not assertions)
bench: deps-base frontend
	$(GO) test -run="^$$" -bench='FullPath|Capture|Export' -benchmem -benchtime=3s ./simulator/bench/ ./lessons/export/ | ./simulator/bench/ratio.sh
	$(GO) test -run="^$$" -bench='EndToEnd' -benchmem -benchtime=1000x ./simulator/bench/ | ./simulator/bench/ratio.sh
	$(GO) test -run="^$$" -bench='EndToEnd/c=8' -benchmem -benchtime=10000x ./simulator/bench/ | ./simulator/bench/ratio.sh
	@echo "The browser's flood (maillab serve, live world: 10,000 body lines over both hops to one event stream; then its log read through the events API), three runs of 20:"
	$(GO) test -run="^$$" -bench='Flood|EventsAPI' -benchmem -benchtime=20x -count=3 ./app/ | ./simulator/bench/ratio.sh
	@echo "IMAP, ten clients in one mailbox (APPEND, STORE keywords, FETCH, SEARCH, EXPUNGE), as imaptest's stress mode:"
	$(GO) test -run="^$$" -bench='IMAPStress' -benchtime=10s ./simulator/imap/

## web-bench: figures of the web edition (transfer, load, Step → DOM, worker vs native, long tasks)
web-bench: deps-uitest build web
	cd frontend && node e2e/web-bench.mjs $(CURDIR)/$(BIN)

## fuzz: run each fuzz target for a while (seed corpora already run in `make test`)
fuzz: deps-base frontend
	$(GO) test -run='^$$' -fuzz=FuzzParseCommand -fuzztime=60s ./simulator/pop3/
	$(GO) test -run='^$$' -fuzz=FuzzStream -fuzztime=60s ./simulator/wire/

clean:
	rm -rf build frontend/dist/assets frontend/dist/index.html frontend/dist/*.png frontend/dist/*.svg
