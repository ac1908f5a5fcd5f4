package serve_test

import (
	"fmt"

	"github.com/retsim/retsim/serve"
)

// Parameters are what the explorer's panel offers: every parameter of
// `retsim params` but replications, with its unit, range and source; the
// dials are also sliders.
func ExampleParameters() {
	for _, p := range serve.Parameters() {
		if p.Key == "policy.giving" || p.Key == "churn.alpha" {
			fmt.Printf("%s: %s, slider %v, has a source %v\n", p.Key, p.Range, p.Dial, p.Source != "")
		}
	}
	fmt.Println("replications in the panel:", serve.Settable("replications"))
	// Output:
	// churn.alpha: > 0, slider false, has a source true
	// policy.giving: in [0, 1], slider true, has a source true
	// replications in the panel: false
}
