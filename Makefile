# Parley — make help lists the targets.
GO        ?= go
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X main.version=$(VERSION)
BIN       := bin/parley
PLATFORMS := linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64
# The race detector needs cgo; use it when a C compiler is present.
RACE      := $(shell command -v gcc >/dev/null 2>&1 && echo -race)

.PHONY: help generate build run test lint check-generated bench dist assets clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

generate: ## regenerate templ code (the templ tool is pinned in go.mod)
	$(GO) tool templ generate -path views

build: ## build bin/parley for this machine
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) .

run: build ## build and start Parley (opens the dashboard); ARGS="--no-browser" to pass flags
	./$(BIN) $(ARGS)

test: ## run every test (unit, HTTP scenarios, the real binary and a real browser end to end)
	@./scripts/ensure-browser.sh
	$(GO) test $(RACE) -count=1 -timeout 15m ./...

lint: ## gofmt, go vet and staticcheck
	@out=$$(gofmt -l .); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

check-generated: generate ## fail when generated code is not committed
	@git diff --exit-code -- views || { echo "templ output differs from the committed files: run make generate and commit"; exit 1; }
	@test -z "$$(git ls-files --others --exclude-standard -- views)" || { echo "uncommitted generated files in views/"; exit 1; }

bench: ## run the benchmarks in docs/BENCHMARKS.md (several minutes, ~2 GB of disk)
	$(GO) run ./bench $(BENCHFLAGS)

dist: ## cross-compile dist/<os>-<arch>/parley[.exe] for every platform, each with a .sha256
	@rm -rf dist && mkdir -p dist
	@for p in $(PLATFORMS); do \
	  os=$${p%/*}; arch=$${p#*/}; ext=; [ $$os = windows ] && ext=.exe; \
	  dir=dist/$$os-$$arch; mkdir -p $$dir; \
	  echo "building $$dir/parley$$ext ($(VERSION))"; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $$dir/parley$$ext . || exit 1; \
	  (cd $$dir && sha256sum parley$$ext > parley$$ext.sha256); \
	done

assets: ## re-vendor htmx and htmx-ext-sse from the npm registry
	./scripts/vendor-assets.sh

clean: ## remove build output
	rm -rf bin dist
