// Command retsim simulates customers under a firm's retention policy, many
// times over, and reports churn, advocacy and lifetime profit with
// uncertainty bands. Run `retsim --help` for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

// Exit statuses.
const (
	exitOK          = 0
	exitFailure     = 1   // the run itself failed
	exitUsage       = 2   // bad flags, arguments or configuration, or a resource guard's refusal: nothing was created
	exitInternal    = 3   // a defect in retsim (a panic), not in its input
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
	// The garbage collector works harder as the heap nears the memory left
	// to the process, rather than overshooting the guards' forecast.
	if limit, ok := memoryLimit(); ok {
		debug.SetMemoryLimit(int64(min(limit, math.MaxInt64/2)))
	}
	code := execute(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// execute runs the command line args and returns the exit status (see
// exitStatus). Errors are printed as one line on stderr, a panic in this
// goroutine as "retsim: internal error: ..." with status exitInternal (the
// engine's workers turn theirs into a *sim.InternalError).
func execute(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if v := recover(); v != nil {
			fmt.Fprintln(stderr, "retsim: "+oneLine(fmt.Sprintf("internal error: %v", v)))
			code = exitInternal
		}
	}()
	root := newRoot()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var tm *sim.TooManyCustomersError
	if errors.As(err, &tm) {
		err = fmt.Errorf("%w: the run outgrew its forecast; lower what adds customers (population.initial, market.paid_per_period, advocacy.referral_rate), or pass --allow-large", err)
	}
	fmt.Fprintln(stderr, "retsim: "+oneLine(err.Error()))
	return exitStatus(ctx, err)
}

// exitStatus is the exit status of a command that failed with err, ctx
// being its context: exitInternal for a defect, exitInterrupted when
// stopped, exitUsage for what the user asked (flags, arguments,
// configuration, the resource guards' refusals), else exitFailure.
func exitStatus(ctx context.Context, err error) int {
	var ie *sim.InternalError
	var ue usageError
	var se *scenarios.Error
	switch {
	case errors.As(err, &ie):
		return exitInternal
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.As(err, &ue), errors.As(err, &se):
		return exitUsage
	}
	return exitFailure
}

// oneLine is s with its lines trimmed and joined by "; ", empty ones left
// out.
func oneLine(s string) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "; ")
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

Wherever a scenario is named, it may carry changes of its own:
NAME_OR_FILE+key=value[+key=value...], as in 'baseline+policy.giving=1'. A
change is checked as --set is, applies to that scenario only, beats --set and
the environment, and stays in the scenario's name in every output.

Every parameter can be set in the scenario file, with an environment variable
(RETSIM_CHURN_ALPHA=0.9) or on the command line (--set churn.alpha=0.9); flags
beat a scenario's own changes (above), which beat --set, which beats the
environment, which beats the file, its parents and the built-in defaults.
'retsim params' lists every parameter with its unit, range, default and
source.

'retsim --version' prints the engine version and the Go release that built it.

Exit status:
  0    success
  1    the run failed (e.g. a result that is not a finite number, or a
       replication outgrowing the memory left to it); no output is written
  2    bad usage: unknown command or flag, bad argument, scenario or
       parameter, or a refusal by the resource guards; nothing is created
  3    internal error: a defect in retsim, not in its input
  130  interrupted (SIGINT or SIGTERM)

Resource guards: before it creates anything, a command that simulates
forecasts its customer-months and peak memory and refuses, naming the
parameter responsible, a run above 20 billion customer-months or above the
memory left to the process (available memory, ulimit -v, cgroup limit);
--allow-large overrides. Every money, count and size parameter has a finite
upper bound ('retsim params').`,
		Example: `  retsim scenarios                                   # the built-in scenarios
  retsim run giving --out out/giving
  retsim run baseline --set policy.human_share=0.8 --replications 200
  retsim compare taking giving --out out             # paired differences, crossover
  retsim compare baseline baseline+policy.giving=1   # one scenario against itself with one change
  retsim sweep baseline --param policy.giving=0:1:5
  retsim fit retention.csv --emit-scenario fitted.yaml
  retsim scenarios show my-scenario.yaml             # every value and where it came from`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(flagError)
	finishRoot(root)
	root.AddCommand(newRunCmd(), newCompareCmd(), newScenariosCmd(), newValidateCmd(), newParamsCmd(), newFitCmd(), newSweepCmd(), newSensitivityCmd(), newExperimentCmd(), newServeCmd())
	completions(root)
	strictHelp(root)
	return root
}
