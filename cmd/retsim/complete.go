package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/retsim/retsim/compare"
	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

// scenarioExts are the extensions of the scenario files retsim reads.
var scenarioExts = []string{".yaml", ".yml", ".toml", ".json"}

// completeScenario completes a scenario reference: the built-in names,
// directories and scenario files (*.yaml, *.yml, *.toml, *.json) under the
// path typed so far, and after a '+' the key of a change
// (NAME+key=value).
func completeScenario(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if i := strings.LastIndex(toComplete, scenarios.ChangeSep); i >= 0 && !strings.Contains(toComplete[i:], "=") {
		return withPrefix(toComplete[:i+1], paramKeys(toComplete[i+1:], "=")), cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, info := range scenarios.List() {
		if strings.HasPrefix(info.Name, toComplete) {
			out = append(out, info.Name)
		}
	}
	dir, base := filepath.Split(toComplete)
	entries, _ := os.ReadDir(cmpDir(dir)) // an unreadable directory completes nothing
	directive := cobra.ShellCompDirectiveNoFileComp
	for _, e := range entries {
		name := e.Name()
		switch {
		case !strings.HasPrefix(name, base) || (strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".")):
		case e.IsDir():
			out = append(out, dir+name+string(filepath.Separator))
			directive |= cobra.ShellCompDirectiveNoSpace // go on into the directory
		case slices.Contains(scenarioExts, strings.ToLower(filepath.Ext(name))):
			out = append(out, dir+name)
		}
	}
	return out, directive
}

// cmpDir is the directory to list for a path typed so far whose
// directory part is dir.
func cmpDir(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

// paramKeys are the parameter keys starting with prefix, each followed by
// suffix.
func paramKeys(prefix, suffix string) []cobra.Completion {
	var out []cobra.Completion
	for _, p := range sim.Params {
		if strings.HasPrefix(p.Key, prefix) {
			out = append(out, p.Key+suffix)
		}
	}
	return out
}

// withPrefix is each completion with prefix before it.
func withPrefix(prefix string, cs []cobra.Completion) []cobra.Completion {
	for i := range cs {
		cs[i] = prefix + cs[i]
	}
	return cs
}

// completeKeyValue completes a key=value flag (--set, --param): the key,
// followed by '=' and no space.
func completeKeyValue(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if strings.Contains(toComplete, "=") {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return paramKeys(toComplete, "="), cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
}

// completeKeyList completes a comma-separated list of keys (--params,
// --flip): the key after the last comma.
func completeKeyList(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	i := strings.LastIndex(toComplete, ",") + 1
	return withPrefix(toComplete[:i], paramKeys(toComplete[i:], "")), cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
}

// completeOutcome completes an outcome name (--outcome).
func completeOutcome(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var out []cobra.Completion
	for _, n := range compare.OutcomeNames() {
		if strings.HasPrefix(n, toComplete) {
			out = append(out, n)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// scenarioArgs completes a command's scenario arguments: at most most of
// them (most < 0: any number).
func scenarioArgs(most int) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if most >= 0 && len(args) >= most {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return completeScenario(cmd, args, toComplete)
	}
}

// scenarioCommands are the commands whose arguments are scenarios, by path
// below the root, with how many they take (-1: any number).
var scenarioCommands = map[string]int{"run": 1, "compare": -1, "sweep": 1, "sensitivity": 1, "scenarios show": 1, "validate": -1}

// completions gives every command below root the completion of its
// scenario arguments (see scenarioCommands) and of its flags that name
// parameters, outcomes or scenarios.
func completions(root *cobra.Command) {
	var walk func(*cobra.Command)
	walk = func(cmd *cobra.Command) {
		if most, ok := scenarioCommands[commandName(cmd)]; ok {
			cmd.ValidArgsFunction = scenarioArgs(most)
		}
		registerCompletions(cmd)
		for _, c := range cmd.Commands() {
			walk(c)
		}
	}
	walk(root)
}

// registerCompletions gives cmd's flags that name parameters, outcomes or
// scenarios their completions, for those of them that cmd has.
func registerCompletions(cmd *cobra.Command) {
	for name, f := range map[string]cobra.CompletionFunc{
		"set":     completeKeyValue,
		"param":   completeKeyValue,
		"params":  completeKeyList,
		"flip":    completeKeyList,
		"outcome": completeOutcome,
		"against": completeScenario,
	} {
		if cmd.Flags().Lookup(name) != nil {
			_ = cmd.RegisterFlagCompletionFunc(name, f) // registered once per command: cannot fail
		}
	}
}
