package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/retsim/retsim/fit"
	"github.com/retsim/retsim/output"
	"github.com/retsim/retsim/scenarios"
)

func newFitCmd() *cobra.Command {
	var (
		opt       fit.Options
		emit      fit.Emit
		perCohort bool
		asJSON    bool
		out       string
		scenario  string
	)
	cmd := &cobra.Command{
		Use:   "fit FILE",
		Short: "Fit shifted-beta-geometric churn to observed retention, then simulate on it",
		Long: `Fit the shifted-beta-geometric churn model (Fader & Hardie 2007) to your own
retention data by maximum likelihood, report alpha and beta with standard
errors, observed versus fitted survival and retention per period, and a
projection with intervals; draw the fit into --out; and, with
--emit-scenario, write a scenario that extends a base with the fitted churn,
ready for 'retsim run' or 'retsim compare'.

FILE is a CSV in one of two layouts:
  period,alive[,cohort]        customers still active at the start of each period, period 0 first
  duration,censored[,cohort]   one row per customer: whole periods completed, and 1 if still active

The time column may be named year, quarter or month instead of period, to say
how far apart the rows are. Data observed less often than the --base
scenario's period (yearly counts for a monthly scenario) are fitted with
--every K, K periods of the scenario between two rows (12 for yearly rows and
months): survival is then known only every K periods, the per-period model is
fitted to those interval-censored observations, and alpha and beta describe
churn per period of the scenario. Rows named in a unit that is not the
scenario's period are an error unless --every says how many periods apart
they are.

--train N fits on rows 0..N-1 only and marks the rest as holdout, to check
the projection against data the fit has not seen.

Writes fit_survival.png/.svg, report.html (the fitted alpha and beta with
95% confidence intervals and the churn they imply first) and files.json into
--out.`,
		Example: `  retsim fit retention.csv --train 8 --project 12
  retsim fit examples/fader-hardie-2007-regular.csv --every 12 --emit-scenario regular.yaml
  retsim fit retention.csv --json > fit.json
  retsim fit retention.csv --emit-scenario fitted.yaml --base baseline --uncertain
  retsim compare baseline fitted.yaml`,
		Args: nArgs(1, 1, "data file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if perCohort && scenario != "" {
				return usage("--emit-scenario: needs a pooled fit, not --per-cohort")
			}
			if scenario != "" {
				if ext := strings.ToLower(filepath.Ext(scenario)); ext != ".yaml" && ext != ".yml" {
					return usage("--emit-scenario %s: must end in .yaml or .yml (the scenario is written in YAML)", scenario)
				}
				if err := output.CheckTarget(scenario); err != nil {
					return usage("--emit-scenario %v", err)
				}
			}
			if err := envSeed(cmd, &opt.Seed); err != nil {
				return err
			}
			data, raw, err := fit.ReadFile(cmd.Context(), args[0])
			if err != nil {
				return usageError{err}
			}
			base, err := scenarios.LoadContext(cmd.Context(), emit.Base, scenarios.Sources{Env: os.Environ()})
			if err != nil {
				return usageError{fmt.Errorf("--base: %w", err)}
			}
			horizon := base.Config.Horizon
			if opt.Every, err = spacing(data, opt.Every, cmd.Flags().Changed("every"), emit.Base, horizon); err != nil {
				return err
			}
			var results []*fit.Result
			if perCohort {
				results, err = fit.FitCohorts(data, opt)
			} else {
				var r *fit.Result
				r, err = fit.Fit(data, opt)
				results = []*fit.Result{r}
			}
			if err != nil {
				return usageError{err}
			}
			stdout := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				var doc any = results[0]
				if perCohort {
					doc = results
				}
				if err := enc.Encode(doc); err != nil {
					return err
				}
			} else {
				for _, r := range results {
					if err := r.WriteText(stdout); err != nil {
						return err
					}
				}
			}
			files, err := fitCharts(results, perCohort)
			if err != nil {
				return err
			}
			page, err := fitReport(results, fitFacts{data: args[0], raw: raw, base: emit.Base, horizon: horizon, command: commandLine(cmd, args)})
			if err != nil {
				return err
			}
			files = append(files, page)
			files = append(files, output.IndexFile(commandLine(cmd, args), files))
			var pending *output.Pending
			if scenario != "" {
				if pending, err = stageScenario(scenario, args[0], raw, results[0], emit); err != nil {
					return err
				}
				defer pending.Discard()
			}
			dir, err := openOut(out)
			if err != nil {
				return err
			}
			defer dir.Close()
			paths, err := dir.Publish(cmd.Context(), files)
			if err != nil {
				return err
			}
			for _, p := range paths {
				fmt.Fprintln(cmd.ErrOrStderr(), "wrote", p)
			}
			if pending != nil {
				if err := pending.Commit(); err != nil {
					return err
				}
				fmt.Fprintln(cmd.ErrOrStderr(), "wrote", scenario)
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.IntVar(&opt.Train, "train", 0, "fit on rows 0..N-1 only, holding out the rest (0: all rows)")
	fs.IntVar(&opt.Project, "project", 12, "rows to project beyond the data, with 90% intervals")
	fs.IntVar(&opt.Every, "every", 1, "periods of the --base scenario between two rows of the data (12: yearly rows, monthly scenario)")
	fs.IntVar(&opt.Draws, "draws", 0, "parameter draws behind the projection intervals (0: 1000)")
	fs.Uint64Var(&opt.Seed, "seed", 1, "seed of the parameter draws (default: RETSIM_SEED if set)")
	fs.BoolVar(&perCohort, "per-cohort", false, "fit each cohort separately instead of pooling them by age")
	fs.BoolVar(&asJSON, "json", false, "print the fit as JSON instead of a table")
	fs.StringVarP(&out, "out", "o", "out", "directory for the chart fit_survival.png/.svg (with --per-cohort, cohort-NAME/fit_survival.png/.svg), report.html and files.json")
	fs.StringVar(&scenario, "emit-scenario", "", "write a scenario file with the fitted churn to this path (.yaml or .yml; replaces only a regular file)")
	fs.StringVar(&emit.Base, "base", fit.DefaultBase, "the scenario the emitted one extends")
	fs.StringVar(&emit.DataDate, "data-date", "", "the date the data describe, recorded in the emitted scenario (default: the file's modification date)")
	fs.BoolVar(&emit.Uncertain, "uncertain", false, "in the emitted scenario, draw (alpha, beta) per replication from the fit's sampling distribution")
	return cmd
}

// fitCharts are the charts of the fits: fit_survival.png and .svg, or with
// perCohort, cohort-NAME/fit_survival.png and .svg for each cohort, where
// NAME is the cohort's label made a safe file name by output.SafeName.
func fitCharts(results []*fit.Result, perCohort bool) ([]output.File, error) {
	var files []output.File
	for _, r := range results {
		charts, err := r.Charts()
		if err != nil {
			return nil, err
		}
		if perCohort {
			for i := range charts {
				charts[i].Name = "cohort-" + output.SafeName(r.Cohort) + "/" + charts[i].Name
			}
		}
		files = append(files, charts...)
	}
	return files, nil
}

// stageScenario writes the scenario with the fitted churn beside path and
// loads it back through the scenarios package, so that a scenario that
// would not load (an unknown --base, say) is refused before anything is
// written. dataPath and raw are the data file's path and content, recorded
// in the scenario.
func stageScenario(path, dataPath string, raw []byte, res *fit.Result, emit fit.Emit) (*output.Pending, error) {
	sum := sha256.Sum256(raw)
	emit.DataSHA256 = hex.EncodeToString(sum[:])
	if emit.DataDate == "" {
		if st, err := os.Stat(dataPath); err == nil {
			emit.DataDate = "file modified " + st.ModTime().UTC().Format("2006-01-02")
		}
	}
	p, err := output.Stage(path, func(w io.Writer) error { return fit.EmitScenario(w, res, emit) })
	if err != nil {
		return nil, fmt.Errorf("--emit-scenario %w", err)
	}
	if err := scenarios.Validate(p.TempPath()); err != nil {
		p.Discard()
		msg := strings.ReplaceAll(err.Error(), p.TempPath(), path)
		return nil, usage("--emit-scenario %s: the scenario would not load, so it is not written: %s", path, msg)
	}
	return p, nil
}
