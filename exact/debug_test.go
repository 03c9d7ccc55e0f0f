package exact_test

import (
	"math"
	"os"
	"testing"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/model"
	"github.com/parleyhq/parley/report"
	"github.com/parleyhq/parley/scenario"
)

func TestDebugTrace(t *testing.T) {
	if os.Getenv("DBG") == "" {
		t.Skip()
	}
	r, _ := model.Compile(small(math.Inf(1), scenario.Response{Kind: scenario.TitForTat}, false), "r")
	h := engine.New(r)
	rec := &engine.Recorder{}
	h.Tracer = rec
	var src engine.PCG
	src.Seed(1, 3)
	res := h.Run(&src)
	report.Narrate(os.Stdout, r, rec.Events, res)
}
