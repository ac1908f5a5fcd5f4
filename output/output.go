// Package output writes a run's data files (metrics.csv, cohorts.csv,
// summary.json and, for scenarios with segments, segments.csv) and publishes output sets: every file of a set appears in
// the output directory in one atomic step (see Dir.Publish), under a lock
// against concurrent runs. It only reads results.
package output

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/retsim/retsim/sim"
)

// MetricsHeader is the header of metrics.csv: one row per scenario, period
// and metric, across replications.
var MetricsHeader = []string{"scenario", "period", "metric", "mean", "sd", "p05", "p50", "p95"}

// CohortsHeader is the header of cohorts.csv: one row per scenario,
// acquisition cohort (yearly over a horizon of up to sim.MaxCohorts years,
// otherwise sim.CohortPeriods periods each), channel and age (periods since
// joining); customers is the mean number who joined the cohort through the
// channel; lifetime_* is the cell's lifetime value per customer, after the
// horizon included (the same on every age of the cell). The quantiles of
// survival and value are given at every age of cohort 0 and at the ages a
// later cohort's joiners reach at the horizon, NA elsewhere (see
// sim.CohortSeries); means and sds at every age.
var CohortsHeader = []string{"scenario", "cohort", "channel", "age",
	"survival_mean", "survival_sd", "survival_p05", "survival_p50", "survival_p95",
	"value_mean", "value_sd", "value_p05", "value_p50", "value_p95", "customers",
	"lifetime_mean", "lifetime_sd", "lifetime_p05", "lifetime_p50", "lifetime_p95"}

// SegmentsHeader is the header of segments.csv, written when a scenario
// declares segments (M13): one row per such scenario, segment, period and
// segment metric, across replications.
var SegmentsHeader = []string{"scenario", "segment", "period", "metric", "mean", "sd", "p05", "p50", "p95"}

