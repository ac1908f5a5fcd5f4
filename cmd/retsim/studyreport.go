package main

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/retsim/retsim/compare"
	"github.com/retsim/retsim/internal/numfmt"
	"github.com/retsim/retsim/output"
	"github.com/retsim/retsim/plots"
	"github.com/retsim/retsim/report"
	"github.com/retsim/retsim/sim"
)

// studyRun is the scenario a sweep or sensitivity analysis varies and the
// command line that ran it, for the report's manifest.
type studyRun struct {
	scenario string
	config   sim.Config
	command  string
}

// manifest is what reproduces a study of r with reps replications.
func (r studyRun) manifest(reps int) []report.Fact {
	cfg := r.config
	return []report.Fact{
		{Name: "scenario", Value: r.scenario},
		{Name: "seed", Value: strconv.FormatUint(cfg.Seed, 10)},
		{Name: "replications", Value: strconv.Itoa(reps)},
		{Name: "horizon", Value: fmt.Sprintf("%d periods, %d a year", cfg.Horizon.Periods, cfg.Horizon.PeriodsPerYear)},
		{Name: "configuration SHA-256", Value: cfg.Hash()},
	}
}

// outcomeWords is an outcome's name for a sentence: "cumulative
// discounted profit".
func outcomeWords(name string) string { return strings.ReplaceAll(name, "_", " ") }

// sweepReport is report.html of a sweep: where the first outcome is highest
// and lowest and how much it moves across the grid first, a row of the same
// for each outcome, the chart, then every point.
func sweepReport(sw *compare.SweepResult, fig *plots.Figure, run studyRun) output.File {
	pointName := func(p int) string {
		parts := make([]string, len(sw.Axes))
		for i, a := range sw.Axes {
			parts[i] = a.Key + " = " + strconv.FormatFloat(sw.Points[p].Values[i], 'f', -1, 64)
		}
		return strings.Join(parts, ", ")
	}
	headline := [][]string{{"outcome", "unit", "highest at", "mean there", "lowest at", "mean there", "moves by"}}
	var verdicts []string
	for k, o := range sw.Outcomes {
		hi, lo := extremes(sw, k)
		top, bottom := sw.Stat(hi, k).Mean, sw.Stat(lo, k).Mean
		dec := numfmt.CellDecimals(top, bottom)
		moves := numfmt.Fixed(top-bottom, dec, false)
		headline = append(headline, []string{outcomeWords(o.Name), o.Unit, pointName(hi), numfmt.Fixed(top, dec, false), pointName(lo), numfmt.Fixed(bottom, dec, false), moves})
		if k > 0 {
			continue
		}
		if top == bottom {
			verdicts = append(verdicts, fmt.Sprintf("%s is %s %s at every point of the grid: the swept parameters do not move it", outcomeWords(o.Name), numfmt.Fixed(top, dec, false), o.Unit))
			continue
		}
		share := ""
		if bottom > 0 {
			share = fmt.Sprintf(", %s%% of the lowest", numfmt.Number(100*(top-bottom)/bottom, false))
		}
		verdicts = append(verdicts, fmt.Sprintf("%s is highest at %s (%s %s) and lowest at %s (%s): it moves by %s %s across the grid%s",
			outcomeWords(o.Name), pointName(hi), numfmt.Fixed(top, dec, false), o.Unit, pointName(lo), numfmt.Fixed(bottom, dec, false), moves, o.Unit, share))
	}
	grid := [][]string{{}}
	for _, a := range sw.Axes {
		grid[0] = append(grid[0], a.Key)
	}
	for _, o := range sw.Outcomes {
		grid[0] = append(grid[0], outcomeWords(o.Name)+" ("+o.Unit+")")
	}
	for p, pt := range sw.Points {
		row := make([]string, 0, len(grid[0]))
		for _, v := range pt.Values {
			row = append(row, strconv.FormatFloat(v, 'f', -1, 64))
		}
		for k := range sw.Outcomes {
			st := sw.Stat(p, k)
			row = append(row, numfmt.Spread(st.Mean, st.P05, st.P95))
		}
		grid = append(grid, row)
	}
	opt := report.Options{
		Title:    "retsim sweep: " + run.scenario,
		Command:  run.command,
		Verdicts: verdicts,
		Headline: report.Grid{Rows: headline},
		Lead: fmt.Sprintf("Scenario %s run at each of %d points of a grid, every point on the same seed (common random numbers), with %d replications each. Means are across replications; the grid's cells are mean [5-95%% range across replications].",
			run.scenario, len(sw.Points), sw.Replications),
		Figures:  []*plots.Figure{fig},
		Notes:    []report.Note{{Title: "Every point of the grid", Tables: []report.Grid{{Intro: "Each outcome at each point: mean [5-95% range across replications].", Rows: grid}}}},
		Manifest: run.manifest(sw.Replications),
	}
	return output.File{Name: "report.html", Write: func(w io.Writer) error { return report.Page(w, opt) }}
}

