# retsim: `make run` runs the built-in comparison into out/, `make test` checks everything.
GO      ?= go
BIN     := bin/retsim
OUT     ?= out

STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
# The CPU profile that guides the compiler's optimisation (PGO); go build
# reads it from the main package's directory, and make bench passes it on.
PGO         := cmd/retsim/default.pgo
FUZZTIME    ?= 30s

ADDR    ?= 127.0.0.1:8080

.PHONY: build run serve test bench pgo lint fuzz docs readme-chart clean

build:
	$(GO) build -o $(BIN) ./cmd/retsim

# The built-in comparison: taking versus giving split by lever (--decompose), data files, charts and report.html in $(OUT)/.
run: build
	./$(BIN) compare taking giving --decompose --out $(OUT)

# The explorer in a browser: sliders for the policy dials, on ADDR.
serve: build
	./$(BIN) serve --addr $(ADDR)

# Static checks and every test, with the race detector.
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 20m ./...

# Speed and memory: customer-months per second, bytes per customer, allocations;
# then a realistic run timed end to end (1 million customers, 60 months, 20 replications).
bench: build
	$(GO) test -pgo=$(PGO) -run '^$$' -bench . -benchmem -count=1 ./sim/
	./$(BIN) run baseline --set population.initial=1000000 --set market.potential=20000000 --replications 20 --out $(OUT)/bench > /dev/null

# Regenerate the PGO profile from the engine's benchmarks (built without it).
pgo:
	$(GO) test -pgo=off -run '^$$' -bench 'Neutral|Giving$$|Monopoly' -benchtime 5s -cpuprofile $(PGO) ./sim/ && rm -f sim.test

# Formatting, vet and staticcheck (fetched through the Go module proxy).
lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

# Each fuzz target for FUZZTIME (default 30s); crashers land in testdata/fuzz and become regression tests.
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzLoadFile$$' -fuzztime $(FUZZTIME) ./scenarios
	$(GO) test -run '^$$' -fuzz '^FuzzSet$$' -fuzztime $(FUZZTIME) ./scenarios
	$(GO) test -run '^$$' -fuzz '^FuzzEnv$$' -fuzztime $(FUZZTIME) ./scenarios
	$(GO) test -run '^$$' -fuzz '^FuzzRead$$' -fuzztime $(FUZZTIME) ./fit

clean:
	rm -rf bin $(OUT)

# Regenerate docs/parameters.md from the parameter table (a test fails when it is stale).
docs:
	$(GO) generate ./scenarios

# Regenerate the README's charts from a run of the built-in comparison.
readme-chart: build
	./$(BIN) compare taking giving --decompose --out $(OUT)/readme
	cp $(OUT)/readme/money.png docs/img/money.png
	cp $(OUT)/readme/decomposition.png docs/img/decomposition.png