// num formats x in the shortest form that reads back exactly; NaN is NA.
func num(x float64) string {
	if math.IsNaN(x) {
		return "NA"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// Cell makes a text cell of a CSV file (a name or label, never a number)
// safe to open in a spreadsheet: text starting with '=', '+', '-', '@', a
// tab or a carriage return, which a spreadsheet would run as a formula, is
// prefixed with a single quote (OWASP, CSV injection), so "=HYPERLINK(...)"
// becomes "'=HYPERLINK(...)". Other text is unchanged.
func Cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func stat(s sim.Stat) []string {
	return []string{num(s.Mean), num(s.SD), num(s.P05), num(s.P50), num(s.P95)}
}

// WriteMetrics writes metrics.csv for the given scenarios.
func WriteMetrics(w io.Writer, sums []*sim.Summary) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(MetricsHeader); err != nil {
		return err
	}
	for _, s := range sums {
		for p := 0; p < s.Config.Horizon.Periods; p++ {
			for m := sim.Metric(0); m < sim.NumMetrics; m++ {
				row := append([]string{Cell(s.Scenario), strconv.Itoa(p), Cell(m.String())}, stat(s.Series(m)[p])...)
				if err := cw.Write(row); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteSegments writes segments.csv for the scenarios that declare
// segments.
func WriteSegments(w io.Writer, sums []*sim.Summary) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(SegmentsHeader); err != nil {
		return err
	}
	for _, s := range sums {
		for p := 0; p < s.Config.Horizon.Periods; p++ {
			for _, seg := range s.Segments {
				for m := sim.SegmentMetric(0); m < sim.NumSegmentMetrics; m++ {
					row := append([]string{Cell(s.Scenario), Cell(seg.Segment.Name), strconv.Itoa(p), Cell(m.String())}, stat(seg.Metrics[m][p])...)
					if err := cw.Write(row); err != nil {
						return err
					}
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteCohorts writes cohorts.csv: survival and value (discounted margin
// per customer to that age, discounted to the join period) by cohort,
// channel and age, for ages some customer of the cohort reached, with the
// cell's lifetime value (sim.CohortSeries.Lifetime).
func WriteCohorts(w io.Writer, sums []*sim.Summary) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CohortsHeader); err != nil {
		return err
	}
	for _, s := range sums {
		for _, c := range s.Cohorts {
			for a := range c.Survival {
				if math.IsNaN(c.Survival[a].Mean) {
					continue
				}
				row := []string{Cell(s.Scenario), strconv.Itoa(c.Cohort), Cell(c.Channel.String()), strconv.Itoa(a)}
				row = append(append(append(row, stat(c.Survival[a])...), stat(c.Value[a])...), num(c.Customers.Mean))
				row = append(row, stat(c.Lifetime)...)
				if err := cw.Write(row); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// Manifest identifies what produced the numbers: nothing in it changes
// without the numbers changing (no time stamps, no worker count).
type Manifest struct {
	Engine       string `json:"engine"`
	Seed         uint64 `json:"seed"`
	Replications int    `json:"replications"`
	// ConfigSHA256 covers every scenario's fully resolved configuration.
	ConfigSHA256 string `json:"config_sha256"`
}

// NewManifest describes a run of the given scenarios; seed and replications
// are the first scenario's (each scenario also records its own).
func NewManifest(sums []*sim.Summary) Manifest {
	h := sha256.New()
	m := Manifest{Engine: "retsim " + sim.Version}
	for i, s := range sums {
		if i == 0 {
			m.Seed, m.Replications = s.Config.Seed, s.Replications
		}
		fmt.Fprintf(h, "%s\x00%s\x00", s.Scenario, s.Config.Hash())
	}
	m.ConfigSHA256 = hex.EncodeToString(h.Sum(nil))
	return m
}

type scenarioSummary struct {
	Name         string     `json:"name"`
	Seed         uint64     `json:"seed"`
	Replications int        `json:"replications"`
	Periods      int        `json:"periods"`
	ConfigSHA256 string     `json:"config_sha256"`
	Totals       sim.Totals `json:"totals"`
	// Uncertain lists the parameters whose values each replication draws,
	// with their distributions; absent when every value is known.
	Uncertain []sim.Uncertain `json:"uncertain,omitempty"`
	// Segments are there only when the scenario declares segments.
	Segments []segmentTotals `json:"segments,omitempty"`
}

// segmentTotals is one segment's horizon totals in summary.json (M13).
type segmentTotals struct {
	Name         string   `json:"name"`
	Share        float64  `json:"share"`
	Targeting    float64  `json:"targeting_weight"`
	CAC          float64  `json:"cac"`
	Acquired     sim.Stat `json:"acquired"`
	CLV          sim.Stat `json:"clv_per_acquired"`
	Payback      sim.Stat `json:"cac_payback_periods"`
	PaybackNever float64  `json:"cac_payback_never_share"`
}

// WriteSummary writes summary.json: the manifest and each scenario's horizon
// totals with mean, sd, p05, p50 and p95 (null where undefined).
func WriteSummary(w io.Writer, sums []*sim.Summary) error {
	doc := struct {
		Manifest  Manifest          `json:"manifest"`
		Scenarios []scenarioSummary `json:"scenarios"`
	}{Manifest: NewManifest(sums)}
	for _, s := range sums {
		ss := scenarioSummary{
			Name: s.Scenario, Seed: s.Config.Seed, Replications: s.Replications,
			Periods: s.Config.Horizon.Periods, ConfigSHA256: s.Config.Hash(), Totals: s.Totals,
			Uncertain: s.Config.Uncertain,
		}
		for _, seg := range s.Segments {
			ss.Segments = append(ss.Segments, segmentTotals{Name: seg.Segment.Name, Share: seg.Segment.Share, Targeting: seg.Segment.Target,
				CAC: seg.CAC, Acquired: seg.Acquired, CLV: seg.CLV, Payback: seg.Payback, PaybackNever: seg.PaybackNever})
		}
		doc.Scenarios = append(doc.Scenarios, ss)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// DataFiles are the data files of a run of the given scenarios:
// segments.csv only when one of them declares segments.
func DataFiles(sums []*sim.Summary) []File {
	files := []File{
		{"metrics.csv", func(w io.Writer) error { return WriteMetrics(w, sums) }},
		{"cohorts.csv", func(w io.Writer) error { return WriteCohorts(w, sums) }},
		{"summary.json", func(w io.Writer) error { return WriteSummary(w, sums) }},
	}
	for _, s := range sums {
		if len(s.Segments) > 0 {
			return append(files, File{"segments.csv", func(w io.Writer) error { return WriteSegments(w, sums) }})
		}
	}
	return files
}
