package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/retsim/retsim/compare"
	"github.com/retsim/retsim/internal/numfmt"
	"github.com/retsim/retsim/output"
	"github.com/retsim/retsim/plots"
	"github.com/retsim/retsim/report"
	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/shard"
	"github.com/retsim/retsim/sim"
)

// runFlags are the flags shared by the commands that simulate.
type runFlags struct {
	out          string
	seed         uint64
	replications int
	workers      int
	sets         []string
	precision    float64     // target 95% half-width; 0: run the configured replications
	maxReps      int         // cap on replications when growing to a precision
	outcome      string      // the outcome whose precision is targeted
	allowLarge   bool        // skip the resource guards
	dir          *output.Dir // --out, opened and locked by ready; nil before
	// after are simulations a command runs after its study (compare
	// --decompose's hybrids), groups as ready takes them, checked with it.
	after [][]sim.Config
	shard shardFlags // --shard and --shards, for the commands that have them
	// replay is the shards that the command reads instead of simulating,
	// when merge runs it; nil otherwise.
	replay *shard.Set
}

func (f *runFlags) register(fs *pflag.FlagSet) {
	fs.StringVarP(&f.out, "out", "o", "out", "directory for data files, charts and report.html, which appear there all at once; one run at a time")
	fs.Uint64Var(&f.seed, "seed", 0, "seed of every random stream (default: the scenario's seed)")
	fs.IntVarP(&f.replications, "replications", "r", 0, "simulated worlds per scenario (default: the scenario's)")
	fs.IntVarP(&f.workers, "workers", "w", 0, "goroutines to use; 0 means all cores (results do not depend on it)")
	fs.StringArrayVar(&f.sets, "set", nil, "override a parameter, key=value (repeatable), e.g. --set churn.alpha=0.9")
	fs.BoolVar(&f.allowLarge, "allow-large", false, "run even when the forecast exceeds the available memory or the work guard")
}

// registerPrecision adds --precision, --max-replications and --outcome.
func (f *runFlags) registerPrecision(fs *pflag.FlagSet, what string) {
	fs.Float64Var(&f.precision, "precision", 0, "add replications, doubling their count, until the 95% interval half-width of "+what+" of --outcome is at most this (in the outcome's unit); each replication runs once, and the outputs are those of a run of the final count; 0: off")
	fs.IntVar(&f.maxReps, "max-replications", 3200, "cap on replications for --precision")
	fs.StringVar(&f.outcome, "outcome", "cumulative_discounted_profit", "outcome for --precision: value, cumulative_discounted_profit, cumulative_profit, final_active, final_nps, clv_per_acquired, customer_equity, or total_<metric> / average_<metric>")
}

// checkFlags checks the flags that need no scenario (--workers, and where
// the command has them --outcome, --precision and --max-replications'
// range), before anything is loaded or created.
func (f *runFlags) checkFlags(cmd *cobra.Command) error {
	if f.workers < 0 {
		return usage("--workers: must be >= 0, got %d", f.workers)
	}
	f.replay = replaying(cmd)
	if err := f.shard.check(cmd); err != nil {
		return err
	}
	if cmd.Flags().Lookup("precision") == nil {
		return nil
	}
	if _, err := compare.OutcomeByName(f.outcome); err != nil {
		return usageError{fmt.Errorf("--outcome: %w", err)}
	}
	if f.precision < 0 || math.IsNaN(f.precision) || math.IsInf(f.precision, 0) {
		return usage("--precision: must be a finite number > 0, got %v", f.precision)
	}
	if p, _ := sim.Lookup("replications"); f.maxReps > int(p.Max) {
		return usage("--max-replications: must be at most %g, got %d", p.Max, f.maxReps)
	}
	return nil
}

// ready checks what a command will simulate, groups one after another, the
// configurations of a group in lockstep, against the resource guards (see
// guard), at the largest replications it may reach (--max-replications
// with --precision), then opens and locks --out (see openOut): the last
// checks before a run, after which --out is the first thing created. It
// returns the options to run with; the caller closes f.dir. With --shard,
// it guards the shard's share of the replications, then simulates it for
// every group, writes it into --out and returns errShardWritten (see
// writeShard).
func (f *runFlags) ready(cmd *cobra.Command, name string, groups [][]sim.Config, collected bool) (sim.Options, error) {
	if n := len(f.after); n > 0 {
		more := 0
		for _, g := range f.after {
			more += len(g)
		}
		name += fmt.Sprintf(", then %d more configurations", more)
		groups = append(slices.Clone(groups), f.after...)
	}
	if f.precision > 0 {
		start := groups[0][0].Replications
		if f.maxReps < start {
			return sim.Options{}, usage("--max-replications: must be >= the starting replications (%d), got %d", start, f.maxReps)
		}
		grown := make([][]sim.Config, len(groups))
		for i, g := range groups {
			grown[i] = slices.Clone(g)
			for j := range grown[i] {
				grown[i][j].Replications = f.maxReps
			}
		}
		groups = grown
	}
	guarded := groups
	if f.shard.spec != nil {
		guarded = f.shard.share(groups)
	}
	opt, err := f.guard(cmd.ErrOrStderr(), name, guarded, collected)
	if err != nil {
		return opt, err
	}
	if f.dir, err = openOut(f.out); err != nil || f.shard.spec == nil {
		return opt, err
	}
	return opt, f.writeShard(cmd, name, groups, opt)
}

