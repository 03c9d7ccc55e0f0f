// Package loadgen sends GET requests from concurrent keep-alive clients and measures their latencies, for the web app's load benchmark and the loadtest command.
package loadgen
