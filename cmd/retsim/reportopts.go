package main

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/retsim/retsim/compare"
	"github.com/retsim/retsim/plots"
	"github.com/retsim/retsim/report"
)

// comparisonReport is what report.html shows of a comparison: the verdicts
// and the key paired numbers first, the difference chart, then the paired
// tables; text is the same comparison for a terminal.
func comparisonReport(cmp *compare.Comparison, fig *plots.Figure, text string) report.Options {
	opt := report.Options{
		Title:    "retsim comparison: " + cmp.Reference + " as reference",
		Headline: report.Grid{Rows: cmp.HeadlineRows()},
		Figures:  []*plots.Figure{fig},
		Notes: []report.Note{{Title: "Paired comparison with " + cmp.Reference, Text: text, Tables: []report.Grid{
			{Intro: cmp.PairedIntro(), Rows: cmp.PairedRows()},
			{Intro: cmp.CrossoverIntro(), Rows: cmp.CrossoverRows()},
		}}},
	}
	for _, v := range cmp.Verdicts() {
		opt.Verdicts = append(opt.Verdicts, v.Sentence())
	}
	return opt
}

// decompositionNote is what report.html shows of a decomposition: its
// tables; text is the same for a terminal.
func decompositionNote(d *compare.Decomposition, text string) report.Note {
	return report.Note{Title: "Which lever earns the difference: " + d.Scenario + " minus " + d.Reference, Text: text, Tables: []report.Grid{
		{Intro: d.GroupsIntro(), Rows: d.GroupRows()},
		{Intro: d.PartsIntro(), Rows: d.PartRows()},
	}}
}

// commandLine rebuilds the command line that ran cmd from what it parsed:
// the command's path, its arguments, then every flag set, each as
// --name=value (a list flag once per value), quoted where a shell needs it.
func commandLine(cmd *cobra.Command, args []string) string {
	parts := []string{cmd.CommandPath()}
	for _, a := range args {
		parts = append(parts, shellQuote(a))
	}
	visitFlags(cmd, func(name, value string) {
		parts = append(parts, "--"+name+"="+shellQuote(value))
	})
	return strings.Join(parts, " ")
}

// visitFlags calls visit with each flag set on cmd's command line, in
// lexical order, and its value, once per value for a list flag.
func visitFlags(cmd *cobra.Command, visit func(name, value string)) {
	cmd.Flags().Visit(func(fl *pflag.Flag) {
		values := []string{fl.Value.String()}
		if sv, ok := fl.Value.(pflag.SliceValue); ok {
			values = sv.GetSlice()
		}
		for _, v := range values {
			visit(fl.Name, v)
		}
	})
}

// shellQuote quotes s for a POSIX shell unless it holds only characters
// that need no quoting.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.,:=/+@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