// readyAdaptive is ready for an analysis that runs first, then at most
// upTo, as it decides (see guardAdaptive); it also returns the
// customer-months the analysis may use (0: no limit).
func (f *runFlags) readyAdaptive(cmd *cobra.Command, name string, first, upTo [][]sim.Config) (sim.Options, float64, error) {
	opt, budget, err := f.guardAdaptive(cmd.ErrOrStderr(), name, first, upTo)
	if err != nil {
		return opt, 0, err
	}
	f.dir, err = openOut(f.out)
	return opt, budget, err
}

// grow brings a run to its configured replications, start, with
// extend(start), or, with --precision, adds replications to it, doubling
// its count each time (extend(2 start), extend(4 start), ...), until the
// 95% interval half-width extend reports for the outcome is at most the
// target or --max-replications is reached, and says which on stderr.
// extend(reps) adds replications so that the run has reps, each simulated
// once. The flags have been checked (checkFlags, ready).
func (f *runFlags) grow(cmd *cobra.Command, start int, extend func(reps int) (halfWidth float64, err error)) error {
	if f.precision == 0 {
		_, err := extend(start)
		return err
	}
	p, err := compare.ToPrecision(cmd.Context(), start, f.maxReps, f.precision, func(_ context.Context, reps int) (float64, error) {
		return extend(reps)
	})
	if err != nil {
		return err
	}
	verdict := "reached"
	if !p.Reached {
		verdict = fmt.Sprintf("not reached: stopped at --max-replications %d", f.maxReps)
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "precision: 95%% half-width of %s %s with %d replications, each run once (target %s, %s)\n",
		f.outcome, numfmt.Number(p.HalfWidth, false), p.Replications, strconv.FormatFloat(p.Target, 'f', -1, 64), verdict)
	return nil
}

// target is --outcome, the outcome whose precision --precision targets.
func (f *runFlags) target() (compare.Outcome, error) {
	o, err := compare.OutcomeByName(f.outcome)
	if err != nil {
		return o, usageError{fmt.Errorf("--outcome: %w", err)}
	}
	return o, nil
}

// sources gathers the configuration layers above the scenario file: the
// environment, --set, and the flags the user gave explicitly.
func (f *runFlags) sources(cmd *cobra.Command) scenarios.Sources {
	src := scenarios.Sources{Env: os.Environ(), Sets: f.sets, Flags: map[string]string{}}
	if cmd.Flags().Changed("seed") {
		src.Flags["seed"] = strconv.FormatUint(f.seed, 10)
	}
	if cmd.Flags().Changed("replications") {
		src.Flags["replications"] = strconv.Itoa(f.replications)
	}
	return src
}

// closeOut releases --out if ready opened it; commands defer it before
// ready runs, so it reads f.dir when called.
func (f *runFlags) closeOut() { f.dir.Close() }

// openOut opens and locks the output directory out. Another run holding it
// is a runtime failure (exit status 1: try again later); any other problem
// is a usage error (exit status 2: choose another --out).
func openOut(out string) (*output.Dir, error) {
	d, err := output.Open(out)
	switch {
	case errors.Is(err, output.ErrLocked):
		return nil, fmt.Errorf("--out %s: %w", out, output.ErrLocked)
	case err != nil:
		return nil, usageError{fmt.Errorf("--out %s: %w", out, err)}
	}
	return d, nil
}

// publish makes files, with files.json listing them (output.IndexFile),
// the output set of --out in one step (see output.Dir.Publish): interrupted before the switch, --out keeps its
// previous set and the run exits with status 130; once switched, the run
// succeeds.
func (f *runFlags) publish(cmd *cobra.Command, files []output.File) error {
	_, err := f.dir.Publish(cmd.Context(), append(files, output.IndexFile(commandLine(cmd, cmd.Flags().Args()), files)))
	return err
}