// extremes are the points where outcome k of sw has its highest and its
// lowest mean, the first of equals.
func extremes(sw *compare.SweepResult, k int) (hi, lo int) {
	for p := range sw.Points {
		m := sw.Stat(p, k).Mean
		if m > sw.Stat(hi, k).Mean {
			hi = p
		}
		if m < sw.Stat(lo, k).Mean {
			lo = p
		}
	}
	return hi, lo
}

// mostMoving is how many of the largest bars the sensitivity verdict names.
const mostMoving = 3

// sensitivityReport is report.html of a sensitivity analysis: the
// parameters that move the outcome most first, then the tornado, then
// every parameter as the terminal shows them.
func sensitivityReport(t *compare.Tornado, fig *plots.Figure, run studyRun) output.File {
	what := outcomeWords(t.Outcome)
	headline := [][]string{{"parameter", "low, base, high", "change at low [95% CI]", "change at high [95% CI]", "swing (" + t.Unit + ")"}}
	var named []string
	for i, b := range t.Bars {
		lowCI, highCI := ciCell(b.LowDiff), ciCell(b.HighDiff)
		if i < 2*mostMoving {
			headline = append(headline, []string{b.Key, numfmt.Number(b.Low, false) + ", " + numfmt.Number(b.Base, false) + ", " + numfmt.Number(b.High, false), lowCI, highCI, numfmt.Number(b.Swing, false)})
		}
		if i < mostMoving && b.Swing > 0 {
			named = append(named, fmt.Sprintf("%s (swing %s %s: %s at %s, %s at %s)", b.Key, numfmt.Number(b.Swing, false), t.Unit,
				numfmt.Number(b.LowDiff.Mean, true), numfmt.Number(b.Low, false), numfmt.Number(b.HighDiff.Mean, true), numfmt.Number(b.High, false)))
		}
	}
	verdict := fmt.Sprintf("none of the parameters moved %s from its base mean of %s %s", what, numfmt.Number(t.Base.Mean, false), t.Unit)
	switch len(named) {
	case 0:
	case 1:
		verdict = fmt.Sprintf("%s moves most with %s", what, named[0])
	default:
		verdict = fmt.Sprintf("%s moves most with %s and %s", what, strings.Join(named[:len(named)-1], ", "), named[len(named)-1])
	}
	opt := report.Options{
		Title:    "retsim sensitivity: " + what + " of " + run.scenario,
		Command:  run.command,
		Verdicts: []string{verdict},
		Headline: report.Grid{Rows: headline},
		Lead: fmt.Sprintf("One-at-a-time sensitivity of %s around scenario %s (base mean %s %s, %d replications): each parameter moved alone to a low and a high end on the same seed (common random numbers). Changes are paired differences from the base with the 95%% confidence interval of their mean; the table above shows the largest swings.",
			what, run.scenario, numfmt.Number(t.Base.Mean, false), t.Unit, t.Replications) + adaptiveLead(t),
		Figures:  []*plots.Figure{fig},
		Manifest: run.manifest(t.Replications),
	}
	return output.File{Name: "report.html", Write: func(w io.Writer) error {
		var text bytes.Buffer
		if err := compare.WriteSensitivityTable(&text, t); err != nil {
			return err
		}
		opt.Notes = []report.Note{{Title: "Every parameter", Text: text.String()}}
		return report.Page(w, opt)
	}}
}

// adaptiveLead says, for an adaptive analysis, how much it ran and that
// bars may have fewer replications; empty for a fixed one.
func adaptiveLead(t *compare.Tornado) string {
	if t.Top == 0 {
		return ""
	}
	return fmt.Sprintf(" The analysis was adaptive, %d runs in all (one replication of one configuration each): it stopped each parameter once its place among the top %d was settled, "+
		"screening out those whose swing interval lay below the top's; each parameter's n under Every parameter says how many replications it had.", t.Runs, t.Top)
}

// ciCell writes a paired difference and its 95% interval, signed, in one
// style: "+4.0 [-8.7, +16.7]".
func ciCell(p compare.Paired) string {
	dec := numfmt.CellDecimals(p.Mean, p.CI95.Low, p.CI95.High)
	return numfmt.Fixed(p.Mean, dec, true) + " [" + numfmt.Fixed(p.CI95.Low, dec, true) + ", " + numfmt.Fixed(p.CI95.High, dec, true) + "]"
}
