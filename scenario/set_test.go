package scenario_test

import (
	"math"
	"strings"
	"testing"

	"github.com/parleyhq/parley/scenario"
)

func TestSet(t *testing.T) {
	s, err := scenario.Builtin("korea")
	if err != nil {
		t.Fatal(err)
	}
	err = scenario.SetAll(s, []string{
		"environment.noise=0.1",
		"environment.rationality=inf",
		"actors.DPRK.insecurity=0.5",
		"actors.DPRK.types.security-seeker.prior=0.5",
		"actors.DPRK.types.opportunist.prior=0.25",
		"moves.yongbyon-freeze.verification=0.9",
		"moves[yongbyon-freeze].tranches=2",
		"actors[US].beliefs[DPRK][security-seeker]=0.3",
		"actors.US.beliefs.DPRK.opportunist=0.35",
		"actors.ROK.response={patient: 3}",
	})
	if err != nil {
		t.Fatal(err)
	}
	d := &s.Actors[s.ActorIndex("DPRK")]
	us := &s.Actors[s.ActorIndex("US")]
	m := &s.Moves[s.MoveIndex("yongbyon-freeze")]
	rok := &s.Actors[s.ActorIndex("ROK")]
	if s.Environment.Noise != 0.1 || !math.IsInf(float64(s.Environment.Rationality), 1) || d.Insecurity != 0.5 ||
		d.Types[d.TypeIndex("security-seeker")].Prior != 0.5 || *m.Verification != 0.9 || *m.Tranches != 2 ||
		us.Beliefs["DPRK"]["security-seeker"] != 0.3 || rok.Response.Kind != scenario.Patient || rok.Response.Tolerance != 3 {
		t.Errorf("values not set: %+v", s.Environment)
	}
}

func TestSetErrors(t *testing.T) {
	cases := []struct{ set, want string }{
		{"environment.nosie=0.1", `--set: environment.nosie: no field "nosie" under environment; expected one of: horizon, round_length, noise,`},
		{"actors.NK.insecurity=0.5", `--set: actors.NK.insecurity: no element with id "NK" under actors; the ids are: US, DPRK, ROK, China`},
		{"actors.DPRK.insecurity=high", `--set: actors.DPRK.insecurity: cannot use "high": expected a number`},
		{"moves.yongbyon-freeze.tranches=1.5", `--set: moves.yongbyon-freeze.tranches: cannot use "1.5": expected an integer`},
		{"noise", `--set "noise": expected PATH=VALUE`},
		{"actors.DPRK.insecurity=1.5", `actors[1].insecurity`},
		{"actors.DPRK.types.security-seeker.prior=0.9", `actors[1].types: the priors of actor DPRK's types sum to 1.55; they must sum to 1`},
	}
	for _, tc := range cases {
		s, _ := scenario.Builtin("korea")
		err := scenario.SetAll(s, []string{tc.set})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("--set %s: error %v, want it to contain %q", tc.set, err, tc.want)
		}
	}
}
