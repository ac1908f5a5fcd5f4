# retsim: `make run` runs the built-in comparison into out/, `make test` checks everything.
GO      ?= go
BIN     := bin/retsim
OUT     ?= out

.PHONY: build run test bench docs readme-chart clean

build:
	$(GO) build -o $(BIN) ./cmd/retsim

# The built-in comparison: taking versus giving, data files, charts and report.html in $(OUT)/.
run: build
	./$(BIN) compare taking giving --out $(OUT)

# Static checks and every test, with the race detector.
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

# Speed and memory: customer-months per second, bytes per customer, allocations.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count=1 ./sim/

clean:
	rm -rf bin $(OUT)

# Regenerate docs/parameters.md from the parameter table (a test fails when it is stale).
docs:
	$(GO) generate ./scenarios

# Regenerate the README's chart from a run of the built-in comparison.
readme-chart: build
	./$(BIN) compare taking giving --out $(OUT)/readme
	cp $(OUT)/readme/money.png docs/img/money.png
