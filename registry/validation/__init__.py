"""The machinery behind `registry.validate`: shapes, the fast engine (core, rules) and the pyshacl reference.

- `shapes`: shapes/*.ttl loaded as one graph, the severity policy applied, read as rules.
- `data`: the triples the shapes look at, pulled from a backend into an in-memory index.
- `core`: the SHACL Core shapes (structure.ttl) executed over that index.
- `rules`: the SHACL-SPARQL rules (rules.ttl) executed over the assignment table, by interval sweeps.
- `reference`: pyshacl on the same data and shapes, the engine the fast one is proven equal to.
- `render`: text, JSON, Turtle and HTML reports.
"""
