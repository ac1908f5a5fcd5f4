package experiment

import (
	"encoding/csv"
	"io"
	"math"
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
func (r *Result) pointHeader(header []string) []string {
	h := []string{header[0]}
	for _, f := range r.Plan.Design.Factors {
		h = append(h, output.Cell(f.Key))
	}
	return append(h, header[1:]...)
}

// pointCells are the point's index and values.
func (r *Result) pointCells(i int) []string {
	c := []string{strconv.Itoa(i)}
	for _, x := range r.Plan.Points[i] {
		c = append(c, num(x))
	}
	return c
}

// WriteExperimentCSV writes experiment.csv: one row per design point and
// outcome, the point's values and the outcome across its replications (n
// those that measured it, mean, sd, 5/50/95% quantiles).
func WriteExperimentCSV(w io.Writer, r *Result) error {
	return table(w, r.pointHeader(ExperimentHeader), func(emit func(...string) error) error {
		for i, pt := range r.Points {
			for k, o := range r.Plan.Outcomes {
				s := r.Stats[i][k]
				n := 0
				for _, x := range pt.Values[k] {
					if !math.IsNaN(x) {
						n++
					}
				}
				row := append(r.pointCells(i), o.Name, output.Cell(o.Unit), strconv.Itoa(n), num(s.Mean), num(s.SD), num(s.P05), num(s.P50), num(s.P95))
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
	return table(w, r.pointHeader(ReplicationsHeader), func(emit func(...string) error) error {
		for i, pt := range r.Points {
			cells := r.pointCells(i)
			for rep := range r.Plan.Base.Replications {
				for k, o := range r.Plan.Outcomes {
					if err := emit(append(cells[:len(cells):len(cells)], strconv.Itoa(rep), o.Name, num(pt.Values[k][rep]))...); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
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
