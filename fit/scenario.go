package fit

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"strconv"
)

// DefaultBase is the scenario a fitted scenario extends when no base is given.
const DefaultBase = "baseline"

// Emit describes the scenario file EmitScenario writes.
type Emit struct {
	Base       string // the scenario it extends; DefaultBase when empty
	DataSHA256 string // SHA-256 of the data file, 64 hex digits
	DataDate   string // the date the data describe, free text
	// Uncertain sets churn.alpha_sd, churn.beta_sd and churn.alpha_beta_corr
	// from the fit, so that the engine draws (alpha, beta) for each
	// replication from the fit's sampling distribution; otherwise they are
	// written commented out.
	Uncertain bool
}

// EmitScenario writes a YAML scenario file that extends opt.Base and sets
// churn.alpha and churn.beta to the estimates in res. Comments record the
// data file (its name, SHA-256 and date) and the fit (log-likelihood,
// standard errors, correlation, training periods). The uncertainty keys'
// standard deviations are on the natural scale (delta method); the fit's own
// intervals draw on the log scale.
func EmitScenario(w io.Writer, res *Result, opt Emit) error {
	base, dataSHA256, dataDate := opt.Base, opt.DataSHA256, opt.DataDate
	if res == nil {
		return fmt.Errorf("scenario: no fit result")
	}
	if sum, err := hex.DecodeString(dataSHA256); err != nil || len(sum) != 32 {
		return fmt.Errorf("scenario: data SHA-256 must be 64 hexadecimal digits, got %q", dataSHA256)
	}
	for _, x := range []float64{res.Alpha, res.Beta, res.AlphaSE, res.BetaSE, res.Corr, res.LogLikelihood} {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("scenario: the fit has a non-finite value (alpha %v, beta %v, SEs %v, %v, correlation %v, log-likelihood %v)",
				res.Alpha, res.Beta, res.AlphaSE, res.BetaSE, res.Corr, res.LogLikelihood)
		}
	}
	if base == "" {
		base = DefaultBase
	}
	if dataDate == "" {
		dataDate = "not given"
	}
	num := func(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }
	held := "none held out"
	if res.Train < res.Observed {
		held = fmt.Sprintf("periods %d-%d held out", res.Train, res.Observed-1)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Base churn fitted by retsim fit: shifted-beta-geometric model (Fader &\n")
	fmt.Fprintf(&b, "# Hardie 2007), maximum likelihood.\n#\n")
	fmt.Fprintf(&b, "# data:              %q (%s, %d customers)\n", res.source(), res.Format, res.Customers)
	fmt.Fprintf(&b, "# data SHA-256:      %s\n", dataSHA256)
	fmt.Fprintf(&b, "# data date:         %q\n", dataDate)
	fmt.Fprintf(&b, "# training periods:  0-%d of 0-%d (%s)\n", res.Train-1, res.Observed-1, held)
	fmt.Fprintf(&b, "# log-likelihood:    %.4f (training periods)\n", res.LogLikelihood)
	fmt.Fprintf(&b, "# alpha:             %s (SE %s)\n", num(res.Alpha), num(res.AlphaSE))
	fmt.Fprintf(&b, "# beta:              %s (SE %s)\n", num(res.Beta), num(res.BetaSE))
	fmt.Fprintf(&b, "# corr(alpha, beta): %.4f\n", res.Corr)
	fmt.Fprintf(&b, "# mean churn:        %.4f per period, alpha/(alpha+beta)\n#\n", res.MeanChurn)
	if res.Every > 1 {
		fmt.Fprintf(&b, "# The data were observed every %d periods of the scenario; alpha and beta\n", res.Every)
		fmt.Fprintf(&b, "# were fitted per period to those interval-censored observations\n")
		fmt.Fprintf(&b, "# (retsim fit --every %d), so they describe churn per period of the scenario.\n", res.Every)
	} else {
		fmt.Fprintf(&b, "# alpha and beta describe churn per period of the data file, which is the\n")
		fmt.Fprintf(&b, "# scenario's period (horizon.periods_per_year); data observed every K periods\n")
		fmt.Fprintf(&b, "# are fitted with retsim fit --every K.\n")
	}
	fmt.Fprintf(&b, "description: %s\n", strconv.Quote(fmt.Sprintf(
		"Base churn fitted to %s: sBG alpha %.3g, beta %.3g (mean churn %.1f%% per period); everything else as %s.",
		res.source(), res.Alpha, res.Beta, 100*res.MeanChurn, base)))
	fmt.Fprintf(&b, "extends: %s\n", strconv.Quote(base))
	fmt.Fprintf(&b, "churn:\n")
	fmt.Fprintf(&b, "  alpha: %s # maximum likelihood, SE %s (retsim fit)\n", num(res.Alpha), num(res.AlphaSE))
	fmt.Fprintf(&b, "  beta: %s # maximum likelihood, SE %s (retsim fit)\n", num(res.Beta), num(res.BetaSE))
	off := "# "
	if opt.Uncertain {
		off = ""
	} else {
		fmt.Fprintf(&b, "  # Parameter uncertainty: uncomment to draw (alpha, beta) for each replication\n")
		fmt.Fprintf(&b, "  # from the fit's sampling distribution.\n")
	}
	fmt.Fprintf(&b, "  %salpha_sd: %s # standard error of alpha (natural scale, delta method)\n", off, num(res.AlphaSE))
	fmt.Fprintf(&b, "  %sbeta_sd: %s # standard error of beta\n", off, num(res.BetaSE))
	fmt.Fprintf(&b, "  %salpha_beta_corr: %s # correlation of the two estimates\n", off, num(res.Corr))
	_, err := w.Write(b.Bytes())
	return err
}
