package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/retsim/retsim/experiment"
	"github.com/retsim/retsim/output"
	"github.com/retsim/retsim/plots"
	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

func newExperimentCmd() *cobra.Command {
	var (
		f              runFlags
		perReplication bool
	)
	cmd := &cobra.Command{
		Use:   "experiment FILE.yaml",
		Short: "Run a designed experiment over many parameters (grids, Latin hypercubes, Sobol indices)",
		Long: `Run the experiment a design file describes: a scenario, a design over any
number of parameters, the outcomes to record, replications and seed. Every
design point runs with the same seed (common random numbers).

Designs:
  factorial  every combination of each parameter's values: a list
             (values: [0, 0.5, 1]) or steps from min to max, linear or log
  lhs        a Latin hypercube of 'samples' points
  saltelli   the Saltelli sample for Sobol indices: samples x (parameters + 2)
             points from a scrambled Sobol sequence

A parameter given no range takes the scenario's 'uncertain:' distribution
of it, or else its allowed range where that has natural ends ('retsim params').

Writes experiment.csv (one row per design point and outcome: the point's
values, n, mean, sd, 5/50/95% across replications), with --per-replication
replications.csv (one row per point, replication and outcome), and for a
saltelli design sobol.csv (first-order and total Sobol indices of each
outcome's mean, with 95% bootstrap intervals) and the chart sobol.png.
--seed and --replications override the design file, which overrides the
scenario.`,
		Example: `  retsim experiment examples/sobol-baseline.yaml --out out/sobol
  retsim experiment grid.yaml --per-replication --replications 20`,
		Args: nArgs(1, 1, "design file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.checkFlags(cmd); err != nil {
				return err
			}
			spec, err := experiment.ReadSpec(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("seed") {
				spec.Seed = nil // the flag reaches the scenario, above the file
			}
			if cmd.Flags().Changed("replications") {
				spec.Replications = 0
			}
			sc, err := scenarios.LoadContext(cmd.Context(), spec.ScenarioRef(), f.sources(cmd))
			if err != nil {
				return err
			}
			plan, err := spec.Plan(sc.Name, sc.Config)
			if err != nil {
				return err
			}
			defer f.closeOut()
			groups := make([][]sim.Config, len(plan.Points)) // the points run one after another
			for i := range groups {
				groups[i] = []sim.Config{plan.Config(i)}
			}
			name := fmt.Sprintf("experiment %s (%s design, %d points)", sc.Name, plan.Design.Kind, len(plan.Points))
			opt, err := f.ready(cmd, name, groups, false)
			if err != nil {
				return err
			}
			prog := newProgress(cmd.ErrOrStderr(), "experiment")
			opt.Progress = prog.update
			results, err := plan.Evaluate(cmd.Context(), plan.All(), opt)
			prog.done()
			if err != nil {
				return err
			}
			res, err := plan.Summarize(results)
			if err != nil {
				return err
			}
			files := experiment.Files(res, perReplication)
			if res.Sobol != nil {
				fig, err := plots.Sobol(res)
				if err != nil {
					return err
				}
				files = append(files, fig.Files(plots.PNG, plots.SVG)...)
			}
			if err := f.publish(cmd, files); err != nil {
				return err
			}
			printExperiment(cmd, res)
			fmt.Fprintf(cmd.OutOrStdout(), "\nwrote %d files into %s, listed in %s\n", len(files), f.out, output.IndexName)
			return nil
		},
	}
	f.register(cmd.Flags())
	cmd.Flags().BoolVar(&perReplication, "per-replication", false, "also write replications.csv, one row per design point, replication and outcome")
	return cmd
}

// printExperiment prints the design's size and, for a Saltelli design,
// the Sobol indices of the first outcome.
func printExperiment(cmd *cobra.Command, r *experiment.Result) {
	out := cmd.OutOrStdout()
	p := r.Plan
	fmt.Fprintf(out, "%s: %s design, %d parameters, %d points x %d replications\n", p.Scenario, p.Design.Kind, len(p.Design.Factors), len(p.Points), p.Base.Replications)
	if r.Sobol == nil {
		return
	}
	fmt.Fprintf(out, "\nSobol indices of %s (95%% bootstrap intervals):\n", p.Outcomes[0].Name)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "parameter\tS1\t95% interval\tST\t95% interval")
	for f, x := range r.Sobol[0] {
		fmt.Fprintf(tw, "%s\t%.3f\t[%.3f, %.3f]\t%.3f\t[%.3f, %.3f]\n", p.Design.Factors[f].Key,
			x.S1, x.S1CI95.Low, x.S1CI95.High, x.ST, x.STCI95.Low, x.STCI95.High)
	}
	tw.Flush()
}
