package output_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/retsim/retsim/output"
	"github.com/retsim/retsim/sim"
)

// WriteMetrics writes the tidy metrics.csv: one row per scenario, period and
// metric.
func ExampleWriteMetrics() {
	cfg := sim.Default()
	cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 100, 3, 3
	res, err := sim.Run(context.Background(), "tiny", cfg, sim.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	var b strings.Builder
	if err := output.WriteMetrics(&b, []*sim.Summary{sim.Summarize(res)}); err != nil {
		fmt.Println(err)
		return
	}
	lines := strings.Split(b.String(), "\n")
	fmt.Println(lines[0])
	fmt.Println(lines[1])
	// Output:
	// scenario,period,metric,mean,sd,p05,p50,p95
	// tiny,0,active,100,0,100,100,100
}

// WriteAll writes files atomically: all of them or, on any error, none.
func ExampleWriteAll() {
	dir, _ := os.MkdirTemp("", "retsim")
	defer os.RemoveAll(dir)
	hello := output.File{Name: "hello.txt", Write: func(w io.Writer) error { _, err := io.WriteString(w, "hello\n"); return err }}
	paths, err := output.WriteAll(dir, []output.File{hello})
	fmt.Println(len(paths), err)
	// Output:
	// 1 <nil>
}
