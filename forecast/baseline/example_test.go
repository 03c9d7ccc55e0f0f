package baseline_test

import (
	"fmt"

	"github.com/parleyhq/parley/forecast"
	"github.com/parleyhq/parley/forecast/baseline"
)

// Three actors on one dimension: the mean is pulled towards the strong
// actor at 10, the median and the Condorcet winner stay with the middle.
func Example() {
	in := &forecast.Input{
		Dimensions: []forecast.Dimension{{Name: "years"}},
		Actors: []forecast.Actor{
			{Name: "A", Capability: 1, Position: []float64{0}, Salience: []float64{1}},
			{Name: "B", Capability: 1, Position: []float64{4}, Salience: []float64{1}},
			{Name: "C", Capability: 1.5, Position: []float64{10}, Salience: []float64{1}},
		},
	}
	fs, err := baseline.All(in, baseline.CapabilitySalience, baseline.Proportional)
	if err != nil {
		panic(err)
	}
	f := fs[0]
	fmt.Printf("mean %.2f, median %g, Condorcet winner %g (found %v)\n", f.Mean, f.Median, f.Condorcet.Winner, f.Condorcet.Found)
	// Output: mean 5.43, median 4, Condorcet winner 4 (found true)
}
