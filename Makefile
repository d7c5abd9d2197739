# Shortcuts for people who like make; tasks.py does the work and needs nothing but Python.
.PHONY: run test setup bench

run:
	python3 tasks.py run

test:
	python3 tasks.py test

setup:
	python3 tasks.py setup
