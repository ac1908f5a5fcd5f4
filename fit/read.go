package fit

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"strconv"
	"strings"

	"github.com/retsim/retsim/internal/input"
)

// Limits on input values, so that a malformed file cannot exhaust memory or
// overflow counts.
const (
	// MaxPeriod is the largest period or duration accepted (periods).
	MaxPeriod = 10000
	// MaxCustomers is the largest number of customers a file may hold.
	MaxCustomers = 1e15
	// MaxCohortPeriods is the most periods a file may cover, summed over
	// its cohorts: it bounds the memory a file takes (16 bytes a period),
	// whatever the number of cohorts.
	MaxCohortPeriods = 1_000_000
	// MaxFileSize is the largest file ReadFile reads, in bytes.
	MaxFileSize = 256 << 20
	// MaxCohorts is the largest number of cohorts a file may hold: each
	// takes memory in proportion to its longest period.
	MaxCohorts = 1000
)

// Format is the layout of an input file.
type Format int

// The input layouts; see the package documentation.
const (
	CohortSurvival Format = iota + 1 // one row per cohort and period: period, alive
	PerCustomer                      // one row per customer: duration, censored
)

// String names the layout in reports.
func (f Format) String() string {
	switch f {
	case CohortSurvival:
		return "cohort survival"
	case PerCustomer:
		return "per customer"
	}
	return "unknown format"
}

// Data is the content of one input file.
type Data struct {
	Name   string // file name as given to Read, used in messages and reports
	Format Format // layout of the file
	// Unit is the time between two rows of a cohort survival file as its
	// time column names it: "year", "quarter" or "month"; empty when the
	// column is period (the data's own period) and for per-customer files.
	Unit    string
	Cohorts []Cohort // in order of first appearance; one cohort named "" when the file has no cohort column
}

// Cohort is the lifetimes of the customers of one cohort.
type Cohort struct {
	Name string
	Lifetimes
}

// Pooled returns the lifetimes of all cohorts together, by age.
func (d *Data) Pooled() Lifetimes {
	var l Lifetimes
	for _, c := range d.Cohorts {
		l.add(c.Lifetimes)
	}
	return l
}

// ReadFile reads the file at path, which must be a regular file (not a
// named pipe, a device or a directory) of at most MaxFileSize bytes, and
// parses it as Read does; it returns the file's bytes too. Reading stops
// when ctx is cancelled, with an error matching ctx.Err(). Errors start
// with path.
func ReadFile(ctx context.Context, path string) (*Data, []byte, error) {
	raw, err := input.ReadFile(ctx, path, MaxFileSize)
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil, fmt.Errorf("%s: no such file", path)
	case errors.As(err, &pe):
		return nil, nil, fmt.Errorf("%s: %w", path, pe.Err)
	case err != nil:
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	d, err := Read(path, bytes.NewReader(raw))
	return d, raw, err
}

// Read parses a cohort survival or per-customer CSV file (see the package
// documentation); name is used in error messages only. Errors name the file
// and line and say what is wrong, e.g.
// "data.csv:7: alive: counts must not rise (412 after 400)". Read never
// panics, whatever r holds.
func Read(name string, r io.Reader) (*Data, error) {
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\ufeff" {
		br.Discard(3) // a byte-order mark, as spreadsheet programs write
	}
	cr := csv.NewReader(br)
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s:1: empty file: want a header naming period and alive, or duration and censored", name)
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	line, _ := cr.FieldPos(0)
	rows, err := newRowParser(header)
	if err != nil {
		return nil, fmt.Errorf("%s:%d: %w", name, line, err)
	}
	n := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ = cr.FieldPos(0)
		if err := rows.add(rec, line); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		n++
	}
	if n == 0 {
		return nil, fmt.Errorf("%s:%d: header only: no data rows", name, line)
	}
	return &Data{Name: name, Format: rows.format, Unit: rows.unit, Cohorts: rows.cohorts()}, nil
}

// csvError names the file and line of a CSV syntax error.
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d: %w", name, pe.Line, pe.Err)
	}
	return fmt.Errorf("%s: %w", name, err)
}

// Column names. The time column of a cohort survival file is colPeriod or
// one of the units of unitsPerYear; the parser files it under colPeriod.
const (
	colPeriod   = "period"
	colAlive    = "alive"
	colDuration = "duration"
	colCensored = "censored"
	colCohort   = "cohort"
)

// unitsPerYear are the names a time column may have besides period, with
// how many of that unit make a year.
var unitsPerYear = map[string]int{"year": 1, "quarter": 4, "month": 12}

