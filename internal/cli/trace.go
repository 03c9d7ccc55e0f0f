package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/model"
	"github.com/parleyhq/parley/report"
)

func newTraceCmd(env *Env) *cobra.Command {
	var (
		roadmap string
		seed    uint64
		history uint64
		format  Format
		output  string
		sets    []string
	)
	cmd := &cobra.Command{
		Use:     "trace [SCENARIO] [--roadmap ROADMAP] [--seed S] [--history N]",
		GroupID: groupAnalysis,
		Short:   "Tell one seeded history round by round",
		Long: `Trace plays one history of a roadmap and tells it round by round in plain
language: the true types drawn, each decision, delivery, cheat, detection and
missed sighting, how trust and insecurity move, the responses, and the end.

History N of seed S is the very history that run and compare count as their
history N with --seed S. Without --roadmap the scenario's first roadmap is used.

` + scenarioUsage,
		Example: `  parley trace --roadmap peace-first --seed 3
  parley trace my-scenario.yaml --roadmap phased --history 17 --format json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ls, err := loadScenarioArgs(env, args)
			if err != nil {
				return err
			}
			if err := applySets(ls, sets); err != nil {
				return err
			}
			if roadmap == "" {
				roadmap = ls.Scenario.Roadmaps[0].ID
			}
			rs, err := pickRoadmaps(ls, []string{roadmap})
			if err != nil {
				return err
			}
			r := rs[0]
			h := engine.New(r)
			rec := &engine.Recorder{}
			h.Tracer = rec
			var src engine.PCG
			src.Seed(seed, history)
			res := h.Run(&src)
			var out bytes.Buffer
			if format == FormatJSON {
				err = writeTraceJSON(&out, r, rec.Events, res, seed, history)
			} else {
				err = report.Narrate(&out, r, rec.Events, res)
			}
			if err != nil {
				return err
			}
			return writeOutput(env, output, func(w io.Writer) error { _, err := w.Write(out.Bytes()); return err })
		},
	}
	cmd.Flags().StringVar(&roadmap, "roadmap", "", "the roadmap to play (default: the scenario's first)")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "master seed, as in run and compare")
	cmd.Flags().Uint64Var(&history, "history", 0, "which history of that seed to tell")
	addFormatFlag(cmd, &format, FormatText, FormatText, FormatJSON)
	addOutputFlag(cmd, &output)
	addSetFlag(cmd, &sets)
	return cmd
}

// traceEvent is an event with names instead of indices.
type traceEvent struct {
	Round int      `json:"round"`
	Phase int      `json:"phase"`
	Kind  string   `json:"kind"`
	Actor string   `json:"actor,omitempty"`
	Other string   `json:"other,omitempty"`
	Step  string   `json:"step,omitempty"`
	From  *float64 `json:"from,omitempty"`
	To    *float64 `json:"to,omitempty"`
}

var eventNames = map[engine.EventKind]string{
	engine.EvRound: "round", engine.EvTypes: "type", engine.EvShock: "shock", engine.EvDecide: "decide",
	engine.EvDeliver: "deliver", engine.EvFail: "fail", engine.EvCheat: "cheat", engine.EvDetect: "detect",
	engine.EvDecline: "decline", engine.EvWait: "wait", engine.EvSeen: "seen", engine.EvMissed: "missed",
	engine.EvBelief: "trust", engine.EvInsecurity: "insecurity", engine.EvWithdraw: "withdraw",
	engine.EvRedeliver: "redeliver", engine.EvForgive: "forgive", engine.EvWalkAway: "walk-away",
	engine.EvPhaseDone: "phase-done", engine.EvDropped: "dropped", engine.EvEnd: "end", engine.EvRule: "rule-defects",
}

func writeTraceJSON(w io.Writer, r *model.Roadmap, events []engine.Event, res *engine.Result, seed, history uint64) error {
	name := func(a int) string {
		if a < 0 || a >= len(r.Actors) {
			return ""
		}
		return r.Actors[a].ID
	}
	var evs []traceEvent
	for _, e := range events {
		te := traceEvent{Round: e.Round, Phase: e.Phase + 1, Kind: eventNames[e.Kind], Actor: name(e.Actor)}
		switch e.Kind {
		case engine.EvTypes:
			te.Other = r.Actors[e.Actor].Types[e.Other].ID
		case engine.EvShock:
			te.Step = r.Shocks[e.Step].ID
			te.Other = name(e.Other)
		default:
			te.Other = name(e.Other)
			if e.Step >= 0 && e.Step < len(r.Steps) {
				te.Step = r.Steps[e.Step].MoveID
				if x := r.Steps[e.Step]; x.Of > 1 {
					te.Step += "#" + strconv.Itoa(x.Tranche)
				}
			}
		}
		switch e.Kind {
		case engine.EvShock, engine.EvDecide, engine.EvBelief, engine.EvInsecurity:
			from, to := e.From, e.To
			te.From, te.To = &from, &to
		}
		evs = append(evs, te)
	}
	types := map[string]string{}
	for a, ac := range r.Actors {
		types[ac.ID] = ac.Types[res.Types[a]].ID
	}
	out := map[string]any{
		"scenario": r.Scenario.Name, "roadmap": r.ID, "seed": seed, "history": history,
		"status": res.Status.String(), "cause": report.CauseText(r, res.Cause), "rounds": res.Rounds,
		"types": types, "utility": res.Utility, "exposure": res.Exposure, "leverage": res.Leverage,
		"events": evs,
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
