package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/retsim/retsim/compare"
	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

// decomposeFlags are compare's flags that split the difference between two
// scenarios by lever.
type decomposeFlags struct {
	on     bool
	groups string // --decompose-groups as given; empty for the default groups
}

func (d *decomposeFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&d.on, "decompose", false, "split each outcome's difference B - A among the groups of parameters in which B and A differ (Shapley values; see above)")
	fs.StringVar(&d.groups, "decompose-groups", "", "groups for --decompose, which it implies: separated by commas, each one or more parameter keys or sections joined by +, e.g. policy.giving+taking+giving,policy.generosity")
}

// wanted reports whether the user asked for a decomposition.
func (d *decomposeFlags) wanted(cmd *cobra.Command) bool {
	return d.on || cmd.Flags().Changed("decompose-groups")
}

// plan checks that a decomposition of scs[1] minus scs[0] can run, before
// anything is simulated, and returns its groups.
func (d *decomposeFlags) plan(scs []*scenarios.Scenario, independent bool) ([]compare.Group, error) {
	if len(scs) != 2 {
		return nil, usage("--decompose: splits the difference between two scenarios, A and B; got %d scenarios", len(scs))
	}
	if independent {
		return nil, usage("--decompose: needs common random numbers; drop --independent")
	}
	a, b := scs[0], scs[1]
	groups := compare.DefaultGroups(a.Config, b.Config)
	if d.groups != "" {
		var err error
		if groups, err = compare.ParseGroups(d.groups, a.Config, b.Config); err != nil {
			return nil, usageError{fmt.Errorf("--decompose-groups: %w", err)}
		}
	}
	if len(groups) == 0 {
		return nil, usage("--decompose: %s and %s do not differ in any parameter; there is no difference to split", a.Name, b.Name)
	}
	_, err := compare.NewDecomposer(compare.Scenario{Name: a.Name, Config: a.Config}, compare.Scenario{Name: b.Name, Config: b.Config}, groups)
	switch {
	case errors.Is(err, compare.ErrTooManyGroups):
		return nil, usage("--decompose: %d groups of parameters (%s), at most %d (%d configurations per replication): join or choose groups with --decompose-groups, e.g. --decompose-groups policy,taking+giving",
			len(groups), strings.Join(names(groups), ", "), compare.MaxGroups, 1<<compare.MaxGroups)
	case err != nil:
		return nil, usageError{fmt.Errorf("--decompose: %w", err)}
	}
	return groups, nil
}

// names are the groups' names.
func names(groups []compare.Group) []string {
	out := make([]string, len(groups))
	for i, g := range groups {
		out[i] = g.Name
	}
	return out
}

// hybrids is a decomposition ready to run: its configurations and name.
type hybrids struct {
	dec  *compare.Decomposer
	name string
}

// decomposition prepares the split of scs[1] minus scs[0] among groups
// over reps replications each.
func decomposition(scs []*scenarios.Scenario, groups []compare.Group, reps int) (hybrids, error) {
	a := compare.Scenario{Name: scs[0].Name, Config: scs[0].Config}
	b := compare.Scenario{Name: scs[1].Name, Config: scs[1].Config}
	a.Config.Replications, b.Config.Replications = reps, reps
	dec, err := compare.NewDecomposer(a, b, groups)
	if err != nil {
		return hybrids{}, usageError{err}
	}
	return hybrids{dec, fmt.Sprintf("decomposition of %s minus %s (%d configurations)", b.Name, a.Name, len(dec.Scenarios()))}, nil
}

// configs are the hybrid configurations, run in lockstep.
func (h hybrids) configs() []sim.Config {
	cfgs := make([]sim.Config, len(h.dec.Scenarios()))
	for i, sc := range h.dec.Scenarios() {
		cfgs[i] = sc.Config
	}
	return cfgs
}

// decompose splits scs[1] minus scs[0] among groups over reps replications
// each (the comparison's, which --precision may have grown), with the
// resource guard, which ready has already passed for the largest count,
// and progress on stderr.
func (f *runFlags) decompose(cmd *cobra.Command, scs []*scenarios.Scenario, groups []compare.Group, reps int) (*compare.Decomposition, error) {
	h, err := decomposition(scs, groups, reps)
	if err != nil {
		return nil, err
	}
	opt, err := f.guard(cmd.ErrOrStderr(), h.name, [][]sim.Config{h.configs()}, false)
	if err != nil {
		return nil, err
	}
	prog := newProgress(cmd.ErrOrStderr(), h.name)
	opt.Progress = prog.update
	d, err := h.dec.RunFrom(cmd.Context(), f.source(), opt)
	prog.done()
	return d, err
}
