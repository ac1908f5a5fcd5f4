package sim

import (
	"fmt"
	"testing"
)

// EstimateRun's forecast of the Collector's memory (Estimate.Collected)
// bounds what the collector holds, measured as the live heap after a
// garbage collection, from above, and by no more than twice: it counts
// every statistic as if its values varied, and the default world leaves
// about a third of them constant, holding no values (measured ratio 1.6).
// Both with exact values (50 replications) and with digests (300, told in
// advance as retsim run tells it): without the digests' arrays (80 entries
// of a float64 and a uint32 each) the forecast at 300 replications falls
// far below what the collector holds.
func TestCollectedForecast(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates 120 periods")
	}
	cfg, reps := testReplications(t, 120)
	for _, n := range []int{50, 300} {
		t.Run(fmt.Sprintf("replications=%d", n), func(t *testing.T) {
			base := heapAfter(func() *Collector { return nil })
			held := float64(heapAfter(func() *Collector {
				c := NewCollector("test", cfg)
				c.Expect(n)
				for i := range n {
					c.Add(&reps[i%len(reps)])
				}
				return c
			}) - base)
			c := cfg
			c.Replications = n
			est := EstimateRun(c, 1).Collected
			t.Logf("collector holds %.0f bytes, forecast %.0f (%.2f times)", held, est, est/held)
			if est < held || est > 2*held {
				t.Errorf("forecast %.0f bytes for a collector holding %.0f: want between 1 and 2 times as much", est, held)
			}
		})
	}
}
