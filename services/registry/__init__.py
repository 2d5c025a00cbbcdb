"""Registry: structures (MSP, CPTS, CDS, ESP), territories and local groups, people and their roles."""
