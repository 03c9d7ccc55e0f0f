package cli

import "github.com/spf13/cobra"

// commands lists the constructors of parley's top-level commands, one file
// each. Their order does not matter: the help sorts them by name within their
// group (groupScenario or groupAnalysis).
var commands = []func(*Env) *cobra.Command{
	newVersionCmd,
	newValidateCmd,
	newScenariosCmd,
	newSchemaCmd,
	newCompareCmd,
	newRunCmd,
	newTraceCmd,
	newAuditCmd,
	newSweepCmd,
	newSensitivityCmd,
	newMatchCmd,
	newStrategiesCmd,
	newTournamentCmd,
	newMoranCmd,
	newEcologyCmd,
	newForecastCmd,
	newBargainCmd,
	newRubinsteinCmd,
	newSolveCmd,
	newServeCmd,
}
