package compare

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/retsim/retsim/output"
)

// The headers of the files of a study with uncertain parameters; the
// package documentation describes every column.
var (
	UncertaintyHeader = []string{"scenario", "reference", "outcome", "unit", "assumptions", "n", "mean", "sd", "p05", "p95", "ci95_low", "ci95_high", "p_beats"}
	AssumptionsHeader = []string{"scenario", "replication", "parameter", "value"}
	DriversHeader     = []string{"rank", "scenario", "reference", "outcome", "parameter", "dist", "spearman_rho", "rho_squared", "share"}
)

// Values of the assumptions column of uncertainty.csv.
const (
	AssumptionsDrawn   = "drawn"   // each replication draws its own values
	AssumptionsCentral = "central" // held at their central values: Monte Carlo noise only
)

// WriteUncertaintyCSV writes uncertainty.csv: for each row of a.Rows, one
// line with the assumptions drawn and one with them held at their central
// values.
func WriteUncertaintyCSV(w io.Writer, a *Assumptions) error {
	var rows [][]string
	for _, r := range a.Rows() {
		for _, s := range []struct {
			name string
			s    Spread
		}{{AssumptionsDrawn, r.Drawn}, {AssumptionsCentral, r.Central}} {
			row := append(cells(r.Scenario, r.Reference, r.Outcome, r.Unit, s.name), strconv.Itoa(s.s.N))
			rows = append(rows, append(row, nums(s.s.Mean, s.s.SD, s.s.P05, s.s.P95, s.s.CI95.Low, s.s.CI95.High, s.s.PBeats)...))
		}
	}
	return writeCSV(w, UncertaintyHeader, rows)
}

// WriteAssumptionsCSV writes assumptions.csv: every value drawn, by
// scenario, replication and parameter.
func WriteAssumptionsCSV(w io.Writer, a *Assumptions) error {
	var rows [][]string
	for k, name := range a.Scenarios {
		for i, draws := range a.Draws[k] {
			for j, x := range draws {
				rows = append(rows, append(cells(name), strconv.Itoa(i), output.Cell(a.Uncertain[k][j].Key), num(x)))
			}
		}
	}
	return writeCSV(w, AssumptionsHeader, rows)
}

// WriteDriversCSV writes drivers.csv: a.Drivers, ranked within each
// scenario.
func WriteDriversCSV(w io.Writer, a *Assumptions) error {
	var rows [][]string
	rank, ds := 0, a.Drivers()
	for i, d := range ds {
		if i == 0 || d.Scenario != ds[i-1].Scenario {
			rank = 0
		}
		rank++
		row := append([]string{strconv.Itoa(rank)}, cells(d.Scenario, d.Reference, d.Outcome, d.Key, d.Dist.String())...)
		rows = append(rows, append(row, nums(d.Rho, d.Rho*d.Rho, d.Share)...))
	}
	return writeCSV(w, DriversHeader, rows)
}

// span formats the 90% range of worlds of s, with signs for a difference.
func span(s Spread, signed bool) string {
	return human(s.P05, signed) + " to " + human(s.P95, signed)
}

// WriteUncertaintyTable writes, for a terminal, each outcome (one
// scenario) or paired difference (several) with the assumptions drawn
// beside the same with them held at their central values, then the
// assumptions ranked by what they drive.
func WriteUncertaintyTable(w io.Writer, a *Assumptions) error {
	fmt.Fprintln(w, "Drawn: each replication draws its own values of the uncertain parameters (assumption uncertainty and Monte Carlo noise).")
	fmt.Fprintln(w, "Central: the same seeds with them held at their central values (Monte Carlo noise only). 90% of worlds: 5th to 95th percentile of replications.")
	fmt.Fprintln(w)
	var rows [][]string
	if len(a.Scenarios) == 1 {
		rows = [][]string{{"outcome", "unit", "mean (drawn)", "90% of worlds (drawn)", "mean (central)", "90% of worlds (central)"}}
	} else {
		rows = [][]string{{"scenario", "outcome", "unit", "mean diff (drawn)", "90% of worlds", "P(beats)", "mean diff (central)", "90% of worlds", "P(beats)"}}
	}
	for _, r := range a.Rows() {
		if r.Reference == "" {
			rows = append(rows, []string{words(r.Outcome), r.Unit, human(r.Drawn.Mean, false), span(r.Drawn, false), human(r.Central.Mean, false), span(r.Central, false)})
			continue
		}
		rows = append(rows, []string{r.Scenario, words(r.Outcome), r.Unit, human(r.Drawn.Mean, true), span(r.Drawn, true), percent(r.Drawn.PBeats),
			human(r.Central.Mean, true), span(r.Central, true), percent(r.Central.PBeats)})
	}
	if err := tabulate(w, rows); err != nil {
		return err
	}
	fmt.Fprintln(w)
	what := a.Target.Name
	if len(a.Scenarios) > 1 {
		what = "the paired difference of " + what
	}
	fmt.Fprintf(w, "Which assumptions drive %s: Spearman rank correlation across replications, rho^2 and its share of the sum.\n\n", words(what))
	rows = [][]string{{"scenario", "parameter", "distribution", "rho", "rho^2", "share"}}
	for _, d := range a.Drivers() {
		rows = append(rows, []string{d.Scenario, d.Key, d.Dist.String(), strconv.FormatFloat(d.Rho, 'f', 2, 64),
			strconv.FormatFloat(d.Rho*d.Rho, 'f', 2, 64), percent(d.Share)})
	}
	return tabulate(w, rows)
}

// FlipHeader is flip.csv's header; the package documentation describes
// every column.
var FlipHeader = []string{"reference", "scenario", "outcome", "parameter", "central", "mean_diff_at_central", "search_low", "search_high",
	"flips", "flip_value", "flip_low", "flip_high", "evaluations"}

// WriteFlipCSV writes flip.csv: one row per flip searched.
func WriteFlipCSV(w io.Writer, fs []Flip) error {
	var rows [][]string
	for _, f := range fs {
		row := append(cells(f.Reference, f.Scenario, f.Outcome, f.Key), nums(f.Central, f.AtCentral.Mean, f.Lo, f.Hi)...)
		row = append(append(row, strconv.FormatBool(f.Flips)), nums(f.Value, f.Low, f.High)...)
		rows = append(rows, append(row, strconv.Itoa(f.Evaluations)))
	}
	return writeCSV(w, FlipHeader, rows)
}

// Sentence says what f finds, e.g. "giving stays ahead of taking on
// cumulative discounted profit unless goodwill.negativity_bias < 1.4
// [1.3, 1.5]".
func (f Flip) Sentence() string {
	ahead, behind := f.Scenario, f.Reference
	if f.AtCentral.Mean < 0 {
		ahead, behind = behind, ahead
	}
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', 3, 64) }
	if f.AtCentral.Mean == 0 || math.IsNaN(f.AtCentral.Mean) {
		return fmt.Sprintf("%s and %s are level on %s at %s = %s", f.Scenario, f.Reference, words(f.Outcome), f.Key, g(f.Central))
	}
	lead := fmt.Sprintf("%s stays ahead of %s on %s", ahead, behind, words(f.Outcome))
	if !f.Flips {
		return fmt.Sprintf("%s for every %s in [%s, %s] (central %s)", lead, f.Key, g(f.Lo), g(f.Hi), g(f.Central))
	}
	op := ">"
	if f.Below() {
		op = "<"
	}
	return fmt.Sprintf("%s unless %s %s %s [%s, %s] (central %s)", lead, f.Key, op, g(f.Value), g(f.Low), g(f.High), g(f.Central))
}
