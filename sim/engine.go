package sim

import (
	"context"
	"errors"
)

// Options controls how a run is executed; nothing in it changes the numbers.
type Options struct {
	// Workers is the number of goroutines; 0 means runtime.GOMAXPROCS(0).
	Workers int
	// Progress, if set, is called after each replication with the number done.
	Progress func(done, total int)
}

// Run simulates cfg.Replications worlds of the scenario named name.
func Run(ctx context.Context, name string, cfg Config, opt Options) (*Result, error) {
	return nil, errors.New("engine: being written")
}
