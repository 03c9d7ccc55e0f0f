// Package forecast describes the actors of a negotiation forecast — each with a capability and, per issue dimension, a position and a salience — and reads them, checked value by value, from KTAB's CSV and XML files, one-dimensional actor tables and parley's YAML.
package forecast
