package main

import (
	"errors"
	"runtime"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/retsim/retsim/sim"
)

// versionText is what --version prints and report.html's manifest
// records: the engine version and the Go release that built retsim.
func versionText() string {
	return "retsim " + sim.Version + " (built with " + runtime.Version() + ", " + runtime.GOOS + "/" + runtime.GOARCH + ")"
}

// finishRoot gives the root command --version and makes an unknown command
// a usage error (exit status 2), with cobra's suggestions, like every other
// mistake on the command line. Without arguments the root prints its help.
func finishRoot(root *cobra.Command) {
	root.Version = versionText()
	root.SuggestionsMinimumDistance = 2
	root.SetVersionTemplate("{{.Version}}\n")
	root.Args = noUnknownCommand
	root.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
}

// noUnknownCommand refuses any argument of a command that only groups
// subcommands, as an unknown command (a usage error), with cobra's
// suggestions.
func noUnknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	see := "'retsim --help'"
	if cmd.HasParent() {
		see = "'" + cmd.CommandPath() + " --help'"
	}
	msg := "unknown command " + `"` + args[0] + `"` + " (see " + see + ")"
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return usage("%s", msg)
}

// strictHelp makes cobra's help and completion commands, added to root
// now rather than when it runs, treat an unknown topic or shell as every
// other mistake on the command line: a usage error, exit status 2.
func strictHelp(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		switch c.Name() {
		case "help":
			c.Run = nil
			c.RunE = func(c *cobra.Command, args []string) error {
				target, rest, err := c.Root().Find(args)
				if err != nil || len(rest) > 0 {
					return usage("help: unknown help topic %q (see 'retsim --help')", strings.Join(args, " "))
				}
				return target.Help()
			}
		case "completion":
			c.Args = noUnknownCommand
			c.RunE = func(c *cobra.Command, _ []string) error { return c.Help() } // runnable, so that its arguments are checked
		}
	}
}

// commandName is cmd's path without the program's name, e.g. "run" or
// "scenarios show", for messages that retsim already prefixes with
// "retsim: ".
func commandName(cmd *cobra.Command) string {
	return strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
}

// flagError is a usage error for a flag that could not be parsed, saying
// in words what the flag takes rather than quoting the Go parser
// ("--replications: "many" is not a whole number").
func flagError(_ *cobra.Command, err error) error {
	var bad *pflag.InvalidValueError
	if !errors.As(err, &bad) {
		return usageError{err}
	}
	want := map[string]string{"int": "a whole number", "uint64": "a whole number >= 0", "float64": "a number", "bool": "true or false"}[bad.GetFlag().Value.Type()]
	if want == "" {
		return usageError{err}
	}
	return usage("--%s: %q is not %s", bad.GetFlag().Name, bad.GetValue(), want)
}
