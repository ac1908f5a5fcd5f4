package main

import (
	"bytes"
	"context"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/retsim/retsim/compare"
	"github.com/retsim/retsim/output"
	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/shard"
	"github.com/retsim/retsim/sim"
)

// shardFlags are the flags of run, compare and experiment that make the
// command one shard of a run split across processes (see package shard).
type shardFlags struct {
	text  string      // --shard as given: I/N, auto, or empty for a whole run
	count int         // --shards: the count for auto in a Kubernetes Indexed Job
	spec  *shard.Spec // --shard read by check; nil for a whole run
	// setup is the scenarios as loaded, before the command changes them
	// (compare's seeds), for the manifest: gob-encoded, exact, and canon,
	// as JSON, whose keys are sorted, for its digest.
	setup, canon []byte
}

// shardOnly are the flags a shard's manifest leaves out of the command it
// records: the shard's own, --out and --workers, which each task of a
// batch job sets to its share of a node and which changes no number. What
// merge runs is the whole command.
var shardOnly = []string{"shard", "shards", "out", "workers"}

func (s *shardFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&s.text, "shard", "", "simulate only shard I of N of the replications (of the design points for experiment; I/N, I from 0 to N-1) and write it into --out for 'retsim merge'; auto: from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT or JOB_COMPLETION_INDEX")
	fs.IntVar(&s.count, "shards", 0, "the count N for --shard auto with JOB_COMPLETION_INDEX (a Kubernetes Indexed Job's completions); default: RETSIM_SHARDS")
}

// check reads --shard and refuses what a shard cannot split: --precision
// decides its replications as it runs, --flip bisects step by step.
func (s *shardFlags) check(cmd *cobra.Command) error {
	if !cmd.Flags().Changed("shard") {
		if cmd.Flags().Changed("shards") {
			return usage("--shards: counts the shards of --shard auto; give --shard auto too")
		}
		return nil
	}
	spec, err := shard.ParseSpec(s.text, s.count, os.Getenv)
	if err != nil {
		return usageError{fmt.Errorf("--shard: %w", err)}
	}
	for _, name := range []string{"precision", "flip"} {
		if cmd.Flags().Changed(name) {
			return usage("--shard: cannot split a run with --%s, whose work is decided as it runs; drop one of them", name)
		}
	}
	s.spec = &spec
	return nil
}

// take returns the shard --shard names and removes it from s, for a
// command that splits its work its own way (experiment, by design
// points): ready then guards and opens --out as for a whole run. nil
// without --shard.
func (s *shardFlags) take() *shard.Spec {
	spec := s.spec
	s.spec = nil
	return spec
}

// record keeps the scenarios as loaded for the manifest of a shard.
func (s *shardFlags) record(scs []*scenarios.Scenario) error {
	if s.spec == nil {
		return nil
	}
	var b bytes.Buffer
	err := gob.NewEncoder(&b).Encode(scs)
	if err == nil {
		s.canon, err = json.Marshal(scs)
	}
	if err != nil {
		return fmt.Errorf("--shard: recording the scenarios: %w", err)
	}
	s.setup = b.Bytes()
	return nil
}

// errShardWritten ends a command that wrote its shard: it is not an error
// (see shardable), only the end of what a shard does.
var errShardWritten = errors.New("shard written")

// shardable is run, a command's RunE, ending with success once the
// command has written its shard (see runFlags.ready).
func shardable(run func(*cobra.Command, []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if err := run(cmd, args); !errors.Is(err, errShardWritten) {
			return err
		}
		return nil
	}
}