// load resolves each scenario reference (built-in name or file), or, when
// merge runs the command, returns the scenarios the shards recorded.
func (f *runFlags) load(cmd *cobra.Command, refs []string) ([]*scenarios.Scenario, error) {
	if f.replay != nil {
		return f.replayed(refs)
	}
	src := f.sources(cmd)
	out := make([]*scenarios.Scenario, 0, len(refs))
	for _, ref := range refs {
		sc, err := scenarios.LoadContext(cmd.Context(), ref, src)
		if err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, f.shard.record(out)
}

// study runs the scenarios in lockstep as a compare.Study with their
// replications, or, with --precision, grown until half, the run's 95%
// half-width of --outcome, meets the target (see grow); each scenario's
// configuration then has the final replication count. It first checks the
// run (ready), named by the command and the scenarios.
func (f *runFlags) study(cmd *cobra.Command, scs []*scenarios.Scenario, half func(*compare.StudyRun) float64) (*compare.Study, error) {
	runs := make([]compare.Scenario, len(scs))
	names := make([]string, len(scs))
	for i, sc := range scs {
		runs[i], names[i] = compare.Scenario{Name: sc.Name, Config: sc.Config}, sc.Name
	}
	var cfgs []sim.Config
	for _, r := range compare.WithCentrals(runs) { // with any assumptions also at their central values
		cfgs = append(cfgs, r.Config)
	}
	name := strings.Join(names, ", ")
	opt, err := f.ready(cmd, cmd.Name()+" "+name, [][]sim.Config{cfgs}, true)
	if err != nil {
		return nil, err
	}
	o, err := f.target()
	if err != nil {
		return nil, err
	}
	run, err := compare.NewStudyRunFrom(f.source(), runs, o)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	err = f.grow(cmd, scs[0].Config.Replications, func(reps int) (float64, error) {
		prog := newProgress(cmd.ErrOrStderr(), name)
		opt := opt
		opt.Progress = prog.update
		err := run.Extend(cmd.Context(), reps, opt)
		prog.done()
		return half(run), err
	})
	if err != nil {
		return nil, err
	}
	st := run.Study()
	for _, sc := range scs {
		sc.Config.Replications = run.Replications()
	}
	if f.replay == nil { // a merge's speed would be its reading's, not the simulation's
		reportSpeed(cmd.ErrOrStderr(), name, st.CustomerMonths, time.Since(start))
	}
	return st, nil
}

// report writes every output of a run of the scenarios into --out in one
// atomic step (data files, charts, report.html), then prints the summary
// table and where the report is.
// reportPages are the scenarios' pages of report.html: each one's summary,
// description and the origin of every parameter.
func reportPages(scs []*scenarios.Scenario, sums []*sim.Summary) []report.Scenario {
	pages := make([]report.Scenario, len(scs))
	for i, sc := range scs {
		origins := make(map[string]string, len(sc.Origins))
		for k, o := range sc.Origins {
			origins[k] = o.String()
		}
		pages[i] = report.Scenario{Summary: sums[i], Description: sc.Description, Origins: origins}
	}
	return pages
}

func (f *runFlags) report(cmd *cobra.Command, scs []*scenarios.Scenario, sums []*sim.Summary, opt report.Options, extra ...output.File) error {
	charts, err := plots.Files(sums)
	if err != nil {
		return err
	}
	pages := reportPages(scs, sums)
	html := output.File{Name: "report.html", Write: func(w io.Writer) error { return report.HTML(w, pages, opt) }}
	for _, fig := range opt.Figures {
		charts = append(charts, fig.Files(plots.PNG, plots.SVG)...)
	}
	files := append(append(append(output.DataFiles(sums), extra...), charts...), html)
	if err := f.publish(cmd, files); err != nil {
		return err
	}
	reportPeak(cmd.ErrOrStderr())
	out := cmd.OutOrStdout()
	if err := report.Table(out, sums); err != nil {
		return err
	}
	for _, n := range opt.Notes {
		fmt.Fprintf(out, "\n%s\n%s", n.Title, n.Text)
	}
	fmt.Fprintf(out, "\nwrote %d files into %s, listed in %s; open the report:\n%s\n", len(files), f.out, output.IndexName, filepath.Join(f.out, "report.html"))
	return nil
}

func newRunCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run NAME|FILE",
		Short: "Simulate one scenario: data files, charts and report.html",
		Long: `Simulate one scenario, a built-in name (see 'retsim scenarios') or a scenario
file, and write into --out:

  metrics.csv   per period and metric: mean, sd, p05, p50, p95 across replications
  cohorts.csv   survival and lifetime value by cohort (yearly up to 10 years), channel and age
  summary.json  manifest (engine, seed, replications, config SHA-256) and horizon totals,
                by segment too (lifetime value per acquired customer, CAC payback)
  segments.csv  when the scenario declares segments: active, acquired, churned,
                revenue, margin and acquisition cost per segment and period
  *.png, *.svg  charts: active customers, churn, advocacy, money, lifetime value, costs
  report.html   everything above in one self-contained page, with every parameter

The files appear in --out all at once: each is a link into
--out/.retsim/current, a generation switched by one rename, so a reader or a
crash sees the previous outputs or the new ones, never a mix. The new
outputs replace the previous ones whole: what an earlier command wrote into
--out and this one does not (comparison.csv after a compare, say) is
removed, and files.json lists exactly the outputs there. Files retsim did
not write stay untouched; a second run into the same --out while one is
writing is refused (exit status 1). Text cells of the CSV files that start
with =, +, - or @ get a leading ' so spreadsheets do not run them.

Stocks (active, survival) are counted at the start of each period, flows
(acquired, churned, money) over the period; churn happens at its end.

Replications are aggregated as they finish and then dropped, so memory stops
growing with --replications past 200: means and sds are exact, quantiles
exact up to 200 replications and from a t-digest beyond.

Before it creates anything, a run forecasts its customer-months and memory
(referral growth included) and is refused, with exit status 2 and one line
naming the parameters responsible, when it would need more than 20 billion
customer-months or more memory than is left to the process (--allow-large
overrides); an accepted run prints the forecast, and fails with status 1
rather than exhausting memory if it outgrows it.
On a terminal, a run longer than two seconds shows a progress bar with its
rate and time left; every run prints its customer-months and speed, and once the outputs are
written its peak memory, on standard error.`,
		Example: `  retsim run neutral --set churn.alpha=0.7 --set churn.beta=1.2
  retsim run my-firm.yaml --seed 7 --replications 500 --out out/my-firm`,
		Args: nArgs(1, 1, "scenario"),
		RunE: shardable(func(cmd *cobra.Command, args []string) error {
			if err := f.checkFlags(cmd); err != nil {
				return err
			}
			scs, err := f.load(cmd, args)
			if err != nil {
				return err
			}
			defer f.closeOut()
			st, err := f.study(cmd, scs, (*compare.StudyRun).MeanHalfWidth)
			if err != nil {
				return err
			}
			opt := report.Options{Command: commandLine(cmd, args), Verdicts: []string{report.RunVerdict(st.Summaries[0])}}
			files, err := addAssumptions(st.Assumptions, &opt)
			if err != nil {
				return err
			}
			return f.report(cmd, scs, st.Summaries, opt, files...)
		}),
	}
	f.register(cmd.Flags())
	f.registerPrecision(cmd.Flags(), "the mean")
	f.shard.register(cmd.Flags())
	return cmd
}

