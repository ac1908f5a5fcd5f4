# retsim: `make run` runs the built-in comparison into out/, `make test` checks everything.
GO      ?= go
BIN     := bin/retsim
OUT     ?= out

STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
# The CPU profile that guides the compiler's optimisation (PGO); go build
# reads it from the main package's directory, and make bench passes it on.
PGO         := cmd/retsim/default.pgo
FUZZTIME    ?= 30s
# Mutation testing of the engine: gremlins, pinned, installed into bin/.
GREMLINS       := github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0
MUTANT_WORKERS ?= 1
# Mutated: sim/'s mechanism files, model, engine, settle, collect, metrics,
# result, staff, community, segments and horizon. Files that hold no
# mechanism (statistics, random streams, the parameter table and its
# uncertain values, the finiteness check, period names and the run-size
# forecast) are left out.
MUTANT_SKIP    := (^|/)(accumulate|digest|gamma|exp|streams|estimate|config|params|uncertain|finite|periodname)\.go$$
# MUTANT_DIFF=REF mutates only the lines changed since git revision REF.
# gremlins matches its diff by paths from the module root, so it then walks
# the module (.) with every file outside sim/ left out.
MUTANT_DIFF    ?=
MUTANT_OUTSIDE := ^[^/]+\.go$$|^([^s/][^/]*|s[^i/][^/]*|si[^m/][^/]*|sim[^/]+)/

ADDR    ?= 127.0.0.1:8080

.PHONY: build run serve test test-slurm bench bench-numpy pgo lint fuzz mutants docs golden readme-chart explorer-screenshot clean

build:
	$(GO) build -o $(BIN) ./cmd/retsim

# The built-in comparison: taking versus giving split by lever (--decompose), data files, charts and report.html in $(OUT)/.
run: build
	./$(BIN) compare taking giving --decompose --out $(OUT)

# The explorer in a browser: sliders for the policy dials, on ADDR.
serve: build
	./$(BIN) serve --addr $(ADDR)

# Static checks and every test, with the race detector.
# Tests that run the whole command line many times over, or every built-in
# scenario, skip under the race detector (twentyfold slower) and run here
# in a second pass without it.
SLOW_TESTS := ^(TestShardsMergeToTheSameBytes|TestPrecisionEqualsARunOfTheFinalCount|TestReportInBrowser|TestHostileInputUnderMemoryLimit|TestBuiltinsReproducePublishedLevels)$$

test:
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 20m ./...
	$(GO) test -count=1 -timeout 20m -run '$(SLOW_TESTS)' ./cmd/retsim ./scenarios

# The Slurm deployment for real (root, about a minute): a one-node Slurm cluster
# from Debian's packages runs a comparison as 4 shards and merges them, and
# every output must equal the single-process run's, byte for byte.
test-slurm:
	bash deploy/slurm/test-local.sh

# Speed and memory: customer-months per second, bytes per customer, allocations;
# then a realistic run timed end to end (1 million customers, 60 months, 20 replications).
bench: build
	$(GO) test -pgo=$(PGO) -run '^$$' -bench . -benchmem -count=1 ./sim/
	./$(BIN) run baseline --set population.initial=1000000 --set market.potential=20000000 --replications 20 --out $(OUT)/bench > /dev/null

# The neutral world on Fader-Hardie parameters (1 million customers, 60 periods,
# one worker) against a vectorised numpy implementation of the same month step,
# alternated 5 times (ROUNDS=...), with the load average; installs Debian's
# python3-numpy if numpy is missing. Never part of make test.
bench-numpy:
	GO=$(GO) PGO=$(PGO) bench/numpy/run.sh

# Regenerate the PGO profile from the engine's benchmarks (built without it).
pgo:
	$(GO) test -pgo=off -run '^$$' -bench 'Neutral|Giving$$|Monopoly' -benchtime 5s -cpuprofile $(PGO) ./sim/ && rm -f sim.test

# Formatting, vet and staticcheck (fetched through the Go module proxy).
lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

# Each fuzz target for FUZZTIME (default 30s); crashers land in testdata/fuzz and become regression tests.
# scripts/fuzz.sh tells a finding from the fuzzing coordinator's own shutdown deadline.
fuzz:
	GO=$(GO) bash scripts/fuzz.sh scenarios FuzzLoadFile $(FUZZTIME)
	GO=$(GO) bash scripts/fuzz.sh scenarios FuzzSet $(FUZZTIME)
	GO=$(GO) bash scripts/fuzz.sh scenarios FuzzEnv $(FUZZTIME)
	GO=$(GO) bash scripts/fuzz.sh fit FuzzRead $(FUZZTIME)

# Mutation testing of sim/'s mechanism files (not part of CI; an hour or more
# on 2 shared cores): each mutant is one small change to the code, and the share of
# mutants that make go test ./sim/ fail ("test efficacy") is printed at the
# end; docs/mutants.md lists the last measure and the surviving mutants.
# -count=1 keeps go test from answering from its cache, which would make
# gremlins' timeouts far too short.
mutants:
	GOBIN=$(CURDIR)/bin $(GO) install $(GREMLINS)
	@mkdir -p $(OUT)
	GOFLAGS=-count=1 ./bin/gremlins unleash $(if $(MUTANT_DIFF),. --diff $(MUTANT_DIFF),./sim) \
		--workers $(MUTANT_WORKERS) --timeout-coefficient 2 \
		--exclude-files '$(MUTANT_SKIP)$(if $(MUTANT_DIFF),|$(MUTANT_OUTSIDE))' --output $(OUT)/mutants.json

clean:
	rm -rf bin $(OUT)

# Regenerate docs/parameters.md from the parameter table (a test fails when it is stale).
docs:
	$(GO) generate ./scenarios

# Rewrite the golden images of the chart tests (plots/testdata/golden,
# fit/testdata/golden) after a change to a chart's look: look at them before
# committing, as the tests compare every chart with them.
golden:
	$(GO) test ./plots ./fit -count=1 -run Golden -update

# Regenerate the README's charts from a run of the built-in comparison.
readme-chart: build
	./$(BIN) compare taking giving --decompose --out $(OUT)/readme
	cp $(OUT)/readme/money.png docs/img/money.png
	cp $(OUT)/readme/decomposition.png docs/img/decomposition.png

# Regenerate the README's screenshot of the explorer (needs chromium): the
# browser test writes its screenshots (desktop, a customer's story, phone)
# into $(OUT)/screenshots, and the desktop one is copied.
explorer-screenshot:
	RETSIM_SCREENSHOTS=$(abspath $(OUT))/screenshots $(GO) test ./serve -run '^TestBrowserStoryAndPanel$$' -count=1
	cp $(OUT)/screenshots/explorer-desktop.png docs/img/explorer.png
