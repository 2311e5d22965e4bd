"""Every read-side figure (SPEC sections 4 and 5), in modules by topic.

`metrics` exact arithmetic and result types · `sql` the statements the engine is built from ·
`progress` totals and groups at a month (`progress_report`) and the monthly series · `rows` per-project
rows · `published` frozen 通报 figures · `dashboard`, `reporting`, `bottlenecks`, `project` what
those pages add on top.
"""