// writeShard simulates the shard's range of every group (what the command
// would simulate, as ready was given it) and publishes the data and the
// manifest into --out, then returns errShardWritten.
func (f *runFlags) writeShard(cmd *cobra.Command, name string, groups [][]sim.Config, opt sim.Options) error {
	spec := *f.shard.spec
	m := &shard.Manifest{
		Format: shard.Format, Engine: versionText(), Command: recordedCommand(cmd, cmd.Flags().Args()),
		Seed: groups[0][0].Seed, Shard: spec.Index, Shards: spec.Count, Setup: f.shard.setup,
	}
	locksteps := make([][]sim.Scenario, len(groups))
	for g, cfgs := range groups {
		for k, cfg := range cfgs {
			locksteps[g] = append(locksteps[g], sim.Scenario{Name: fmt.Sprintf("configuration %d of %d", k+1, len(cfgs)), Config: cfg})
		}
		m.Parts = append(m.Parts, shard.ReplicationsPart(fmt.Sprintf("part-%d.gob", g), locksteps[g], spec))
	}
	m.Seal(f.shard.canon)
	files := make([]output.File, 0, len(groups)+1)
	name += ", shard " + spec.String()
	prog := newProgress(cmd.ErrOrStderr(), name)
	for g := range locksteps {
		o := opt
		o.Progress = prog.update
		files = append(files, shard.ReplicationsFile(cmd.Context(), &m.Parts[g], locksteps[g], o))
	}
	files = append(files, shard.ManifestFile(m))
	_, err := f.dir.Publish(cmd.Context(), files)
	prog.done()
	if err != nil {
		return err
	}
	held := "no replications: more shards than replications"
	if p := m.Parts[0]; p.End > p.First {
		held = fmt.Sprintf("replications %d to %d of %d", p.First, p.End-1, p.Total)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (%s) into %s; merge every shard with 'retsim merge DIR... --out OUT'\n", name, held, f.out)
	return errShardWritten
}

// share is groups with each configuration's replications cut to the
// shard's (at least one), for the resource guards: a shard simulates only
// its share of the run.
func (s *shardFlags) share(groups [][]sim.Config) [][]sim.Config {
	out := make([][]sim.Config, len(groups))
	for g, cfgs := range groups {
		out[g] = slices.Clone(cfgs)
		for k := range out[g] {
			first, end := s.spec.Range(out[g][k].Replications)
			out[g][k].Replications = max(1, end-first)
		}
	}
	return out
}

// recordedCommand is the command line of cmd as its words after the
// program's name, each flag given as --name=value (see visitFlags),
// without the flags of shardOnly.
func recordedCommand(cmd *cobra.Command, args []string) []string {
	words := append(strings.Fields(commandName(cmd)), args...)
	visitFlags(cmd, func(name, value string) {
		if !slices.Contains(shardOnly, name) {
			words = append(words, "--"+name+"="+value)
		}
	})
	return words
}

// mergeable are the commands whose shards merge reads.
var mergeable = []string{"run", "compare", "experiment"}

// replayKey is the context key of the shards a merge reads (a *shard.Set).
type replayKey struct{}

// replaying is the shards that cmd, run by merge, reads instead of
// simulating, or nil.
func replaying(cmd *cobra.Command) *shard.Set {
	s, _ := cmd.Context().Value(replayKey{}).(*shard.Set)
	return s
}

// source is where the command's replications come from: the shards it
// replays, or the engine.
func (f *runFlags) source() compare.Source {
	if f.replay != nil {
		return f.replay.StreamRange
	}
	return sim.StreamRange
}

// replayed is the scenarios recorded in the shards, in place of loading
// refs.
func (f *runFlags) replayed(refs []string) ([]*scenarios.Scenario, error) {
	var scs []*scenarios.Scenario
	if err := gob.NewDecoder(bytes.NewReader(f.replay.Manifest.Setup)).Decode(&scs); err != nil {
		return nil, fmt.Errorf("shard setup: %w", err)
	}
	if len(scs) != len(refs) {
		return nil, fmt.Errorf("shard setup: %d scenarios for the %d the command names", len(scs), len(refs))
	}
	return scs, nil
}

func newMergeCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "merge SHARD_DIR... --out DIR",
		Short: "Merge the shards of a run, comparison or experiment into its outputs",
		Long: `Merge the shards written by 'retsim run ... --shard I/N',
'retsim compare ... --shard I/N' or 'retsim experiment ... --shard I/N'
(one directory each, their --out) into --out, as the same command run in
one process would have written it.

Each shard holds the replications of a contiguous block of the run,
simulated from the seed and each replication's index alone (for an
experiment: the results of a contiguous block of design points, each with
all its replications), and a manifest
(shard.json: the command, the configurations' digest, the seed, the engine's
build, the shard's index and range, the data files' checksums). merge checks
the manifests, refusing in one line shards of different versions, commands,
seeds or configurations and reporting shards missing or given twice, then
runs the command with its replications read from the shards in order into
the same aggregation, charts and report: every file, files.json and
report.html included, is byte for byte that of the single-process run with
the same --out, whatever the number of shards. The command recorded in
files.json and report.html is the shards' without --shard, --shards and
--workers (which each task may set to its share of a node, and which
changes no number). merge needs the build of retsim that
wrote the shards; it reads no scenario file, no design file and no RETSIM_
variable, the manifest holding the scenarios (and an experiment's design)
as the shards resolved them.`,
		Example: `  for i in 0 1 2 3; do retsim compare taking giving --shard $i/4 --out shards/$i & done; wait
  retsim merge shards/* --out out`,
		Args: nArgs(1, -1, "shard directories"),
		RunE: func(cmd *cobra.Command, dirs []string) error {
			set, err := shard.Open(dirs, versionText())
			if err != nil {
				return usageError{err}
			}
			if c := set.Manifest.Command[0]; !slices.Contains(mergeable, c) {
				return usage("%s: shards of %q; merge reads shards of %s", dirs[0], c, strings.Join(mergeable, ", "))
			}
			root := newRoot()
			root.SetArgs(append(slices.Clone(set.Manifest.Command), "--out="+out))
			root.SetOut(cmd.OutOrStdout())
			root.SetErr(cmd.ErrOrStderr())
			return root.ExecuteContext(context.WithValue(cmd.Context(), replayKey{}, set))
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "out", "directory for the merged outputs (as for run, compare and experiment)")
	return cmd
}
