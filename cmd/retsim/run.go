package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/retsim/retsim/output"
	"github.com/retsim/retsim/plots"
	"github.com/retsim/retsim/report"
	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

// runFlags are the flags shared by the commands that simulate.
type runFlags struct {
	out          string
	seed         uint64
	replications int
	workers      int
	sets         []string
}

func (f *runFlags) register(fs *pflag.FlagSet) {
	fs.StringVarP(&f.out, "out", "o", "out", "directory for data files, charts and report.html")
	fs.Uint64Var(&f.seed, "seed", 0, "seed of every random stream (default: the scenario's seed)")
	fs.IntVarP(&f.replications, "replications", "r", 0, "simulated worlds per scenario (default: the scenario's)")
	fs.IntVarP(&f.workers, "workers", "w", 0, "goroutines to use; 0 means all cores (results do not depend on it)")
	fs.StringArrayVar(&f.sets, "set", nil, "override a parameter, key=value (repeatable), e.g. --set churn.alpha=0.9")
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

// load resolves each scenario reference (built-in name or file).
func (f *runFlags) load(cmd *cobra.Command, refs []string) ([]*scenarios.Scenario, error) {
	if f.workers < 0 {
		return nil, usage("--workers: must be >= 0, got %d", f.workers)
	}
	src := f.sources(cmd)
	out := make([]*scenarios.Scenario, 0, len(refs))
	for _, ref := range refs {
		sc, err := scenarios.Load(ref, src)
		if err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, nil
}

// simulate runs every scenario with progress on stderr and summarises each.
func (f *runFlags) simulate(cmd *cobra.Command, scs []*scenarios.Scenario) ([]*sim.Summary, error) {
	sums := make([]*sim.Summary, 0, len(scs))
	for _, sc := range scs {
		c := sc.Config
		fmt.Fprintf(cmd.ErrOrStderr(), "%s: %d replications x %d customers at start x %d periods\n",
			sc.Name, c.Replications, c.Population.Initial, c.Horizon.Periods)
		prog := newProgress(cmd.ErrOrStderr(), sc.Name)
		res, err := sim.Run(cmd.Context(), sc.Name, c, sim.Options{Workers: f.workers, Progress: prog.update})
		prog.done()
		if err != nil {
			return nil, err
		}
		sums = append(sums, sim.Summarize(res))
	}
	return sums, nil
}

// report writes every output of a run of the scenarios into --out in one
// atomic step (data files, charts, report.html), then prints the summary
// table and where the report is.
func (f *runFlags) report(cmd *cobra.Command, scs []*scenarios.Scenario, sums []*sim.Summary, extra ...output.File) error {
	charts, err := plots.Files(sums)
	if err != nil {
		return err
	}
	pages := make([]report.Scenario, len(scs))
	for i, sc := range scs {
		origins := make(map[string]string, len(sc.Origins))
		for k, o := range sc.Origins {
			origins[k] = o.String()
		}
		pages[i] = report.Scenario{Summary: sums[i], Description: sc.Description, Origins: origins}
	}
	html := output.File{Name: "report.html", Write: func(w io.Writer) error { return report.HTML(w, pages, report.Options{}) }}
	files := append(append(append(output.DataFiles(sums), extra...), charts...), html)
	if _, err := output.WriteAll(f.out, files); err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	if err := report.Table(out, sums); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nwrote %d files into %s; open the report:\n%s\n", len(files), f.out, filepath.Join(f.out, "report.html"))
	return nil
}

func newRunCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run NAME|FILE",
		Short: "Simulate one scenario and write its data files",
		Long: `Simulate one scenario, a built-in name (see 'retsim scenarios') or a scenario
file, and write into --out:

  metrics.csv   per period and metric: mean, sd, p05, p50, p95 across replications
  cohorts.csv   survival and lifetime value by yearly cohort, channel and age
  summary.json  manifest (engine, seed, replications, config SHA-256) and horizon totals
  *.png, *.svg  charts: active customers, churn, advocacy, money, lifetime value, costs
  report.html   everything above in one self-contained page, with every parameter

Stocks (active, survival) are counted at the start of each period, flows
(acquired, churned, money) over the period; churn happens at its end.`,
		Example: `  retsim run neutral --set churn.alpha=0.7 --set churn.beta=1.2
  retsim run my-firm.yaml --seed 7 --replications 500 --out out/my-firm`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			scs, err := f.load(cmd, args)
			if err != nil {
				return err
			}
			sums, err := f.simulate(cmd, scs)
			if err != nil {
				return err
			}
			return f.report(cmd, scs, sums)
		},
	}
	f.register(cmd.Flags())
	return cmd
}

// exactArgs is cobra.ExactArgs with a usage error.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usage("%s: takes %d argument(s), got %d (see --help)", cmd.CommandPath(), n, len(args))
		}
		return nil
	}
}

// progress draws a progress line on stderr when stderr is a terminal and the
// run has lasted more than two seconds.
type progress struct {
	w     io.Writer
	name  string
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
	return &progress{w: w, name: name, start: time.Now(), tty: tty}
}

func (p *progress) update(done, total int) {
	elapsed := time.Since(p.start)
	if !p.tty || elapsed < 2*time.Second {
		return
	}
	left := time.Duration(float64(elapsed) / float64(done) * float64(total-done))
	const width = 30
	bar := int(width * done / total)
	fmt.Fprintf(p.w, "\r%s [%-*s] %d/%d replications, %.1f/s, %s left ", p.name, width,
		strings.Repeat("=", bar), done, total, float64(done)/elapsed.Seconds(), left.Round(time.Second))
	p.shown = true
}

func (p *progress) done() {
	if p.shown {
		fmt.Fprintln(p.w)
	}
}
