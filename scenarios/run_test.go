package scenarios_test

import (
	"context"
	"testing"

	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

// TestBuiltinsRun runs every built-in scenario, shrunk to a small
// population, a year and two replications.
func TestBuiltinsRun(t *testing.T) {
	small := scenarios.Sources{Sets: []string{"population.initial=200", "horizon.periods=12", "replications=2"}}
	for _, info := range scenarios.List() {
		t.Run(info.Name, func(t *testing.T) {
			t.Parallel()
			s, err := scenarios.Load(info.Name, small)
			if err != nil {
				t.Fatal(err)
			}
			r, err := sim.Run(context.Background(), s.Name, s.Config, sim.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Reps) != 2 {
				t.Errorf("%d replications, want 2", len(r.Reps))
			}
		})
	}
}
