package ipd_test

import (
	"context"
	"fmt"

	"github.com/parleyhq/parley/game/ipd"
)

func ExamplePlayMatch() {
	tft := ipd.MustLookup("TitForTat")
	alt := ipd.MustLookup("Alternator")
	res, err := ipd.PlayMatch(tft, alt, ipd.Rules{Turns: 8}, 1)
	if err != nil {
		panic(err)
	}
	fmt.Println(ipd.FormatActions(res.Moves[0]), res.Scores[0])
	fmt.Println(ipd.FormatActions(res.Moves[1]), res.Scores[1])
	// Output:
	// CCDCDCDC 18
	// CDCDCDCD 23
}

func ExampleTournament() {
	var players []*ipd.Strategy
	for _, name := range []string{"Cooperator", "Defector", "TitForTat"} {
		players = append(players, ipd.MustLookup(name))
	}
	t := ipd.Tournament{Players: players, Rules: ipd.Rules{Turns: 3}, Repetitions: 1}
	res, err := t.Run(context.Background())
	if err != nil {
		panic(err)
	}
	for _, s := range res.Standings {
		fmt.Printf("%d %-10s %.4f wins %v cooperation %.2f\n", s.Rank, s.Name, s.Median, s.MedianWins, s.Cooperation)
	}
	// Output:
	// 1 Defector   3.6667 wins 2 cooperation 0.00
	// 2 TitForTat  1.8333 wins 0 cooperation 0.67
	// 3 Cooperator 1.5000 wins 0 cooperation 1.00
}

// A rule of one's own joins a tournament through NewStrategy.
func ExampleNewStrategy() {
	// echo opens with D, then repeats its own previous move.
	echo := ipd.NewStrategy("Echo", "Repeats its own previous move.", ipd.Classifier{MemoryDepth: 1},
		func() ipd.Player { return echoPlayer{} })
	res, _ := ipd.PlayMatch(echo, ipd.MustLookup("TitForTat"), ipd.Rules{Turns: 5}, 1)
	fmt.Println(ipd.FormatActions(res.Moves[0]), ipd.FormatActions(res.Moves[1]))
	// Output: DDDDD CDDDD
}

type echoPlayer struct{}

func (echoPlayer) Reset(*ipd.View) {}
func (echoPlayer) Move(v *ipd.View) ipd.Action {
	if len(v.Own) == 0 {
		return ipd.D
	}
	return v.OwnLast()
}
