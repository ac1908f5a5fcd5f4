package main

import (
	"github.com/spf13/cobra"
)

func newCompareCmd() *cobra.Command {
	var (
		f           runFlags
		independent bool
	)
	cmd := &cobra.Command{
		Use:   "compare A B [C...]",
		Short: "Simulate several scenarios on common random numbers and compare them",
		Long: `Simulate several scenarios (built-in names or files) and write their data files
side by side into --out. The first scenario is the reference.

All scenarios run with the same seed (the first scenario's, or --seed), so each
customer meets the same chance events in every scenario and the scenarios
differ only where their policies act: common random numbers. --independent
gives each scenario its own seed instead, to show how much noise that adds.`,
		Example: `  retsim compare taking giving
  retsim compare baseline my-firm.yaml --replications 400 --out out/mine`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 2 {
				return usage("%s: takes at least 2 scenarios, got %d (see --help)", cmd.CommandPath(), len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			scs, err := f.load(cmd, args)
			if err != nil {
				return err
			}
			for i, sc := range scs {
				sc.Config.Seed = scs[0].Config.Seed
				if independent {
					sc.Config.Seed += uint64(i)
				}
			}
			sums, err := f.simulate(cmd, scs)
			if err != nil {
				return err
			}
			return f.report(cmd, scs, sums)
		},
	}
	f.register(cmd.Flags())
	cmd.Flags().BoolVar(&independent, "independent", false, "give each scenario its own seed (no common random numbers)")
	return cmd
}
