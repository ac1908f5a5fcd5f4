package main

import (
	"bytes"

	"github.com/retsim/retsim/compare"
	"github.com/retsim/retsim/output"
	"github.com/retsim/retsim/plots"
	"github.com/retsim/retsim/report"
)

// addAssumptions adds to opt and returns the outputs of a study's
// uncertain parameters, if any: the figures with the assumptions drawn
// beside the same held at their central values, and which assumptions
// drive the outcome (a note, the drivers chart, uncertainty.csv,
// assumptions.csv and drivers.csv).
func addAssumptions(a *compare.Assumptions, opt *report.Options) ([]output.File, error) {
	if a == nil {
		return nil, nil
	}
	var table bytes.Buffer
	if err := compare.WriteUncertaintyTable(&table, a); err != nil {
		return nil, err
	}
	fig, err := plots.Drivers(a)
	if err != nil {
		return nil, err
	}
	opt.Figures = append(opt.Figures, fig)
	opt.Notes = append(opt.Notes, report.Note{Title: "How sure: the assumptions drawn and held at their central values", Text: table.String()})
	return compare.AssumptionsFiles(a), nil
}
