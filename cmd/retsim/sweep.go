package main

import (
	"fmt"
	"math"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/retsim/retsim/compare"
	"github.com/retsim/retsim/internal/numfmt"
	"github.com/retsim/retsim/plots"
	"github.com/retsim/retsim/sim"
)

func newSweepCmd() *cobra.Command {
	var (
		f       runFlags
		params  []string
		against string
	)
	cmd := &cobra.Command{
		Use:   "sweep NAME|FILE --param key=from:to:steps [--param ...] [--against REF]",
		Short: "Run a scenario over a grid of one or two parameters",
		Long: `Run a scenario at every point of a grid over one or two numeric parameters,
each point on the same seed (common random numbers, so neighbouring points
differ only by the parameter), and report each key outcome at each point:
mean, sd, 5/50/95% across replications. Writes sweep.csv, a chart (lines
with bands for one parameter, heat maps for two) and report.html, which says
first where each outcome is highest and how much it moves, into --out.

--against REF (a scenario name or file, changes allowed as in
NAME+key=value) sweeps the paired difference instead: REF runs once on the
swept scenario's seed, and each point is compared with it replication by
replication. sweep.csv gains the columns reference, mean_diff, ci95_low,
ci95_high, p_beats and n_diff, the console shows the mean difference with
its 95% interval and P(beats), and the chart shows the difference (point
minus REF). At a point equal to REF the difference is exactly 0. With
--precision, the half-width targeted is that of the mean difference.`,
		Example: `  retsim sweep baseline --param policy.human_share=0:1:6
  retsim sweep baseline --param policy.giving=0:1:5 --param switching.cost=0:0.9:4 --replications 20
  retsim sweep baseline --param policy.giving=0:1:5 --against taking`,
		Args: nArgs(1, 1, "scenario"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(params) == 0 || len(params) > 2 {
				return usage("--param: give one or two, got %d (see --help)", len(params))
			}
			axes := make([]compare.Axis, len(params))
			for i, p := range params {
				a, err := compare.ParseAxis(p)
				if err != nil {
					return usageError{fmt.Errorf("--param %s: %w", p, err)}
				}
				axes[i] = a
			}
			if err := f.checkFlags(cmd); err != nil {
				return err
			}
			refs := args
			if cmd.Flags().Changed("against") {
				refs = append(refs, against)
			}
			scs, err := f.load(cmd, refs)
			if err != nil {
				return err
			}
			defer f.closeOut()
			base := scs[0].Config
			var ref *compare.Scenario
			if len(scs) > 1 {
				ref = &compare.Scenario{Name: scs[1].Name, Config: scs[1].Config}
			}
			grid, err := compare.SweepPoints(base, axes)
			if err != nil {
				return usageError{err}
			}
			sweeper, err := compare.NewSweeper(base, axes, nil, ref)
			if err != nil {
				return usageError{fmt.Errorf("--against: %w", err)}
			}
			// The reference and the points run one after another, with
			// the swept scenario's replications.
			var groups [][]sim.Config
			for _, p := range grid {
				groups = append(groups, []sim.Config{p.Config})
			}
			if ref != nil {
				cfg := ref.Config
				cfg.Replications = base.Replications
				groups = append(groups, []sim.Config{cfg})
			}
			opt, err := f.ready(cmd, fmt.Sprintf("sweep %s (%d points)", scs[0].Name, len(grid)), groups, false)
			if err != nil {
				return err
			}
			err = f.grow(cmd, base.Replications, func(reps int) (float64, error) {
				prog := newProgress(cmd.ErrOrStderr(), "sweep")
				defer prog.done()
				opt := opt
				opt.Progress = prog.update
				if err := sweeper.Extend(cmd.Context(), reps, opt); err != nil {
					return 0, err
				}
				return sweeper.HalfWidth(f.outcome), nil
			})
			if err != nil {
				return err
			}
			sw := sweeper.Result()
			charted := sw
			if ref != nil {
				charted = sw.Differences()
			}
			fig, err := plots.Sweep(charted)
			if err != nil {
				return err
			}
			files := append(compare.SweepFiles(sw), fig.Files(plots.PNG, plots.SVG)...)
			ran := base // with the replications grown to, as a run of that count records them
			ran.Replications = sw.Replications
			files = append(files, sweepReport(sw, fig, studyRun{scs[0].Name, ran, commandLine(cmd, args)}))
			if err := f.publish(cmd, files); err != nil {
				return err
			}
			printSweep(cmd, sw)
			fmt.Fprintf(cmd.OutOrStdout(), "\nwrote %d files into %s\n", len(files), f.out)
			return nil
		},
	}
	f.register(cmd.Flags())
	f.registerPrecision(cmd.Flags(), "the mean (with --against, the mean difference) at every point")
	cmd.Flags().StringArrayVar(&params, "param", nil, "a grid axis, key=from:to:steps (steps >= 2 points, ends included); give one or two")
	cmd.Flags().StringVar(&against, "against", "", "sweep the paired difference from this scenario (name or file, NAME+key=value allowed), on common random numbers")
	return cmd
}

