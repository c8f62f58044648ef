# Thin wrappers around dev.py, which needs nothing but Python 3.11+.
.PHONY: run test bench
run:
	python3 scripts/dev.py run
test:
	python3 scripts/dev.py test
bench:
	python3 scripts/dev.py bench
