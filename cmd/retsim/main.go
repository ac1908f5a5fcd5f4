// Command retsim simulates customers under a firm's retention policy, many
// times over, and reports churn, advocacy and lifetime profit with
// uncertainty bands. Run `retsim --help` for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/retsim/retsim/scenarios"
)

// Exit statuses.
const (
	exitOK          = 0
	exitFailure     = 1   // the run itself failed
	exitUsage       = 2   // bad flags, arguments or configuration: nothing was written
	exitInterrupted = 130 // stopped by SIGINT or SIGTERM
)

// usageError marks an error in what the user asked for (flags, arguments,
// configuration), as opposed to a failure while running.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usage(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := execute(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// execute runs the command line args and returns the exit status. Errors
// are printed as one line on stderr.
func execute(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "retsim: "+strings.TrimSpace(err.Error()))
	var ue usageError
	var se *scenarios.Error
	switch {
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.As(err, &ue), errors.As(err, &se):
		return exitUsage
	}
	return exitFailure
}

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "retsim",
		Short: "Monte Carlo engine for retention economics",
		Long: `retsim simulates customers one by one, in cohorts, under a firm's policy, many
times over, and reports churn, advocacy (NPS, referrals) and lifetime profit over
time with uncertainty bands, so that policies can be compared honestly.

A scenario is a point on three policy dials (taking vs giving, discounts vs
generosity, self-service vs human contact) plus the market and economics around
it. Built-in scenarios are listed by 'retsim scenarios'; your own is a YAML, TOML
or JSON file that may extend one ('extends: baseline').

Every parameter can be set in the scenario file, with an environment variable
(RETSIM_CHURN_ALPHA=0.9) or on the command line (--set churn.alpha=0.9); flags
beat --set, which beats the environment, which beats the file, its parents and
the built-in defaults. 'retsim params' lists every parameter with its unit,
range, default and source.

'retsim --version' prints the engine version and the Go release that built it.

Exit status: 0 success, 1 the run failed, 2 bad usage or configuration
(nothing is written), 130 interrupted.`,
		Example: `  retsim scenarios                                   # the built-in scenarios
  retsim run giving --out out/giving
  retsim run baseline --set policy.human_share=0.8 --replications 200
  retsim compare taking giving --out out             # paired differences, crossover
  retsim sweep baseline --param policy.giving=0:1:5
  retsim fit retention.csv --emit-scenario fitted.yaml
  retsim scenarios show my-scenario.yaml             # every value and where it came from`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	finishRoot(root)
	root.AddCommand(newRunCmd(), newCompareCmd(), newScenariosCmd(), newValidateCmd(), newParamsCmd(), newFitCmd(), newSweepCmd(), newSensitivityCmd())
	return root
}
