package compare

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/retsim/retsim/output"
	"github.com/retsim/retsim/sim"
)

// The headers of the CSV files; the package documentation describes every
// column. sweep.csv's header also depends on its axes: see WriteSweepCSV.
var (
	ComparisonHeader = []string{"reference", "scenario", "outcome", "unit", "n", "reference_mean", "scenario_mean",
		"mean_diff", "sd_diff", "ci90_low", "ci90_high", "ci95_low", "ci95_high", "p_beats", "p_ties", "variance_reduction"}
	CrossoverHeader   = []string{"reference", "scenario", "metric", "n", "never_share", "mean", "p05", "median", "p95"}
	SeriesHeader      = []string{"reference", "scenario", "metric", "period", "mean_diff", "sd_diff", "p05", "p50", "p95", "ci95_low", "ci95_high"}
	SensitivityHeader = []string{"rank", "key", "unit", "end", "base_value", "value", "outcome", "outcome_unit", "n",
		"mean_diff", "ci95_low", "ci95_high", "swing", "note", "basis", "swing_ci95_low", "swing_ci95_high", "replications", "screened"}
	DecompositionHeader = []string{"reference", "scenario", "outcome", "unit", "group", "parameters", "n", "mean", "sd", "ci95_low", "ci95_high"}
)

// num formats x in the shortest form that reads back exactly; NaN is NA,
// infinities +Inf and -Inf.
func num(x float64) string {
	if math.IsNaN(x) {
		return "NA"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

func nums(xs ...float64) []string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = num(x)
	}
	return s
}

// cells are text cells, made safe for spreadsheets by output.Cell.
func cells(texts ...string) []string {
	s := make([]string, len(texts))
	for i, t := range texts {
		s[i] = output.Cell(t)
	}
	return s
}

// writeCSV writes the header and the rows.
func writeCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := cw.WriteAll(rows); err != nil { // WriteAll flushes
		return err
	}
	return cw.Error()
}

// WriteComparisonCSV writes comparison.csv: one row per scenario and outcome.
func WriteComparisonCSV(w io.Writer, c *Comparison) error {
	var rows [][]string
	for _, d := range c.Outcomes {
		p := d.Diff
		row := cells(c.Reference, d.Scenario, d.Outcome, d.Unit, strconv.Itoa(p.N))
		rows = append(rows, append(row, nums(p.RefMean, p.AltMean, p.Mean, p.SD, p.CI90.Low, p.CI90.High,
			p.CI95.Low, p.CI95.High, p.PBeats, p.PTies, p.VarianceReduction)...))
	}
	return writeCSV(w, ComparisonHeader, rows)
}

// WriteCrossoverCSV writes crossover.csv: one row per scenario and metric.
func WriteCrossoverCSV(w io.Writer, c *Comparison) error {
	var rows [][]string
	for _, x := range c.Crossovers {
		row := append(cells(c.Reference, x.Scenario, x.Metric), strconv.Itoa(x.N))
		rows = append(rows, append(row, nums(x.Never, x.Period.Mean, x.Period.P05, x.Period.P50, x.Period.P95)...))
	}
	return writeCSV(w, CrossoverHeader, rows)
}

// WriteSeriesCSV writes comparison_series.csv: one row per scenario, metric
// and period.
func WriteSeriesCSV(w io.Writer, c *Comparison) error {
	var rows [][]string
	for _, s := range c.Series {
		for t, p := range s.Periods {
			row := append(cells(c.Reference, s.Scenario, s.Metric), strconv.Itoa(t))
			rows = append(rows, append(row, nums(p.Diff.Mean, p.Diff.SD, p.Diff.P05, p.Diff.P50, p.Diff.P95, p.CI95.Low, p.CI95.High)...))
		}
	}
	return writeCSV(w, SeriesHeader, rows)
}

