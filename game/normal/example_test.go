package normal_test

import (
	"context"
	"fmt"

	"github.com/parleyhq/parley/game/normal"
)

// Every equilibrium of a coordination game, exactly.
func ExampleVertexEnumeration() {
	src := []byte(`NFG 1 R "coordination" { "Row" "Column" }
{ { "Up" "Down" } { "Left" "Right" } }
3 2  0 0  0 0  2 2
`)
	g, err := normal.ReadNFG("coord.nfg", src)
	if err != nil {
		fmt.Println(err)
		return
	}
	eqs, err := normal.VertexEnumeration(context.Background(), g)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range eqs {
		fmt.Printf("%s  payoffs %s, %s\n", e, e.Payoffs[0].RatString(), e.Payoffs[1].RatString())
	}
	// Output:
	// 1 0 ; 1 0  payoffs 3, 2
	// 1/2 1/2 ; 2/5 3/5  payoffs 6/5, 1
	// 0 1 ; 0 1  payoffs 2, 2
}

// A malformed file is reported with its line and column.
func ExampleReadNFG_error() {
	_, err := normal.ReadNFG("bad.nfg", []byte("NFG 1 R \"x\" { \"A\" } { 2 }\n1 two\n"))
	fmt.Println(err)
	// Output:
	// bad.nfg:2:3: found "two" as payoff 2 of 2; expected a number
}

// Lemke–Howson from every label of the prisoner's dilemma ends at its only
// equilibrium.
func ExampleLemkeHowsonAll() {
	src := []byte(`NFG 1 R "PD" { "1" "2" } { 2 2 } 9 9 10 0 0 10 1 1`)
	g, _ := normal.ReadNFG("pd.nfg", src)
	res, _ := normal.LemkeHowsonAll(context.Background(), g)
	for _, e := range res {
		fmt.Println(e, "from labels", e.Labels)
	}
	// Output:
	// 0 1 ; 0 1 from labels [0 1 2 3]
}
