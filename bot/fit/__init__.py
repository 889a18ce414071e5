"""The fit engine: will this model run on this hardware, at which quant and context, how fast.

Pure: no I/O, no network, no clock; the same request and catalog always give the same answer.
`engine.estimate` is the entry point; each other module is one term of the arithmetic.
"""
