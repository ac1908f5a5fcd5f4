package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/retsim/retsim/fit"
	"github.com/retsim/retsim/output"
	"github.com/retsim/retsim/report"
	"github.com/retsim/retsim/sim"
)

// spacing is the number of periods of the scenario base (with horizon h)
// between two rows of data: what the data's time column says (year,
// quarter, month), which --every must repeat when given (stated), else
// --every, else 1.
func spacing(data *fit.Data, every int, stated bool, base string, h sim.Horizon) (int, error) {
	if stated && (every < 1 || every > fit.MaxEvery) {
		return 0, usage("--every: must be from 1 to %d periods of the scenario between two rows of the data, got %d", fit.MaxEvery, every)
	}
	k, named, err := data.Spacing(h.PeriodsPerYear)
	switch {
	case err != nil:
		return 0, usage("%v (--base %s): fit it with a --base whose period is at most a %s", err, base, data.Unit)
	case !named && stated:
		return every, nil
	case !named:
		return 1, nil
	case stated && every != k:
		return 0, usage("%s: one row a %s is %s of scenario %s, not --every %d: pass --every %d", data.Name, data.Unit, periods(k, h), base, every, k)
	case !stated && k != 1:
		return 0, usage("%s: one row a %s is %s of scenario %s: pass --every %d to fit churn per %s", data.Name, data.Unit, periods(k, h), base, k, h.PeriodName())
	}
	return k, nil
}

// periods writes n periods of h in words, e.g. "12 months".
func periods(n int, h sim.Horizon) string {
	if n == 1 {
		return "1 " + h.PeriodName()
	}
	return strconv.Itoa(n) + " " + h.PeriodName() + "s"
}

// fitFacts are what a fit's report records besides the fits: the data
// file's path and content, the scenario whose period the fit uses, and the
// command line.
type fitFacts struct {
	data    string
	raw     []byte
	base    string
	horizon sim.Horizon
	command string
}

// fitReport is report.html of the fits in results: the fitted alpha and
// beta with their intervals and the churn they imply first, then each
// fit's chart and table, and the manifest.
func fitReport(results []*fit.Result, f fitFacts) (output.File, error) {
	period := f.horizon.PeriodName()
	r0 := results[0]
	every := max(r0.Every, 1)
	rows := "one row a " + period
	if every > 1 {
		rows = fmt.Sprintf("one row every %s", periods(every, f.horizon))
	}
	sum := sha256.Sum256(f.raw)
	opt := report.Options{
		Title:    "retsim fit: " + f.data,
		Command:  f.command,
		Headline: report.Grid{Rows: fit.HeadlineRows(results, period)},
		Lead: fmt.Sprintf("Shifted-beta-geometric churn (Fader & Hardie 2007) fitted by maximum likelihood to %s (%s, %s of scenario %s): alpha and beta describe churn per %s. Their intervals are 95%% confidence intervals from the observed information; the chart's bands are the 5-95%% range of fitted survival over %d parameter draws.",
			f.data, r0.Format, rows, f.base, period, r0.Draws),
		Manifest: []report.Fact{
			{Name: "data", Value: f.data},
			{Name: "data SHA-256", Value: hex.EncodeToString(sum[:])},
			{Name: "period", Value: fmt.Sprintf("a %s (scenario %s, %d periods a year); %s of the data", period, f.base, f.horizon.PeriodsPerYear, rows)},
			{Name: "parameter draws", Value: fmt.Sprintf("%d, seed %d", r0.Draws, r0.Seed)},
		},
	}
	for _, r := range results {
		opt.Verdicts = append(opt.Verdicts, r.Verdict(period))
		var text bytes.Buffer
		if err := r.WriteText(&text); err != nil {
			return output.File{}, err
		}
		title := "Observed and fitted"
		if r.Cohort != "" {
			title += ": cohort " + r.Cohort
		}
		opt.Notes = append(opt.Notes, report.Note{Title: title, Text: text.String()})
		charts, err := r.Charts()
		if err != nil {
			return output.File{}, err
		}
		name := "fit_survival"
		if r.Cohort != "" {
			name += "-" + output.SafeName(r.Cohort)
		}
		for _, c := range charts {
			if path.Ext(c.Name) == ".svg" {
				opt.Charts = append(opt.Charts, report.Chart{Name: name, SVG: c.Write,
					Title:   strings.Replace(title, "Observed and fitted", "Observed and fitted survival and retention", 1),
					Caption: "Top: survival, the share of the cohort still active at each row of the data, observed and fitted, with the 5-95% range of the fit over parameter draws; bottom: retention, the share of the previous row's customers still active. Held-out rows are marked apart from the training rows."})
			}
		}
	}
	return output.File{Name: "report.html", Write: func(w io.Writer) error { return report.Page(w, opt) }}, nil
}
