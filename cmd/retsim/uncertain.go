package main

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/retsim/retsim/compare"
	"github.com/retsim/retsim/output"
	"github.com/retsim/retsim/plots"
	"github.com/retsim/retsim/report"
	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

// addAssumptions adds to opt and returns the outputs of a study's
// uncertain parameters, if any: the figures with the assumptions drawn
// beside the same held at their central values, and which assumptions
// drive the outcome (a note, the drivers chart, uncertainty.csv,
// assumptions.csv and drivers.csv).
func addAssumptions(a *compare.Assumptions, opt *report.Options) ([]output.File, error) {
	if a == nil {
		return nil, nil
	}
	var table bytes.Buffer
	if err := compare.WriteUncertaintyTable(&table, a); err != nil {
		return nil, err
	}
	fig, err := plots.Drivers(a)
	if err != nil {
		return nil, err
	}
	opt.Figures = append(opt.Figures, fig)
	opt.Notes = append(opt.Notes, report.Note{Title: "How sure: the assumptions drawn and held at their central values", Text: table.String()})
	return compare.AssumptionsFiles(a), nil
}

// flipAll is the --flip value that names every parameter with a
// distribution in the two scenarios compared.
const flipAll = "all"

// flipKeys are, for each scenario after the first, the parameters --flip
// names (flipAll: every uncertain parameter of it and the first), checked
// before anything runs.
func flipKeys(scs []*scenarios.Scenario, flip []string) ([][]string, error) {
	out := make([][]string, len(scs)-1)
	for i, sc := range scs[1:] {
		ks := flip
		if slices.Equal(flip, []string{flipAll}) {
			ks = nil
			for _, u := range append(slices.Clone(scs[0].Config.Uncertain), sc.Config.Uncertain...) {
				if !slices.Contains(ks, u.Key) {
					ks = append(ks, u.Key)
				}
			}
			if len(ks) == 0 {
				return nil, usage("--flip all: neither %s nor %s has an uncertain parameter; name parameters: --flip key,key", scs[0].Name, sc.Name)
			}
		}
		for _, k := range ks {
			if p, ok := sim.Lookup(k); !ok || p.Whole {
				return nil, usage("--flip: %s is not a parameter that takes any number (see 'retsim params')", k)
			}
		}
		out[i] = ks
	}
	return out, nil
}

// flips searches, for each scenario after the first compared with the
// first and each of its keys, the value that flips the verdict on
// --outcome (see compare.FindFlip), with progress on stderr.
func (f *runFlags) flips(cmd *cobra.Command, scs []*scenarios.Scenario, keys [][]string) ([]compare.Flip, error) {
	o, err := compare.OutcomeByName(f.outcome)
	if err != nil {
		return nil, usageError{fmt.Errorf("--outcome: %w", err)}
	}
	ref := compare.Scenario{Name: scs[0].Name, Config: scs[0].Config}
	var out []compare.Flip
	for i, sc := range scs[1:] {
		alt := compare.Scenario{Name: sc.Name, Config: sc.Config}
		for _, k := range keys[i] {
			fmt.Fprintf(cmd.ErrOrStderr(), "flip: %s against %s, searching %s\n", alt.Name, ref.Name, k)
			fl, err := compare.FindFlip(cmd.Context(), ref, alt, k, o, sim.Options{Workers: f.workers})
			if err != nil {
				return nil, err
			}
			out = append(out, fl)
		}
	}
	return out, nil
}

// addFlips adds the flips' sentences to opt as a note and returns flip.csv.
func addFlips(fs []compare.Flip, opt *report.Options) []output.File {
	if fs == nil {
		return nil
	}
	var b strings.Builder
	for _, fl := range fs {
		b.WriteString(fl.Sentence() + "\n")
	}
	fmt.Fprintf(&b, "(the value at which the mean paired difference crosses zero, each parameter set alone in both scenarios on common random numbers; in brackets where the 95%% interval's bounds cross zero; flip.csv)\n")
	opt.Notes = append(opt.Notes, report.Note{Title: "What would flip the verdict", Text: b.String()})
	return compare.FlipFiles(fs)
}

// warnUnshared says on w which uncertain parameters a scenario draws but
// the reference holds fixed, or the other way round: the comparison then
// carries that assumption's uncertainty on one side only.
func warnUnshared(w io.Writer, scs []*scenarios.Scenario) {
	keys := func(sc *scenarios.Scenario) []string {
		var ks []string
		for _, u := range sc.Config.Uncertain {
			ks = append(ks, u.Key)
		}
		return ks
	}
	ref := keys(scs[0])
	for _, sc := range scs[1:] {
		alt := keys(sc)
		var only []string
		for _, k := range alt {
			if !slices.Contains(ref, k) {
				only = append(only, k+" (drawn in "+sc.Name+" only)")
			}
		}
		for _, k := range ref {
			if !slices.Contains(alt, k) {
				only = append(only, k+" (drawn in "+scs[0].Name+" only)")
			}
		}
		if only != nil {
			fmt.Fprintf(w, "note: %s and %s do not share these assumptions, so the comparison carries their uncertainty on one side only: %s; give both the same uncertain: section to compare under the same assumptions\n",
				scs[0].Name, sc.Name, strings.Join(only, ", "))
		}
	}
}
