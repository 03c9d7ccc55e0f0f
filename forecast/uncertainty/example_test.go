package uncertainty_test

import (
	"context"
	"fmt"

	"github.com/parleyhq/parley/forecast"
	"github.com/parleyhq/parley/forecast/baseline"
	"github.com/parleyhq/parley/forecast/uncertainty"
)

// How sure is the weighted median of three stakeholders, when every
// position may be off by up to a tenth of the scale and each stakeholder
// may stay away with probability 0.1?
func Example() {
	in := &forecast.Input{
		Dimensions: []forecast.Dimension{{Name: "relief", Min: 0, Max: 100, Bounded: true}},
		Actors: []forecast.Actor{
			{Name: "US", Capability: 5, Position: []float64{20}, Salience: []float64{0.8}},
			{Name: "ROK", Capability: 2, Position: []float64{60}, Salience: []float64{0.9}},
			{Name: "China", Capability: 4, Position: []float64{80}, Salience: []float64{0.6}},
		},
	}
	m, err := uncertainty.Baselines(in, []string{uncertainty.Median}, baseline.CapabilitySalience, baseline.Proportional)
	if err != nil {
		panic(err)
	}
	s, err := uncertainty.Run(context.Background(), in, m, uncertainty.Options{Runs: 10000, Seed: 1,
		Perturbation: uncertainty.Perturbation{Position: 0.1, Drop: 0.1}})
	if err != nil {
		panic(err)
	}
	st := s.Stats[0]
	fmt.Printf("unperturbed %g; %d runs without a forecast\n", s.Deterministic[0], s.Void)
	fmt.Printf("mean %.1f, sd %.1f, 5%% %.1f, median %.1f, 95%% %.1f\n", st.Mean(), st.SD(), st.Quantile(0.05), st.Quantile(0.5), st.Quantile(0.95))
	for _, b := range st.Histogram(5) {
		fmt.Printf("[%g, %g) %d\n", b.Lo, b.Hi, b.Count)
	}
	// Output:
	// unperturbed 60; 280 runs without a forecast
	// mean 55.1, sd 17.5, 5% 16.0, median 58.9, 95% 78.7
	// [0, 20) 756
	// [20, 40) 849
	// [40, 60) 3691
	// [60, 80) 3987
	// [80, 100) 437
}
