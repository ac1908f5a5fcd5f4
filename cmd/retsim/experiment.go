package main

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/retsim/retsim/experiment"
	"github.com/retsim/retsim/output"
	"github.com/retsim/retsim/plots"
	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/shard"
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
scenario.

With --shard I/N, the command evaluates only shard I of N of the design
points (a contiguous block, each point with all its replications) and
writes them, with the design file and the scenario as read, into --out;
'retsim merge' of every shard writes the outputs of the whole experiment,
byte for byte those of one process.`,
		Example: `  retsim experiment examples/sobol-baseline.yaml --out out/sobol
  retsim experiment grid.yaml --per-replication --replications 20
  for i in 0 1 2 3; do retsim experiment grid.yaml --shard $i/4 --out shards/$i & done; wait
  retsim merge shards/* --out out`,
		Args: nArgs(1, 1, "design file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.checkFlags(cmd); err != nil {
				return err
			}
			part := f.shard.take() // an experiment is split by design points, not by replications
			setup, err := f.loadExperiment(cmd, args[0])
			if err != nil {
				return err
			}
			plan, err := setup.Spec.Plan(setup.Scenario.Name, setup.Scenario.Config)
			if err != nil {
				return err
			}
			defer f.closeOut()
			points := plan.All()
			name := fmt.Sprintf("experiment %s (%s design, %d points)", setup.Scenario.Name, plan.Design.Kind, len(plan.Points))
			if part != nil {
				first, end := part.Range(len(points))
				points = points[first:end]
				name += ", shard " + part.String()
			}
			opt, err := f.readyPoints(cmd, name, plan, points)
			if err != nil {
				return err
			}
			var results []experiment.PointResult
			if f.replay != nil {
				results, err = readPoints(f.replay, plan)
			} else {
				prog := newProgress(cmd.ErrOrStderr(), "experiment")
				opt.Progress = prog.update
				results, err = plan.Evaluate(cmd.Context(), points, opt)
				prog.done()
			}
			if err != nil {
				return err
			}
			if part != nil {
				return f.writePoints(cmd, name, *part, setup, plan, results)
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
	f.shard.register(cmd.Flags())
	cmd.Flags().BoolVar(&perReplication, "per-replication", false, "also write replications.csv, one row per design point, replication and outcome")
	return cmd
}

// experimentSetup is what an experiment's shards record for merge: the
// design file as read, with the flags' overrides applied, and the scenario
// as loaded.
type experimentSetup struct {
	// Spec is the design file as JSON, which keeps every number and the
	// difference between an absent bound and a bound of 0 (gob would not).
	Spec     []byte
	Scenario *scenarios.Scenario
}

// loadedExperiment is the design file and the scenario an experiment runs.
type loadedExperiment struct {
	Spec     *experiment.Spec
	Scenario *scenarios.Scenario
}

// loadExperiment reads the design file and loads its scenario, with the
// flags' overrides (--seed and --replications above the file), or, when
// merge runs the command, returns those the shards recorded.
func (f *runFlags) loadExperiment(cmd *cobra.Command, file string) (*loadedExperiment, error) {
	if f.replay != nil {
		var rec experimentSetup
		l := &loadedExperiment{}
		err := gob.NewDecoder(bytes.NewReader(f.replay.Manifest.Setup)).Decode(&rec)
		if err == nil {
			err = json.Unmarshal(rec.Spec, &l.Spec)
		}
		if err != nil || l.Spec == nil || rec.Scenario == nil {
			return nil, fmt.Errorf("shard setup: not an experiment's (%v)", err)
		}
		l.Scenario = rec.Scenario
		return l, nil
	}
	spec, err := experiment.ReadSpec(cmd.Context(), file)
	if err != nil {
		return nil, err
	}
	if cmd.Flags().Changed("seed") {
		spec.Seed = nil // the flag reaches the scenario, above the file
	}
	if cmd.Flags().Changed("replications") {
		spec.Replications = 0
	}
	sc, err := scenarios.LoadContext(cmd.Context(), spec.ScenarioRef(), f.sources(cmd))
	if err != nil {
		return nil, err
	}
	return &loadedExperiment{Spec: spec, Scenario: sc}, nil
}

// readyPoints is ready for the given points of plan, each a group of its
// own (the points run one after another); a shard holding no point
// simulates nothing and only opens --out.
func (f *runFlags) readyPoints(cmd *cobra.Command, name string, plan *experiment.Plan, points []int) (sim.Options, error) {
	if len(points) == 0 {
		var err error
		f.dir, err = openOut(f.out)
		return sim.Options{Workers: f.workers}, err
	}
	groups := make([][]sim.Config, len(points))
	for n, i := range points {
		groups[n] = []sim.Config{plan.Config(i)}
	}
	return f.ready(cmd, name, groups, false)
}

// pointsFile is the data file of an experiment's shard.
const pointsFile = "points.csv"

// writePoints publishes into --out the results of the design points of
// shard part of plan (experiment.WritePointResults) and the manifest,
// whose digest covers the design file and scenario as read (l) and the
// plan's digest.
func (f *runFlags) writePoints(cmd *cobra.Command, name string, part shard.Spec, l *loadedExperiment, plan *experiment.Plan, results []experiment.PointResult) error {
	spec, err := json.Marshal(l.Spec)
	var setup bytes.Buffer
	if err == nil {
		err = gob.NewEncoder(&setup).Encode(experimentSetup{Spec: spec, Scenario: l.Scenario})
	}
	var canon []byte
	if err == nil {
		canon, err = json.Marshal(l)
	}
	if err != nil {
		return fmt.Errorf("--shard: recording the experiment: %w", err)
	}
	first, end := part.Range(len(plan.Points))
	m := &shard.Manifest{
		Format: shard.Format, Engine: versionText(), Command: recordedCommand(cmd, cmd.Flags().Args()),
		Seed: plan.Base.Seed, Shard: part.Index, Shards: part.Count, Setup: setup.Bytes(),
		Parts: []shard.Part{{Kind: shard.KindPoints, File: pointsFile, Configs: []string{plan.Digest()}, Total: len(plan.Points), First: first, End: end}},
	}
	m.Seal(canon)
	files := []output.File{
		shard.DataFile(&m.Parts[0], func(w io.Writer) error { return experiment.WritePointResults(w, plan, results) }),
		shard.ManifestFile(m),
	}
	if _, err := f.dir.Publish(cmd.Context(), files); err != nil {
		return err
	}
	held := "no points: more shards than design points"
	if end > first {
		held = fmt.Sprintf("points %d to %d of %d", first, end-1, len(plan.Points))
	}
	fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (%s) into %s; merge every shard with 'retsim merge DIR... --out OUT'\n", name, held, f.out)
	return nil
}

// readPoints reads the results of every design point of plan from the
// shards, in point order, refusing shards of a plan with another digest
// and a shard holding other points than its manifest says.
func readPoints(set *shard.Set, plan *experiment.Plan) ([]experiment.PointResult, error) {
	digest := plan.Digest()
	var out []experiment.PointResult
	err := set.ReadParts(shard.KindPoints, func(r io.Reader, p shard.Part) error {
		if len(p.Configs) != 1 || p.Configs[0] != digest || p.Total != len(plan.Points) {
			return fmt.Errorf("the points of another design than the one the shards recorded")
		}
		results, err := experiment.ReadPointResults(r, plan)
		if err != nil {
			return err
		}
		if len(results) != p.End-p.First {
			return fmt.Errorf("%d points, the manifest says %d (%d to %d)", len(results), p.End-p.First, p.First, p.End-1)
		}
		for n, res := range results {
			if res.Point != p.First+n {
				return fmt.Errorf("point %d where the manifest says point %d", res.Point, p.First+n)
			}
		}
		out = append(out, results...)
		return nil
	})
	return out, err
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
