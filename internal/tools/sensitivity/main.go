// Command sensitivity prints the one-at-a-time sensitivity table of the
// built-in korea scenario that docs/scenarios.md shows: for each judgement
// changed alone, the share of histories in which each roadmap completes and
// reaches verified denuclearization, and the resulting ranking.
//
//	go run ./internal/tools/sensitivity [-runs 5000] [-seed 1]
//
// The rows that change one value (with the other priors scaled to sum to 1)
// are the one-at-a-time sweep korea-oat.yaml beside this file, which gives
// the same numbers, a tornado chart and any other metric:
//
//	parley sensitivity analyze internal/tools/sensitivity/korea-oat.yaml --chart tornado.svg
//
// The test of this command checks that they agree. The last three rows change
// several values at once, which a one-at-a-time sweep does not.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/model"
	"github.com/parleyhq/parley/montecarlo"
	"github.com/parleyhq/parley/scenario"
)

type variant struct {
	what string
	sets []string
}

// dprkPrior sets the DPRK security-seeker prior to x, scaling the other two types in proportion.
func dprkPrior(x float64) []string {
	rest := 1 - x
	return []string{
		fmt.Sprintf("actors.DPRK.types.security-seeker.prior=%g", x),
		fmt.Sprintf("actors.DPRK.types.opportunist.prior=%.17g", rest*0.40/0.65),
		fmt.Sprintf("actors.DPRK.types.hardliner.prior=%.17g", rest-rest*0.40/0.65),
	}
}

// usTrust sets the US prior belief that the DPRK is a security-seeker to x, scaling the rest in proportion.
func usTrust(x float64) []string {
	rest := 1 - x
	return []string{
		fmt.Sprintf("actors.US.beliefs.DPRK.security-seeker=%g", x),
		fmt.Sprintf("actors.US.beliefs.DPRK.opportunist=%.17g", rest*0.45/0.80),
		fmt.Sprintf("actors.US.beliefs.DPRK.hardliner=%.17g", rest-rest*0.45/0.80),
	}
}

// congress sets the US congress-bound prior to x, scaling the other two types in proportion.
func congress(x float64) []string {
	rest := 1 - x
	return []string{
		fmt.Sprintf("actors.US.types.congress-bound.prior=%g", x),
		fmt.Sprintf("actors.US.types.engager.prior=%.17g", rest*0.50/0.65),
		fmt.Sprintf("actors.US.types.opportunist.prior=%.17g", rest-rest*0.50/0.65),
	}
}

// variants are the table's rows: each changes one judgement (the last
// three change several values at once).
func variants() []variant {
	vs := []variant{{"as shipped", nil}}
	for _, x := range []float64{0.15, 0.6} {
		vs = append(vs, variant{fmt.Sprintf("DPRK security-seeker prior %g (0.35)", x), dprkPrior(x)})
	}
	for _, x := range []float64{0.1, 0.45} {
		vs = append(vs, variant{fmt.Sprintf("US trust in DPRK %g (0.20)", x), usTrust(x)})
	}
	for _, x := range []float64{0.1, 0.6} {
		vs = append(vs, variant{fmt.Sprintf("US congress-bound prior %g (0.35)", x), congress(x)})
	}
	for _, x := range []string{"0.4", "0.95"} {
		vs = append(vs, variant{"DPRK insecurity " + x + " (0.80)", []string{"actors.DPRK.insecurity=" + x}})
	}
	for _, x := range []string{"0.5", "3"} {
		vs = append(vs, variant{"DPRK insecurity weight κ " + x + " (1.5)", []string{"actors.DPRK.insecurity_weight=" + x}})
	}
	for _, x := range []string{"0.5", "0.9"} {
		vs = append(vs, variant{"verification of denuclearization " + x, []string{"moves.verified-denuclearization.verification=" + x}})
	}
	for _, x := range []string{"0", "0.25"} {
		vs = append(vs, variant{"misperception " + x + " (0.10)", []string{"environment.misperception=" + x}})
	}
	for _, x := range []string{"3", "12"} {
		vs = append(vs, variant{"stalemate rounds " + x + " (6)", []string{"environment.stalemate_rounds=" + x}})
	}
	for _, x := range []string{"5", "inf"} {
		vs = append(vs, variant{"rationality λ " + x + " (20)", []string{"environment.rationality=" + x}})
	}
	vs = append(vs, variant{"no tranches: every move in one step", []string{"moves.sanctions-relief-un.tranches=1", "moves.sanctions-relief-us.tranches=1",
		"moves.troop-drawdown.tranches=1", "moves.verified-denuclearization.tranches=1", "moves.inter-korean-projects.tranches=1"}})
	vs = append(vs, variant{"congress-bound US bound 0.9 (0.30)", []string{"actors.US.types.congress-bound.symbolic=0.9"}})
	vs = append(vs, variant{"lasting values ×2", []string{"actors.US.lasting_value=0.06", "actors.DPRK.lasting_value=0.06", "actors.DPRK.types.security-seeker.lasting_value=0.08", "actors.ROK.lasting_value=0.06", "actors.China.lasting_value=0.01"}})
	return vs
}

// score is a roadmap's share of completed histories and of histories that
// reach verified denuclearization.
type score struct {
	id        string
	done, den float64
}

// measure runs every roadmap of korea with the variant's changes and scores
// the roadmaps that are not the baseline.
func measure(v variant, runs int, seed uint64) ([]score, error) {
	s, err := scenario.Builtin("korea")
	if err != nil {
		return nil, err
	}
	if err := scenario.SetAll(s, v.sets); err != nil {
		return nil, fmt.Errorf("%s: %w", v.what, err)
	}
	rs, err := model.CompileAll(s)
	if err != nil {
		return nil, err
	}
	sums, err := montecarlo.Compare(context.Background(), rs, montecarlo.Options{Runs: runs, Seed: seed})
	if err != nil {
		return nil, err
	}
	var sc []score
	for _, sm := range sums {
		if sm.R.Baseline {
			continue
		}
		den := 0.0
		for m, ms := range sm.R.Milestones {
			if ms.ID == "denuclearized" {
				den = sm.MilestoneBy(m, sm.R.Horizon)
			}
		}
		sc = append(sc, score{sm.R.ID, sm.Prob(engine.Completed), den})
	}
	return sc, nil
}

func main() {
	runs := flag.Int("runs", 5000, "histories per roadmap and variant")
	seed := flag.Uint64("seed", 1, "master seed")
	flag.Parse()
	fmt.Println("| variant (shipped value) | P(completed): denuclearization-first / peace-first / grand-bargain / grit | P(denuclearized) same order | ranking by P(completed) |")
	fmt.Println("|---|---|---|---|")
	for _, v := range variants() {
		sc, err := measure(v, *runs, *seed)
		if err != nil {
			fail(err)
		}
		var done, den, rank []string
		for _, x := range sc {
			done = append(done, fmt.Sprintf("%.1f%%", 100*x.done))
			den = append(den, fmt.Sprintf("%.1f%%", 100*x.den))
		}
		sort.SliceStable(sc, func(i, j int) bool { return sc[i].done > sc[j].done })
		for _, x := range sc {
			rank = append(rank, x.id)
		}
		fmt.Printf("| %s | %s | %s | %s |\n", v.what, strings.Join(done, " / "), strings.Join(den, " / "), strings.Join(rank, " > "))
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "sensitivity:", err)
	os.Exit(1)
}
