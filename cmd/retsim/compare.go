package main

import (
	"bytes"

	"github.com/spf13/cobra"

	"github.com/retsim/retsim/compare"
	"github.com/retsim/retsim/output"
	"github.com/retsim/retsim/plots"
	"github.com/retsim/retsim/report"
	"github.com/retsim/retsim/sim"
)

func newCompareCmd() *cobra.Command {
	var (
		f           runFlags
		independent bool
		dec         decomposeFlags
		flip        []string
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

For each scenario and key outcome (value: cumulative discounted profit plus
customer equity at the horizon; cumulative discounted profit, cumulative
profit, final active customers, final NPS, lifetime value per acquired
customer, customer equity) it reports the mean paired difference with 90% and
95% intervals, the probability that the scenario beats the reference (share of
replications), and the variance reduction that common random numbers bought;
and the crossover period: when the scenario's cumulative profit overtakes the
reference's for good, with its median and 90% range, and the share of
replications where it never does within the horizon.

Writes into --out everything 'retsim run' writes for each scenario, plus
comparison.csv, crossover.csv, comparison_series.csv, comparison.json and the
difference chart, all in report.html.

--decompose (two scenarios, A and B) says which lever earns the difference:
it splits each outcome's paired difference B - A among the groups of
parameters in which B and A differ, by default each policy dial on its own
(policy.giving, policy.generosity, policy.human_share, policy.staff_skill)
and each other section as one group (taking, giving, discounts, pricing,
market, ...). For k groups it runs the 2^k configurations that take some
groups from B and the rest from A, on common random numbers, and gives each
group its Shapley value in each replication: what moving its parameters from
A's values to B's adds, averaged over every order in which the groups could
be moved. In every replication the parts add up to the difference; it
reports their means with 95% intervals, in decomposition.csv, a table, the
decomposition chart (a waterfall) and report.html. At most 10 groups (1024
configurations). --decompose-groups chooses the groups: separated by commas,
each one or more parameter keys or sections joined by +; parameters that
differ but are in no chosen group form one more group, "other". For example
--decompose-groups policy.giving+taking+giving,policy.generosity+discounts+generosity
splits the difference between the first two dials with all their levers.

Scenarios with an uncertain: section draw those parameters per replication
(two scenarios that share one draw the same values); the comparison is then
also run with them held at their central values on the same seeds, and
uncertainty.csv, the table and report.html give both, with which
assumptions drive the difference (drivers.csv, the drivers chart) and the
values drawn (assumptions.csv). --flip all (or --flip key,key) finds, for
each parameter set alone in both scenarios, the value within its allowed
range at which the mean paired difference of --outcome crosses zero, by
bisection on common random numbers, with the values where its 95% interval's
bounds cross zero, or says that it does not flip within the range; flip.csv
and a line each ("giving stays ahead of taking ... unless
goodwill.negativity_bias < 1.4 [1.3, 1.5]"). Each step of the bisection runs
both scenarios: use --replications to trade time for precision.`,
		Example: `  retsim compare taking giving
  retsim compare baseline baseline+policy.giving=1+policy.generosity=1
  retsim compare taking giving --decompose
  retsim compare taking giving --decompose-groups policy.giving+taking+giving,policy.human_share+policy.staff_skill
  retsim compare taking giving --independent --out out/independent
  retsim compare taking giving-uncertain --flip all --replications 20
  retsim compare baseline my-firm.yaml --precision 50000 --max-replications 800`,
		Args: nArgs(2, -1, "scenarios"),
		RunE: shardable(func(cmd *cobra.Command, args []string) error {
			if err := f.checkFlags(cmd); err != nil {
				return err
			}
			scs, err := f.load(cmd, args)
			if err != nil {
				return err
			}
			defer f.closeOut()
			for i, sc := range scs {
				sc.Config.Seed = scs[0].Config.Seed
				if independent {
					sc.Config.Seed += uint64(i)
				}
				sc.Config.Replications = scs[0].Config.Replications
			}
			warnUnshared(cmd.ErrOrStderr(), scs)
			var flipFor [][]string
			if cmd.Flags().Changed("flip") {
				if flipFor, err = flipKeys(scs, flip); err != nil {
					return err
				}
			}
			var groups []compare.Group
			if dec.wanted(cmd) {
				if groups, err = dec.plan(scs, independent); err != nil {
					return err
				}
				hybrids, err := decomposition(scs, groups, scs[0].Config.Replications)
				if err != nil {
					return err
				}
				f.after = [][]sim.Config{hybrids.configs()}
			}
			st, err := f.study(cmd, scs, (*compare.StudyRun).PairedHalfWidth)
			if err != nil {
				return err
			}
			opt, files, err := studyReport(st)
			if err != nil {
				return err
			}
			if flipFor != nil {
				fs, err := f.flips(cmd, scs, flipFor)
				if err != nil {
					return err
				}
				files = append(files, addFlips(fs, &opt)...)
			}
			if groups != nil {
				d, err := f.decompose(cmd, scs, groups, st.Comparison.Replications)
				if err != nil {
					return err
				}
				wf, err := plots.Waterfall(d)
				if err != nil {
					return err
				}
				var table bytes.Buffer
				if err := compare.WriteDecompositionTable(&table, d); err != nil {
					return err
				}
				opt.Figures = append(opt.Figures, wf)
				opt.Notes = append(opt.Notes, decompositionNote(d, table.String()))
				files = append(files, compare.DecompositionFiles(d)...)
			}
			opt.Command = commandLine(cmd, args)
			return f.report(cmd, scs, st.Summaries, opt, files...)
		}),
	}
	f.register(cmd.Flags())
	f.registerPrecision(cmd.Flags(), "the mean paired difference")
	f.shard.register(cmd.Flags())
	cmd.Flags().BoolVar(&independent, "independent", false, "give each scenario its own seed (no common random numbers)")
	dec.register(cmd.Flags())
	cmd.Flags().StringSliceVar(&flip, "flip", nil, "find, for each parameter named (separated by commas; 'all': every parameter with a distribution), the value that flips the verdict on --outcome, each alone, by bisection on common random numbers; writes flip.csv")
	return cmd
}

// studyReport is what report.html shows of a comparison's study and its
// data files: the comparison (see comparisonReport), and with uncertain
// parameters the assumptions (see addAssumptions). The explorer's report
// is written from it too (see serveReport).
func studyReport(st *compare.Study) (report.Options, []output.File, error) {
	cmp := st.Comparison
	fig, err := plots.Difference(cmp)
	if err != nil {
		return report.Options{}, nil, err
	}
	var table bytes.Buffer
	if err := compare.WriteComparisonTable(&table, cmp); err != nil {
		return report.Options{}, nil, err
	}
	opt := comparisonReport(cmp, fig, table.String())
	more, err := addAssumptions(st.Assumptions, &opt)
	if err != nil {
		return report.Options{}, nil, err
	}
	return opt, append(compare.ComparisonFiles(cmp), more...), nil
}
