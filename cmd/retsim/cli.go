package main

import (
	"runtime"
	"strings"

	"github.com/spf13/cobra"

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
	root.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		msg := "unknown command " + `"` + args[0] + `"` + " (see 'retsim --help')"
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			msg += "; did you mean " + strings.Join(s, " or ") + "?"
		}
		return usage("%s", msg)
	}
	root.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
}

// commandName is cmd's path without the program's name, e.g. "run" or
// "scenarios show", for messages that retsim already prefixes with
// "retsim: ".
func commandName(cmd *cobra.Command) string {
	return strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
}
