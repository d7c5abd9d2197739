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

# Every benchmark in bench/, one after the other (bench/README.md says what each measures).
BENCHES = ack fanout matching health tick due_work replicas

bench: setup
	for name in $(BENCHES); do .venv/bin/python -m bench.$$name || exit 1; done