// printSweep prints each outcome at each point as mean [p05, p95] or,
// against a reference, as the mean difference [95% interval] and P(beats).
func printSweep(cmd *cobra.Command, s *compare.SweepResult) {
	tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', tabwriter.AlignRight)
	if s.Reference != "" {
		fmt.Fprintf(cmd.OutOrStdout(), "Each cell: mean of point minus %s [95%% interval], P(point beats %s), over %d replications.\n", s.Reference, s.Reference, s.Replications)
	} else {
		fmt.Fprintf(cmd.OutOrStdout(), "Each cell: mean [5%%, 95%% of replications], over %d replications.\n", s.Replications)
	}
	for _, a := range s.Axes {
		fmt.Fprintf(tw, "%s\t", a.Key)
	}
	for _, o := range s.Outcomes {
		fmt.Fprintf(tw, "%s (%s)\t", o.Name, o.Unit)
	}
	fmt.Fprintln(tw)
	for p, pt := range s.Points {
		for _, v := range pt.Values {
			fmt.Fprintf(tw, "%s\t", strconv.FormatFloat(v, 'f', -1, 64))
		}
		for k := range s.Outcomes {
			if s.Reference != "" {
				d := pt.Pairs[k].Paired()
				dec := numfmt.CellDecimals(d.Mean, d.CI95.Low, d.CI95.High)
				fmt.Fprintf(tw, "%s [%s, %s] P %s\t", numfmt.Fixed(d.Mean, dec, true), numfmt.Fixed(d.CI95.Low, dec, true),
					numfmt.Fixed(d.CI95.High, dec, true), numfmt.Fixed(d.PBeats, 2, false))
				continue
			}
			st := s.Stat(p, k)
			fmt.Fprintf(tw, "%s\t", numfmt.Spread(st.Mean, st.P05, st.P95))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}

func newSensitivityCmd() *cobra.Command {
	var (
		f         runFlags
		outcome   string
		keys      []string
		adaptive  bool
		top       int
		tolerance float64
	)
	cmd := &cobra.Command{
		Use:   "sensitivity NAME|FILE [--outcome NAME] [--params k1,k2,...]",
		Short: "One-at-a-time sensitivity of an outcome to each parameter (tornado)",
		Long: `Move each parameter alone from a low to a high value, run each end on the
same seed as the scenario itself (common random numbers), and rank the
parameters by the swing of the chosen outcome between the two ends, with 95%
intervals of the paired differences. Writes sensitivity.csv, a tornado chart
and report.html, which names first the parameters that move the outcome most,
into --out.

Each parameter moves inside its allowed range (see 'retsim params'), over,
first that applies:
  uncertain  the 5% and 95% quantiles of its distribution, when the scenario
             gives it one under uncertain:
  allowed    its whole allowed range, when both ends are natural ones, as a
             probability's 0 and 1 or a correlation's -1 and 1
  step       its value -20% and +20%, clipped to its allowed range (whole
             numbers rounded outward); a parameter at 0 is then skipped
An end that breaks a relation with another parameter (a basic cost above the
skilled one) stops at that parameter's value. The csv's basis column, the
table's "range from" column and note say which rule gave each range.

With --adaptive (the default), the analysis runs only what its answer
needs, every replication simulated once. Its first look runs one
replication of every end and goes on with the 2 x --top parameters of
largest swing. At each later look (2, 3, 5, 8, 12, ... replications, each
half as many again) only the parameters go on whose place is not settled:
those in a pair where one of the first --top is neither apart from the
other nor tied with it. Two parameters run on at least two common
replications are compared replication by replication (their runs share
random numbers): apart when the 95% interval of the mean difference of
their swings lies wholly above 0, tied when it lies within -+ --tolerance
times the larger swing (the swings differ by less than that share, and
their order is left as their means give it). A parameter with one
replication is compared by its swing interval: apart when it lies wholly
below the other's, tied when both lie inside one band no wider than
--tolerance times its upper end. A parameter below the first --top thus
stops (is screened out) once it is apart from or tied with each of them; a leading one stops once its order is
settled; a stopped one that later overlaps again is run on from where it
stopped. A parameter left at one replication has the assumed interval
swing -+ 1.96 x the largest standard deviation of one replication's swing
among those with more: the assumption is that it is no noisier than the
parameters that went on. The analysis stops when the order of the first
--top is settled, or at the scenario's replications (or --replications),
the cap. Each parameter's figures are those of --adaptive=false with its
replications: the table's n column and the csv's replications and
screened columns say how many it had; the table's first line says how
many replications and runs (one replication of one configuration) were
used, and each look is reported on stderr. The intervals are not widened
for the repeated looks.

The work guard checks what an adaptive analysis will certainly run, its
first look, and shows the cap as an upper bound; without --allow-large,
the analysis then stops refining before a look that would take it past the
guard's limit of customer-months, and says so on stderr and in the table,
naming the pairs left unsettled. --adaptive=false is guarded by all its
runs.

By default every parameter is moved except seed, replications, horizon.*,
population.initial and market.potential: about 170 runs in lockstep.`,
		Example: `  retsim sensitivity baseline
  retsim sensitivity baseline --params policy.giving,churn.alpha,pricing.list_price -r 20
  retsim sensitivity giving --outcome final_nps --top 3 -r 100
  retsim sensitivity baseline --adaptive=false -r 10`,
		Args: nArgs(1, 1, "scenario"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := compare.OutcomeByName(outcome); err != nil {
				return usageError{fmt.Errorf("--outcome: %w", err)}
			}
			if top < 1 {
				return usage("--top: must be at least 1, got %d", top)
			}
			if !(tolerance >= 0 && tolerance < 1) {
				return usage("--tolerance: must be at least 0 and below 1, got %v", tolerance)
			}
			if len(keys) == 0 {
				keys = compare.SensitivityKeys()
			}
			for i, k := range keys {
				if k == "" {
					return usage("--params: name %d of %d in the list is empty; give names separated by single commas", i+1, len(keys))
				}
				if _, ok := sim.Lookup(k); !ok {
					return usage("--params: %s: unknown parameter (see 'retsim params')", k)
				}
			}
			if err := f.checkFlags(cmd); err != nil {
				return err
			}
			scs, err := f.load(cmd, args)
			if err != nil {
				return err
			}
			defer f.closeOut()
			// The base and every end that differs from it run in lockstep.
			ends, err := compare.SensitivityRuns(scs[0].Config, keys)
			if err != nil {
				return usageError{fmt.Errorf("--params: %w", err)}
			}
			what := fmt.Sprintf("sensitivity %s (%d configurations)", scs[0].Name, len(ends))
			var (
				opt    sim.Options
				budget float64 // customer-months an adaptive analysis may use; 0: no limit
			)
			if adaptive {
				first := make([]sim.Config, len(ends))
				for i, c := range ends {
					first[i] = c
					first[i].Replications = min(compare.SensitivityStart, c.Replications)
				}
				opt, budget, err = f.readyAdaptive(cmd, what, [][]sim.Config{first}, [][]sim.Config{ends})
			} else {
				opt, err = f.ready(cmd, what, [][]sim.Config{ends}, false)
			}
			if err != nil {
				return err
			}
			prog := newProgress(cmd.ErrOrStderr(), "sensitivity")
			prog.unit = "runs"
			opt.Progress = prog.update
			var t *compare.Tornado
			if adaptive {
				look := func(t *compare.Tornado) {
					prog.done()
					fmt.Fprintln(cmd.ErrOrStderr(), lookLine(t))
					if t.Limited {
						fmt.Fprintf(cmd.ErrOrStderr(), "sensitivity: refinement stopped at the work limit of %s customer-months: %s used, the next look needs %s more; pass --allow-large to go on\n",
							human(t.Budget), human(t.CustomerMonths), human(t.NextMonths))
					}
				}
				t, err = compare.SensitivityAdaptive(cmd.Context(), scs[0].Config, keys, outcome, compare.Adaptive{Top: top, Tolerance: tolerance, Budget: budget, Look: look}, opt)
			} else {
				t, err = compare.Sensitivity(cmd.Context(), scs[0].Config, keys, outcome, opt)
			}
			prog.done()
			if err != nil {
				return err
			}
			fig, err := plots.Tornado(t)
			if err != nil {
				return err
			}
			files := append(compare.SensitivityFiles(t), fig.Files(plots.PNG, plots.SVG)...)
			files = append(files, sensitivityReport(t, fig, studyRun{scs[0].Name, scs[0].Config, commandLine(cmd, args)}))
			if err := f.publish(cmd, files); err != nil {
				return err
			}
			if err := compare.WriteSensitivityTable(cmd.OutOrStdout(), t); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "\nwrote %d files into %s\n", len(files), f.out)
			return nil
		},
	}
	f.register(cmd.Flags())
	cmd.Flags().StringVar(&outcome, "outcome", "cumulative_discounted_profit", "the outcome to explain (see 'retsim compare --help')")
	cmd.Flags().StringSliceVar(&keys, "params", nil, "parameters to move, comma-separated (default: all but seed, replications, horizon.*, population.initial, market.potential)")
	cmd.Flags().BoolVar(&adaptive, "adaptive", true, "run each parameter only until its place among the first --top is settled (one replication of every end first), up to the replications (the cap); false: run them all for every parameter")
	cmd.Flags().IntVar(&top, "top", 5, "with --adaptive, how many leading parameters must be in a settled order")
	cmd.Flags().Float64Var(&tolerance, "tolerance", 0.02, "with --adaptive, the relative difference below which two swings count as tied, their order not waited for; 0: wait for every order")
	return cmd
}

// lookLine says where an adaptive sensitivity analysis stands at a look,
// e.g. "sensitivity: 6 of at most 50 replications, 210 runs: swing of rank 2
// churn.alpha minus rank 3 churn.beta [-2.1e+04, 3.5e+05], neither above 0
// nor within 2%", or, for a bar with one replication, "swing of rank 2
// churn.alpha [1.2e+06, 1.5e+06] overlaps rank 3 churn.beta [1.1e+06,
// 1.3e+06]", or, at the first look, when no bar has an interval, "swings of
// rank 1 churn.alpha (1.3e+06) and rank 2 churn.beta (1.2e+06) have no
// interval from one replication yet".
func lookLine(t *compare.Tornado) string {
	head := fmt.Sprintf("sensitivity: %d of at most %d replications, %d runs: ", t.Replications, t.Cap, t.Runs)
	i, j := t.Unsettled(t.Top, t.Tolerance)
	if i < 0 {
		return head + fmt.Sprintf("the order of the top %d is settled", min(t.Top, len(t.Bars)))
	}
	if d, ok := t.SwingDiff(i, j); ok {
		return head + fmt.Sprintf("swing of rank %d %s minus rank %d %s [%.3g, %.3g], neither above 0 nor within %g%%",
			i+1, t.Bars[i].Key, j+1, t.Bars[j].Key, d.Low, d.High, 100*t.Tolerance)
	}
	bar := func(r int) string {
		b := t.Bars[r]
		return fmt.Sprintf("rank %d %s [%.3g, %.3g]", r+1, b.Key, b.SwingCI95.Low, b.SwingCI95.High)
	}
	if bi, bj := t.Bars[i].SwingCI95, t.Bars[j].SwingCI95; math.IsNaN(bi.Low + bi.High + bj.Low + bj.High) {
		// One replication of every bar, none with an interval yet.
		return head + fmt.Sprintf("swings of rank %d %s (%.3g) and rank %d %s (%.3g) have no interval from one replication yet",
			i+1, t.Bars[i].Key, t.Bars[i].Swing, j+1, t.Bars[j].Key, t.Bars[j].Swing)
	}
	return head + "swing of " + bar(i) + " overlaps " + bar(j)
}
