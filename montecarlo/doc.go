// Package montecarlo runs many seeded histories of a roadmap on every core and streams their aggregates in fixed-size chunks, so that results do not depend on the number of workers.
package montecarlo