// Spacing is the number of periods of a scenario with perYear periods a
// year between two rows of d, perYear divided by the rows a year that d's
// time column names; named is false, and every 0, when the column names no
// unit (period, or a per-customer file). It fails when a row is not a whole
// number of the scenario's periods, e.g. monthly data for a quarterly
// scenario.
func (d *Data) Spacing(perYear int) (every int, named bool, err error) {
	rows, ok := unitsPerYear[d.Unit]
	if !ok {
		return 0, false, nil
	}
	if perYear < rows || perYear%rows != 0 {
		return 0, true, fmt.Errorf("%s: one row a %s is not a whole number of periods of a scenario with %d periods a year", d.Name, d.Unit, perYear)
	}
	return perYear / rows, true, nil
}

// rowParser turns the data rows of one file into lifetimes by cohort.
type rowParser struct {
	format Format
	unit   string         // the unit the time column names; "" for period
	col    map[string]int // column name -> field index
	order  []string       // cohort names in order of first appearance
	series map[string]*series
	total  int64 // customers so far
	length int   // periods so far, summed over cohorts
}

// lengthen counts n more periods of some cohort, refusing more than
// MaxCohortPeriods in all.
func (p *rowParser) lengthen(n int) error {
	if p.length += n; p.length > MaxCohortPeriods {
		return fmt.Errorf("more than %d periods in all, summed over cohorts: too many cohorts, or too long", MaxCohortPeriods)
	}
	return nil
}

// series is what has been read of one cohort so far.
type series struct {
	lines []int     // line of each period's row (cohort survival) or nil
	alive []int64   // alive by period (cohort survival) or nil
	life  Lifetimes // lifetimes (per customer)
}

// newRowParser checks the header and returns a parser for its layout.
func newRowParser(header []string) (*rowParser, error) {
	p := &rowParser{col: make(map[string]int), series: make(map[string]*series)}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		key := h
		switch _, unit := unitsPerYear[h]; {
		case unit:
			p.unit, key = h, colPeriod
		case h == colPeriod, h == colAlive, h == colDuration, h == colCensored, h == colCohort:
		default:
			return nil, fmt.Errorf("unknown column %q: want period (or year, quarter, month), alive (cohort survival) or duration, censored (per customer), and optionally cohort", short(h))
		}
		_, dup := p.col[key]
		switch {
		case dup && key == colPeriod:
			return nil, fmt.Errorf("column %q: a second time column (period, year, quarter or month)", short(h))
		case dup:
			return nil, fmt.Errorf("column %q appears twice", short(h))
		}
		p.col[key] = i
	}
	_, period := p.col[colPeriod]
	_, alive := p.col[colAlive]
	_, duration := p.col[colDuration]
	_, censored := p.col[colCensored]
	switch {
	case (period || alive) && (duration || censored):
		return nil, fmt.Errorf("header mixes cohort survival columns (period, alive) with per-customer columns (duration, censored)")
	case period && alive:
		p.format = CohortSurvival
	case duration && censored:
		p.format = PerCustomer
	case period:
		return nil, fmt.Errorf("missing column alive: cohort survival files need period and alive")
	case alive:
		return nil, fmt.Errorf("missing column period: cohort survival files need period and alive")
	case duration:
		return nil, fmt.Errorf("missing column censored: per-customer files need duration and censored")
	case censored:
		return nil, fmt.Errorf("missing column duration: per-customer files need duration and censored")
	default:
		return nil, fmt.Errorf("header names neither period and alive (cohort survival) nor duration and censored (per customer)")
	}
	return p, nil
}

// add parses one data row found on the given line.
func (p *rowParser) add(rec []string, line int) error {
	name := ""
	if i, ok := p.col[colCohort]; ok {
		name = strings.TrimSpace(rec[i])
		if name == "" {
			return fmt.Errorf("cohort: empty label")
		}
	}
	s := p.series[name]
	if s == nil {
		if len(p.order) == MaxCohorts {
			return fmt.Errorf("cohort: more than %d cohorts", MaxCohorts)
		}
		s = &series{}
		p.series[name] = s
		p.order = append(p.order, name)
	}
	if p.format == CohortSurvival {
		return p.addSurvival(s, name, rec, line)
	}
	return p.addCustomer(s, rec)
}

