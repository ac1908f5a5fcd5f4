package shard_test

import (
	"fmt"

	"github.com/retsim/retsim/shard"
)

// A run of 10 replications in 4 shards: each shard simulates a contiguous
// block, and the blocks follow one another.
func ExampleSpec_Range() {
	for i := range 4 {
		first, end := shard.Spec{Index: i, Count: 4}.Range(10)
		fmt.Printf("shard %d/4: replications %d to %d\n", i, first, end-1)
	}
	// Output:
	// shard 0/4: replications 0 to 1
	// shard 1/4: replications 2 to 4
	// shard 2/4: replications 5 to 6
	// shard 3/4: replications 7 to 9
}

// In a Kubernetes Indexed Job, the pod's index is JOB_COMPLETION_INDEX and
// the count is given (--shards, or RETSIM_SHARDS).
func ExampleParseSpec() {
	env := map[string]string{"JOB_COMPLETION_INDEX": "2", "RETSIM_SHARDS": "4"}
	spec, err := shard.ParseSpec("auto", 0, func(k string) string { return env[k] })
	fmt.Println(spec, err)
	// Output:
	// 2/4 <nil>
}
