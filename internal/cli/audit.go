package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parleyhq/parley/audit"
	"github.com/parleyhq/parley/model"
)

func newAuditCmd(env *Env) *cobra.Command {
	var (
		roadmaps []string
		all      bool
		profile  string
		format   Format
		output   string
		sets     []string
	)
	cmd := &cobra.Command{
		Use:     "audit [SCENARIO] [--roadmap ROADMAP]... [--profile ACTOR=TYPE,...] [--all-profiles]",
		GroupID: groupAnalysis,
		Short:   "Check a roadmap phase by phase: what holds, what needs more trust, what would fix it",
		Long: `Audit checks each roadmap under complete information, phase by phase and actor
by actor, along the path on which every move is delivered: cost, gain,
exposure, temptation, continuation value, the opportunist's self-enforcement
margin, the reciprocator's trust threshold against its prior trust, the
hardliner's bound. It flags every step that is not self-enforcing or needs
more trust than the priors give, and says what would fix it (verification,
smaller tranches, reversibility or escrow, a lasting value, an earlier
security move).

The types audited are each actor's most likely type, or --profile, or every
combination with --all-profiles. Without --roadmap every roadmap with phases
is audited. With --format json, one roadmap gives one JSON object and several
give an array of them.

` + scenarioUsage,
		Example: `  parley audit --roadmap peace-first
  parley audit --roadmap denuclearization-first --profile DPRK=security-seeker
  parley audit my-scenario.yaml --all-profiles --format markdown`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if all && profile != "" {
				return UsageErrorf("--profile and --all-profiles cannot be used together")
			}
			ls, err := loadScenarioArgs(env, args)
			if err != nil {
				return err
			}
			if err := applySets(ls, sets); err != nil {
				return err
			}
			rs, err := pickRoadmaps(ls, roadmaps)
			if err != nil {
				return err
			}
			var out bytes.Buffer
			var reports []*audit.Report
			for i, r := range rs {
				if len(roadmaps) == 0 && len(r.Phases) == 0 {
					continue // a baseline has nothing to audit
				}
				opt := audit.Options{AllProfiles: all}
				if profile != "" {
					if opt.Profile, err = parseProfile(r, profile); err != nil {
						return err
					}
				}
				rep, err := audit.Audit(r, opt)
				if err != nil {
					return UsageError(err)
				}
				if i > 0 && format != FormatJSON {
					out.WriteString("\n")
				}
				switch format {
				case FormatMarkdown:
					err = rep.WriteMarkdown(&out)
				case FormatJSON:
					reports = append(reports, rep)
				default:
					err = rep.WriteText(&out)
				}
				if err != nil {
					return err
				}
			}
			if format == FormatJSON {
				// one roadmap: its report; several: an array of them
				var v any = reports
				if len(reports) == 1 {
					v = reports[0]
				}
				enc := json.NewEncoder(&out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(v); err != nil {
					return err
				}
			}
			return writeOutput(env, output, func(w io.Writer) error { _, err := w.Write(out.Bytes()); return err })
		},
	}
	cmd.Flags().StringArrayVar(&roadmaps, "roadmap", nil, "audit only this roadmap (repeatable)")
	cmd.Flags().BoolVar(&all, "all-profiles", false, "audit every combination of types, each with its prior probability")
	cmd.Flags().StringVar(&profile, "profile", "", "types to audit, as `ACTOR=TYPE,...`; unnamed actors take their most likely type")
	addFormatFlag(cmd, &format, FormatText, FormatText, FormatMarkdown, FormatJSON)
	addOutputFlag(cmd, &output)
	addSetFlag(cmd, &sets)
	return cmd
}

// parseProfile reads "US=engager,DPRK=opportunist" into a type index per actor.
func parseProfile(r *model.Roadmap, s string) ([]int, error) {
	prof := audit.MostLikely(r)
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || k == "" || v == "" {
			return nil, UsageErrorf("--profile: %q is not ACTOR=TYPE", part)
		}
		a := -1
		for i, ac := range r.Actors {
			if ac.ID == k {
				a = i
			}
		}
		if a < 0 {
			ids := make([]string, len(r.Actors))
			for i, ac := range r.Actors {
				ids[i] = ac.ID
			}
			return nil, UsageErrorf("--profile: unknown actor %q; the actors are %s", k, strings.Join(ids, ", "))
		}
		if seen[k] {
			return nil, UsageErrorf("--profile: actor %q named twice", k)
		}
		seen[k] = true
		t := -1
		for i, id := range r.Actors[a].TypeIDs {
			if id == v {
				t = i
			}
		}
		if t < 0 {
			return nil, UsageErrorf("--profile: %s has no type %q; its types are %s", k, v, strings.Join(r.Actors[a].TypeIDs, ", "))
		}
		prof[a] = t
	}
	return prof, nil
}
