package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/retsim/retsim/fit"
	"github.com/retsim/retsim/output"
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

--train N fits on periods 0..N-1 only and marks the rest as holdout, to check
the projection against data the fit has not seen.`,
		Example: `  retsim fit retention.csv --train 8 --project 12
  retsim fit retention.csv --json > fit.json
  retsim fit retention.csv --emit-scenario fitted.yaml --base baseline --uncertain
  retsim compare baseline fitted.yaml`,
		Args: nArgs(1, 1, "data file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if perCohort && scenario != "" {
				return usage("--emit-scenario: needs a pooled fit, not --per-cohort")
			}
			// The file is read as a stream, never whole, and hashed on the way.
			fh, err := os.Open(args[0])
			if err != nil {
				return usage("%s: %v", args[0], err)
			}
			defer fh.Close()
			hash := sha256.New()
			data, err := fit.Read(args[0], io.TeeReader(fh, hash))
			if err != nil {
				return usageError{err}
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
			for _, r := range results {
				dir := out
				if perCohort {
					dir = filepath.Join(out, "cohort-"+r.Cohort)
				}
				paths, err := r.Plot(dir)
				if err != nil {
					return err
				}
				for _, p := range paths {
					fmt.Fprintln(cmd.ErrOrStderr(), "wrote", p)
				}
			}
			if scenario != "" {
				emit.DataSHA256 = hex.EncodeToString(hash.Sum(nil))
				if emit.DataDate == "" {
					if st, err := os.Stat(args[0]); err == nil {
						emit.DataDate = "file modified " + st.ModTime().UTC().Format("2006-01-02")
					}
				}
				file := output.File{Name: filepath.Base(scenario), Write: func(w io.Writer) error { return fit.EmitScenario(w, results[0], emit) }}
				if _, err := output.WriteAll(filepath.Dir(scenario), []output.File{file}); err != nil {
					return err
				}
				fmt.Fprintln(cmd.ErrOrStderr(), "wrote", scenario)
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.IntVar(&opt.Train, "train", 0, "fit on periods 0..N-1 only, holding out the rest (0: all periods)")
	fs.IntVar(&opt.Project, "project", 12, "periods to project beyond the data, with 90% intervals")
	fs.IntVar(&opt.Draws, "draws", 0, "parameter draws behind the projection intervals (0: 1000)")
	fs.Uint64Var(&opt.Seed, "seed", 1, "seed of the parameter draws")
	fs.BoolVar(&perCohort, "per-cohort", false, "fit each cohort separately instead of pooling them by age")
	fs.BoolVar(&asJSON, "json", false, "print the fit as JSON instead of a table")
	fs.StringVarP(&out, "out", "o", "out", "directory for the chart fit_survival.png/.svg")
	fs.StringVar(&scenario, "emit-scenario", "", "write a scenario file with the fitted churn to this path")
	fs.StringVar(&emit.Base, "base", fit.DefaultBase, "the scenario the emitted one extends")
	fs.StringVar(&emit.DataDate, "data-date", "", "the date the data describe, recorded in the emitted scenario (default: the file's modification date)")
	fs.BoolVar(&emit.Uncertain, "uncertain", false, "in the emitted scenario, draw (alpha, beta) per replication from the fit's sampling distribution")
	return cmd
}
