package compare

import (
	"encoding/json"
	"io"

	"github.com/retsim/retsim/output"
)

// WriteComparisonJSON writes comparison.json: the Comparison, indented;
// undefined and infinite numbers are null.
func WriteComparisonJSON(w io.Writer, c *Comparison) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(c)
}

// ComparisonFiles are a comparison's data files, for output.WriteAll:
// comparison.csv, crossover.csv, comparison_series.csv and comparison.json.
func ComparisonFiles(c *Comparison) []output.File {
	return []output.File{
		{Name: "comparison.csv", Write: func(w io.Writer) error { return WriteComparisonCSV(w, c) }},
		{Name: "crossover.csv", Write: func(w io.Writer) error { return WriteCrossoverCSV(w, c) }},
		{Name: "comparison_series.csv", Write: func(w io.Writer) error { return WriteSeriesCSV(w, c) }},
		{Name: "comparison.json", Write: func(w io.Writer) error { return WriteComparisonJSON(w, c) }},
	}
}

// SweepFiles are a sweep's data files, for output.WriteAll: sweep.csv.
func SweepFiles(s *SweepResult) []output.File {
	return []output.File{{Name: "sweep.csv", Write: func(w io.Writer) error { return WriteSweepCSV(w, s) }}}
}

// SensitivityFiles are a sensitivity analysis's data files, for
// output.WriteAll: sensitivity.csv.
func SensitivityFiles(t *Tornado) []output.File {
	return []output.File{{Name: "sensitivity.csv", Write: func(w io.Writer) error { return WriteSensitivityCSV(w, t) }}}
}

// DecompositionFiles are a decomposition's data files, for
// output.WriteAll: decomposition.csv.
func DecompositionFiles(d *Decomposition) []output.File {
	return []output.File{{Name: "decomposition.csv", Write: func(w io.Writer) error { return WriteDecompositionCSV(w, d) }}}
}

// AssumptionsFiles are the data files of a study with uncertain
// parameters: uncertainty.csv, assumptions.csv and drivers.csv.
func AssumptionsFiles(a *Assumptions) []output.File {
	return []output.File{
		{Name: "uncertainty.csv", Write: func(w io.Writer) error { return WriteUncertaintyCSV(w, a) }},
		{Name: "assumptions.csv", Write: func(w io.Writer) error { return WriteAssumptionsCSV(w, a) }},
		{Name: "drivers.csv", Write: func(w io.Writer) error { return WriteDriversCSV(w, a) }},
	}
}

// FlipFiles are the data files of flips: flip.csv.
func FlipFiles(fs []Flip) []output.File {
	return []output.File{{Name: "flip.csv", Write: func(w io.Writer) error { return WriteFlipCSV(w, fs) }}}
}