// addSurvival parses a row of a cohort survival file.
func (p *rowParser) addSurvival(s *series, cohort string, rec []string, line int) error {
	t, err := whole(p.timeName(), rec[p.col[colPeriod]], MaxPeriod)
	if err != nil {
		return err
	}
	n, err := whole(colAlive, rec[p.col[colAlive]], MaxCustomers)
	if err != nil {
		return err
	}
	last := int64(len(s.alive)) - 1
	col := p.timeName()
	switch {
	case t <= last:
		return fmt.Errorf("%s: %d%s repeated (first on line %d)", col, t, cohortLabel(cohort), s.lines[t])
	case last < 0 && t != 0:
		return fmt.Errorf("%s: the first row%s must be %s 0, got %d", col, cohortLabel(cohort), col, t)
	case t > last+1:
		return fmt.Errorf("%s: %ss must be consecutive (%d after %d)", col, col, t, last)
	case last < 0 && n == 0:
		return fmt.Errorf("alive: %s 0 must have at least one customer, got 0", col)
	case last >= 0 && n > s.alive[last]:
		return fmt.Errorf("alive: counts must not rise (%d after %d)", n, s.alive[last])
	}
	if err := p.lengthen(1); err != nil {
		return err
	}
	if last < 0 {
		if p.total += n; p.total > MaxCustomers {
			return fmt.Errorf("alive: more than %g customers in all", float64(MaxCustomers))
		}
	}
	s.alive = append(s.alive, n)
	s.lines = append(s.lines, line)
	return nil
}

// timeName is the time column's name as the header gives it.
func (p *rowParser) timeName() string {
	if p.unit != "" {
		return p.unit
	}
	return colPeriod
}

// addCustomer parses a row of a per-customer file.
func (p *rowParser) addCustomer(s *series, rec []string) error {
	d, err := whole(colDuration, rec[p.col[colDuration]], MaxPeriod)
	if err != nil {
		return err
	}
	c := strings.TrimSpace(rec[p.col[colCensored]])
	if c != "0" && c != "1" {
		return fmt.Errorf("censored: must be 0 (churned) or 1 (still active), got %q", short(c))
	}
	if c == "0" && d == 0 {
		return fmt.Errorf("duration: a churned customer (censored 0) completed at least 1 period, got 0")
	}
	if p.total++; p.total > MaxCustomers {
		return fmt.Errorf("more than %g customers", float64(MaxCustomers))
	}
	if more := int(d) - s.life.Last(); more > 0 {
		if err := p.lengthen(more); err != nil {
			return err
		}
	}
	s.life.grow(int(d))
	if c == "0" {
		s.life.Churned[d]++
	} else {
		s.life.Censored[d]++
	}
	return nil
}

// cohorts returns the lifetimes of each cohort read, in order of first
// appearance.
func (p *rowParser) cohorts() []Cohort {
	out := make([]Cohort, 0, len(p.order))
	for _, name := range p.order {
		s := p.series[name]
		if p.format == CohortSurvival {
			s.life = survivalLifetimes(s.alive)
		}
		out = append(out, Cohort{Name: name, Lifetimes: s.life})
	}
	return out
}

// survivalLifetimes converts a cohort's alive counts by period into
// lifetimes: alive[t-1] - alive[t] churned after t periods, alive[last]
// censored at the last period.
func survivalLifetimes(alive []int64) Lifetimes {
	last := len(alive) - 1
	l := newLifetimes(last)
	for t := 1; t <= last; t++ {
		l.Churned[t] = alive[t-1] - alive[t]
	}
	l.Censored[last] = alive[last]
	return l
}

// cohortLabel is " of cohort "x"" for a named cohort and "" otherwise.
func cohortLabel(cohort string) string {
	if cohort == "" {
		return ""
	}
	return fmt.Sprintf(" of cohort %q", short(cohort))
}

// whole parses a cell holding a whole number in [0, limit].
func whole(col, cell string, limit float64) (int64, error) {
	cell = strings.TrimSpace(cell)
	if cell == "" {
		return 0, fmt.Errorf("%s: empty cell", col)
	}
	x, err := strconv.ParseFloat(cell, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("%s: not a number: %q", col, short(cell))
	}
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return 0, fmt.Errorf("%s: must be a finite number, got %q", col, short(cell))
	case x < 0:
		return 0, fmt.Errorf("%s: must not be negative, got %s", col, short(cell))
	case x != math.Trunc(x):
		return 0, fmt.Errorf("%s: must be a whole number, got %s", col, short(cell))
	case x > limit:
		return 0, fmt.Errorf("%s: must be at most %g, got %s", col, limit, short(cell))
	}
	return int64(x), nil
}

// short is text from the file cut to at most 64 bytes, for an error.
func short(text string) string {
	const most = 64
	if len(text) <= most {
		return text
	}
	return strings.ToValidUTF8(text[:most], "") + "..."
}
