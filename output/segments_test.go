package output

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"testing"

	"github.com/retsim/retsim/sim"
)

// segmented is a summary of a scenario with two segments, the first
// targeted.
func segmented(t *testing.T) *sim.Summary {
	t.Helper()
	cfg := sim.Default()
	cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 400, 12, 4
	cfg.Market.PaidPerPeriod, cfg.Market.CAC = 30, 50
	a, b := sim.NewSegment("loyal"), sim.NewSegment("bargain")
	a.Share, a.Churn, a.Target, a.CAC = 0.5, sim.SegmentChurn{Alpha: 0.8, Beta: 40}, 3, 1.2
	b.Share, b.Churn = 0.5, sim.SegmentChurn{Alpha: 0.8, Beta: 12}
	cfg.Segments = []sim.Segment{a, b}
	r, err := sim.Run(context.Background(), "seg", cfg, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return sim.Summarize(r)
}

// segments.csv has a row per segment, period and segment metric, and is
// written only when a scenario declares segments; summary.json has the
// segments' totals only then.
func TestSegmentFiles(t *testing.T) {
	plain, seg := summary(t, 0), segmented(t)
	if n := len(DataFiles([]*sim.Summary{plain})); n != 3 {
		t.Errorf("%d data files without segments, want 3", n)
	}
	files := DataFiles([]*sim.Summary{plain, seg})
	if len(files) != 4 || files[3].Name != "segments.csv" {
		t.Fatalf("data files with segments: %d, want segments.csv the fourth", len(files))
	}
	var b bytes.Buffer
	if err := WriteSegments(&b, []*sim.Summary{plain, seg}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 + 2*seg.Config.Horizon.Periods*int(sim.NumSegmentMetrics); len(rows) != want {
		t.Errorf("segments.csv has %d rows, want %d", len(rows), want)
	}
	if r := rows[1]; r[0] != "seg" || r[1] != "loyal" || r[2] != "0" || r[3] != "active" {
		t.Errorf("first row %v", r)
	}

	b.Reset()
	if err := WriteSummary(&b, []*sim.Summary{plain, seg}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Scenarios []struct {
			Segments []struct {
				Name      string  `json:"name"`
				Targeting float64 `json:"targeting_weight"`
				CAC       float64 `json:"cac"`
				CLV       struct {
					Mean *float64 `json:"mean"`
				} `json:"clv_per_acquired"`
			} `json:"segments"`
		} `json:"scenarios"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Scenarios[0].Segments) != 0 {
		t.Errorf("a scenario without segments has %d in summary.json", len(doc.Scenarios[0].Segments))
	}
	got := doc.Scenarios[1].Segments
	if len(got) != 2 || got[0].Name != "loyal" || got[0].Targeting != 3 || got[0].CAC != 60 || got[0].CLV.Mean == nil {
		t.Errorf("segments in summary.json: %+v", got)
	}
}
