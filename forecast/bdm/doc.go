// Package bdm is Bueno de Mesquita's one-dimensional expected-utility ("challenge") model as reconstructed by Scholz, Calbert & Smith (2011), with every choice the literature leaves open an explicit option and a round-by-round trace.
package bdm
