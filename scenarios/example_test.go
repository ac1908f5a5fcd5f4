package scenarios_test

import (
	"fmt"
	"os"

	"github.com/retsim/retsim/scenarios"
)

func ExampleLoad() {
	s, err := scenarios.Load("taking", scenarios.Sources{
		Env:   []string{"RETSIM_SEED=7"},
		Sets:  []string{"policy.human_share=0.3"},
		Flags: map[string]string{"replications": "2"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Name, s.Chain)
	for _, key := range []string{"policy.giving", "market.cac", "seed", "policy.human_share", "replications"} {
		fmt.Println(key, s.Config.Values()[key], s.Origins[key])
	}
	fmt.Println("churn.alpha from", s.Origins["churn.alpha"])
	// Output:
	// taking [builtin/taking.yaml builtin/baseline.yaml]
	// policy.giving 0 file:builtin/taking.yaml
	// market.cac 150 file:builtin/baseline.yaml
	// seed 7 env:RETSIM_SEED
	// policy.human_share 0.3 set:policy.human_share=0.3
	// replications 2 flag:replications
	// churn.alpha from default
}

func ExampleLoad_error() {
	_, err := scenarios.Load("baseline", scenarios.Sources{Sets: []string{"churn.alhpa=0.5"}})
	fmt.Println(err)
	// Output:
	// set:churn.alhpa=0.5: churn.alhpa: unknown key; did you mean churn.alpha?
}

func ExampleList() {
	for _, info := range scenarios.List() {
		if info.Extends == "" {
			fmt.Println(info.Name)
		} else {
			fmt.Println(info.Name, "extends", info.Extends)
		}
	}
	// Output:
	// baseline
	// best-plan-advice extends baseline
	// community extends baseline
	// discount-led extends baseline
	// generous extends baseline
	// giving extends baseline
	// giving-uncertain extends giving
	// human-touch extends baseline
	// loyalty-penalty extends baseline
	// monopoly extends taking
	// neutral
	// people-first extends baseline
	// right-customers extends baseline
	// self-service extends baseline
	// taking extends baseline
	// taking-uncertain extends taking
}

func ExampleScenario_Show() {
	s, err := scenarios.Load("generous", scenarios.Sources{})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := s.Show(os.Stdout); err != nil {
		fmt.Println(err)
	}
}

func ExampleParseRef() {
	r := scenarios.ParseRef("baseline+policy.giving=1+churn.alpha=1e+0")
	fmt.Printf("%s %q\n", r.Scenario, r.Changes)
	sc, err := scenarios.Load("baseline+policy.giving=1", scenarios.Sources{})
	if err != nil {
		panic(err)
	}
	fmt.Println(sc.Name, sc.Config.Policy.Giving, sc.Origins["policy.giving"])
	// Output:
	// baseline ["policy.giving=1" "churn.alpha=1e+0"]
	// baseline+policy.giving=1 1 change:policy.giving=1
}
