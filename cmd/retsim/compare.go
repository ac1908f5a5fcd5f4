package main

import (
	"bytes"

	"github.com/spf13/cobra"

	"github.com/retsim/retsim/compare"
	"github.com/retsim/retsim/plots"
	"github.com/retsim/retsim/report"
)

func newCompareCmd() *cobra.Command {
	var (
		f           runFlags
		independent bool
	)
	cmd := &cobra.Command{
		Use:   "compare A B [C...]",
		Short: "Compare scenarios on common random numbers: paired differences and crossover",
		Long: `Simulate several scenarios (built-in names or files) and compare each with the
first, the reference. All scenarios run with the same seed (the first
scenario's, or --seed), so each customer meets the same chance events in every
scenario and the scenarios differ only where their policies act: common random
numbers. --independent gives each scenario its own seed instead, to show how
much noise that adds.

For each scenario and key outcome (cumulative discounted profit, cumulative
profit, final active customers, final NPS, CLV per acquired customer) it
reports the mean paired difference with 90% and 95% intervals, the probability
that the scenario beats the reference (share of replications), and the
variance reduction that common random numbers bought; and the crossover
period: when the scenario's cumulative profit overtakes the reference's for
good, with its median and 90% range, and the share of replications where it
never does within the horizon.

Writes into --out everything 'retsim run' writes for each scenario, plus
comparison.csv, crossover.csv, comparison_series.csv, comparison.json and the
difference chart, all in report.html.`,
		Example: `  retsim compare taking giving
  retsim compare taking giving --independent --out out/independent
  retsim compare baseline my-firm.yaml --precision 50000 --max-replications 800`,
		Args: nArgs(2, -1, "scenarios"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.checkFlags(cmd); err != nil {
				return err
			}
			scs, err := f.load(cmd, args)
			if err != nil {
				return err
			}
			for i, sc := range scs {
				sc.Config.Seed = scs[0].Config.Seed
				if independent {
					sc.Config.Seed += uint64(i)
				}
				sc.Config.Replications = scs[0].Config.Replications
			}
			st, err := f.study(cmd, scs, (*compare.Study).PairedHalfWidth)
			if err != nil {
				return err
			}
			cmp := st.Comparison
			fig, err := plots.Difference(cmp)
			if err != nil {
				return err
			}
			var table bytes.Buffer
			if err := compare.WriteComparisonTable(&table, cmp); err != nil {
				return err
			}
			opt := report.Options{
				Title:   "retsim comparison: " + cmp.Reference + " as reference",
				Figures: []*plots.Figure{fig},
				Notes:   []report.Note{{Title: "Paired comparison with " + cmp.Reference, Text: table.String()}},
			}
			return f.report(cmd, scs, st.Summaries, opt, compare.ComparisonFiles(cmp)...)
		},
	}
	f.register(cmd.Flags())
	f.registerPrecision(cmd.Flags(), "the mean paired difference")
	cmd.Flags().BoolVar(&independent, "independent", false, "give each scenario its own seed (no common random numbers)")
	return cmd
}
