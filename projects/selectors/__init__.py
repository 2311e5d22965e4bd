"""Every read-side figure (SPEC sections 4 and 5), in modules by topic.

`metrics` exact arithmetic and result types · `sql` the statements the engine is built from ·
`progress` totals and groups at a month (`progress_report`) and the monthly series · `rows` per-project
rows · `listing` one page of a list, sorted in SQL · `nodestate` when a milestone or pre-phase item is
due, done and overdue · `published` frozen 通报 figures · `dashboard`, `reporting`, `bottlenecks`, `project` what
those pages add on top.
"""
