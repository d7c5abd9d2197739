# Shortcuts for people who like make; tasks.py does the work and needs nothing but Python.
.PHONY: demo run test setup bench

demo:
	python3 tasks.py demo

run:
	python3 tasks.py run

test:
	python3 tasks.py test

setup:
	python3 tasks.py setup
