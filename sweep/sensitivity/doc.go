// Package sensitivity lays out the designs of one-at-a-time, Morris and Sobol sensitivity analyses in the unit cube and estimates their measures, with bootstrap intervals, from a model's outputs at the design's points.
package sensitivity