// WriteSweepCSV writes sweep.csv: one row per grid point and outcome. The
// header is point, then one column per axis named by its key, then
// outcome, unit, n, mean, sd, p05, p50, p95, and with a reference
// reference, mean_diff, ci95_low, ci95_high, p_beats, n_diff.
func WriteSweepCSV(w io.Writer, s *SweepResult) error {
	header := []string{"point"}
	for _, a := range s.Axes {
		header = append(header, output.Cell(a.Key))
	}
	header = append(header, "outcome", "unit", "n", "mean", "sd", "p05", "p50", "p95")
	if s.Reference != "" {
		header = append(header, "reference", "mean_diff", "ci95_low", "ci95_high", "p_beats", "n_diff")
	}
	var rows [][]string
	for p, pt := range s.Points {
		for k, o := range s.Outcomes {
			st := s.Stat(p, k)
			row := append([]string{strconv.Itoa(p)}, nums(pt.Values...)...)
			row = append(append(row, cells(o.Name, o.Unit)...), strconv.Itoa(pt.Outcomes[k].N()))
			row = append(row, nums(st.Mean, st.SD, st.P05, st.P50, st.P95)...)
			if s.Reference != "" {
				d := pt.Pairs[k].Paired()
				row = append(append(row, output.Cell(s.Reference)), nums(d.Mean, d.CI95.Low, d.CI95.High, d.PBeats)...)
				row = append(row, strconv.Itoa(d.N))
			}
			rows = append(rows, row)
		}
	}
	return writeCSV(w, header, rows)
}

// WriteSensitivityCSV writes sensitivity.csv: rows low and high of each
// parameter in tornado order, then a row per skipped parameter.
func WriteSensitivityCSV(w io.Writer, t *Tornado) error {
	var rows [][]string
	for rank, b := range t.Bars {
		for _, end := range []struct {
			name  string
			value float64
			diff  Paired
		}{{"low", b.Low, b.LowDiff}, {"high", b.High, b.HighDiff}} {
			row := append([]string{strconv.Itoa(rank + 1)}, cells(b.Key, b.Unit, end.name)...)
			row = append(append(append(row, num(b.Base), num(end.value)), cells(t.Outcome, t.Unit)...), strconv.Itoa(end.diff.N))
			row = append(row, nums(end.diff.Mean, end.diff.CI95.Low, end.diff.CI95.High, b.Swing)...)
			row = append(row, cells(b.Note, b.Basis)...)
			row = append(row, nums(b.SwingCI95.Low, b.SwingCI95.High)...)
			rows = append(rows, append(row, strconv.Itoa(b.Replications), strconv.FormatBool(b.Screened(t, rank))))
		}
	}
	na := num(math.NaN())
	for _, s := range t.Skipped {
		p, _ := sim.Lookup(s.Key)
		row := append(append([]string{na}, cells(s.Key, p.Unit, "none")...), num(s.Base), na)
		row = append(append(row, cells(t.Outcome, t.Unit)...), "0", na, na, na, na, output.Cell(s.Reason), "", na, na, "0", "false")
		rows = append(rows, row)
	}
	return writeCSV(w, SensitivityHeader, rows)
}

// TotalGroup names the row of decomposition.csv holding the whole paired
// difference that the groups' rows split.
const TotalGroup = "total"

// WriteDecompositionCSV writes decomposition.csv: per outcome, one row per
// group in the order of d.Groups, then the total.
func WriteDecompositionCSV(w io.Writer, d *Decomposition) error {
	var all []string
	for _, g := range d.Groups {
		all = append(all, g.Keys...)
	}
	var rows [][]string
	for _, o := range d.Outcomes {
		for g, p := range o.Parts {
			row := []string{d.Reference, d.Scenario, o.Outcome, o.Unit, p.Group, strings.Join(d.Groups[g].Keys, ";"), strconv.Itoa(p.N)}
			rows = append(rows, append(row, nums(p.Mean, p.SD, p.CI95.Low, p.CI95.High)...))
		}
		t := o.Total
		row := []string{d.Reference, d.Scenario, o.Outcome, o.Unit, TotalGroup, strings.Join(all, ";"), strconv.Itoa(t.N)}
		rows = append(rows, append(row, nums(t.Mean, t.SD, t.CI95.Low, t.CI95.High)...))
	}
	return writeCSV(w, DecompositionHeader, rows)
}
