// Package bargain models two-party negotiations over multi-issue deal spaces: their Pareto frontiers, the cooperative bargaining solutions and Rubinstein's alternating offers.
package bargain
