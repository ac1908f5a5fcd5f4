package main

import (
	"cmp"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

func newScenariosCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "scenarios",
		Short: "List the built-in scenarios",
		Long: `List the built-in scenarios, each with what it extends and what it shows.
Run one with 'retsim run NAME'; see every value of one, and where each value
came from, with 'retsim scenarios show NAME|FILE'.`,
		Args: nArgs(0, 0, "arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tEXTENDS\tDESCRIPTION")
			for _, s := range scenarios.List() {
				ext := s.Extends
				if ext == "" {
					ext = "-"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Name, ext, firstSentence(s.Description))
			}
			return tw.Flush()
		},
	}
	var f runFlags
	show := &cobra.Command{
		Use:   "show NAME|FILE",
		Short: "Show a scenario's fully resolved configuration and where each value came from",
		Long: `Show every parameter of a scenario after inheritance, environment, --set and
flags are applied, with the origin of each value (default, file, env, set,
flag), as 'git config --show-origin' does.`,
		Example: `  retsim scenarios show giving
  RETSIM_CHURN_ALPHA=0.9 retsim scenarios show my.yaml --set policy.giving=1`,
		Args: nArgs(1, 1, "scenario"),
		RunE: func(cmd *cobra.Command, args []string) error {
			scs, err := f.load(cmd, args)
			if err != nil {
				return err
			}
			sc := scs[0]
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "# %s\n", sc.Name)
			if sc.Description != "" {
				fmt.Fprintf(out, "# %s\n", sc.Description)
			}
			return sc.Show(out)
		},
	}
	show.Flags().Uint64Var(&f.seed, "seed", 0, "seed (as for run)")
	show.Flags().IntVarP(&f.replications, "replications", "r", 0, "replications (as for run)")
	show.Flags().StringArrayVar(&f.sets, "set", nil, "override a parameter, key=value (repeatable)")
	cmd.AddCommand(show)
	return cmd
}

// firstSentence is the description up to its first full stop, for one-line lists.
func firstSentence(s string) string {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '.' && (s[i+1] == ' ' || s[i+1] == '\n') {
			return s[:i+1]
		}
	}
	return s
}

func newValidateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check scenario files without running them",
		Long: `Check scenario files (or built-in names) without running them: syntax, unknown
keys, types, ranges and inheritance, with the RETSIM_ environment variables
applied as 'retsim run' would. Prints "ok" for each good file; the first
problem is reported as file: key: what is allowed, got what, with exit status 2.`,
		Args: nArgs(1, -1, "files"),
		RunE: func(cmd *cobra.Command, args []string) error {
			src := scenarios.Sources{Env: os.Environ()}
			for _, a := range args {
				if _, err := scenarios.LoadContext(cmd.Context(), a, src); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: ok\n", a)
			}
			return nil
		},
	}
}

func newParamsCmd() *cobra.Command {
	var markdown bool
	cmd := &cobra.Command{
		Use:   "params",
		Short: "List every parameter: key, type, unit, allowed range, default, source, meaning",
		Long: `List every parameter a scenario can set: its key, type, unit, allowed range,
default, the source of the default (a published figure or "assumption") and
what it means, then the keys of one customer segment (M13): a scenario file may declare
segments, a list (each with a name, share and churn: {alpha, beta}), and
targeting, a mapping of segment names to acquisition weights; see
docs/parameters.md. --markdown prints docs/parameters.md. A misspelt or
invalid RETSIM_ environment variable is refused, as by every command.`,
		Args: nArgs(0, 0, "arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if _, _, err := scenarios.FromEnv(os.Environ()); err != nil {
				return err
			}
			if markdown {
				_, err := fmt.Fprint(cmd.OutOrStdout(), scenarios.ParamsMarkdown())
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "KEY\tTYPE\tUNIT\tRANGE\tDEFAULT\tMEANING [SOURCE OF THE DEFAULT]")
			for _, p := range sim.Params {
				unit := p.Unit
				if unit == "" {
					unit = "-"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s [%s]\n", p.Key, p.Type(), unit, p.Range(),
					strconv.FormatFloat(p.Default, 'g', -1, 64), p.Doc, p.Source)
			}
			fmt.Fprintln(tw, "\nSEGMENT KEY\tTYPE\tUNIT\tRANGE\tDEFAULT\tMEANING")
			fmt.Fprintln(tw, "segments[].name\ttext\t-\t-\trequired\tName of the segment, as targeting and the outputs refer to it.")
			for _, p := range sim.SegmentParams {
				def := strconv.FormatFloat(p.Default, 'g', -1, 64)
				if math.IsNaN(p.Default) {
					def = "required"
				}
				fmt.Fprintf(tw, "segments[].%s\t%s\t%s\t%s\t%s\t%s\n", p.Key, p.Type(), cmp.Or(p.Unit, "-"), p.Range(), def, p.Doc)
			}
			fmt.Fprintln(tw, "targeting.NAME\tnumber\tweight\t>= 0\t1\tWeight of segment NAME in paid and discount acquisition: a new customer is of it with probability share x weight / sum of share x weight.")
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&markdown, "markdown", false, "print the Markdown table of docs/parameters.md")
	return cmd
}

// envSeed sets *seed from RETSIM_SEED unless --seed was given, after
// checking every RETSIM_ variable as the commands that simulate do.
func envSeed(cmd *cobra.Command, seed *uint64) error {
	cfg, keys, err := scenarios.FromEnv(os.Environ())
	if err != nil {
		return err
	}
	if slices.Contains(keys, "seed") && !cmd.Flags().Changed("seed") {
		*seed = cfg.Seed
	}
	return nil
}
