package smp_test

import (
	"context"
	"fmt"

	"github.com/parleyhq/parley/forecast"
	"github.com/parleyhq/parley/forecast/smp"
)

// Run KTAB's dummyData_3Dim example with KTAB's default options and read
// where the first actor ends up and how likely its position is to win.
func Example() {
	in, err := forecast.ReadFile("../testdata/ktab/dummyData_3Dim.csv", "")
	if err != nil {
		panic(err)
	}
	res, err := smp.Run(context.Background(), in, smp.Defaults())
	if err != nil {
		panic(err)
	}
	last := res.States[len(res.States)-1]
	fmt.Printf("%d turns; %s ends at %.1f, %.1f, %.1f with prob %.4f\n", len(res.States)-1, res.Actors[0],
		last.Positions[0][0], last.Positions[0][1], last.Positions[0][2], last.Prob[0])
	// Output: 10 turns; SActor-00 ends at 78.6, 31.8, 74.1 with prob 0.3340
}
