package experiment

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/retsim/retsim/output"
)

// The fixed columns of the CSV files; experiment.csv and replications.csv
// also have a column per factor after point, named by its key.
var (
	ExperimentHeader   = []string{"point", "outcome", "unit", "n", "mean", "sd", "p05", "p50", "p95"}
	ReplicationsHeader = []string{"point", "replication", "outcome", "value"}
	SobolHeader        = []string{"outcome", "unit", "parameter", "s1", "s1_low", "s1_high", "st", "st_low", "st_high", "variance", "samples", "resamples"}
)

// num formats x in the shortest form that reads back exactly; NaN is NA.
func num(x float64) string {
	if math.IsNaN(x) {
		return "NA"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// table writes the header and rows as CSV.
func table(w io.Writer, header []string, rows func(emit func(...string) error) error) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := rows(func(cells ...string) error { return cw.Write(cells) }); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// pointHeader is header with the factors' keys after its first column.
func (p *Plan) pointHeader(header []string) []string {
	h := []string{header[0]}
	for _, f := range p.Design.Factors {
		h = append(h, output.Cell(f.Key))
	}
	return append(h, header[1:]...)
}

// pointCells are the point's index and values.
func (p *Plan) pointCells(i int) []string {
	c := []string{strconv.Itoa(i)}
	for _, x := range p.Points[i] {
		c = append(c, num(x))
	}
	return c
}

// WriteExperimentCSV writes experiment.csv: one row per design point and
// outcome, the point's values and the outcome across its replications (n
// those that measured it, mean, sd, 5/50/95% quantiles).
func WriteExperimentCSV(w io.Writer, r *Result) error {
	return table(w, r.Plan.pointHeader(ExperimentHeader), func(emit func(...string) error) error {
		for i, pt := range r.Points {
			for k, o := range r.Plan.Outcomes {
				s := r.Stats[i][k]
				n := 0
				for _, x := range pt.Values[k] {
					if !math.IsNaN(x) {
						n++
					}
				}
				row := append(r.Plan.pointCells(i), o.Name, output.Cell(o.Unit), strconv.Itoa(n), num(s.Mean), num(s.SD), num(s.P05), num(s.P50), num(s.P95))
				if err := emit(row...); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// WriteReplicationsCSV writes replications.csv: one row per design point,
// replication and outcome.
func WriteReplicationsCSV(w io.Writer, r *Result) error {
	return WritePointResults(w, r.Plan, r.Points)
}

// WritePointResults writes the results of some of p's points in the
// format of replications.csv, in the order given. Every number is written
// so that it reads back exactly (NaN as NA): ReadPointResults restores the
// results, and Summarize gives from them the same outputs as from the
// results themselves.
func WritePointResults(w io.Writer, p *Plan, results []PointResult) error {
	return table(w, p.pointHeader(ReplicationsHeader), func(emit func(...string) error) error {
		for _, pt := range results {
			cells := p.pointCells(pt.Point)
			for rep := range p.Base.Replications {
				for k, o := range p.Outcomes {
					if err := emit(append(cells[:len(cells):len(cells)], strconv.Itoa(rep), o.Name, num(pt.Values[k][rep]))...); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

// ReadPointResults reads point results written by WritePointResults for
// the plan p, in the order written. It refuses, naming the line, a file
// of another design (other factors, point values, outcomes or
// replications) and rows out of order.
func ReadPointResults(r io.Reader, p *Plan) ([]PointResult, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("point results: header: %w", err)
	}
	if want := p.pointHeader(ReplicationsHeader); !slices.Equal(header, want) {
		return nil, fmt.Errorf("point results: header %v, this design's is %v", header, want)
	}
	nf, reps := len(p.Design.Factors), p.Base.Replications
	var out []PointResult
	for line := 2; ; line++ {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("point results: %w", err)
		}
		fail := func(format string, a ...any) error {
			return fmt.Errorf("point results: line %d: %s", line, fmt.Sprintf(format, a...))
		}
		i, err := strconv.Atoi(row[0])
		if err != nil || i < 0 || i >= len(p.Points) {
			return nil, fail("point %q: the design has points 0 to %d", row[0], len(p.Points)-1)
		}
		if !slices.Equal(row[:1+nf], p.pointCells(i)) {
			return nil, fail("point %d has values %v, in this design %v", i, row[1:1+nf], p.pointCells(i)[1:])
		}
		if len(out) == 0 || out[len(out)-1].Point != i {
			out = append(out, PointResult{Point: i, Values: make([][]float64, len(p.Outcomes))})
		}
		pt := &out[len(out)-1]
		read := 0 // the point's values read so far, replication by replication, outcome by outcome
		for _, v := range pt.Values {
			read += len(v)
		}
		rep, k := read/len(p.Outcomes), read%len(p.Outcomes)
		if want := strconv.Itoa(rep); rep >= reps || row[1+nf] != want || row[2+nf] != p.Outcomes[k].Name {
			return nil, fail("replication %s, outcome %s; expected replication %d, outcome %s, of %d replications", row[1+nf], row[2+nf], rep, p.Outcomes[k].Name, reps)
		}
		x := math.NaN()
		if row[3+nf] != "NA" {
			if x, err = strconv.ParseFloat(row[3+nf], 64); err != nil {
				return nil, fail("value %q is not a number", row[3+nf])
			}
		}
		pt.Values[k] = append(pt.Values[k], x)
	}
	for _, pt := range out {
		for _, v := range pt.Values {
			if len(v) != reps {
				return nil, fmt.Errorf("point results: point %d has %d replications, the design %d", pt.Point, len(v), reps)
			}
		}
	}
	return out, nil
}

// WriteSobolCSV writes sobol.csv: one row per outcome and factor, its
// first-order and total Sobol indices with 95% bootstrap intervals, the
// outcome's variance over the design, the base samples and the resamples.
func WriteSobolCSV(w io.Writer, r *Result) error {
	return table(w, SobolHeader, func(emit func(...string) error) error {
		for k, o := range r.Plan.Outcomes {
			for f, x := range r.Sobol[k] {
				row := []string{o.Name, output.Cell(o.Unit), output.Cell(r.Plan.Design.Factors[f].Key),
					num(x.S1), num(x.S1CI95.Low), num(x.S1CI95.High), num(x.ST), num(x.STCI95.Low), num(x.STCI95.High),
					num(x.Variance), strconv.Itoa(r.Plan.Design.Samples), strconv.Itoa(r.Plan.Resamples)}
				if err := emit(row...); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// Files are the experiment's data files, for output.WriteAll or
// output.Dir.Publish: experiment.csv, with perReplication
// replications.csv, and for a Saltelli design sobol.csv.
func Files(r *Result, perReplication bool) []output.File {
	files := []output.File{{Name: "experiment.csv", Write: func(w io.Writer) error { return WriteExperimentCSV(w, r) }}}
	if perReplication {
		files = append(files, output.File{Name: "replications.csv", Write: func(w io.Writer) error { return WriteReplicationsCSV(w, r) }})
	}
	if r.Sobol != nil {
		files = append(files, output.File{Name: "sobol.csv", Write: func(w io.Writer) error { return WriteSobolCSV(w, r) }})
	}
	return files
}
