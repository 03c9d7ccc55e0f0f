package smp

import (
	"bufio"
	"fmt"
	"io"
)

// WriteKTABSummary writes res in the layout of the summary KTAB's smpc
// prints: the model parameters, one "Fractional change" line per turn, the
// number of states, each actor's position on each dimension per state
// (one decimal) and each actor's probability per state (four decimals).
// With KTAB's default options its lines after the seed equal KTAB's.
func WriteKTABSummary(w io.Writer, res *Result) error {
	bw := bufio.NewWriter(w)
	o := res.Options
	fmt.Fprintf(bw, "Using PRNG seed: %d \n", o.Seed)
	for _, p := range []string{"VictoryProbModel", "VotingRule", "PCEModel", "StateTransitions", "BigRRange", "BigRAdjust", "ThirdPartyCommit", "InterVecBrgn", "BargnModel"} {
		fmt.Fprintf(bw, "%s: %s \n", p, o.Get(p))
	}
	for _, c := range res.Changes {
		fmt.Fprintf(bw, "Fractional change compared to first step: %.4f  (target=%.4f) \n", c, o.StopRatio)
	}
	fmt.Fprintf(bw, "There were %d states, with %d steps between them \n", len(res.States), len(res.States)-1)
	fmt.Fprintf(bw, "History of actor positions over time: \n")
	for i, a := range res.Actors {
		for k, d := range res.Dimensions {
			fmt.Fprintf(bw, "%s, %s:", a, d)
			for _, s := range res.States {
				fmt.Fprintf(bw, " %5.1f", s.Positions[i][k])
			}
			fmt.Fprintf(bw, " \n")
		}
	}
	fmt.Fprintf(bw, "History of actors' winning probabilities: \n")
	for i, a := range res.Actors {
		fmt.Fprintf(bw, "%s, prob :", a)
		for _, s := range res.States {
			fmt.Fprintf(bw, " %.4f", s.Prob[i])
		}
		fmt.Fprintf(bw, " \n")
	}
	return bw.Flush()
}