// nArgs accepts from least to most positional arguments (most < 0: no
// upper limit), naming what they are in its usage error.
func nArgs(least, most int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch n := len(args); {
		case most < 0 && n < least:
			return usage("%s: takes at least %d %s, got %d (see --help)", commandName(cmd), least, what, n)
		case most >= 0 && (n < least || n > most):
			return usage("%s: takes %d %s, got %d (see --help)", commandName(cmd), least, what, n)
		}
		return nil
	}
}

// progress draws a progress line on stderr when stderr is a terminal and the
// run has lasted more than two seconds.
type progress struct {
	w     io.Writer
	name  string
	unit  string // what it counts: "replications" unless set
	start time.Time
	tty   bool
	shown bool
}

func newProgress(w io.Writer, name string) *progress {
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return &progress{w: w, name: name, unit: "replications", start: time.Now(), tty: tty}
}

func (p *progress) update(done, total int) {
	elapsed := time.Since(p.start)
	if !p.tty || elapsed < 2*time.Second {
		return
	}
	left := time.Duration(float64(elapsed) / float64(done) * float64(total-done))
	const width = 30
	bar := int(width * done / total)
	fmt.Fprintf(p.w, "\r%s [%-*s] %d/%d %s, %.1f/s, %s left ", p.name, width,
		strings.Repeat("=", bar), done, total, p.unit, float64(done)/elapsed.Seconds(), left.Round(time.Second))
	p.shown = true
}

// done ends the progress line, if one is shown, so that other lines can
// follow; a later update starts a new one.
func (p *progress) done() {
	if p.shown {
		fmt.Fprintln(p.w)
		p.shown = false
	}
}
