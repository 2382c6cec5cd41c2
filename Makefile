# Two commands for readers: `make lab` opens the notebooks in JupyterLab on our Java kernel,
# `make test` proves that everything works. Each target is a thin call into scripts/.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Passed to the scripts through the environment, so values with quotes survive intact.
export PORT HOST PREFIX NB PARAMS LAB_ARGS CELL_TIMEOUT PYTHON BENCH_ARGS

.PHONY: help lab test install-kernel notebooks run bench bench-kernel cluster-member clean distclean

help:
	@echo "make lab                      JupyterLab on notebooks/ with the java-concurrency kernel (PORT=8888)"
	@echo "make test                     every test: Java units, kernel conformance, notebooks, browser"
	@echo "make install-kernel [PREFIX=DIR]  install the kernelspec (default: the Python environment)"
	@echo "make notebooks                execute every notebook into build/executed/ (charts: notebooks/figures/)"
	@echo "make run NB=06 PARAMS='workers=[1,2,4,8]'  re-run one notebook with new parameters"
	@echo "make bench | bench-kernel [BENCH_ARGS=..]  benchmarks of the helpers / of the kernel"
	@echo "make cluster-member [MEMBER='--port 5702 --join 127.0.0.1:5701']  a Hazelcast member for notebook 08"
	@echo "make clean | distclean        remove build outputs | also the .venv"

lab:
	@bash scripts/lab.sh

test:
	@bash scripts/test.sh

install-kernel:
	@bash scripts/install-kernel.sh

notebooks:
	@bash scripts/notebooks.sh all

run:
	@bash scripts/notebooks.sh run

bench:
	@bash scripts/bench.sh helpers

bench-kernel:
	@bash scripts/bench.sh kernel

cluster-member:
	@bash scripts/cluster-member.sh $(MEMBER)

clean:
	@bash scripts/clean.sh

distclean: clean
	rm -rf .venv
