// Package normal reads, writes and solves finite games in strategic form: Gambit .nfg and .efg files, exact Nash equilibria by vertex enumeration, Lemke–Howson and pure-strategy search, and iterated elimination of dominated strategies.
package normal
