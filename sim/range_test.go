package sim

import (
	"context"
	"reflect"
	"testing"
)

// TestStreamRangePiecesEqualTheWhole: replications simulated in pieces, in
// any split, are those of one run of the whole, index for index; a piece's
// progress counts 1, 2, ... its own replications, each after its visit; a
// range outside the replication count is an error.
func TestStreamRangePiecesEqualTheWhole(t *testing.T) {
	cfg := Default()
	cfg.Population.Initial = 300
	cfg.Horizon.Periods = 18
	cfg.Replications = 7
	cfg.Policy.Giving = 0.6
	whole, err := Run(context.Background(), "test", cfg, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, cuts := range [][]int{{0, 7}, {0, 3, 7}, {0, 1, 2, 5, 5, 7}} {
		var got []Replication
		var seen []int
		for k := 0; k+1 < len(cuts); k++ {
			lo, hi := cuts[k], cuts[k+1]
			visited, calls := 0, 0
			progress := func(done, total int) {
				calls++
				if done != calls || total != hi-lo || visited != done {
					t.Errorf("replications %d to %d: progress call %d was (%d, %d) after %d visits, want (%d, %d)",
						lo, hi, calls, done, total, visited, calls, hi-lo)
				}
			}
			err := StreamRange(context.Background(), []Scenario{{"test", cfg}}, lo, hi, Options{Workers: 3, Progress: progress},
				func(i int, reps []*Replication) error {
					visited++
					seen = append(seen, i)
					got = append(got, *reps[0])
					return nil
				})
			if err != nil {
				t.Fatal(err)
			}
			if calls != hi-lo {
				t.Errorf("replications %d to %d: %d progress calls, want %d", lo, hi, calls, hi-lo)
			}
		}
		for i, s := range seen {
			if s != i {
				t.Fatalf("cuts %v: visited %v, want 0..6 in order", cuts, seen)
			}
		}
		if !reflect.DeepEqual(got, whole.Reps) {
			t.Errorf("cuts %v: replications differ from one run of all 7", cuts)
		}
	}
	for _, r := range [][2]int{{-1, 3}, {4, 3}, {0, 8}} {
		if err := StreamRange(context.Background(), []Scenario{{"test", cfg}}, r[0], r[1], Options{}, func(int, []*Replication) error { return nil }); err == nil {
			t.Errorf("range %v of 7 replications: no error", r)
		}
	}
}
